package dev.twophase.system.bench;

import dev.twophase.system.support.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What one service reports about itself on /actuator/metrics, read at an instant. */
record ServiceMetrics(
        String service,
        double httpRequests,
        double logWrites,
        double logCommits,
        double logForces,
        double cpuSeconds,
        double heapUsedBytes,
        double oldGenBytes,
        double liveDataBytes,
        long dataBytes,
        double allocatedBytes,
        double gcPauses,
        double gcPauseSeconds,
        double gcPauseMaxSeconds) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static ServiceMetrics of(ServiceProcess service) {
        return new ServiceMetrics(
                service.name(),
                value(service, "http.server.requests"),
                value(service, "twophase.log.writes"),
                value(service, "twophase.log.commits"),
                value(service, "twophase.log.forces"),
                value(service, "process.cpu.time") / 1e9,
                value(service, "jvm.memory.used?tag=area:heap"),
                value(service, "jvm.memory.used?tag=id:G1%20Old%20Gen"),
                // The old generation's size right after the last collection: what the service really keeps.
                value(service, "jvm.gc.live.data.size"),
                // The store's own reading (H2: its files; PostgreSQL: its database), else the data directory's.
                storeSize(service),
                // Allocated in the young generation: the garbage each transfer leaves for the collector.
                value(service, "jvm.gc.memory.allocated"),
                statistic(service, "jvm.gc.pause", "COUNT"),
                statistic(service, "jvm.gc.pause", "TOTAL_TIME"),
                // Micrometer's max is over its last two minutes, not since the start.
                statistic(service, "jvm.gc.pause", "MAX"));
    }

    /** The change from {@code before} to this reading. */
    ServiceMetrics minus(ServiceMetrics before) {
        return new ServiceMetrics(
                service,
                httpRequests - before.httpRequests,
                logWrites - before.logWrites,
                logCommits - before.logCommits,
                logForces - before.logForces,
                cpuSeconds - before.cpuSeconds,
                heapUsedBytes,
                oldGenBytes,
                liveDataBytes,
                dataBytes,
                allocatedBytes - before.allocatedBytes,
                gcPauses - before.gcPauses,
                gcPauseSeconds - before.gcPauseSeconds,
                gcPauseMaxSeconds);
    }

    private static long storeSize(ServiceProcess service) {
        double reported = value(service, "twophase.store.size");
        return Double.isNaN(reported) ? sizeOf(service.dataDir()) : (long) reported;
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** The metric's first measurement, or NaN if the service does not have it. */
    private static double value(ServiceProcess service, String metric) {
        JsonNode measurements = measurements(service, metric);
        return measurements.isEmpty()
                ? Double.NaN
                : measurements.get(0).path("value").asDouble();
    }

    /** One statistic (COUNT, TOTAL_TIME, MAX) of a timer, or NaN if the service does not have it. */
    private static double statistic(ServiceProcess service, String metric, String statistic) {
        for (JsonNode measurement : measurements(service, metric)) {
            if (statistic.equals(measurement.path("statistic").asString())) {
                return measurement.path("value").asDouble();
            }
        }
        return Double.NaN;
    }

    private static JsonNode measurements(ServiceProcess service, String metric) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(service.url().resolve("/actuator/metrics/" + metric))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return JSON.createArrayNode();
            }
            return JSON.readTree(response.body()).path("measurements");
        } catch (IOException e) {
            return JSON.createArrayNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createArrayNode();
        }
    }
}
