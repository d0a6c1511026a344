package lectern.cli;

import lectern.gpt.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = "Measures training speed (tokens/s, GFLOP/s) on random tokens after warm-up steps.")
public final class BenchTrainCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "mini", description = "micro or mini (default ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--batch", description = "Batch size (default: 16 for micro, 8 for mini).")
    Integer batch;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up steps (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--verbose", description = "Print every step's time.")
    boolean verbose;

    @Override
    public Integer call() {
        TrainBenchmark.Result result = TrainBenchmark.run(config, batch != null ? batch : TrainBenchmark.defaultBatch(config),
                warmup, steps, verbose ? System.err : null);
        System.out.println(result.report());
        return 0;
    }
}
