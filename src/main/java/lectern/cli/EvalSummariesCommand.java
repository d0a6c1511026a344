package lectern.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lectern.gpt.eval.DebianSummaries;
import lectern.gpt.eval.Rouge;
import lectern.gpt.onnx.OnnxNames;
import lectern.llm.GenerationSettings;
import lectern.llm.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "eval-summaries", mixinStandardHelpOptions = true,
        description = "The summarization benchmark: a served model directory (ONNX, as users get it; greedy decoding with "
                + "the KV cache) writes synopses for the test families of Debian's description -> synopsis pairs; "
                + "prints ROUGE-1/2/L F1 beside the lead baseline (the first sentence cut to the synopsis length).")
public final class EvalSummariesCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Served model directory (model.json, lm.onnx, tokenizer.json).")
    Path modelDir;

    @Option(names = "--pairs", required = true, description = "debian-pairs.jsonl from model/corpus.sh.")
    Path pairs;

    @Option(names = "--limit", defaultValue = "500", description = "Test pairs scored, a seeded sample (0: all; default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--max-tokens", defaultValue = "64",
            description = "Summary length limit; 64 as POST /api/llm/summarize, which also sets how much text fits (default ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--examples", defaultValue = "5", description = "Summaries printed for reading (default ${DEFAULT-VALUE}).")
    int examples;
    @Option(names = "--seed", defaultValue = "1337") long seed;
    @Option(names = "--record", description = "Also store the scores in the model directory's model.json (metrics.summarization).")
    boolean record;

    @Override
    public Integer call() throws Exception {
        List<DebianSummaries.Entry> test = DebianSummaries.sample(DebianSummaries.read(pairs), true, limit, seed);
        Rouge.Mean lead = new Rouge.Mean(), model = new Rouge.Mean();
        GenerationSettings greedy = new GenerationSettings(maxTokens, 0f, 1, 1f, seed);
        long tokens = 0, nanos = 0;
        try (ServedModel served = ServedModel.load(modelDir, ServedModel.DeviceChoice.AUTO, 0, 0)) {
            ProgressBar bar = ProgressBar.onStderr("eval-summaries", test.size());
            int i = 0;
            for (DebianSummaries.Entry e : test) {
                String leadText = DebianSummaries.lead(e.description(), e.synopsis());
                lead.add(Rouge.score(leadText, e.synopsis()));
                ServedModel.Generation g = served.summarize(e.description(), greedy);
                String summary = g.text().strip();
                model.add(Rouge.score(summary, e.synopsis()));
                tokens += g.tokens().length;
                nanos += g.nanos();
                if (i < examples) {
                    System.out.printf(Locale.ROOT, "%s%n  synopsis: %s%n  lead:     %s%n  model:    %s%n%n", e.packageName(),
                            e.synopsis(), leadText, summary);
                }
                bar.update(++i, String.format(Locale.ROOT, "ROUGE-L %.1f (lead %.1f)", 100 * model.mean().rougeL(),
                        100 * lead.mean().rougeL()));
            }
            bar.finish();
        }
        System.out.printf(Locale.ROOT, "%d test pairs from held-out source families (seed %d)%n%n", test.size(), seed);
        System.out.println("| method | ROUGE-1 | ROUGE-2 | ROUGE-L |");
        System.out.println("|---|---|---|---|");
        row("lead baseline (first sentence, synopsis length)", lead.mean());
        row("GPT " + modelDir.getFileName() + " (greedy)", model.mean());
        System.out.printf(Locale.ROOT, "%nROUGE-L ratio model/lead: %.2f; generation %.0f tokens/s%n",
                lead.mean().rougeL() == 0 ? 0 : model.mean().rougeL() / lead.mean().rougeL(), tokens / (nanos / 1e9));
        if (record) {
            ObjectMapper json = new ObjectMapper();
            Path file = modelDir.resolve(OnnxNames.MODEL_JSON);
            ObjectNode root = (ObjectNode) json.readTree(file.toFile());
            ObjectNode metrics = root.has("metrics") && root.get("metrics").isObject()
                    ? (ObjectNode) root.get("metrics") : root.putObject("metrics");
            ObjectNode s = metrics.putObject("summarization");
            s.put("benchmark", "Debian description -> synopsis, held-out source families");
            s.put("test_pairs", test.size());
            put(s.putObject("model"), model.mean());
            put(s.putObject("lead_baseline"), lead.mean());
            Files.writeString(file, root.toPrettyString() + "\n");
            System.err.println("recorded in " + file);
        }
        return 0;
    }

    private static void row(String name, Rouge.Scores s) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", name, 100 * s.rouge1(), 100 * s.rouge2(), 100 * s.rougeL());
    }

    private static void put(ObjectNode n, Rouge.Scores s) {
        n.put("rouge1", Math.round(s.rouge1() * 1e4) / 1e4);
        n.put("rouge2", Math.round(s.rouge2() * 1e4) / 1e4);
        n.put("rougeL", Math.round(s.rougeL() * 1e4) / 1e4);
    }
}
