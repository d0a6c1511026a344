package lectern.gpt;

/**
 * Linear warmup then cosine decay (llm.c / nanoGPT): steps 0..warmup-1 rise as maxLr * (step+1) / warmup; from
 * warmup to totalSteps the rate follows minLr + (maxLr - minLr) * (1 + cos(pi * progress)) / 2; after totalSteps it
 * stays at minLr.
 */
public final class LearningRateSchedule {

    private final float maxLr, minLr;
    private final int warmupSteps, totalSteps;

    public LearningRateSchedule(float maxLr, float minLr, int warmupSteps, int totalSteps) {
        if (warmupSteps < 0 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException("need 0 <= warmupSteps <= totalSteps, got " + warmupSteps + ", " + totalSteps);
        }
        this.maxLr = maxLr;
        this.minLr = minLr;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    public float at(int step) {
        if (step < warmupSteps) {
            return maxLr * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps || totalSteps == warmupSteps) {
            return minLr;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return (float) (minLr + (maxLr - minLr) * 0.5 * (1.0 + Math.cos(Math.PI * progress)));
    }
}
