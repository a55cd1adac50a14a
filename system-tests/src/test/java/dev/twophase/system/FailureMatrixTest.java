package dev.twophase.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** src-docs/failure-matrix.md is a promise: every numbered row names a test that exists here. */
class FailureMatrixTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|.*\\|\\s*([^|]*?)\\s*\\|\\s*$");
    private static final Pattern TEST = Pattern.compile("`(\\w+)\\.(\\w+)`");

    @Test
    void everyRowOfTheFailureMatrixNamesAnExistingTest() throws IOException {
        Path matrix = Path.of(System.getProperty("twophase.root", ".."), "src-docs", "failure-matrix.md");
        List<String> problems = new ArrayList<>();
        int rows = 0;
        for (String line : Files.readAllLines(matrix)) {
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
        assertThat(rows).as("rows in the failure matrix").isGreaterThanOrEqualTo(21);
    }

    private static boolean isTest(String className, String methodName) {
        try {
            Class<?> type = Class.forName(FailureMatrixTest.class.getPackageName() + "." + className);
            return Arrays.stream(type.getDeclaredMethods())
                    .filter(method -> method.getName().equals(methodName))
                    .anyMatch(FailureMatrixTest::isAnnotatedTest);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static boolean isAnnotatedTest(Method method) {
        return method.isAnnotationPresent(Test.class) || method.isAnnotationPresent(ParameterizedTest.class);
    }
}
