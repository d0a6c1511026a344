package lectern.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lectern.gpt.eval.DebianSummaries;
import lectern.gpt.eval.Rouge;
import lectern.gpt.summary.CentroidSelection;
import lectern.gpt.summary.NovelWords;
import lectern.gpt.onnx.OnnxNames;
import lectern.llm.GenerationSettings;
import lectern.llm.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--pairs2", description = "A second test set in the same JSONL shape (its test split), e.g. "
            + "model/data/corpus/docs-sections.jsonl: held-out documentation sections' introductions -> their titles.")
    Path pairs2;

    @Option(names = "--split", defaultValue = "test", description = "test (the benchmark) or train: training-family "
            + "pairs, for choosing the served settings without looking at the test families (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--candidates", description = "Candidates of the reranked row (default: the served value).")
    Integer candidates;

    @Option(names = "--centrality", description = "Centrality weight of the reranked row (default: the served value).")
    Double centrality;

    /** A summarizer under test: a name and the summary it writes for an entry. */
    private interface Method {
        String summarize(DebianSummaries.Entry e) throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        if (record && split.equals("train")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--record only records the test split");
        }
        com.fasterxml.jackson.databind.node.ObjectNode recorded = new ObjectMapper().createObjectNode();
        GenerationSettings greedy = new GenerationSettings(maxTokens, 0f, 1, 1f, seed);
        try (ServedModel served = ServedModel.load(modelDir, ServedModel.DeviceChoice.AUTO, 0, 0)) {
            Map<String, Method> methods = new LinkedHashMap<>();
            methods.put("lead baseline (first sentence, cut to the reference's length)",
                    e -> DebianSummaries.lead(e.description(), e.synopsis()));
            methods.put("centroid baseline (most central sentence, cut to the reference's length)",
                    e -> CentroidSelection.centralSentence(e.description(), e.synopsis().trim().split("\\s+").length));
            methods.put("GPT, free decoding (greedy, no repeated trigram)",
                    e -> served.summarize(e.description(), greedy, false).text().strip());
            methods.put("GPT, copy-aware decoding, greedy",
                    e -> served.summarize(e.description(), greedy, true).text().strip());
            ServedModel.Summarizer reranked = new ServedModel.Summarizer(true,
                    candidates != null ? candidates : ServedModel.Summarizer.SERVED.candidates(),
                    centrality != null ? centrality : ServedModel.Summarizer.SERVED.centralityWeight());
            methods.put(String.format(Locale.ROOT, "GPT, copy-aware decoding, best of %d by log-probability + %s x centrality%s",
                    reranked.candidates(), reranked.centralityWeight(),
                    reranked.equals(ServedModel.Summarizer.SERVED) ? " (**served**)" : ""),
                    e -> served.summarize(e.description(), greedy, reranked).text().strip());
            boolean test = !split.equals("train");
            List<DebianSummaries.Entry> debian = DebianSummaries.sample(DebianSummaries.read(pairs), test, limit, seed);
            recorded.set("debian", run("Debian description -> synopsis, " + (test ? "held-out" : "TRAINING") + " source families",
                    debian, methods));
            if (pairs2 != null) {
                List<DebianSummaries.Entry> second = DebianSummaries.sample(DebianSummaries.read(pairs2), test, limit, seed);
                recorded.set("second", run(pairs2.getFileName() + ", " + (test ? "held-out" : "TRAINING") + " families", second, methods));
            }
        }
        if (record) {
            ObjectNode s = (ObjectNode) recorded.get("debian").deepCopy();
            s.put("benchmark", "Debian description -> synopsis, held-out source families");
            if (recorded.has("second")) {
                s.set("second_set", recorded.get("second"));
            }
            ModelJsonMetrics.set(modelDir, "summarization", s);
            System.err.println("recorded in " + modelDir.resolve(OnnxNames.MODEL_JSON));
        }
        return 0;
    }

    /** Scores every method on one test set; prints the table and examples; returns the scores as JSON. */
    private ObjectNode run(String name, List<DebianSummaries.Entry> test, Map<String, Method> methods) throws Exception {
        Map<String, Rouge.Mean> rouge = new LinkedHashMap<>();
        Map<String, NovelWords.Rate> novel = new LinkedHashMap<>();
        methods.keySet().forEach(m -> {
            rouge.put(m, new Rouge.Mean());
            novel.put(m, new NovelWords.Rate());
        });
        ProgressBar bar = ProgressBar.onStderr("eval-summaries", test.size());
        int i = 0;
        List<String> shown = new ArrayList<>();
        for (DebianSummaries.Entry e : test) {
            StringBuilder example = new StringBuilder(String.format(Locale.ROOT, "%s%n  reference: %s%n", e.packageName(), e.synopsis()));
            for (Map.Entry<String, Method> m : methods.entrySet()) {
                String summary = m.getValue().summarize(e);
                rouge.get(m.getKey()).add(Rouge.score(summary, e.synopsis()));
                novel.get(m.getKey()).add(NovelWords.count(summary, e.description()));
                example.append(String.format(Locale.ROOT, "  %-9s %s%n", m.getKey().split("[ ,(]")[0]
                        + (m.getKey().contains("best of") ? "+rank" : m.getKey().contains("copy") ? "+copy"
                        : m.getKey().contains("free") ? "+free" : ""), summary));
            }
            if (i < examples) {
                shown.add(example.toString());
            }
            bar.update(++i, "");
        }
        bar.finish();
        System.out.printf(Locale.ROOT, "%n%s: %d test pairs (seed %d)%n%n", name, test.size(), seed);
        System.out.println("| method | ROUGE-1 | ROUGE-2 | ROUGE-L | novel content words |");
        System.out.println("|---|---|---|---|---|");
        ObjectNode out = new ObjectMapper().createObjectNode();
        out.put("test_pairs", test.size());
        for (String m : methods.keySet()) {
            Rouge.Scores sc = rouge.get(m).mean();
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f%% |%n", m, 100 * sc.rouge1(), 100 * sc.rouge2(),
                    100 * sc.rougeL(), 100 * novel.get(m).rate());
            String key = m.startsWith("lead") ? "lead_baseline" : m.startsWith("centroid") ? "centroid_baseline"
                    : m.contains("best of") ? "model" : m.contains("copy") ? "model_copy_greedy" : "model_free_decoding";
            ObjectNode n = out.putObject(key);
            put(n, sc);
            n.put("novel_content_words", Math.round(novel.get(m).rate() * 1e4) / 1e4);
        }
        System.out.println();
        shown.forEach(System.out::println);
        return out;
    }

    private static void put(ObjectNode n, Rouge.Scores s) {
        n.put("rouge1", Math.round(s.rouge1() * 1e4) / 1e4);
        n.put("rouge2", Math.round(s.rouge2() * 1e4) / 1e4);
        n.put("rougeL", Math.round(s.rougeL() * 1e4) / 1e4);
    }
}
