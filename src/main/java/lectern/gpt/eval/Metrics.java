package lectern.gpt.eval;

/** Accuracy and macro-averaged F1 of predicted labels (0..K-1) against true ones. */
public record Metrics(double accuracy, double macroF1, int count) {

    /**
     * Macro-F1 averages the per-class F1 over every class that occurs in the truth or in the predictions (as
     * scikit-learn's f1_score(average="macro") over the labels present); a class with no true and no predicted
     * examples does not count.
     */
    public static Metrics of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length || truth.length == 0) {
            throw new IllegalArgumentException("need equally many (>0) true and predicted labels");
        }
        int[] tp = new int[classes], fp = new int[classes], fn = new int[classes];
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == predicted[i]) {
                correct++;
                tp[truth[i]]++;
            } else {
                fp[predicted[i]]++;
                fn[truth[i]]++;
            }
        }
        double f1Sum = 0;
        int present = 0;
        for (int k = 0; k < classes; k++) {
            if (tp[k] + fp[k] + fn[k] == 0) {
                continue;
            }
            present++;
            f1Sum += 2.0 * tp[k] / (2.0 * tp[k] + fp[k] + fn[k]);
        }
        return new Metrics((double) correct / truth.length, f1Sum / present, truth.length);
    }
}
