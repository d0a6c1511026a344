package lectern.cli;

import lectern.gpt.GptModel;
import lectern.gpt.eval.LabelledTexts;
import lectern.gpt.eval.LogLabelSets;
import lectern.gpt.onnx.ModelPackage;
import lectern.llm.ClassifierMemory;
import lectern.llm.ClassifierTraining;
import lectern.llm.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/** Issue 16's memory figure: what many users' retrained classifiers add to a replica's heap. */
@Command(name = "bench-classifiers", mixinStandardHelpOptions = true,
        description = "Trains one user's classifier on real labelled log lines (the label pool), then reads it back "
                + "--users times as that many users' first classifications would: prints the heap they take all held "
                + "at once and through the bounded cache the server uses (target: 1,000 users under 100 MB).")
public final class BenchClassifiersCommand implements Callable<Integer> {

    static final long TARGET_BYTES_FOR_1000 = 100L * 1024 * 1024;

    @Option(names = "--model", defaultValue = "model", description = "The served model directory (default ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--users", defaultValue = "1000", description = "Users with a classifier of their own (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "300",
            description = "Labelled items each user trained on, at most the pool's (default ${DEFAULT-VALUE}: a heavy user).")
    int items;

    @Option(names = "--cache-mb", defaultValue = "64", description = "The cache budget, as lectern.classifiers.cache-mb "
            + "(default ${DEFAULT-VALUE}).")
    long cacheMb;

    @Override
    public Integer call() throws Exception {
        List<ClassifierTraining.LabelledText> pool = new ArrayList<>();
        for (String name : LogLabelSets.POOL) {
            LabelledTexts t = LabelledTexts.readResource(LogLabelSets.DIR + name);
            for (int i = 0; i < t.texts().size(); i++) {
                pool.add(new ClassifierTraining.LabelledText(t.texts().get(i), t.labelNames().get(t.labels()[i])));
            }
        }
        Collections.shuffle(pool, new Random(7));
        List<ClassifierTraining.LabelledText> chosen = pool.subList(0, Math.min(items, pool.size()));
        GptModel gpt = ModelPackage.readGpt(model);
        try (ServedModel served = ServedModel.load(model, ServedModel.DeviceChoice.CPU, 0, 0)) {
            ClassifierMemory.Report r = ClassifierMemory.measure(served, gpt, chosen, users, cacheMb, System.out);
            double mb = 1024.0 * 1024;
            System.out.printf("one classifier on the heap: %,d bytes measured, %,d estimated (the cache's weight); "
                    + "read back from its row in %.2f ms%n", r.perClassifier(), r.estimated(), r.readMillis());
            System.out.printf("%,d users, all held at once:        %8.1f MB%n", r.users(), r.allHeld() / mb);
            System.out.printf("%,d users, through the cache (%d MB): %8.1f MB, %,d classifiers cached%n", r.users(),
                    r.cacheMegabytes(), r.throughCache() / mb, r.cachedUsers());
            double per1000 = r.throughCache() * 1000.0 / r.users();
            System.out.printf("target: 1,000 users under %.0f MB; through the cache: %.1f MB (%s)%n",
                    TARGET_BYTES_FOR_1000 / mb, per1000 / mb, per1000 < TARGET_BYTES_FOR_1000 ? "met" : "NOT met");
        }
        return 0;
    }
}
