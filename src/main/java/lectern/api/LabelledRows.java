package lectern.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@link LabelledItems} over a table with the label columns every labelled table has ({@code owner_id}, {@code text},
 * {@code label}, {@code confidence}, {@code user_label}). The room that owns the table names it and says which rows
 * are live; the SQL is written once, here.
 */
public abstract class LabelledRows implements LabelledItems {

    private final String kind;
    private final String table;
    /** " and ..." that keeps only live rows, or "". */
    private final String live;

    protected LabelledRows(String kind, String table, String liveCondition) {
        this.kind = kind;
        this.table = table;
        this.live = liveCondition.isEmpty() ? "" : " and " + liveCondition;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public List<UserLabel> userLabels(Connection c, long ownerId, int limit) throws SQLException {
        List<UserLabel> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("select text, label from " + table
                + " where owner_id = ? and user_label and label is not null" + live + " order by id desc limit ?")) {
            q.setLong(1, ownerId);
            q.setInt(2, limit);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    if (r.getString(1) != null && !r.getString(1).isBlank()) {
                        out.add(new UserLabel(r.getString(1), r.getString(2)));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public List<Unlabelled> claimUnlabelled(Connection c, Collection<Long> owners, long afterId, int limit)
            throws SQLException {
        String ownerIn = owners == null ? ""
                : owners.stream().map(String::valueOf).collect(Collectors.joining(",", " and owner_id in (", ")"));
        List<Unlabelled> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("select id, owner_id, text from " + table
                + " where id > ? and label is null and not user_label" + live + ownerIn
                + " order by id limit ? for update skip locked")) {
            q.setLong(1, afterId);
            q.setInt(2, limit);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    rows.add(new Unlabelled(r.getLong(1), r.getLong(2), r.getString(3)));
                }
            }
        }
        return rows;
    }

    @Override
    public boolean setClassifierLabel(Connection c, long id, String label, double confidence) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("update " + table
                + " set label = ?, confidence = ? where id = ? and label is null and not user_label")) {
            u.setString(1, Labels.fromClassifier(label));
            u.setFloat(2, (float) confidence);
            u.setLong(3, id);
            return u.executeUpdate() == 1;
        }
    }

    @Override
    public int forgetClassifierLabels(Connection c, long ownerId) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("update " + table
                + " set label = null, confidence = null where owner_id = ? and not user_label and label is not null")) {
            u.setLong(1, ownerId);
            return u.executeUpdate();
        }
    }
}
