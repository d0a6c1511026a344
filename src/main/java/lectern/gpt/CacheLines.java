package lectern.gpt;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Float arrays whose data can be read from a known 64-byte boundary. A 512-bit load that straddles two cache lines
 * costs two; the matrix products read every packed B panel that way unless the panel starts on a line, which made
 * them 6-7% slower (measured on the GPT-mini shapes).
 *
 * <p>Java does not say where an array lies, but G1 puts an array of half a region or more (a humongous object) at
 * the start of a region and never moves it, so its data begins one array header past a boundary. {@link #allocate}
 * asks for at least that size and {@link #OFFSET} is the first element on a line. Under another collector (or in a
 * native image) OFFSET is 0 and nothing is promised: the results are the same either way, only slower.
 */
final class CacheLines {

    /** Floats in a 64-byte line. */
    static final int FLOATS = 16;
    /** Index of the first element on a cache line in an array from {@link #allocate}. */
    static final int OFFSET;
    /** The least length that makes a float array humongous under G1; 0 when not running G1. */
    private static final int HUMONGOUS_FLOATS;

    static {
        int offset = 0;
        int humongous = 0;
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
                // the array header: mark word, class pointer (4 bytes when compressed), length; without compressed
                // class pointers the 20 bytes are padded to 24
                int header = Boolean.parseBoolean(vm.getVMOption("UseCompressedClassPointers").getValue()) ? 16 : 24;
                humongous = (int) Math.min(Integer.MAX_VALUE - 64, region / 2 / Float.BYTES + 1);
                offset = (64 - header) % 64 / Float.BYTES;
            }
        } catch (RuntimeException | LinkageError e) {
            // no HotSpot management bean (a native image): stay with offset 0
        }
        OFFSET = offset;
        HUMONGOUS_FLOATS = humongous;
    }

    private CacheLines() {
    }

    /** A float array with at least {@code size} elements from {@link #OFFSET} on. */
    static float[] allocate(int size) {
        return new float[Math.max(OFFSET + size, HUMONGOUS_FLOATS)];
    }
}
