package lectern.accounts;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Token revocation and sign-out seen by every Lectern sharing the database, within about a second, with PostgreSQL's
 * own LISTEN/NOTIFY: a revocation sends a notification in its deleting transaction (delivered when it commits, never
 * when it rolls back), and every instance, this one included, listens on one connection of its own and forgets the
 * token from its {@link TokenCache}. Without it another instance would trust its cached entry for up to
 * {@link TokenCache#MAX_AGE_SECONDS}.
 */
@ApplicationScoped
public class TokenRevocations {

    static final String CHANNEL = "lectern_token_revoked";
    private static final Logger LOG = Logger.getLogger(TokenRevocations.class);
    /** How long one wait for notifications lasts; also how soon a stop is noticed. */
    private static final int POLL_MILLIS = 500;

    @Inject
    TokenCache cache;

    @Inject
    EntityManager entityManager;

    @Inject
    AgroalDataSource dataSource;

    private volatile Thread listener;
    private volatile boolean listening;
    /** The listening connection, closed by {@link #onStop} while the pool is still open. */
    private volatile Connection connection;

    /** The token with this id was deleted in the current transaction. */
    public void revokedToken(long tokenId) {
        cache.forgetToken(tokenId);
        notifyOthers("id:" + tokenId);
    }

    /** The token with this hash was deleted in the current transaction (a web session's sign-out). */
    public void revokedHash(String tokenHash) {
        cache.forgetHash(tokenHash);
        notifyOthers("hash:" + tokenHash);
    }

    private void notifyOthers(String payload) {
        // in a FROM clause: pg_notify returns void, which has no JDBC type to read back
        entityManager.createNativeQuery("select 1 from (select pg_notify(?1, ?2)) as sent").setParameter(1, CHANNEL).setParameter(2, payload)
                .getSingleResult();
    }

    /** Applies one notification's payload to this instance's cache. */
    void apply(String payload) {
        if (payload.startsWith("id:")) {
            try {
                cache.forgetToken(Long.parseLong(payload.substring(3)));
            } catch (NumberFormatException e) {
                LOG.debugf("ignored a malformed %s notification: %s", CHANNEL, payload);
            }
        } else if (payload.startsWith("hash:")) {
            cache.forgetHash(payload.substring(5));
        }
    }

    void onStart(@Observes StartupEvent event) {
        listening = true;
        Thread t = new Thread(this::listen, "lectern-token-revocations");
        t.setDaemon(true);
        listener = t;
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
        Thread t = listener;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Holds one connection with LISTEN on the channel; reconnects after a failure, once a second at most. */
    private void listen() {
        String lastProblem = null;
        while (listening) {
            try (Connection c = dataSource.getConnection()) {
                connection = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                // anything revoked before LISTEN took effect: forget every cached token once
                cache.forgetAll();
                if (lastProblem != null) {
                    LOG.infof("Token revocations: listening again on %s", CHANNEL);
                    lastProblem = null;
                }
                while (listening) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            apply(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                cache.forgetAll();
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
                    LOG.warnf("Token revocations: not listening (%s); cached tokens are trusted for at most %d s until "
                            + "it works again", problem, TokenCache.MAX_AGE_SECONDS);
                    lastProblem = problem;
                }
            }
        }
    }
}
