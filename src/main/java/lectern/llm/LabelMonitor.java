package lectern.llm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import lectern.api.UserLabelled;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Watches the classifier in use, from one user's point of view (the table label_event): what the background labeller
 * predicted, and what the user made of it when they set their own label on an item the classifier had labelled. From
 * the last {@value #WINDOW_DAYS} days it reports
 * <ul>
 *   <li>corrections (the user's label differs from the classifier's) and the agreement rate of the reviewed ones;</li>
 *   <li>the mix of predicted labels against the mix the classifier was trained on, and the population stability index
 *       between them: PSI = sum (served - trained) ln(served / trained), under 0.1 no drift, 0.1-0.25 moderate, above
 *       0.25 significant (the usual reading in credit-risk and ML monitoring).</li>
 * </ul>
 * Agreement is over the items the user reviewed, and people mostly review labels they disagree with: it is a floor
 * on the classifier's accuracy, not an estimate of it. The model card's benchmark is the estimate.
 */
@ApplicationScoped
public class LabelMonitor {

    static final int WINDOW_DAYS = 30;
    /** Fewer predictions than this in the window: too few to call the mix drifting. */
    static final int MIN_PREDICTIONS_FOR_DRIFT = 20;
    static final double PSI_MODERATE = 0.1, PSI_SIGNIFICANT = 0.25;
    private static final double SMOOTHING = 1e-3;

    @Inject
    EntityManager entityManager;

    @Inject
    DataSource dataSource;

    /**
     * What GET /api/model and the model page show. Rates are null when there is nothing to divide by; {@code drift}
     * is none, moderate, significant, or null with fewer than {@value #MIN_PREDICTIONS_FOR_DRIFT} predictions.
     */
    public record Figures(int windowDays, long predicted, long reviewed, long agreed, long corrections,
                          long correctionsAllTime, Double agreementRate, Map<String, Double> predictedMix,
                          Map<String, Double> trainingMix, Double psi, String drift) {
    }

    /** A user label over the classifier's, in the transaction that stores it. */
    void onUserLabelled(@Observes UserLabelled event) {
        if (!event.reviewsClassifier()) {
            return;
        }
        entityManager.createNativeQuery("insert into label_event (owner_id, item_kind, item_id, kind, model_label, "
                        + "confidence, user_label) values (?1, ?2, ?3, 'reviewed', ?4, ?5, ?6)")
                .setParameter(1, event.ownerId()).setParameter(2, event.itemKind()).setParameter(3, event.itemId())
                .setParameter(4, event.previousLabel()).setParameter(5, event.previousConfidence())
                .setParameter(6, event.newLabel()).executeUpdate();
    }

    /** The background labeller gave an item a label (on the labeller's own connection, right after storing it). */
    static void recordPrediction(Connection c, long ownerId, String itemKind, long itemId, String label, double confidence)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("insert into label_event (owner_id, item_kind, item_id, kind, "
                + "model_label, confidence) values (?, ?, ?, 'predicted', ?, ?)")) {
            q.setLong(1, ownerId);
            q.setString(2, itemKind);
            q.setLong(3, itemId);
            q.setString(4, label);
            q.setDouble(5, Math.max(0, Math.min(1, confidence)));
            q.executeUpdate();
        }
    }

    /** The figures of one user; {@code trainingCounts}: items per label the serving classifier was trained on. */
    public Figures of(long ownerId, Map<String, Integer> trainingCounts) {
        Map<String, Long> predictedCounts = new TreeMap<>();
        long reviewed = 0, agreed = 0, allTimeCorrections = 0;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement q = c.prepareStatement("select model_label, count(*) from label_event where owner_id = ? "
                    + "and kind = 'predicted' and at > now() - make_interval(days => ?) group by model_label")) {
                q.setLong(1, ownerId);
                q.setInt(2, WINDOW_DAYS);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        predictedCounts.put(r.getString(1), r.getLong(2));
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement("select count(*) filter (where at > now() - make_interval(days => ?)),"
                    + " count(*) filter (where at > now() - make_interval(days => ?) and model_label = user_label),"
                    + " count(*) filter (where model_label <> user_label)"
                    + " from label_event where owner_id = ? and kind = 'reviewed'")) {
                q.setInt(1, WINDOW_DAYS);
                q.setInt(2, WINDOW_DAYS);
                q.setLong(3, ownerId);
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    reviewed = r.getLong(1);
                    agreed = r.getLong(2);
                    allTimeCorrections = r.getLong(3);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the label events: " + e.getMessage(), e);
        }
        long predicted = predictedCounts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> predictedMix = shares(predictedCounts);
        Map<String, Long> training = new TreeMap<>();
        trainingCounts.forEach((k, v) -> training.put(k, v.longValue()));
        Map<String, Double> trainingMix = shares(training);
        Double psi = null;
        String drift = null;
        if (predicted >= MIN_PREDICTIONS_FOR_DRIFT && !trainingMix.isEmpty()) {
            psi = psi(predictedMix, trainingMix);
            drift = psi < PSI_MODERATE ? "none" : psi < PSI_SIGNIFICANT ? "moderate" : "significant";
        }
        return new Figures(WINDOW_DAYS, predicted, reviewed, agreed, reviewed - agreed, allTimeCorrections,
                reviewed == 0 ? null : round((double) agreed / reviewed), predictedMix, trainingMix,
                psi == null ? null : round(psi), drift);
    }

    /** Population stability index over the union of labels, shares smoothed so a label missing on one side is finite. */
    static double psi(Map<String, Double> actual, Map<String, Double> expected) {
        TreeSet<String> labels = new TreeSet<>(actual.keySet());
        labels.addAll(expected.keySet());
        double psi = 0;
        for (String l : labels) {
            double a = actual.getOrDefault(l, 0.0) + SMOOTHING, e = expected.getOrDefault(l, 0.0) + SMOOTHING;
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    private static Map<String, Double> shares(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> out = new LinkedHashMap<>();
        if (total > 0) {
            counts.forEach((k, v) -> out.put(k, round((double) v / total)));
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
