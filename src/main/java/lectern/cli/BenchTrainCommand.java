package lectern.cli;

import lectern.gpt.TrainBenchmark;
import lectern.gpt.WorkerPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = {"Measures training speed (tokens/s, GFLOP/s) on random tokens: warm-up steps, then rounds of "
                + "timed steps; prints the median over the rounds and their spread.",
                "With --vs-pytorch, PyTorch runs the same step in a second process, round for round with Lectern "
                        + "(never both at once), and the median of the per-round ratios is printed, with BLAS sgemm's "
                        + "GFLOP/s beside the matrix products' own."})
public final class BenchTrainCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "mini", description = "micro or mini (default ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--batch", description = "Batch size (default: 16 for micro, 8 for mini).")
    Integer batch;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up steps (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "6", description = "Timed rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--steps", defaultValue = "5", description = "Steps per round (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--vs-pytorch", description = "Also run PyTorch's same step, interleaved, and print the ratio "
            + "(needs /usr/bin/python3 with torch: apt-get install python3-torch).")
    boolean vsPytorch;

    @Option(names = "--pytorch-script", defaultValue = "model/bench_pytorch.py",
            description = "The PyTorch side (default ${DEFAULT-VALUE}, from the repository root).")
    Path pytorchScript;

    @Option(names = "--verbose", description = "Print every step's time and every round's figures.")
    boolean verbose;

    @Override
    public Integer call() {
        int b = batch != null ? batch : TrainBenchmark.defaultBatch(config);
        if (rounds < 1 || steps < 1 || warmup < 0) {
            System.err.println("--rounds and --steps must be at least 1 and --warmup at least 0");
            return 2;
        }
        TrainBenchmark.PyTorchReference pytorch = null;
        try {
            if (vsPytorch) {
                pytorch = new TrainBenchmark.PyTorchReference(Path.of("/usr/bin/python3"), pytorchScript, config, b,
                        WorkerPool.shared().size());
            }
            TrainBenchmark.Result result = TrainBenchmark.run(config, b, warmup, rounds, steps, pytorch,
                    verbose ? System.err : null);
            System.out.println(result.report());
            return 0;
        } catch (IOException e) {
            System.err.println("bench-train: " + e.getMessage());
            return 2;
        } finally {
            if (pytorch != null) {
                pytorch.close();
            }
        }
    }
}
