package lectern.gpt;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Training speed on random tokens: warm-up steps, then timed steps of forward + backward + clipping + AdamW.
 * Prints tokens/s, GFLOP/s and where the time goes.
 *
 * <p>FLOPs per step = 6 * P * B*T + 12 * L * C * T * B*T: P counts every parameter once (the tied head included), the
 * second term is attention's two T x T products (QK^T and PV) counted over the full square, forward and backward, as in
 * the PaLM paper. The reference figures below were computed with the same formula.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/classes lectern.gpt.TrainBenchmark --config mini</pre>
 */
public final class TrainBenchmark {

    /** PyTorch 1.13 CPU, two threads, GPT-mini batch 8: measured on this machine (issue 8). */
    public static final double PYTORCH_TOKENS_PER_SECOND = 3860;
    /** llm.c train_gpt2.c, same configuration (issue 8). */
    public static final double LLMC_TOKENS_PER_SECOND = 825;

    /** What a run measured. {@code shares} are fractions of the timed wall time. */
    public record Result(String configName, int batch, int context, int threads, String kernels, int steps,
                         double seconds, double tokensPerSecond, double gflops, double flopsPerStep,
                         Map<String, Double> shares, float lastLoss, double cpuSeconds, double loadAverage) {

        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "GPT-%s batch %d x context %d, %d threads, %s kernels, %d timed steps in %.2f s%n",
                    configName, batch, context, threads, kernels, steps, seconds));
            sb.append(String.format(Locale.ROOT, "  %.0f tokens/s, %.1f GFLOP/s (%.2f GFLOP per step; 6*P*BT + 12*L*C*T*BT)%n",
                    tokensPerSecond, gflops, flopsPerStep / 1e9));
            if ("mini".equals(configName) && batch == 8) {
                sb.append(String.format(Locale.ROOT, "  %.2fx PyTorch 1.13 CPU (%.0f tokens/s), %.2fx llm.c (%.0f tokens/s)%n",
                        tokensPerSecond / PYTORCH_TOKENS_PER_SECOND, PYTORCH_TOKENS_PER_SECOND,
                        tokensPerSecond / LLMC_TOKENS_PER_SECOND, LLMC_TOKENS_PER_SECOND));
            } else {
                sb.append("  (the PyTorch and llm.c reference figures are for GPT-mini at batch 8: no ratio here)\n");
            }
            sb.append(String.format(Locale.ROOT,
                    "  process CPU time %.2f s for %.2f s wall (%.2f cores busy), load average %.1f: %.0f tokens per CPU-second%n",
                    cpuSeconds, seconds, cpuSeconds / seconds, loadAverage, steps * (double) batch * context / cpuSeconds));
            sb.append("  time:");
            shares.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.1f%%", k, 100 * v)));
            sb.append(String.format(Locale.ROOT, "%n  last loss %.4f (random tokens: ~ln V)%n", lastLoss));
            sb.append("  (the 2 cores are shared with other work on this machine; numbers are noisy when it is busy)");
            return sb.toString();
        }
    }

    private TrainBenchmark() {
    }

    /** "micro" or "mini". */
    public static GptConfig namedConfig(String name) {
        return GptConfig.reference(name)
                .orElseThrow(() -> new IllegalArgumentException("--config must be micro or mini, was " + name));
    }

    /** The reference batch size: 16 for micro, 8 for mini. */
    public static int defaultBatch(String name) {
        return "micro".equals(name) ? 16 : 8;
    }

    public static double flopsPerStep(GptConfig c, int B, int T) {
        double tokens = (double) B * T;
        return 6.0 * c.parameterCount() * tokens + 12.0 * c.nLayer() * c.nEmbd() * T * tokens;
    }

    /** Runs the benchmark with the preferred kernels on the shared pool; progress goes to {@code log} (may be null). */
    public static Result run(String configName, int B, int warmupSteps, int timedSteps, PrintStream log) {
        GptConfig config = namedConfig(configName);
        int T = config.blockSize();
        GptModel model = new GptModel(config);
        model.initialize(1337);
        AdamW opt = new AdamW(model, 0.9f, 0.95f, 1e-8f, 0.1f);
        Random rng = new Random(1);
        int[] tokens = new int[B * T], targets = new int[B * T];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(config.vocabSize());
            targets[i] = rng.nextInt(config.vocabSize());
        }
        Compute cx = model.compute();
        float loss = 0;
        long optimizerNanos = 0;
        long start = 0;
        long cpuStart = 0;
        for (int s = 0; s < warmupSteps + timedSteps; s++) {
            if (s == warmupSteps) {
                cx.resetTimes();
                optimizerNanos = 0;
                start = System.nanoTime();
                cpuStart = processCpuNanos();
            }
            long t0 = System.nanoTime();
            model.zeroGradients();
            loss = model.forward(tokens, targets, B, T);
            model.backward();
            long t1 = System.nanoTime();
            opt.clipGradients(1.0f);
            opt.step(6e-4f);
            optimizerNanos += System.nanoTime() - t1;
            if (log != null) {
                log.printf(Locale.ROOT, "%s step %d: loss %.4f, %.0f ms%n", s < warmupSteps ? "warm-up" : "timed",
                        s, loss, (System.nanoTime() - t0) / 1e6);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double flops = flopsPerStep(config, B, T);
        Map<String, Double> shares = new java.util.LinkedHashMap<>();
        long accounted = optimizerNanos;
        for (Compute.Kind k : Compute.Kind.values()) {
            accounted += cx.nanos(k);
        }
        long total = (long) (seconds * 1e9);
        for (Compute.Kind k : Compute.Kind.values()) {
            long n = cx.nanos(k);
            if (k == Compute.Kind.OTHER) {
                n += Math.max(0, total - accounted); // zeroing gradients, untimed gaps
            }
            shares.put(k.name().toLowerCase(Locale.ROOT), n / (double) total);
        }
        shares.put("adamw", optimizerNanos / (double) total);
        return new Result(configName, B, T, cx.pool().size(), cx.kernels().name(), timedSteps, seconds,
                timedSteps * (double) B * T / seconds, timedSteps * flops / seconds / 1e9, flops, shares, loss, cpuSeconds, load);
    }

    /** CPU time of this JVM (all threads), or -1 where the platform does not say. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** {@code --config mini|micro} (default mini), {@code --batch N}, {@code --warmup N} (default 3), {@code --steps N} (default 10). */
    public static void main(String[] args) {
        String config = "mini";
        Integer batch = null;
        int warmup = 3, steps = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = args[++i];
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: TrainBenchmark [--config mini|micro] [--batch N] [--warmup N] [--steps N]");
                    System.exit(2);
                }
            }
        }
        Result r = run(config, batch == null ? defaultBatch(config) : batch, warmup, steps, System.out);
        System.out.println(r.report());
    }
}
