package io.transferlab.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child JVM ({@link FakeService} in a runnable jar) started, probed, stopped and killed. */
class QuarkusProcessTest {

    private static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static Path jar;

    @BeforeAll
    static void packageTheFakeService() throws Exception {
        jar = dir.resolve("quarkus-app/quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                InputStream in = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    private static QuarkusProcess.Builder fake(String name) {
        return QuarkusProcess.jar(jar).name(name).jvmOptions("-Xmx32m").log(dir.resolve(name + ".log"));
    }

    @Test
    void startsOnFreePortsWithItsSettingsAndStopsThroughItsShutdownPathOnSigterm() {
        try (QuarkusProcess p = fake("term").env("FAKE_GREETING", "hello").property("fake.colour", "blue").start()) {
            assertThat(p.awaitReady(READY)).isSameAs(p);
            assertThat(p.readiness()).as("readiness is asked on the management port").isEqualTo(200);
            assertThat(p.url()).isEqualTo("http://localhost:" + p.port());
            assertThat(p.managementUrl()).isEqualTo("http://localhost:" + p.managementPort());
            assertThat(p.managementPort()).isNotEqualTo(p.port());
            assertThat(p.pid()).isPositive();
            assertThat(p.logText()).contains("port=" + p.port() + " management=" + p.managementPort()
                    + " greeting=hello").contains("colour=blue");

            assertThat(p.terminate()).as("exit code after SIGTERM").isEqualTo(143);
            assertThat(p.isAlive()).isFalse();
            assertThat(p.readiness()).as("nothing answers any more").isEqualTo(-1);
            assertThat(p.tail(1)).isEqualTo("shutdown path ran");
        }
    }

    @Test
    void killIsASigkillThatSkipsTheShutdownPath() {
        try (QuarkusProcess p = fake("kill").start().awaitReady(READY)) {
            assertThat(p.kill()).as("exit code after SIGKILL").isEqualTo(137);
            assertThat(p.logText()).contains("listening").doesNotContain("shutdown path ran");
        }
    }

    @Test
    void awaitReadyFailsAtOnceWithTheEndOfTheLogWhenTheProcessDies() {
        try (QuarkusProcess p = fake("dies").property("fake.exit-code", "3").start()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> p.awaitReady(READY)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("dies exited with 3").hasMessageContaining("dying on purpose");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(READY.dividedBy(2));
            assertThat(p.awaitExit(Duration.ofSeconds(5))).isEqualTo(3);
        }
    }

    @Test
    void awaitExitFailsWhileTheProcessRuns() {
        try (QuarkusProcess p = fake("runs").start().awaitReady(READY)) {
            assertThatThrownBy(() -> p.awaitExit(Duration.ofMillis(200))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("runs still running").hasMessageContaining("listening");
        }
    }

    @Test
    void unsetEnvKeepsAnInheritedVariableAway() {
        assertThat(System.getenv("HOME")).as("this test needs HOME in its own environment").isNotBlank();
        try (QuarkusProcess p = fake("no-home").unsetEnv("HOME").start().awaitReady(READY)) {
            assertThat(p.logText()).contains("home=null");
        }
    }

    @Test
    void refusesAMissingJarWithTheCommandThatBuildsIt() {
        assertThatThrownBy(() -> QuarkusProcess.jar(dir.resolve("nothing.jar")).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("./mvnw package");
    }

    @Test
    void readinessIsMinusOneWhenNothingListens() {
        try (QuarkusProcess p = fake("silent").property("fake.exit-code", "0").start()) {
            p.awaitExit(READY);
            assertThat(p.readiness()).isEqualTo(-1);
        }
    }

    @Test
    void aReadinessAnswerIsNotEnoughWhileTheLogDoesNotShowThePortsBound() {
        // what another process holding these ports would look like: 200 on /q/health/ready, but not our start line
        try (QuarkusProcess p = fake("quiet").property("fake.silent-about-ports", "true").start()) {
            org.awaitility.Awaitility.await().atMost(READY).until(() -> p.readiness() == 200);
            assertThatThrownBy(() -> p.awaitReady(Duration.ofSeconds(2))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("quiet not ready within");
            assertThat(p.awaitExit(Duration.ofSeconds(10))).as("stopped by the failed wait").isNotZero();
        }
    }

    @Test
    void noPortIsHandedOutTwice() {
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertThat(ports.add(FreePorts.next())).as("port %d handed out again", i).isTrue();
        }
    }
}
