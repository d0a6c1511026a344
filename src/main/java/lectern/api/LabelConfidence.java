package lectern.api;

/**
 * When a classifier's label is shown as a guess. The served classifier's probabilities are calibrated (temperature
 * scaling, model/README.md), so a confidence below one half means the label is more likely wrong than right: the API
 * says {@code unsure} and the UI shows it as a question, not as a fact. A user's own label is never unsure.
 */
public final class LabelConfidence {

    public static final double UNSURE_BELOW = 0.5;

    private LabelConfidence() {
    }

    public static boolean unsure(double confidence) {
        return confidence < UNSURE_BELOW;
    }

    /** For a stored label: only a classifier's label with a confidence below the threshold. */
    public static boolean unsure(String label, Number confidence, boolean userLabel) {
        return label != null && !userLabel && confidence != null && unsure(confidence.doubleValue());
    }
}
