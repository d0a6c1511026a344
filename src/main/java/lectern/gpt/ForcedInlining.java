package lectern.gpt;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Asks HotSpot's JIT, through a compiler directive (JEP 165) added at run time as {@code jcmd PID
 * Compiler.directives_add} would, to always inline a few small methods that take or return vectors, and never to
 * inline the kernels' entry points into their callers.
 *
 * <p>Why: a {@code FloatVector} lives in a register only inside one compiled method. When C2 compiles a call instead
 * of inlining it, the vector is boxed into a heap object on every call. The JDK's own vector methods are marked
 * {@code @ForceInline}, which code outside the JDK cannot use. Our {@code exp} (236 bytes of bytecode) is usually
 * inlined as a hot method, but once it has been compiled on its own C2 refuses to inline it ("already compiled into a
 * medium method"), and which comes first depends on compile timing. In plain {@link KernelBenchmark} runs that made
 * GELU 6.7 times and cross-entropy 2.3 times slower (the same bits, only slower).
 *
 * <p>The other half: C2 also stops inlining altogether once the method it compiles has grown past a node budget
 * (NodeCountInliningCutoff), and a forced inline does not override that. An array-level kernel such as
 * {@code expScaledShift}, inlined into a large caller (attention's per-head task), then called its lane-sum helper
 * and boxed its vector on every row: the softmax ran at half speed (the lanes now leave a vector as an array). So
 * the kernels' entry points, which take only arrays and numbers, are never inlined into their callers; each is
 * compiled as its own unit, in which its vector helpers always fit.
 *
 * <p>Best effort: on a JVM without the DiagnosticCommand MBean (not HotSpot, a native image) nothing happens, and
 * the results are the same either way. Directives affect only compilations that start after they are added, so this
 * runs when {@link VectorKernels} is loaded, before any of its methods is hot.
 */
final class ForcedInlining {

    /** The MBean behind {@code jcmd}'s diagnostic commands. */
    static final ObjectName DIAGNOSTIC_COMMAND = name("com.sun.management:type=DiagnosticCommand");

    private ForcedInlining() {
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds one directive: in every method compiled from package {@code lectern/gpt}, the methods {@code always} of
     * {@code owner} are inlined and the methods {@code never} are not. Returns whether the JVM took it.
     */
    static boolean request(Class<?> owner, List<String> always, List<String> never) {
        String internalName = owner.getName().replace('.', '/');
        String packagePattern = internalName.substring(0, internalName.lastIndexOf('/')) + "/*.*";
        String inline = Stream.concat(always.stream().map(m -> "+" + m), never.stream().map(m -> "-" + m))
                .map(m -> "\"" + m.charAt(0) + internalName + "." + m.substring(1) + "\"")
                .collect(Collectors.joining(", "));
        String directive = "[{ match: \"" + packagePattern + "\", inline: [" + inline + "] }]";
        Path file = null;
        try {
            file = Files.createTempFile("lectern-jit", ".json");
            Files.writeString(file, directive);
            Object reply = ManagementFactory.getPlatformMBeanServer().invoke(
                    DIAGNOSTIC_COMMAND, "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            return String.valueOf(reply).contains("1 compiler directives added");
        } catch (IOException | JMException | RuntimeException | LinkageError e) {
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a stray temp file of 100 bytes; the directive is already read
                }
            }
        }
    }
}
