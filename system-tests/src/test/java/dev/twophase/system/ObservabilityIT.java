package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.ServiceProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Metrics on /actuator/prometheus and the OpenAPI description of every service, read from real processes. */
class ObservabilityIT extends AliceAndBobTest {

    @Test
    void theCoordinatorExportsOutcomesInDoubtGaugesPhaseHistogramsAndLogWriteLatency() {
        assertThat(api.transfer(BANK_A, alice, BANK_B, bob, "10.00").status()).isEqualTo(201);
        assertThat(api.transfer(BANK_A, alice, BANK_B, bob, "999.00").status()).isEqualTo(409);

        String metrics = prometheus(cluster.coordinator());

        assertThat(metrics)
                .contains("twophase_transfers_total{outcome=\"COMMITTED\",reason=\"none\"}")
                .contains("twophase_transfers_total{outcome=\"ABORTED\",reason=\"INSUFFICIENT_FUNDS\"}")
                .contains("twophase_in_doubt ")
                .contains("twophase_undecided ")
                .contains("twophase_bank_in_doubt{bank=\"bank-a\"}")
                .contains("twophase_phase_duration_seconds_bucket{phase=\"prepare\"")
                .contains("twophase_phase_duration_seconds_bucket{phase=\"decision-log\"")
                .contains("twophase_participant_requests_seconds_bucket{bank=\"bank-b\",message=\"prepare\"")
                .contains("twophase_log_write_seconds_bucket")
                .contains("resilience4j_circuitbreaker_state{name=\"bank-a\"")
                .contains("resilience4j_retry_calls_total");
    }

    @Test
    void eachBankExportsVotesDecisionsItsInDoubtGaugeAndLogWriteLatency() {
        assertThat(api.transfer(BANK_A, alice, BANK_B, bob, "10.00").status()).isEqualTo(201);

        for (ServiceProcess bank : List.of(cluster.bankA(), cluster.bankB())) {
            assertThat(prometheus(bank))
                    .as(bank.name())
                    .contains("twophase_votes_total{vote=\"YES\"}")
                    .contains("twophase_in_doubt ")
                    .contains("twophase_log_write_seconds_bucket")
                    .contains("http_server_requests_seconds_bucket");
        }
    }

    @Test
    void everyApiIsDescribedAsOpenApiAndBrowsableInSwaggerUi() {
        assertThat(paths(cluster.coordinator()))
                .contains(
                        "/api/transfers",
                        "/api/transfers/{transferId}",
                        "/api/transactions/{txId}/decision",
                        "/api/ops/overview",
                        "/api/ops/transactions/{txId}/abort");
        for (ServiceProcess bank : List.of(cluster.bankA(), cluster.bankB())) {
            assertThat(paths(bank))
                    .as(bank.name())
                    .contains(
                            "/api/accounts",
                            "/api/accounts/{id}",
                            "/2pc/transactions/{txId}/prepare",
                            "/2pc/transactions/{txId}/commit",
                            "/2pc/transactions/{txId}/abort",
                            "/2pc/transactions/{txId}/heuristic",
                            "/2pc/batch");
        }
        for (ServiceProcess service : cluster.all()) {
            assertThat(api.getText(service.url().resolve("/swagger-ui/index.html")))
                    .as(service.name())
                    .contains("Swagger UI");
        }
    }

    private String prometheus(ServiceProcess service) {
        return api.getText(service.url().resolve("/actuator/prometheus"));
    }

    private List<String> paths(ServiceProcess service) {
        JsonNode docs = api.get(service.url().resolve("/v3/api-docs")).body();
        List<String> paths = new ArrayList<>();
        docs.get("paths").propertyNames().forEach(paths::add);
        return paths;
    }
}
