package lectern.database;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one Lectern tells every other Lectern on the same database, within about a second, with PostgreSQL's own
 * LISTEN/NOTIFY: a token revoked, a user's classifier swapped, an account deleted. {@link #send} notifies inside the
 * caller's transaction, so the others hear it when it commits and never when it rolls back. Every instance, this one
 * included, listens on one pooled connection of its own for the channels of all {@link Listener} beans. While it cannot
 * listen (the database restarts), it tells each listener it may have missed messages, once when listening stops and
 * once when it works again, so caches are emptied rather than trusted.
 */
@ApplicationScoped
public class Notifications {

    /** One channel's receiver. Channels are lower-case identifiers ({@code lectern_...}). */
    public interface Listener {
        String channel();

        /** A payload sent on the channel (by any instance, this one too). */
        void received(String payload);

        /** Messages may have been lost (not listening for a while): forget whatever they would have corrected. */
        void missed();
    }

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    /** How long one wait for notifications lasts; also how soon a stop is noticed. */
    private static final int POLL_MILLIS = 500;
    /** How often the listening connection is checked with a query (a dead one then fails and is replaced). */
    private static final long CHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    @Inject
    Instance<Listener> listenerBeans;

    @Inject
    EntityManager entityManager;

    @Inject
    AgroalDataSource dataSource;

    private volatile Map<String, List<Listener>> byChannel = Map.of();
    private volatile Thread thread;
    private volatile boolean listening;
    /** The listening connection, closed by {@link #onStop} while the pool is still open. */
    private volatile Connection connection;

    /** Notifies every instance listening on {@code channel} when the current transaction commits. */
    public void send(String channel, String payload) {
        // in a FROM clause: pg_notify returns void, which has no JDBC type to read back
        entityManager.createNativeQuery("select 1 from (select pg_notify(?1, ?2)) as sent")
                .setParameter(1, channel).setParameter(2, payload).getSingleResult();
    }

    void onStart(@Observes StartupEvent event) {
        byChannel = listenerBeans.stream().collect(Collectors.groupingBy(Listener::channel));
        for (String channel : byChannel.keySet()) {
            if (!channel.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalStateException("not a plain channel name: " + channel);
            }
        }
        listening = true;
        Thread t = new Thread(this::listen, "lectern-notifications");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        listening = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close(); // back to the pool before the pool closes (a later close would warn)
            } catch (SQLException e) {
                LOG.debugf(e, "closing the listening connection");
            }
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Holds one connection with LISTEN on every channel; reconnects after a failure, once a second at most. */
    private void listen() {
        String lastProblem = null;
        while (listening) {
            try (Connection c = dataSource.getConnection()) {
                connection = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    for (String channel : byChannel.keySet()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                // anything sent before LISTEN took effect is lost: say so once
                missedAll();
                if (lastProblem != null) {
                    LOG.infof("Notifications: listening again on %s", byChannel.keySet());
                    lastProblem = null;
                }
                long lastCheck = System.nanoTime();
                while (listening) {
                    if (System.nanoTime() - lastCheck > CHECK_NANOS) {
                        // a connection a network dropped silently would wait for notifications forever: ask it something
                        try (Statement s = c.createStatement()) {
                            s.execute("select 1");
                        }
                        lastCheck = System.nanoTime();
                    }
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            deliver(n.getName(), n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                missedAll();
                // at a stop the embedded PostgreSQL may close this connection a moment before Quarkus says it is
                // stopping: wait first, and say nothing if it was the stop
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
                if (!listening) {
                    return;
                }
                String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (!problem.equals(lastProblem)) {
                    LOG.warnf("Notifications: not listening (%s); caches of other instances' changes are emptied and "
                            + "rebuilt from the database until it works again", problem);
                    lastProblem = problem;
                }
            }
        }
    }

    private void deliver(String channel, String payload) {
        for (Listener l : byChannel.getOrDefault(channel, List.of())) {
            try {
                l.received(payload);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Notifications: %s could not apply %s", l.getClass().getSimpleName(), payload);
            }
        }
    }

    private void missedAll() {
        byChannel.values().stream().flatMap(List::stream).forEach(l -> {
            try {
                l.missed();
            } catch (RuntimeException e) {
                LOG.debugf(e, "Notifications: %s could not forget", l.getClass().getSimpleName());
            }
        });
    }

    /** A payload (or part of one) that is an id; empty, and logged, when it is not. */
    public static java.util.OptionalLong id(String channel, String text) {
        try {
            return java.util.OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            LOG.debugf("ignored a malformed %s notification: %s", channel, text);
            return java.util.OptionalLong.empty();
        }
    }

    /** Channels listened to (tests, start-up logs). */
    public List<String> channels() {
        return byChannel.keySet().stream().sorted().collect(Collectors.toList());
    }
}
