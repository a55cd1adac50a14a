package dev.twophase.web.startup;

import org.springframework.aot.AotDetector;

/**
 * Starts a service on the code Spring generated for its context at build time (the {@code process-aot} goal) instead
 * of parsing its configuration classes again at every start: about a second less on this project's 2-core machine
 * (src-docs/startup.md).
 *
 * <p>Spring uses that code only when the system property {@code spring.aot.enabled} is true. Set here, in
 * {@code main}, rather than by every command that starts a service, so that {@code java -jar}, {@code run.sh}, the
 * Docker images and the system tests all run the same way. Tests that start a context themselves
 * ({@code @SpringBootTest}) do not call {@code main} and keep to the ordinary mode, for which no code was generated.
 * {@code -Dspring.aot.enabled=false} still opts out.
 */
public final class AheadOfTimeMode {

    private AheadOfTimeMode() {}

    /**
     * Switches the mode on when the build generated the application's context initializer and nobody said no; never
     * while the build itself runs {@code main} to generate that code (Spring's AOT processing then sets
     * {@code spring.aot.processing}), which would otherwise start on the previous build's generated code.
     */
    public static void enableWhenBuilt(Class<?> application) {
        if (System.getProperty(AotDetector.AOT_ENABLED) == null
                && !Boolean.getBoolean("spring.aot.processing")
                && initializerExists(application)) {
            System.setProperty(AotDetector.AOT_ENABLED, "true");
        }
    }

    private static boolean initializerExists(Class<?> application) {
        // The name Spring's AOT processing gives the generated ApplicationContextInitializer.
        String initializer = application.getName() + "__ApplicationContextInitializer";
        return application.getClassLoader().getResource(initializer.replace('.', '/') + ".class") != null;
    }
}
