package lectern.cli;

import lectern.llm.GenerationSettings;
import lectern.llm.OnnxRuntimeLibraries;
import lectern.llm.ServedModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** The served model (ONNX Runtime) from the command line: generate, classify, summarize, bench-llm and bench-http. */
public final class LlmCommands {

    private LlmCommands() {
    }

    /** Adds this room's commands to the command line. */
    public static CommandLine register(CommandLine cli) {
        return cli.addSubcommand(new ExportOnnxCommand())
                .addSubcommand(new Generate())
                .addSubcommand(new Classify())
                .addSubcommand(new Summarize())
                .addSubcommand(new BenchLlmCommand())
                .addSubcommand(new BenchClassifiersCommand())
                .addSubcommand(new BenchHttpCommand());
    }

    static Path defaultModelDir() {
        String env = System.getenv("LECTERN_MODEL_DIR");
        return Path.of(env != null && !env.isBlank() ? env : "model");
    }

    abstract static class ModelCommand {
        @Option(names = "--model", description = "Model directory (default: LECTERN_MODEL_DIR or model/).")
        Path model;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda (default ${DEFAULT-VALUE}).")
        String device;

        ServedModel open() throws Exception {
            Path dir = model != null ? model : defaultModelDir();
            if (!ServedModel.present(dir)) {
                throw new CommandLine.ParameterException(new CommandLine(this), dir + " has no model.json; export one with export-onnx");
            }
            OnnxRuntimeLibraries.prepare(OnnxRuntimeLibraries.defaultCacheDir());
            ServedModel m = ServedModel.load(dir, ServedModel.DeviceChoice.valueOf(device.toUpperCase(java.util.Locale.ROOT)), 0, 0);
            if (m.info().deviceNote() != null) {
                System.err.println(m.info().deviceNote());
            }
            return m;
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Continues a prompt with the served model (KV cache); prints tokens/s on stderr.")
    static final class Generate extends ModelCommand implements Callable<Integer> {
        @Option(names = "--prompt", defaultValue = "", description = "Text to continue.")
        String prompt;
        @Option(names = "--max-tokens", defaultValue = "200")
        int maxTokens;
        @Option(names = "--temperature", defaultValue = "0.8", description = "0 is greedy (default ${DEFAULT-VALUE}).")
        float temperature;
        @Option(names = "--top-k", defaultValue = "40")
        int topK;
        @Option(names = "--top-p", defaultValue = "0.95")
        float topP;
        @Option(names = "--seed", defaultValue = "1337")
        long seed;

        @Override
        public Integer call() throws Exception {
            try (ServedModel m = open()) {
                PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
                out.print(prompt);
                ByteArrayOutputStream pending = new ByteArrayOutputStream();
                int eot = m.tokenizer().endOfTextId();
                ServedModel.Generation g = m.generate(prompt, new GenerationSettings(maxTokens, temperature, topK, topP, seed), id -> {
                    if (id == eot) {
                        return;
                    }
                    byte[] b = m.tokenBytes(id);
                    pending.write(b, 0, b.length);
                    byte[] bytes = pending.toByteArray();
                    int complete = SampleCommand.completeUtf8Prefix(bytes);
                    out.print(new String(bytes, 0, complete, StandardCharsets.UTF_8));
                    pending.reset();
                    pending.write(bytes, complete, bytes.length - complete);
                });
                out.println(pending.toString(StandardCharsets.UTF_8));
                System.err.printf("generate: %d tokens in %.3f s, %.1f tokens/s (%s, KV cache)%n", g.tokens().length,
                        g.nanos() / 1e9, g.tokensPerSecond(), m.info().device());
            }
            return 0;
        }
    }

    @Command(name = "classify", mixinStandardHelpOptions = true, description = "Classifies a text with the served model.")
    static final class Classify extends ModelCommand implements Callable<Integer> {
        @Option(names = "--text", required = true)
        String text;

        @Override
        public Integer call() throws Exception {
            try (ServedModel m = open()) {
                long start = System.nanoTime();
                ServedModel.Classification c = m.classify(text);
                System.out.println(c.label());
                for (Map.Entry<String, Double> e : c.scores().entrySet()) {
                    System.out.printf("  %-12s %.4f%n", e.getKey(), e.getValue());
                }
                System.err.printf("classify: %.1f ms (%s)%n", (System.nanoTime() - start) / 1e6, m.info().device());
            }
            return 0;
        }
    }

    @Command(name = "summarize", mixinStandardHelpOptions = true, description = "Summarizes a text with the served model.")
    static final class Summarize extends ModelCommand implements Callable<Integer> {
        @Option(names = "--text", required = true)
        String text;
        @Option(names = "--max-tokens", defaultValue = "64")
        int maxTokens;

        @Override
        public Integer call() throws Exception {
            try (ServedModel m = open()) {
                ServedModel.Generation g = m.summarize(text, new GenerationSettings(maxTokens, 0f, 0, 1f, 0));
                System.out.println(g.text().strip());
                System.err.printf("summarize: %d tokens in %.3f s, %.1f tokens/s%n", g.tokens().length, g.nanos() / 1e9,
                        g.tokensPerSecond());
            }
            return 0;
        }
    }
}
