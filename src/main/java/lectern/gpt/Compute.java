package lectern.gpt;

/**
 * What every layer needs to run: the kernels, the worker pool, reusable scratch space, and a per-kind timer
 * (for the benchmark's time shares). Scratch grows only when a larger problem arrives; steady-state steps
 * allocate no arrays.
 */
public final class Compute {

    /** Layer kinds the benchmark reports time for. */
    public enum Kind { MATMUL, ATTENTION, LAYERNORM, GELU, OTHER }

    final FloatKernels kernels;
    final WorkerPool pool;
    private float[] shared = new float[0];
    private float[] panels = new float[0];
    private float[][] perWorker;
    private final long[] nanos = new long[Kind.values().length];
    /** Time of work of one kind done by the workers inside a phase timed as another (fused layers): [worker][kind]. */
    private final long[][] workerNanos;

    public Compute(FloatKernels kernels, WorkerPool pool) {
        this.kernels = kernels;
        this.pool = pool;
        this.perWorker = new float[pool.size()][0];
        this.workerNanos = new long[pool.size()][Kind.values().length];
    }

    /** The preferred kernels on the shared pool. */
    public static Compute preferred() {
        return new Compute(FloatKernels.preferred(), WorkerPool.shared());
    }

    public FloatKernels kernels() {
        return kernels;
    }

    public WorkerPool pool() {
        return pool;
    }

    /** Scratch for one layer call at a time (contents undefined on return). */
    float[] sharedScratch(int size) {
        if (shared.length < size) {
            shared = new float[size];
        }
        return shared;
    }

    /**
     * Scratch for a matrix product's packed panels: {@code size} floats from {@link CacheLines#OFFSET} on, where
     * (when it can be known) a cache line starts.
     */
    float[] panelScratch(int size) {
        if (panels.length < CacheLines.OFFSET + size) {
            panels = CacheLines.allocate(size);
        }
        return panels;
    }

    /**
     * Where a worker's scratch starts: the first float on a cache line (see {@link CacheLines}). Tiles store their C
     * rows there and vector kernels read them back (the gradient of GELU's output, attention's copies of a head's rows
     * and its gradient matrix). From an arbitrary start, which varied from run to run, every 512-bit access could
     * straddle two lines.
     */
    static final int SCRATCH_START = CacheLines.OFFSET;

    /** Scratch owned by one worker thread during a task: {@code size} floats from {@link #SCRATCH_START} on. */
    float[] workerScratch(int worker, int size) {
        if (perWorker[worker].length < CacheLines.OFFSET + size) {
            perWorker[worker] = CacheLines.allocate(size);
        }
        return perWorker[worker];
    }

    /** Makes sure each worker's scratch has {@code size} floats, so tasks do not allocate. */
    void reserveWorkerScratch(int size) {
        for (int w = 0; w < perWorker.length; w++) {
            workerScratch(w, size);
        }
    }

    /**
     * Runs body over [0,n) in chunks of {@code grain} (fixed by the caller from the problem size, so the split, and
     * therefore every result, is the same for any number of threads).
     */
    void rows(int n, int grain, RangeBody body) {
        int chunks = (n + grain - 1) / grain;
        pool.forEach(chunks, (task, worker) -> body.run(task * grain, Math.min(n, (task + 1) * grain), worker));
    }

    @FunctionalInterface
    interface RangeBody {
        void run(int start, int end, int worker);
    }

    /** Zeroes x[off..off+n) on all cores. */
    void zero(float[] x, int off, int n) {
        rows(n, 1 << 16, (s, e, w) -> java.util.Arrays.fill(x, off + s, off + e, 0f));
    }

    void addTime(Kind kind, long startNanos) {
        nanos[kind.ordinal()] += System.nanoTime() - startNanos;
    }

    /** Adds the time since {@code startNanos} to {@code kind} for work a worker did inside another kind's phase. */
    void addWorkerTime(int worker, Kind kind, long startNanos) {
        workerNanos[worker][kind.ordinal()] += System.nanoTime() - startNanos;
    }

    /**
     * Ends a phase timed as {@code phase} in which the workers also did other kinds' work ({@link #addWorkerTime}): that
     * work's time, divided by the number of workers that did some (as if it had run on them at once, which the rows
     * of a product do), moves from {@code phase} to its own kind.
     */
    void settleWorkerTimes(Kind phase) {
        for (int kind = 0; kind < nanos.length; kind++) {
            long sum = 0;
            int workers = 0;
            for (long[] worker : workerNanos) {
                sum += worker[kind];
                workers += worker[kind] > 0 ? 1 : 0;
                worker[kind] = 0;
            }
            long share = workers == 0 ? 0 : sum / workers;
            nanos[kind] += share;
            nanos[phase.ordinal()] -= share;
        }
    }

    /** Nanoseconds spent per kind since the last reset. */
    public long nanos(Kind kind) {
        return nanos[kind.ordinal()];
    }

    public void resetTimes() {
        java.util.Arrays.fill(nanos, 0L);
    }
}
