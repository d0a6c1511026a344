package lectern.gpt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pretraining text files as {@code model/corpus.sh} writes them: UTF-8, documents separated by a line
 * holding only {@code <|endoftext|>}. Tokenized, each document is followed by the end-of-text token, as
 * GPT-2 does, so the model learns where a text stops.
 */
public final class CorpusText {

    public static final String SEPARATOR_LINE = "\n" + BpeTokenizer.END_OF_TEXT + "\n";

    private CorpusText() {
    }

    /** The documents of one corpus file, without separators; a file with no separator is one document. */
    public static List<String> documents(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> docs = new ArrayList<>();
        int start = 0;
        while (true) {
            int at = text.indexOf(SEPARATOR_LINE, start);
            String doc = at < 0 ? text.substring(start) : text.substring(start, at);
            if (at < 0 && doc.endsWith("\n")) {
                doc = doc.substring(0, doc.length() - 1); // the file's final newline
            }
            if (!doc.isEmpty()) {
                docs.add(doc);
            }
            if (at < 0) {
                return docs;
            }
            start = at + SEPARATOR_LINE.length();
        }
    }

    /** Token counts of a tokenization into training and validation files. */
    public record Split(long documents, long trainTokens, long validationTokens) {
    }

    /**
     * Encodes documents (each followed by end-of-text) into {@code train.bin} and {@code val.bin} in
     * {@code outDir}; each document goes to validation with probability {@code validationFraction},
     * drawn from {@code seed}, so the split is reproducible and mixes every source.
     */
    public static Split tokenize(BpeTokenizer tokenizer, List<Path> inputs, Path outDir, double validationFraction,
                                 long seed) throws IOException {
        int eot = tokenizer.endOfTextId();
        if (eot < 0) {
            throw new IllegalArgumentException("the tokenizer has no " + BpeTokenizer.END_OF_TEXT + " token");
        }
        if (tokenizer.vocabSize() > 65536) {
            throw new IllegalArgumentException("vocab size " + tokenizer.vocabSize() + " does not fit uint16 token files");
        }
        SplittableRandom random = new SplittableRandom(seed);
        IntBuffer train = new IntBuffer();
        IntBuffer validation = new IntBuffer();
        long documents = 0;
        for (Path input : inputs) {
            for (String doc : documents(input)) {
                IntBuffer target = random.nextDouble() < validationFraction ? validation : train;
                target.addAll(tokenizer.encode(doc));
                target.add(eot);
                documents++;
            }
        }
        TokenFile.write(outDir.resolve("train.bin"), train.data, 0, train.size);
        TokenFile.write(outDir.resolve("val.bin"), validation.data, 0, validation.size);
        return new Split(documents, train.size, validation.size);
    }

    private static final class IntBuffer {
        int[] data = new int[1 << 16];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        void addAll(int[] values) {
            if (size + values.length > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(size + values.length, data.length * 2));
            }
            System.arraycopy(values, 0, data, size, values.length);
            size += values.length;
        }
    }
}
