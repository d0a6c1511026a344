package lectern.gpt.eval;

import java.io.IOException;
import java.util.List;

/**
 * The learning-log label data, shipped as resources under {@code /lectern/llm/}. What may be trained on and what never
 * is:
 * <ul>
 *   <li><b>pool</b> (trained on): the first hand-written set ({@code log-labels.jsonl}), the second, written with the
 *       variety of real logs ({@code log-labels-extra.jsonl}), and real lines of one public log
 *       ({@code log-labels-real-vishal.jsonl}, Vishal-V/100-Days-of-ML-Code, MIT). Per label every 5th item is the
 *       <b>per-label split</b>'s test item; the shipped classifier is then fit on the whole pool.</li>
 *   <li><b>held-out</b> ({@code log-labels-heldout.jsonl}): written separately from the pool, by another writer who
 *       never saw it, in other words. Never trained on.</li>
 *   <li><b>real logs</b> ({@code log-labels-real-harsh.jsonl}): real lines of another public log
 *       (Harsh188/100-Days-of-ML-Pt2, MIT), a source family the pool does not have. Never trained on.</li>
 *   <li><b>smoke</b> ({@code log-labels-smoke.jsonl}): the eight "[ML Grind]" items of the tracker issue, with the
 *       labels a reader gives them. Never trained on; an API test pins them.</li>
 * </ul>
 */
public record LogLabelSets(LabelledTexts pool, LabelledTexts train, LabelledTexts perLabelTest, LabelledTexts heldOut,
                           LabelledTexts realLogs, LabelledTexts smoke) {

    public static final String DIR = "/lectern/llm/";
    public static final List<String> POOL = List.of("log-labels.jsonl", "log-labels-extra.jsonl", "log-labels-real-vishal.jsonl");
    public static final String HELD_OUT = "log-labels-heldout.jsonl";
    public static final String REAL_LOGS = "log-labels-real-harsh.jsonl";
    public static final String SMOKE = "log-labels-smoke.jsonl";
    public static final int TEST_EVERY = 5;

    public static LogLabelSets load() throws IOException {
        LabelledTexts pool = null;
        for (String name : POOL) {
            LabelledTexts part = LabelledTexts.readResource(DIR + name);
            pool = pool == null ? part : pool.concat(part);
        }
        List<String> labels = pool.labelNames();
        LabelledTexts[] split = pool.split(TEST_EVERY);
        return new LogLabelSets(pool, split[0], split[1],
                LabelledTexts.readResource(DIR + HELD_OUT).withLabels(labels),
                LabelledTexts.readResource(DIR + REAL_LOGS).withLabels(labels),
                LabelledTexts.readResource(DIR + SMOKE).withLabels(labels));
    }

    public List<String> labels() {
        return pool.labelNames();
    }
}
