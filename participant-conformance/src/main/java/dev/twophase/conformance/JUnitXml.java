package dev.twophase.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a report as a JUnit XML test suite (the Ant/Surefire format CI servers read): one test case per rule. */
final class JUnitXml {

    private JUnitXml() {}

    static void write(Report report, Path file) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        double seconds = report.results().stream().mapToLong(RuleResult::millis).sum() / 1000.0;
        xml.append(String.format(
                "<testsuite name=\"participant-conformance\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\""
                        + " time=\"%.3f\">%n",
                report.results().size(),
                report.count(RuleResult.Outcome.FAIL),
                report.count(RuleResult.Outcome.NOT_RUN),
                seconds));
        xml.append("  <properties><property name=\"participant-url\" value=\"")
                .append(escape(report.participantUrl()))
                .append("\"/></properties>\n");
        for (RuleResult result : report.results()) {
            xml.append(String.format(
                    "  <testcase classname=\"participant-conformance.%s\" name=\"%s\" time=\"%.3f\"",
                    escape(result.rule().section()),
                    escape(result.rule().id() + ": " + result.rule().says()),
                    result.millis() / 1000.0));
            switch (result.outcome()) {
                case PASS -> xml.append("/>\n");
                case FAIL ->
                    xml.append(">\n    <failure message=\"")
                            .append(escape(result.detail()))
                            .append("\"/>\n  </testcase>\n");
                case NOT_RUN ->
                    xml.append(">\n    <skipped message=\"")
                            .append(escape(result.detail()))
                            .append("\"/>\n  </testcase>\n");
            }
        }
        xml.append("</testsuite>\n");
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, xml, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text == null
                ? ""
                : text.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;")
                        .replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "?");
    }
}
