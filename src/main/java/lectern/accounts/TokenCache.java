package lectern.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tokens the database vouched for a moment ago, so that an authenticated request needs no transaction and no query
 * (issue 4: the lookup was most of the server's CPU per request). Keyed by the token's SHA-256, like the table.
 *
 * <ul>
 *   <li>Revoking a token or signing out removes it here once the deleting transaction has committed, so a request
 *   sent after the answer to the revocation is refused. A lookup that read the token before the commit cannot put it
 *   back afterwards: {@link #remember} refuses entries whose lookup began before the last forget.</li>
 *   <li>An entry is trusted for {@link #MAX_AGE_SECONDS} at most, then the next request looks the token up again
 *   (and records {@code last_used_at}). That is the bound for changes this JVM does not see: a token deleted by
 *   hand in SQL, or by another instance while {@link TokenRevocations} cannot listen (revocations by another Lectern
 *   arrive within a second through it).</li>
 * </ul>
 */
@ApplicationScoped
public class TokenCache {

    static final long MAX_AGE_SECONDS = 30;
    /** Beyond this many entries, stale ones are dropped when a new one comes (tokens are few; this is a backstop). */
    static final int PRUNE_ABOVE = 10_000;

    record Entry(long tokenId, long userId, String username, long checkedAt) {
    }

    private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final long maxAgeNanos;
    /** Counts forgets; guarded by this, like every change of byHash. */
    private long generation;

    @Inject
    TransactionSynchronizationRegistry transactions;

    public TokenCache() {
        this(System::nanoTime, TimeUnit.SECONDS.toNanos(MAX_AGE_SECONDS));
    }

    TokenCache(LongSupplier clock, long maxAgeNanos) {
        this.clock = clock;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** The entry for a token hash when it was checked less than the maximum age ago; otherwise null. */
    Entry find(String tokenHash) {
        Entry e = byHash.get(tokenHash);
        return e != null && clock.getAsLong() - e.checkedAt() < maxAgeNanos ? e : null;
    }

    /** Call before looking a token up in the database; pass the result to {@link #remember}. */
    synchronized long generation() {
        return generation;
    }

    /** A fresh entry (checked now) for a token found in the database. */
    Entry checkedNow(long tokenId, long userId, String username) {
        return new Entry(tokenId, userId, username, clock.getAsLong());
    }

    /**
     * Remembers a token found in the database by a lookup that began at {@code lookupGeneration}; does nothing when a
     * token was forgotten since, because the lookup may have read a row whose deletion was committing.
     */
    synchronized void remember(String tokenHash, Entry entry, long lookupGeneration) {
        if (generation != lookupGeneration) {
            return;
        }
        if (byHash.size() > PRUNE_ABOVE) {
            long now = clock.getAsLong();
            byHash.values().removeIf(e -> now - e.checkedAt() >= maxAgeNanos);
        }
        byHash.put(tokenHash, entry);
    }

    /** Forgets the token with this id: now, and again when the current transaction (if any) ends. */
    void forgetToken(long tokenId) {
        forgetNowAndAfterTransaction(() -> byHash.values().removeIf(e -> e.tokenId() == tokenId));
    }

    /** Forgets the token with this hash: now, and again when the current transaction (if any) ends. */
    void forgetHash(String tokenHash) {
        forgetNowAndAfterTransaction(() -> byHash.remove(tokenHash));
    }

    /** Forgets every token of this user: now, and again when the current transaction (if any) ends. */
    void forgetUser(long userId) {
        forgetNowAndAfterTransaction(() -> byHash.values().removeIf(e -> e.userId() == userId));
    }

    /**
     * Now: no request from here on trusts the entry. When the transaction ends (committed or not: forgetting too much
     * only costs a lookup): a lookup that read the row before the commit, and so still found it, has its entry
     * refused by {@link #remember} or removed here.
     */
    private void forgetNowAndAfterTransaction(Runnable removal) {
        forget(removal);
        if (transactions != null && transactions.getTransactionKey() != null) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    forget(removal);
                }
            });
        }
    }

    /** Forgets every entry (the revocation listener's connection was new or broken: it may have missed some). */
    void forgetAll() {
        forget(byHash::clear);
    }

    private synchronized void forget(Runnable removal) {
        generation++;
        removal.run();
    }

    int size() {
        return byHash.size();
    }
}
