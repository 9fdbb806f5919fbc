package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java 17 flags live once, in flink-conf/config.yaml; the build, the bin/ scripts and the Java code agree. */
class JvmFlagsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readsFlinksKeyFromTheProjectsConfiguration() {
        List<String> flags = JvmFlags.fromRepository(ROOT);
        assertThat(flags)
                .contains(
                        "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                        "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");
        assertThat(flags).allMatch(f -> f.matches("--add-(opens|exports)=[\\w.]+/[\\w.]+=ALL-UNNAMED"));
        assertThat(flags).doesNotHaveDuplicates();
    }

    /** The build copies the key into the test JVMs' arguments (pom.xml, read-jvm-flags): this JVM has them all. */
    @Test
    void theBuildGaveThisTestJvmExactlyTheseFlags() {
        List<String> jvmArguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertThat(jvmArguments.stream().filter(a -> a.startsWith("--add-")).toList())
                .containsExactlyElementsOf(JvmFlags.fromRepository(ROOT));
    }

    @Test
    void theScriptsHelperReadsTheSameFlags() throws Exception {
        Process bash = new ProcessBuilder("bash", "-c", "source bin/lib/common.sh && mds_jvm_flags")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(bash.waitFor()).isZero();
        assertThat(Arrays.asList(out.split("\\s+"))).containsExactlyElementsOf(JvmFlags.fromRepository(ROOT));
    }
}
