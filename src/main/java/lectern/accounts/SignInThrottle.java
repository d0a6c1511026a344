package lectern.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import lectern.api.ProblemException;

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
 * that address. State is per process and forgotten after an hour without failures. Behind a reverse proxy the client
 * address is the proxy's unless quarkus.http.proxy.proxy-address-forwarding is on (README).
 */
@ApplicationScoped
public class SignInThrottle {

    static final int FREE_PER_ACCOUNT_AND_ADDRESS = 5;
    static final int FREE_PER_ADDRESS = 20;
    static final long MAX_DELAY_SECONDS = 15 * 60;
    static final long FORGET_AFTER_SECONDS = 3600;
    private static final int PRUNE_ABOVE = 10_000;

    /** Nanoseconds, monotonic; tests replace it. */
    LongSupplier clock = System::nanoTime;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private static final class Failures {
        int count;
        long last;
        long blockedUntil;
    }

    /** The client's address as the HTTP server sees it ("unknown" when it cannot say). */
    static String clientAddress(io.vertx.core.http.HttpServerRequest request) {
        io.vertx.core.net.SocketAddress a = request == null ? null : request.remoteAddress();
        return a == null || a.host() == null ? "unknown" : a.host();
    }

    /**
     * The one password check of POST /api/auth/tokens and /api/auth/session: refused (429) while this account or
     * address must wait, else the user whose password matches (401 otherwise), with the outcome counted.
     */
    public User signIn(String username, String password, String address) {
        check(username, address);
        User user = User.findByUsername(username).filter(u -> Secrets.passwordMatches(password, u.passwordHash)).orElse(null);
        if (user == null) {
            failed(username, address);
            throw ProblemException.unauthorized("Wrong username or password");
        }
        succeeded(username, address);
        return user;
    }

    /** Refuses (429) a sign-in that must wait; otherwise returns. */
    public void check(String username, String address) {
        long now = clock.getAsLong();
        long wait = Math.max(waitNanos(accountKey(username, address), now), waitNanos(addressKey(address), now));
        if (wait > 0) {
            long seconds = (wait + 999_999_999L) / 1_000_000_000L;
            throw ProblemException.tooManyRequests("Too many wrong passwords: try again in " + seconds
                    + " s (each wrong password doubles the wait)", seconds);
        }
    }

    public void failed(String username, String address) {
        long now = clock.getAsLong();
        record(accountKey(username, address), FREE_PER_ACCOUNT_AND_ADDRESS, now);
        record(addressKey(address), FREE_PER_ADDRESS, now);
        if (failures.size() > PRUNE_ABOVE) {
            failures.values().removeIf(f -> now - f.last > FORGET_AFTER_SECONDS * 1_000_000_000L && f.blockedUntil < now);
        }
    }

    public void succeeded(String username, String address) {
        failures.remove(accountKey(username, address));
    }

    private long waitNanos(String key, long now) {
        Failures f = failures.get(key);
        if (f == null) {
            return 0;
        }
        synchronized (f) {
            return Math.max(0, f.blockedUntil - now);
        }
    }

    private void record(String key, int free, long now) {
        Failures f = failures.computeIfAbsent(key, k -> new Failures());
        synchronized (f) {
            if (f.count > 0 && now - f.last > FORGET_AFTER_SECONDS * 1_000_000_000L) {
                f.count = 0;
            }
            f.count++;
            f.last = now;
            if (f.count >= free) {
                long seconds = Math.min(MAX_DELAY_SECONDS, 1L << Math.min(30, f.count - free));
                f.blockedUntil = now + seconds * 1_000_000_000L;
            }
        }
    }

    private static String accountKey(String username, String address) {
        return "a\u0000" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT)) + "\u0000" + address;
    }

    private static String addressKey(String address) {
        return "i\u0000" + address;
    }
}
