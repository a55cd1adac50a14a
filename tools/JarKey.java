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
 * same entries, with one exception left out here: the CGLIB proxy classes that Spring's build-time processing writes
 * come out with their methods in a different order from one build to the next, the same behaviour in other bytes
 * (each is made from the class beside it, which is in the digest). So a build of unchanged sources keeps the caches
 * fitting, and {@code ./run.sh}, which builds first, does not train them again at every start.
 */
class JarKey {

    public static void main(String[] args) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String jar : args) {
            digest.update((jar + "\n").getBytes(StandardCharsets.UTF_8));
            try (ZipFile zip = new ZipFile(jar)) {
                zip.stream()
                        .filter(entry -> !entry.getName().contains("$$SpringCGLIB$$"))
                        .sorted(Comparator.comparing(ZipEntry::getName))
                        .forEach(entry -> digest.update(
                                (entry.getName() + " " + entry.getCrc() + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        }
        System.out.println(HexFormat.of().formatHex(digest.digest()));
    }
}
