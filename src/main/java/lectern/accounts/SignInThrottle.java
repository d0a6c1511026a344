package lectern.accounts;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import lectern.api.ProblemException;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: after a few wrong passwords every further try must wait, twice as long each time (1 s, 2 s,
 * 4 s ... at most {@value #MAX_DELAY_SECONDS} s), and a try during the wait is refused with 429 and Retry-After before
 * the password is even looked at (so waiting out the refusal gives the guesser nothing).
 * <ul>
 *   <li>per account and client address: {@value #FREE_PER_ACCOUNT_AND_ADDRESS} free wrong passwords;</li>
 *   <li>per client address, whatever the account (password spraying): {@value #FREE_PER_ADDRESS}.</li>
 * </ul>
 * There is no account-wide lock: anyone could lock a user out by guessing wrong from elsewhere. The real user, from
 * their own address, is never slowed by someone else's failures. A right password clears the account's count for
 * that address. The counts live in the database (table sign_in_failure), shared by every replica, and are forgotten
 * after an hour without failures.
 *
 * <p>A try is counted as a wrong password before its password is looked at, in the same atomic step that checks the
 * wait, and taken back when the password is right. Checking first and counting after the (slow) password hash let
 * any number of parallel guesses pass the check before the first of them was counted.
 *
 * <p>Behind a reverse proxy the client
 * address is the proxy's unless quarkus.http.proxy.proxy-address-forwarding is on (README).
 */
@ApplicationScoped
public class SignInThrottle {

    static final int FREE_PER_ACCOUNT_AND_ADDRESS = 5;
    static final int FREE_PER_ADDRESS = 20;
    static final long MAX_DELAY_SECONDS = 15 * 60;
    static final long FORGET_AFTER_SECONDS = 3600;
    private static final int PRUNE_ABOVE = 10_000;

    /** Nanoseconds for the memory store; tests replace it. The database store reads the database's clock instead. */
    LongSupplier clock = System::nanoTime;

    /** Where the counts live: this process's memory (tests), or the database every replica shares (the app). */
    Store store = new MemoryStore();

    @Inject
    Instance<AgroalDataSource> dataSource;

    /** One key's failures: how many, the last one, and until when further tries are refused (nanoseconds). */
    record Failures(int count, long last, long blockedUntil) {
    }

    /** The counts, keyed by a hash of account and address (or address alone). */
    interface Store {
        /** Now, in nanoseconds on the clock the store's times are on. */
        long now();

        /**
         * One atomic step over all the keys (each with its number of free failures): when any of them is still
         * blocked, returns how long (nanoseconds, more than 0) and changes nothing; otherwise counts one more failure
         * on each ({@link #counted}) and returns 0.
         */
        Counted attempt(Map<String, Integer> freeByKey);

        /**
         * Takes back a failure that {@link #attempt} counted (the password was right): the key goes back to
         * {@code before} when it is still as the try left it ({@code after}); when other tries have counted since,
         * only the count drops by one.
         */
        void refund(String key, Failures before, Failures after);

        void forget(String key);

        /** Drops keys with nothing left to say: no failure for an hour and no longer blocked. */
        void prune(long now);
    }

    @PostConstruct
    void useTheDatabase() {
        if (dataSource != null && dataSource.isResolvable()) {
            store = new DatabaseStore(dataSource.get());
        }
    }

    /** The client's address as the HTTP server sees it ("unknown" when it cannot say). */
    static String clientAddress(io.vertx.core.http.HttpServerRequest request) {
        io.vertx.core.net.SocketAddress a = request == null ? null : request.remoteAddress();
        return a == null || a.host() == null ? "unknown" : a.host();
    }

    /**
     * The one password check of POST /api/auth/tokens, /api/auth/session and DELETE /api/auth/me: refused (429) while
     * this account or address must wait, else the user whose password matches (401 otherwise), with the outcome
     * counted.
     */
    public User signIn(String username, String password, String address) {
        Try started = begin(username, address);
        User user = User.findByUsername(username).filter(u -> Secrets.passwordMatches(password, u.passwordHash)).orElse(null);
        if (user == null) {
            throw ProblemException.unauthorized("Wrong username or password"); // counted already by begin
        }
        succeeded(started);
        return user;
    }

    /** What a try counted: per key, the failures before and after it. */
    record Counted(long waitNanos, Map<String, Failures> before, Map<String, Failures> after) {
        static Counted refused(long waitNanos) {
            return new Counted(waitNanos, Map.of(), Map.of());
        }
    }

    /** A try that {@link #begin} let through, for {@link #succeeded} to take back: the address's count around it. */
    public record Try(String accountKey, String addressKey, Failures addressBefore, Failures addressAfter) {
    }

    /**
     * Starts a try: refused (429) while this account or address must wait; otherwise the try is counted as a wrong
     * password, in the same atomic step, until {@link #succeeded} takes it back.
     */
    public Try begin(String username, String address) {
        Map<String, Integer> freeByKey = new LinkedHashMap<>();
        String accountKey = accountKey(username, address), addressKey = addressKey(address);
        freeByKey.put(accountKey, FREE_PER_ACCOUNT_AND_ADDRESS);
        freeByKey.put(addressKey, FREE_PER_ADDRESS);
        Counted counted = store.attempt(freeByKey);
        long wait = counted.waitNanos();
        if (wait > 0) {
            long seconds = (wait + 999_999_999L) / 1_000_000_000L;
            throw ProblemException.tooManyRequests("Too many wrong passwords: try again in " + seconds
                    + " s (each wrong password doubles the wait)", seconds);
        }
        if (ThreadLocalRandom.current().nextInt(100) == 0) {
            store.prune(store.now());
        }
        return new Try(accountKey, addressKey, counted.before().get(addressKey), counted.after().get(addressKey));
    }

    /**
     * The password was right: the account's count for this address is cleared, and the address's count goes back to
     * what it was before the try (with any wait the try itself started).
     */
    public void succeeded(Try started) {
        store.forget(started.accountKey());
        store.refund(started.addressKey(), started.addressBefore(), started.addressAfter());
    }

    /** How long from {@code now} the longest of these waits runs (0 or less: none); null entries have none. */
    static long waitNanos(java.util.Collection<Failures> failures, long now) {
        return failures.stream().filter(java.util.Objects::nonNull).mapToLong(Failures::blockedUntil).max().orElse(0) - now;
    }

    /** One more failure: counts forgotten after an hour without one; from the free-th on, a doubling wait. */
    static Failures counted(Failures f, int free, long now) {
        int count = f == null || now - f.last() > FORGET_AFTER_SECONDS * 1_000_000_000L ? 1 : f.count() + 1;
        long blockedUntil = f == null ? 0 : f.blockedUntil();
        if (count >= free) {
            long seconds = Math.min(MAX_DELAY_SECONDS, 1L << Math.min(30, count - free));
            blockedUntil = now + seconds * 1_000_000_000L;
        }
        return new Failures(count, now, blockedUntil);
    }

    /**
     * A key's failures once a try is taken back: as before the try when nothing has counted since, else one fewer
     * (null: nothing left).
     */
    static Failures refunded(Failures current, Failures before, Failures after) {
        if (current == null) {
            return null;
        }
        if (current.equals(after)) {
            return before;
        }
        return new Failures(Math.max(0, current.count() - 1), current.last(), current.blockedUntil());
    }

    /** Keys are hashed: fixed length, and any text a client sends (even a NUL) is safe to store. */
    private static String accountKey(String username, String address) {
        return hash("a\u0000" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT)) + "\u0000" + address);
    }

    private static String addressKey(String address) {
        return hash("i\u0000" + address);
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One process's counts (unit tests; a Lectern always uses the database). */
    final class MemoryStore implements Store {
        private final Map<String, Failures> failures = new ConcurrentHashMap<>();

        @Override
        public long now() {
            return clock.getAsLong();
        }

        @Override
        public synchronized Counted attempt(Map<String, Integer> freeByKey) {
            long now = now();
            long wait = waitNanos(freeByKey.keySet().stream().map(failures::get).toList(), now);
            if (wait > 0) {
                return Counted.refused(wait);
            }
            Map<String, Failures> before = new java.util.HashMap<>(), after = new java.util.HashMap<>();
            freeByKey.forEach((key, free) -> {
                before.put(key, failures.get(key));
                after.put(key, failures.compute(key, (k, f) -> counted(f, free, now)));
            });
            if (failures.size() > PRUNE_ABOVE) {
                prune(now);
            }
            return new Counted(0, before, after);
        }

        @Override
        public synchronized void refund(String key, Failures before, Failures after) {
            failures.computeIfPresent(key, (k, f) -> refunded(f, before, after));
        }

        @Override
        public synchronized void forget(String key) {
            failures.remove(key);
        }

        @Override
        public synchronized void prune(long now) {
            failures.values().removeIf(f -> now - f.last() > FORGET_AFTER_SECONDS * 1_000_000_000L && f.blockedUntil() < now);
        }
    }

    /**
     * The counts in table sign_in_failure, shared by every Lectern on the database, so that a guesser spread over
     * several replicas meets one count. Each change is its own transaction (a refused sign-in rolls the request's
     * back, and the failure must stay counted), with the key's row locked while it is read and written.
     */
    static final class DatabaseStore implements Store {
        private final DataSource dataSource;

        DatabaseStore(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** Now in nanoseconds on the database's clock: every replica compares times on the one clock that wrote them. */
        private static final String NOW = "(extract(epoch from clock_timestamp()) * 1000000)::bigint * 1000";

        @Override
        public long now() {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement q = c.prepareStatement("select " + NOW);
                 ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException("reading the database's clock: " + e.getMessage(), e);
            }
        }

        /**
         * The keys' rows are created if missing and locked in key order (so that two tries on the same keys queue
         * rather than deadlock), read, and written back in one transaction.
         */
        @Override
        public Counted attempt(Map<String, Integer> freeByKey) {
            Counted[] result = new Counted[1];
            inOwnTransaction(c -> {
                List<String> keys = freeByKey.keySet().stream().sorted().toList();
                Map<String, Failures> current = lock(c, keys);
                long now = databaseNow(c);
                long wait = waitNanos(current.values(), now);
                if (wait > 0) {
                    result[0] = Counted.refused(wait);
                    return;
                }
                Map<String, Failures> after = new java.util.HashMap<>();
                for (String key : keys) {
                    Failures next = counted(current.get(key), freeByKey.get(key), now);
                    write(c, key, next);
                    after.put(key, next);
                }
                result[0] = new Counted(0, current, after);
            });
            return result[0];
        }

        @Override
        public void refund(String key, Failures before, Failures after) {
            inOwnTransaction(c -> {
                Failures f = lock(c, List.of(key)).get(key);
                Failures next = refunded(f, before, after);
                write(c, key, next == null ? new Failures(0, 0, 0) : next);
            });
        }

        /** The keys' failures (null: none yet), their rows locked until the transaction ends. */
        private static Map<String, Failures> lock(Connection c, List<String> sortedKeys) throws SQLException {
            for (String key : sortedKeys) {
                // a no-op update on conflict locks an existing row here, so a prune or forget cannot delete it before
                // the select below (a row deleted in between would leave this try uncounted)
                try (PreparedStatement insert = c.prepareStatement("insert into sign_in_failure (key, count,"
                        + " last_failure, blocked_until) values (?, 0, 0, 0) on conflict (key) do update set key ="
                        + " excluded.key")) {
                    insert.setString(1, key);
                    insert.executeUpdate();
                }
            }
            Map<String, Failures> failures = new java.util.HashMap<>();
            try (PreparedStatement q = c.prepareStatement("select key, count, last_failure, blocked_until"
                    + " from sign_in_failure where key = any (?) order by key for update")) {
                q.setArray(1, c.createArrayOf("text", sortedKeys.toArray()));
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        failures.put(r.getString(1), r.getInt(2) == 0 && r.getLong(4) == 0 ? null
                                : new Failures(r.getInt(2), r.getLong(3), r.getLong(4)));
                    }
                }
            }
            return failures;
        }

        private static void write(Connection c, String key, Failures f) throws SQLException {
            try (PreparedStatement u = c.prepareStatement("update sign_in_failure set count = ?, last_failure = ?,"
                    + " blocked_until = ? where key = ?")) {
                u.setInt(1, f.count());
                u.setLong(2, f.last());
                u.setLong(3, f.blockedUntil());
                u.setString(4, key);
                u.executeUpdate();
            }
        }

        private static long databaseNow(Connection c) throws SQLException {
            try (PreparedStatement q = c.prepareStatement("select " + NOW); ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }

        @Override
        public void forget(String key) {
            inOwnTransaction(c -> {
                try (PreparedStatement d = c.prepareStatement("delete from sign_in_failure where key = ?")) {
                    d.setString(1, key);
                    d.executeUpdate();
                }
            });
        }

        @Override
        public void prune(long now) {
            inOwnTransaction(c -> {
                // rows a try holds are skipped, not waited for: waiting could deadlock with a try holding two keys
                try (PreparedStatement d = c.prepareStatement("delete from sign_in_failure where key in (select key"
                        + " from sign_in_failure where last_failure < ? and blocked_until < ? for update skip locked)")) {
                    d.setLong(1, now - FORGET_AFTER_SECONDS * 1_000_000_000L);
                    d.setLong(2, now);
                    d.executeUpdate();
                }
            });
        }

        private interface Work {
            void run(Connection c) throws SQLException;
        }

        /** Outside the request's transaction, whether there is one or not. */
        private void inOwnTransaction(Work work) {
            QuarkusTransaction.requiringNew().run(() -> {
                try (Connection c = dataSource.getConnection()) {
                    work.run(c);
                } catch (SQLException e) {
                    throw new IllegalStateException("recording a sign-in failure: " + e.getMessage(), e);
                }
            });
        }
    }
}
