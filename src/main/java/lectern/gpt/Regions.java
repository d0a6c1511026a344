package lectern.gpt;

/**
 * Consecutive regions of one float block, handed out in the order asked for (llm.c's activation layout). Each starts
 * on a cache line when the block is large enough for {@link CacheLines} to know where lines fall: vector loads and
 * stores of a row then never straddle two lines.
 */
final class Regions {

    private final int B, T;
    private long end = CacheLines.OFFSET;

    /** B and T only name the batch in the error when the block outgrows one Java array. */
    Regions(int B, int T) {
        this.B = B;
        this.T = T;
    }

    /** The offset of the next {@code n} floats. */
    int take(long n) {
        long at = (end - CacheLines.OFFSET + CacheLines.FLOATS - 1) / CacheLines.FLOATS * CacheLines.FLOATS
                + CacheLines.OFFSET;
        end = at + n;
        if (end > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("B=" + B + " T=" + T + " needs more activation floats than one Java "
                    + "array holds");
        }
        return (int) at;
    }

    /** Floats handed out so far: the size the block needs. */
    int size() {
        return (int) end;
    }
}
