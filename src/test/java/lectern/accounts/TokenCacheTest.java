package lectern.accounts;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The cache's rules without Quarkus: a settable clock, and no transaction (forgets happen at once). */
class TokenCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final TokenCache cache = new TokenCache(now::get, TimeUnit.SECONDS.toNanos(30));

    @Test
    void aRememberedTokenIsTrustedUntilItsMaximumAge() {
        cache.remember("h1", cache.checkedNow(7, 42, "ada"), cache.generation());
        assertEquals(42, cache.find("h1").userId());
        now.addAndGet(TimeUnit.SECONDS.toNanos(30) - 1);
        assertEquals("ada", cache.find("h1").username());
        now.addAndGet(1);
        assertNull(cache.find("h1"), "after the maximum age the database is asked again");
        assertNull(cache.find("unknown"));
    }

    @Test
    void revokingForgetsByIdAndSigningOutByHash() {
        cache.remember("h1", cache.checkedNow(7, 42, "ada"), cache.generation());
        cache.remember("h2", cache.checkedNow(8, 42, "ada"), cache.generation());
        cache.remember("h3", cache.checkedNow(9, 43, "bob"), cache.generation());
        cache.forgetToken(7);
        assertNull(cache.find("h1"));
        assertEquals(8, cache.find("h2").tokenId(), "the user's other tokens stay");
        cache.forgetHash("h3");
        assertNull(cache.find("h3"));
        assertEquals(1, cache.size());
    }

    @Test
    void aLookupThatBeganBeforeARevocationCannotPutTheTokenBack() {
        // a request reads the token row while its deletion is committing, and finishes after the revocation
        long lookupBegan = cache.generation();
        TokenCache.Entry readBeforeCommit = cache.checkedNow(7, 42, "ada");
        cache.forgetToken(7);
        cache.remember("h1", readBeforeCommit, lookupBegan);
        assertNull(cache.find("h1"));
        // a lookup that begins after the revocation is trusted (it read the committed state)
        cache.remember("h2", cache.checkedNow(8, 42, "ada"), cache.generation());
        assertEquals(8, cache.find("h2").tokenId());
    }

    @Test
    void staleEntriesArePrunedWhenTheCacheIsLarge() {
        for (int i = 0; i <= TokenCache.PRUNE_ABOVE; i++) {
            cache.remember("h" + i, cache.checkedNow(i, 1, "ada"), cache.generation());
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(31));
        cache.remember("fresh", cache.checkedNow(-1, 1, "ada"), cache.generation());
        assertEquals(1, cache.size());
    }
}
