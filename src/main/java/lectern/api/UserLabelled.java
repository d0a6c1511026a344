package lectern.api;

/**
 * Fired (synchronously, inside the transaction that stores it) when a user sets their own label on a log item or a
 * note, with the label it had before. lectern.llm observes it to watch the classifier: a user label over the
 * classifier's is a review of the classifier (agreement or correction).
 */
public record UserLabelled(long ownerId, String itemKind, long itemId, String previousLabel, Double previousConfidence,
                           boolean previousWasUsers, String newLabel) {

    public static final String LOG_ITEM = "log_item";
    public static final String NOTE = "note";

    /** The user reviewed a label the classifier gave (and did not just clear it). */
    public boolean reviewsClassifier() {
        return previousLabel != null && !previousWasUsers && newLabel != null;
    }
}
