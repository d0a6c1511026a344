package lectern.gpt.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Texts with labels from JSONL, one {@code {"text": ..., "label": ...}} object a line (blank lines skipped), e.g. the
 * learning-log set shipped as the resource {@value #LOG_LABELS}.
 */
public record LabelledTexts(List<String> texts, List<String> labelNames, int[] labels) {

    /** The hand-written learning-log items (labels book, paper, course, project, writing, other). */
    public static final String LOG_LABELS = "/lectern/llm/log-labels.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static LabelledTexts read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    public static LabelledTexts readResource(String name) throws IOException {
        try (InputStream in = LabelledTexts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return read(in, name);
        }
    }

    /** Label names are sorted, so label ids do not depend on line order. */
    static LabelledTexts read(InputStream in, String where) throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            JsonNode text = node.get("text"), label = node.get("label");
            if (text == null || label == null || !text.isTextual() || !label.isTextual() || label.asText().isBlank()) {
                throw new IOException(where + ":" + n + ": need {\"text\": string, \"label\": string}");
            }
            texts.add(text.asText());
            names.add(label.asText());
        }
        List<String> labelNames = new ArrayList<>(new TreeSet<>(names));
        int[] labels = new int[names.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelNames.indexOf(names.get(i));
        }
        return new LabelledTexts(texts, labelNames, labels);
    }

    /** The same items with label ids in {@code names}' order (every label here must be among them). */
    public LabelledTexts withLabels(List<String> names) {
        int[] y = new int[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = names.indexOf(labelNames.get(labels[i]));
            if (y[i] < 0) {
                throw new IllegalArgumentException("label " + labelNames.get(labels[i]) + " is not among " + names);
            }
        }
        return new LabelledTexts(texts, List.copyOf(names), y);
    }

    /** These items followed by {@code other}'s, on the union of both label sets (sorted). */
    public LabelledTexts concat(LabelledTexts other) {
        List<String> names = new ArrayList<>(new TreeSet<>(labelNames));
        names.addAll(other.labelNames);
        names = new ArrayList<>(new TreeSet<>(names));
        LabelledTexts a = withLabels(names), b = other.withLabels(names);
        List<String> t = new ArrayList<>(texts);
        t.addAll(other.texts);
        int[] y = java.util.Arrays.copyOf(a.labels, a.labels.length + b.labels.length);
        System.arraycopy(b.labels, 0, y, a.labels.length, b.labels.length);
        return new LabelledTexts(t, names, y);
    }

    public int size() {
        return texts.size();
    }

    public LabelledTexts subset(List<Integer> indices) {
        List<String> t = new ArrayList<>();
        int[] y = new int[indices.size()];
        for (int i = 0; i < y.length; i++) {
            t.add(texts.get(indices.get(i)));
            y[i] = labels[indices.get(i)];
        }
        return new LabelledTexts(t, labelNames, y);
    }

    /** Stratified split: within each label, in file order, every {@code testEvery}-th item (starting with the first) is held out. */
    public LabelledTexts[] split(int testEvery) {
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            int k = seen.merge(labels[i], 1, Integer::sum) - 1;
            (k % testEvery == 0 ? test : train).add(i);
        }
        return new LabelledTexts[] {subset(train), subset(test)};
    }
}
