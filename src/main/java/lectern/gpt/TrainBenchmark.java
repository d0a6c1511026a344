package lectern.gpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Training speed on random tokens: warm-up steps, then rounds of timed steps of forward + backward + clipping + AdamW.
 * Prints the median tokens/s over the rounds with their spread, GFLOP/s, the matrix products' own GFLOP/s and where
 * the time goes. With a {@link PyTorchReference} it runs PyTorch's same step in a second process, round for round
 * (only one side computes at a time), and prints the median of the per-round ratios.
 *
 * <p>FLOPs per step = 6 * P * B*T + 12 * L * C * T * B*T: P counts every parameter once (the tied head included), the
 * second term is attention's two T x T products (QK^T and PV) counted over the full square, forward and backward, as in
 * the PaLM paper.
 *
 * <p>Run by {@code lectern bench-train}.
 */
public final class TrainBenchmark {

    /** What a run measured. {@code shares} are fractions of the timed wall time over all rounds. */
    public record Result(String configName, int batch, int context, int threads, String kernels, int warmupSteps,
                         int stepsPerRound, double[] roundTokensPerSecond, double flopsPerStep,
                         double matmulFlopsPerStep, double matmulSeconds, double timedSeconds,
                         Map<String, Double> shares, float lastLoss, double cpuSeconds, double loadAverage,
                         PyTorchResult pytorch) {

        public double medianTokensPerSecond() {
            return median(roundTokensPerSecond);
        }

        /** The products' rate inside the step: their FLOPs over the wall time spent in them, all rounds together. */
        public double matmulGflops() {
            return matmulFlopsPerStep * stepsPerRound * roundTokensPerSecond.length / matmulSeconds / 1e9;
        }

        public String report() {
            StringBuilder sb = new StringBuilder();
            int rounds = roundTokensPerSecond.length;
            double med = medianTokensPerSecond();
            sb.append(String.format(Locale.ROOT, "GPT-%s batch %d x context %d, %d threads, %s kernels: %d warm-up steps, "
                    + "then %d rounds of %d steps%n", configName, batch, context, threads, kernels, warmupSteps, rounds, stepsPerRound));
            sb.append(String.format(Locale.ROOT, "  Lectern  median %,.0f tokens/s, %s; %.1f GFLOP/s (%.2f GFLOP a step; 6*P*BT + 12*L*C*T*BT)%n",
                    med, spread(roundTokensPerSecond), med * flopsPerStep / ((double) batch * context) / 1e9, flopsPerStep / 1e9));
            if (pytorch != null) {
                sb.append(String.format(Locale.ROOT, "  PyTorch  median %,.0f tokens/s, %s (torch %s, %d threads, BLAS from %s)%n",
                        median(pytorch.roundTokensPerSecond), spread(pytorch.roundTokensPerSecond), pytorch.version,
                        pytorch.threads, pytorch.blas));
                sb.append(String.format(Locale.ROOT, "  ratio    median %.2fx Lectern/PyTorch over %d interleaved rounds, %s%n",
                        median(pytorch.ratios), rounds, spread(pytorch.ratios)));
            }
            sb.append(String.format(Locale.ROOT, "  matmul   %.1f GFLOP/s inside the step (%.2f GFLOP a step, %.0f%% of the time)",
                    matmulGflops(), matmulFlopsPerStep / 1e9, 100 * matmulSeconds / timedSeconds));
            if (pytorch != null) {
                sb.append(String.format(Locale.ROOT, ": %.0f%% of BLAS sgemm on the step's own shapes (%.1f GFLOP/s), "
                                + "%.0f%% of its 1024^3 peak (%.1f GFLOP/s)%n",
                        100 * matmulGflops() / pytorch.sgemmSameShapes, pytorch.sgemmSameShapes,
                        100 * matmulGflops() / pytorch.sgemm1024, pytorch.sgemm1024));
            } else {
                sb.append(String.format("%n"));
            }
            sb.append(String.format(Locale.ROOT,
                    "  process CPU time %.2f s for %.2f s wall (%.2f cores busy), load average %.1f: %,.0f tokens per CPU-second%n",
                    cpuSeconds, timedSeconds, cpuSeconds / timedSeconds, loadAverage,
                    stepsPerRound * rounds * (double) batch * context / cpuSeconds));
            sb.append("  time:");
            shares.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.1f%%", k, 100 * v)));
            sb.append(String.format(Locale.ROOT, "%n  last loss %.4f (random tokens: ~ln V)%n", lastLoss));
            String pages = hugePages();
            if (pages != null) {
                sb.append("  ").append(pages).append(String.format("%n"));
            }
            sb.append("  (rounds vary with whatever else this machine runs: compare medians of idle runs)");
            return sb.toString();
        }
    }

    /**
     * Whether this JVM's heap lies on transparent huge pages, in one line, or null off Linux. Training reads its
     * activations at strides of 1 to 16 KiB (packing dout^T for the weight gradients above all), and on 4 KiB pages
     * nearly every such read needs another TLB entry: {@code java -XX:+UseTransparentHugePages} ran this benchmark
     * about 5% faster on the 2-core test machine, whose kernel offers huge pages to programs that ask (THP "madvise").
     */
    static String hugePages() {
        String kernel = kernelHugePageMode();
        if (kernel == null) {
            return null;
        }
        boolean asked;
        try {
            asked = Boolean.parseBoolean(java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseTransparentHugePages").getValue());
        } catch (RuntimeException | LinkageError e) {
            asked = false; // not HotSpot: nothing to ask for
        }
        if (kernel.equals("always") || (asked && kernel.equals("madvise"))) {
            return "huge pages: on (kernel THP " + kernel + (asked ? ", -XX:+UseTransparentHugePages" : "") + ")";
        }
        if (kernel.equals("madvise")) {
            return "huge pages: off; the kernel gives them to programs that ask (THP madvise): java "
                    + "-XX:+UseTransparentHugePages ran this benchmark about 5% faster on a 2-core test machine";
        }
        return "huge pages: off (kernel THP " + kernel + ")";
    }

    /** The bracketed word of /sys/kernel/mm/transparent_hugepage/enabled ("always", "madvise", "never"), or null. */
    private static String kernelHugePageMode() {
        try {
            String line = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            int open = line.indexOf('['), close = line.indexOf(']');
            return open >= 0 && close > open ? line.substring(open + 1, close) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The PyTorch side of an interleaved run. */
    public record PyTorchResult(String version, int threads, String blas, double[] roundTokensPerSecond, double[] ratios,
                                double sgemmSameShapes, double sgemm1024) {
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

    /** FLOPs of the linear layers and the head, forward (2*N*in*out) and backward (4*N*in*out): what {@link Matmul} does. */
    public static double matmulFlopsPerStep(GptConfig c, int B, int T) {
        double n = (double) B * T;
        double C = c.nEmbd();
        double perLayer = C * 3 * C + C * C + C * 4 * C + 4 * C * C;
        return 6.0 * n * (c.nLayer() * perLayer + C * c.vocabSize());
    }

    /** The median of the values (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** "range a-b (-x% +y% of the median)". */
    static String spread(double[] values) {
        double med = median(values);
        double lo = Arrays.stream(values).min().orElse(med), hi = Arrays.stream(values).max().orElse(med);
        boolean ratio = med < 20;
        return String.format(Locale.ROOT, ratio ? "range %.2f-%.2f (%+.0f%% %+.0f%%)" : "range %,.0f-%,.0f (%+.0f%% %+.0f%%)",
                lo, hi, 100 * (lo / med - 1), 100 * (hi / med - 1));
    }

    /** One model, optimizer and random batch, stepped on demand. */
    private static final class Steps {
        final GptModel model;
        final AdamW opt;
        final int[] tokens, targets;
        final int B, T;
        float loss;
        long optimizerNanos;

        Steps(GptConfig config, int B) {
            this.B = B;
            this.T = config.blockSize();
            model = new GptModel(config);
            model.initialize(1337);
            opt = new AdamW(model, 0.9f, 0.95f, 1e-8f, 0.1f);
            Random rng = new Random(1);
            tokens = new int[B * T];
            targets = new int[B * T];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = rng.nextInt(config.vocabSize());
                targets[i] = rng.nextInt(config.vocabSize());
            }
        }

        void run(int n, String what, PrintStream log) {
            for (int s = 0; s < n; s++) {
                long t0 = System.nanoTime();
                model.zeroGradients();
                loss = model.forward(tokens, targets, B, T);
                model.backward();
                long t1 = System.nanoTime();
                opt.clipAndStep(1.0f, 6e-4f);
                optimizerNanos += System.nanoTime() - t1;
                if (log != null) {
                    log.printf(Locale.ROOT, "%s step %d: loss %.4f, %.0f ms%n", what, s, loss, (System.nanoTime() - t0) / 1e6);
                }
            }
        }
    }

    /** Runs the benchmark with the preferred kernels on the shared pool; progress goes to {@code log} (may be null). */
    public static Result run(String configName, int B, int warmupSteps, int rounds, int stepsPerRound, PyTorchReference pytorch,
                             PrintStream log) throws IOException {
        if (rounds < 1 || stepsPerRound < 1 || warmupSteps < 0) {
            throw new IllegalArgumentException("need at least one round of at least one step, and no negative warm-up");
        }
        GptConfig config = namedConfig(configName);
        int T = config.blockSize();
        Steps steps = new Steps(config, B);
        Compute cx = steps.model.compute();
        steps.run(warmupSteps, "warm-up", log);
        if (pytorch != null) {
            // twice as many: PyTorch's first steps after start-up run several times slower than its later ones
            pytorch.round(Math.max(2, 2 * warmupSteps));
            // one untimed round each, as the timed ones run: PyTorch's first round after Lectern's ran at about 55%
            // of its speed every time (the JVM still compiling on the same two cores), which inflated the first ratio
            steps.run(stepsPerRound, "settling", log);
            pytorch.round(stepsPerRound);
        }
        cx.resetTimes();
        steps.optimizerNanos = 0;
        double[] ours = new double[rounds];
        double[] theirs = new double[rounds];
        double[] ratios = new double[rounds];
        double timed = 0;
        long cpuStart = processCpuNanos();
        for (int r = 0; r < rounds; r++) {
            // alternate who goes first, so that neither side always follows the other's cache and frequency state
            if (pytorch != null && r % 2 == 1) {
                theirs[r] = pytorch.round(stepsPerRound);
            }
            long t0 = System.nanoTime();
            steps.run(stepsPerRound, "round " + r, log);
            double seconds = (System.nanoTime() - t0) / 1e9;
            timed += seconds;
            ours[r] = stepsPerRound * (double) B * T / seconds;
            if (pytorch != null && r % 2 == 0) {
                theirs[r] = pytorch.round(stepsPerRound);
            }
            ratios[r] = ours[r] / theirs[r];
            if (log != null) {
                log.printf(Locale.ROOT, "round %d: Lectern %.0f tokens/s%s%n", r, ours[r],
                        pytorch == null ? "" : String.format(Locale.ROOT, ", PyTorch %.0f tokens/s, ratio %.2f", theirs[r], ratios[r]));
            }
        }
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Map<String, Double> shares = new LinkedHashMap<>();
        long total = (long) (timed * 1e9);
        long accounted = steps.optimizerNanos;
        for (Compute.Kind k : Compute.Kind.values()) {
            accounted += cx.nanos(k);
        }
        for (Compute.Kind k : Compute.Kind.values()) {
            long n = cx.nanos(k);
            if (k == Compute.Kind.OTHER) {
                n += Math.max(0, total - accounted); // zeroing gradients, untimed gaps
            }
            shares.put(k.name().toLowerCase(Locale.ROOT), n / (double) total);
        }
        shares.put("adamw", steps.optimizerNanos / (double) total);
        PyTorchResult torch = null;
        if (pytorch != null) {
            double[] sgemm = pytorch.sgemm();
            torch = new PyTorchResult(pytorch.version, pytorch.threads, pytorch.blas, theirs, ratios, sgemm[0], sgemm[1]);
        }
        return new Result(configName, B, T, cx.pool().size(), cx.kernels().name(), warmupSteps, stepsPerRound, ours,
                flopsPerStep(config, B, T), matmulFlopsPerStep(config, B, T), cx.nanos(Compute.Kind.MATMUL) / 1e9, timed,
                shares, steps.loss, cpuSeconds, load, torch);
    }

    /**
     * PyTorch's same training step in a child process ({@code model/bench_pytorch.py}), driven one round at a time
     * over its stdin. Uses OpenMP OpenBLAS when Debian's is installed.
     */
    public static final class PyTorchReference implements AutoCloseable {

        private static final ObjectMapper JSON = new ObjectMapper();
        /** Debian's OpenMP build of OpenBLAS, which PyTorch 1.13 from Debian picks up through libblas.so.3. */
        static final Path OPENMP_OPENBLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp");

        private final Process process;
        private final BufferedReader out;
        private final Writer in;
        final String version;
        final int threads;
        final String blas;

        /**
         * Starts the script and waits for it to be ready.
         *
         * @throws IOException with what to do when python3, torch or the script is missing
         */
        public PyTorchReference(Path python, Path script, String config, int batch, int threads) throws IOException {
            if (!Files.isExecutable(python)) {
                throw new IOException(python + " not found: --vs-pytorch needs Debian's python3 with torch "
                        + "(apt-get install python3-torch)");
            }
            if (!Files.isRegularFile(script)) {
                throw new IOException(script + " not found: run from the repository root, or pass --pytorch-script");
            }
            ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString(), "--config", config,
                    "--batch", Integer.toString(batch), "--threads", Integer.toString(threads));
            if (Files.isDirectory(OPENMP_OPENBLAS) && !pb.environment().containsKey("LD_LIBRARY_PATH")) {
                pb.environment().put("LD_LIBRARY_PATH", OPENMP_OPENBLAS.toString());
            }
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            process = pb.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            JsonNode ready = read("start");
            version = ready.path("torch").asText();
            this.threads = ready.path("threads").asInt();
            blas = ready.path("blas").asText();
        }

        private JsonNode read(String what) throws IOException {
            String line = out.readLine();
            if (line == null) {
                int code;
                try {
                    code = process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    code = -1;
                }
                throw new IOException("the PyTorch side exited (code " + code + ") at " + what
                        + "; its error is above (no torch? apt-get install python3-torch)");
            }
            return JSON.readTree(line);
        }

        private JsonNode command(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
            return read(command);
        }

        /** Runs n steps and returns their tokens/s. */
        double round(int n) throws IOException {
            return command("round " + n).path("tokens_per_second").asDouble();
        }

        /** {sgemm GFLOP/s over the step's own product shapes (total FLOPs over total time), at 1024^3}. */
        double[] sgemm() throws IOException {
            JsonNode r = command("sgemm");
            double flops = 0, seconds = 0;
            for (JsonNode s : r.path("shapes")) {
                double f = 2.0 * s.path("m").asDouble() * s.path("k").asDouble() * s.path("n").asDouble();
                flops += f;
                seconds += f / (s.path("gflops").asDouble() * 1e9);
            }
            return new double[]{flops / seconds / 1e9, r.path("square1024").asDouble()};
        }

        @Override
        public void close() {
            try {
                in.write("quit\n");
                in.flush();
            } catch (IOException ignored) {
                // already gone
            }
            process.destroy();
        }
    }

    /** CPU time of this JVM (all threads), or -1 where the platform does not say. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
