package lectern.gpt.eval;

/** The baseline that always answers the most frequent training label (the lowest label on ties). */
public final class MajorityClass {

    private final int label;

    private MajorityClass(int label) {
        this.label = label;
    }

    public static MajorityClass fit(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int y : labels) {
            counts[y]++;
        }
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return new MajorityClass(best);
    }

    public int label() {
        return label;
    }

    public int[] predict(int count) {
        int[] out = new int[count];
        java.util.Arrays.fill(out, label);
        return out;
    }
}
