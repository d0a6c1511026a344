package lectern.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * Items that carry a label, a user's own or the classifier's: log items (lectern.logs) and notes (lectern.notes) each
 * offer theirs through this, and lectern.llm reads training items and writes the classifier's labels only through it,
 * never through another room's table. The label rule itself is {@link Labels}.
 */
public interface LabelledItems {

    /** One item waiting for the classifier. */
    record Unlabelled(long id, long ownerId, String text) {
    }

    /** One item the user labelled. */
    record UserLabel(String text, String label) {
    }

    /** What {@code label_event.item_kind} and {@link UserLabelled#itemKind()} call these items. */
    String kind();

    /** The user's own labels (live items only), newest first, at most {@code limit}. */
    List<UserLabel> userLabels(Connection c, long ownerId, int limit) throws SQLException;

    /**
     * Claims up to {@code limit} items that have no label at all, oldest first from id {@code afterId} on (exclusive),
     * with {@code FOR UPDATE SKIP LOCKED} in the caller's transaction, so that two labellers (two replicas) never take
     * the same item. {@code owners}: only theirs; null: anyone's.
     */
    List<Unlabelled> claimUnlabelled(Connection c, Collection<Long> owners, long afterId, int limit) throws SQLException;

    /**
     * Gives the item the classifier's label, unless someone labelled it meanwhile; true when it did. The item's version
     * is left alone, so a client's PATCH based on it is not refused.
     */
    boolean setClassifierLabel(Connection c, long id, String label, double confidence) throws SQLException;

    /** Clears the classifier's labels (not the user's) on the user's items; returns how many. */
    int forgetClassifierLabels(Connection c, long ownerId) throws SQLException;
}
