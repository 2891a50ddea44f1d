package io.transferlab.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    @Test
    void linuxWithoutTheSettingsIsToldWhatToSet() {
        assertThat(NativeAllocator.advice(Map.of("PATH", "/usr/bin"), "Linux")).hasValueSatisfying(advice ->
                assertThat(advice).contains("MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TOP_PAD_=67108864 "
                        + "MALLOC_TRIM_THRESHOLD_=268435456"));
    }

    @Test
    void bothVariablesOrBothTunablesSatisfyIt() {
        assertThat(NativeAllocator.advice(NativeAllocator.SETTINGS, "Linux")).isEmpty();
        assertThat(NativeAllocator.advice(Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=33554432"
                + ":glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=67108864"), "Linux")).isEmpty();
    }

    @Test
    void partOfThemIsNotEnough() {
        // a fixed trim threshold alone also fixes the mmap threshold at 128 KiB: every tensor is then mmapped
        for (String left : NativeAllocator.SETTINGS.keySet()) {
            Map<String, String> env = new HashMap<>(NativeAllocator.SETTINGS);
            env.remove(left);
            assertThat(NativeAllocator.advice(env, "Linux")).as("without " + left).isPresent();
        }
    }

    @Test
    void otherSystemsAreLeftAlone() {
        assertThat(NativeAllocator.advice(Map.of(), "Mac OS X")).isEmpty();
    }

    @Test
    void theTestRunItselfHasTheSettings() {
        // the build passes them to every test JVM (pom.xml), as deploy/local does to every service it starts
        assertThat(NativeAllocator.advice(System.getenv(), System.getProperty("os.name"))).isEmpty();
    }
}
