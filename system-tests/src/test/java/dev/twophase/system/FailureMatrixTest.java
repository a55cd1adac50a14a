package dev.twophase.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * src-docs/failure-matrix.md is a promise: every numbered row names a test ({@code Class.method}) that exists in
 * some module's test sources, as a method annotated {@code @Test} or {@code @ParameterizedTest}.
 */
class FailureMatrixTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|.*\\|\\s*([^|]*?)\\s*\\|\\s*$");
    private static final Pattern TEST = Pattern.compile("`(\\w+)\\.(\\w+)`");
    private static final Path ROOT = Path.of(System.getProperty("twophase.root", ".."));

    @Test
    void everyRowOfTheFailureMatrixNamesAnExistingTest() throws IOException {
        List<String> problems = new ArrayList<>();
        int rows = 0;
        for (String line : Files.readAllLines(ROOT.resolve("src-docs/failure-matrix.md"))) {
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                continue;
            }
            rows++;
            Matcher test = TEST.matcher(row.group(2));
            if (!test.find()) {
                problems.add("row " + row.group(1) + " names no test");
            } else if (!isTest(test.group(1), test.group(2))) {
                problems.add("row " + row.group(1) + ": no test " + test.group(1) + "." + test.group(2));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(rows).as("rows in the failure matrix").isGreaterThanOrEqualTo(25);
    }

    private static boolean isTest(String className, String methodName) throws IOException {
        Optional<Path> source = testSource(className);
        if (source.isEmpty()) {
            return false;
        }
        Pattern annotatedMethod = Pattern.compile(
                "@(Test|ParameterizedTest)\\b[^;{}]*?\\bvoid\\s+" + methodName + "\\s*\\(", Pattern.DOTALL);
        return annotatedMethod.matcher(Files.readString(source.get())).find();
    }

    private static Optional<Path> testSource(String className) throws IOException {
        try (Stream<Path> files = Files.walk(ROOT, 12)) {
            return files.filter(path -> path.toString().contains("src/test/java"))
                    .filter(path -> path.getFileName().toString().equals(className + ".java"))
                    .findFirst();
        }
    }
}
