import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Prints one digest of the given jars' contents, for the key of jvm-cache.sh's JVM caches: each entry's name and CRC,
 * in name order. Run as a source file ({@code java tools/JarKey.java A.jar B.jar}), so it needs nothing but the JDK.
 *
 * <p>The build fixes every entry's timestamp ({@code project.build.outputTimestamp}), so the same sources give the
 * same entries, except for what Spring's build-time processing ({@code process-aot}) writes: the bean definitions and
 * registrations ({@code Foo__BeanDefinitions}, {@code …__BeanFactoryRegistrations} and the other {@code __} classes),
 * the CGLIB proxies ({@code $$SpringCGLIB$$}) and the native-image hints come out with beans and methods in a different
 * order from one build to the next. Each is made from the rest of the jar — the classes, {@code application.yml}, the
 * libraries — which the digest covers, so they are left out. A build of unchanged sources then keeps the caches
 * fitting, and {@code ./run.sh}, which builds first, does not train them again at every start.
 */
class JarKey {

    public static void main(String[] args) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String jar : args) {
            digest.update((jar + "\n").getBytes(StandardCharsets.UTF_8));
            try (ZipFile zip = new ZipFile(jar)) {
                zip.stream()
                        .filter(entry -> !generatedAtBuildTime(entry.getName()))
                        .sorted(Comparator.comparing(ZipEntry::getName))
                        .forEach(entry -> digest.update(
                                (entry.getName() + " " + entry.getCrc() + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        }
        System.out.println(HexFormat.of().formatHex(digest.digest()));
    }

    private static boolean generatedAtBuildTime(String name) {
        String simpleName = name.substring(name.lastIndexOf('/') + 1);
        return (name.endsWith(".class") && (simpleName.contains("__") || simpleName.contains("$$SpringCGLIB$$")))
                || name.startsWith("META-INF/native-image/");
    }
}
