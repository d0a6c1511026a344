package lectern;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a native image (GraalVM sets org.graalvm.nativeimage.imagecode) the GPT kernels must be the scalar ones. No
 * native image can be built here, so a fresh JVM that has the Vector API module plays one by setting the property.
 */
class NativeKernelChoiceTest {

    @Test
    void nativeImagePropertyTurnsSimdOff() {
        Properties inNative = new Properties();
        inNative.setProperty("org.graalvm.nativeimage.imagecode", "runtime");
        inNative.setProperty("lectern.gpt.simd", "true");
        assertTrue(LecternMain.preferScalarKernelsInNativeImage(inNative));
        assertEquals("false", inNative.getProperty("lectern.gpt.simd"));

        Properties onTheJvm = new Properties();
        assertFalse(LecternMain.preferScalarKernelsInNativeImage(onTheJvm));
        assertNull(onTheJvm.getProperty("lectern.gpt.simd"));
    }

    @Test
    void kernelsChosenAtStartAreScalarInANativeImageAndVectorOnTheJvm() throws Exception {
        assertEquals("scalar", probe(true));
        assertTrue(probe(false).startsWith("vector-"), "the JVM with jdk.incubator.vector keeps the Vector API kernels");
    }

    /** Runs {@link NativeKernelProbe} in a JVM with the Vector API module; returns the name of the kernels it chose. */
    private static String probe(boolean playNativeImage) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path")));
        if (playNativeImage) {
            command.add("-Dorg.graalvm.nativeimage.imagecode=runtime");
        }
        command.add(NativeKernelProbe.class.getName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
