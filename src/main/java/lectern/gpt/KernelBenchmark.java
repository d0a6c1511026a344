package lectern.gpt;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

/**
 * Per-layer cost of one GPT-mini training step (batch 8, context 256) on ONE thread, measured in thread CPU time
 * so that the figures hold even while other work shares the cores (wall-clock numbers then do not). Used to tune the
 * kernels; {@link TrainBenchmark} is the end-to-end figure.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/classes lectern.gpt.KernelBenchmark [--scalar]</pre>
 *
 * <p>Run it more than once: some runs (every one under -Xbatch) show attention's forward, GELU's backward and
 * cross-entropy 1.5-2.5 times slower together, for a reason not found (not inlining, not 4K aliasing; the model
 * card's speed section). The training step has not shown it.
 *
 * <p>With {@code --products THREADS}: each of the step's matrix products alone (forward, input gradient, weight
 * gradient with its bias), in GFLOP/s of wall time, best of 15, on that many threads; once with the caches
 * as the previous run left them and once after a 128 MB pass that evicts them, as a training step's products find
 * them. Needs an otherwise idle machine.
 */
public final class KernelBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private KernelBenchmark() {
    }

    private static float[] gaussian(Random rng, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextGaussian() * std);
        }
        return x;
    }

    /** Best of {@code reps} runs, in CPU milliseconds of this thread. */
    private static double cpuMillis(Runnable r, int reps) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            r.run();
            best = Math.min(best, (THREADS.getCurrentThreadCpuTime() - t0) / 1e6);
        }
        return best;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--products")) {
            products(args.length > 1 ? Integer.parseInt(args[1]) : 1);
            return;
        }
        boolean scalar = args.length > 0 && args[0].equals("--scalar");
        FloatKernels kernels = scalar ? new ScalarKernels() : FloatKernels.preferred();
        Compute cx = new Compute(kernels, new WorkerPool(1));
        Random rng = new Random(1);
        int B = 8, T = 256, C = 256, NH = 4, N = B * T, V = 4096, L = 4;
        int reps = scalar ? 1 : 20;
        float[] acts = gaussian(rng, N * V * 3, 0.1); // three (N,V) regions: outputs, inputs, gradients
        float[] params = gaussian(rng, V * C + 4 * C + 1, 0.02);
        float[] grads = new float[params.length];
        System.out.printf(Locale.ROOT, "%s kernels, one thread, CPU milliseconds (best of %d)%n", kernels.name(), reps);
        int[][] shapes = {{C, 3 * C}, {C, C}, {C, 4 * C}, {4 * C, C}, {C, V}};
        double matmul = 0;
        for (int[] s : shapes) {
            int in = s[0], out = s[1];
            int bOff = out == V ? -1 : in * out;
            double f = cpuMillis(() -> Matmul.forward(cx, acts, 0, acts, N * V, params, 0, bOff, N, in, out), reps);
            double b = cpuMillis(() -> Matmul.backward(cx, acts, 2 * N * V, grads, 0, bOff, acts, 0, acts, N * V,
                    params, 0, N, in, out), reps);
            double flops = 2.0 * N * in * out;
            System.out.printf(Locale.ROOT, "matmul %4d->%4d  forward %6.1f ms (%5.1f GFLOP/s)  backward %6.1f ms (%5.1f GFLOP/s)%n",
                    in, out, f, flops / f / 1e6, b, 2 * flops / b / 1e6);
            matmul += (out == V ? 1 : L) * (f + b);
        }
        float[] att = new float[B * NH * T * T];
        double af = cpuMillis(() -> Attention.forward(cx, acts, 0, att, 0, acts, N * V, B, T, C, NH), reps);
        double ab = cpuMillis(() -> Attention.backward(cx, acts, 2 * N * V, acts, 0, acts, N * V, att, 0, B, T, C, NH), reps);
        float[] mean = new float[N], rstd = new float[N];
        double lf = cpuMillis(() -> LayerNorm.forward(cx, acts, 0, mean, 0, rstd, 0, acts, N * V, params, 0, C, N, C), reps);
        double lb = cpuMillis(() -> LayerNorm.backward(cx, acts, 2 * N * V, grads, 0, C, acts, 0, acts, N * V, params, 0,
                mean, 0, rstd, 0, N, C), reps);
        double gf = cpuMillis(() -> Gelu.forward(cx, acts, 0, acts, N * V, N * 4 * C), reps);
        double gb = cpuMillis(() -> Gelu.backward(cx, acts, 2 * N * V, acts, N * V, acts, 0, N * 4 * C), reps);
        int[] targets = new int[N];
        for (int i = 0; i < N; i++) {
            targets[i] = rng.nextInt(V);
        }
        float[] losses = new float[N];
        double ce = cpuMillis(() -> CrossEntropy.forward(cx, acts, N * V, losses, 0, acts, 0, targets, N, V), reps);
        double attention = L * (af + ab), layerNorm = (2 * L + 1) * (lf + lb), gelu = L * (gf + gb);
        System.out.printf(Locale.ROOT, "attention forward %.1f ms, backward %.1f ms%n", af, ab);
        System.out.printf(Locale.ROOT, "layernorm forward %.2f ms, backward %.2f ms%n", lf, lb);
        System.out.printf(Locale.ROOT, "gelu forward %.2f ms, backward %.2f ms%n", gf, gb);
        System.out.printf(Locale.ROOT, "cross-entropy, loss and gradient %.2f ms%n", ce);
        double total = matmul + attention + layerNorm + gelu + ce;
        System.out.printf(Locale.ROOT, "per step (x%d layers): matmul %.0f, attention %.0f, layernorm %.0f, gelu %.0f, "
                + "cross-entropy %.0f = %.0f CPU ms (without optimizer, residuals, zeroing)%n",
                L, matmul, attention, layerNorm, gelu, ce, total);
        System.out.printf(Locale.ROOT, "=> at most %.0f tokens per CPU-second for these layers%n", N / (total / 1e3));
    }

    private static final float[] EVICT = new float[32 << 20];

    /** Best wall time of {@code reps} runs in milliseconds; {@code cold}: caches evicted (a 128 MB write) before each. */
    private static double wallMillis(Runnable r, int reps, boolean cold) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            if (cold) {
                for (int j = 0; j < EVICT.length; j += 16) {
                    EVICT[j] += 1f;
                }
            }
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    private static void products(int threads) {
        Compute cx = new Compute(FloatKernels.preferred(), new WorkerPool(threads));
        Random rng = new Random(1);
        int N = 8 * 256, C = 256, V = 4096;
        float[] acts = gaussian(rng, N * V * 3, 0.1);
        float[] params = gaussian(rng, V * C + 4 * C + 1, 0.02);
        float[] grads = new float[params.length];
        int[][] shapes = {{C, 3 * C}, {C, C}, {C, 4 * C}, {4 * C, C}, {C, V}};
        System.out.printf(Locale.ROOT, "%s kernels, %d thread(s): GFLOP/s of wall time, best of 15 (warm | caches evicted)%n",
                cx.kernels.name(), threads);
        for (int pass = 0; pass < 2; pass++) { // the first pass compiles
            for (int[] s : shapes) {
                int in = s[0], out = s[1];
                int bOff = out == V ? -1 : in * out;
                double flops = 2.0 * N * in * out;
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "matmul %4d->%4d", in, out));
                for (boolean cold : new boolean[] {false, true}) {
                    double f = wallMillis(() -> Matmul.forward(cx, acts, 0, acts, N * V, params, 0, bOff, N, in, out), 15, cold);
                    double di = wallMillis(() -> Matmul.backward(cx, acts, 2 * N * V, null, 0, bOff, acts, 0, acts, N * V,
                            params, 0, N, in, out), 15, cold);
                    double dw = wallMillis(() -> Matmul.backward(cx, null, 0, grads, 0, bOff, acts, 0, acts, N * V, params,
                            0, N, in, out), 15, cold);
                    line.append(String.format(Locale.ROOT, "  %s forward %5.1f  input gradient %5.1f  weight gradient %5.1f",
                            cold ? "| evicted:" : "warm:", flops / f / 1e6, flops / di / 1e6, flops / dw / 1e6));
                }
                if (pass == 1) {
                    System.out.println(line);
                }
            }
        }
        System.exit(0);
    }
}
