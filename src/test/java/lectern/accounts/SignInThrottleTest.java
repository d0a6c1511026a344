package lectern.accounts;

import lectern.api.ProblemException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignInThrottleTest {

    private long now = 0;

    private SignInThrottle throttle() {
        SignInThrottle t = new SignInThrottle();
        t.clock = () -> now;
        return t;
    }

    private void seconds(double s) {
        now += (long) (s * 1e9);
    }

    /** A try that is refused, counting nothing: the wait it was told. */
    private static long refusedFor(SignInThrottle t, String user, String address) {
        ProblemException e = assertThrows(ProblemException.class, () -> t.begin(user, address));
        assertEquals(429, e.problem().status());
        return e.retryAfterSeconds();
    }

    @Test
    void wrongPasswordsPerAccountAndAddressBackOffDoubling() {
        SignInThrottle t = throttle();
        for (int i = 0; i < SignInThrottle.FREE_PER_ACCOUNT_AND_ADDRESS; i++) {
            t.begin("ann", "10.0.0.1"); // each try counts as wrong until a right password says otherwise
        }
        // the 5th was counted: from now on each try waits
        assertEquals(1, refusedFor(t, "ANN ", "10.0.0.1"), "the username is matched as the account matches it");
        assertEquals(1, refusedFor(t, "ann", "10.0.0.1"), "a refused try is not counted");
        seconds(1.01);
        t.begin("ann", "10.0.0.1");
        assertEquals(2, refusedFor(t, "ann", "10.0.0.1"));
        seconds(2.01);
        t.begin("ann", "10.0.0.1");
        assertEquals(4, refusedFor(t, "ann", "10.0.0.1"));

        // the real user elsewhere is not slowed by someone guessing from 10.0.0.1: no account-wide lock
        assertDoesNotThrow(() -> t.begin("ann", "192.168.1.20"));
        // a right password after the wait clears the count for that address
        seconds(4.01);
        t.succeeded(t.begin("ann", "10.0.0.1"));
        t.begin("ann", "10.0.0.1");
        assertDoesNotThrow(() -> t.begin("ann", "10.0.0.1"));
    }

    @Test
    void sprayingManyAccountsFromOneAddressIsSlowedToo() {
        SignInThrottle t = throttle();
        for (int i = 0; i < SignInThrottle.FREE_PER_ADDRESS; i++) {
            t.begin("user" + i, "10.0.0.9");
        }
        assertEquals(1, refusedFor(t, "someone-new", "10.0.0.9"));
        assertDoesNotThrow(() -> t.begin("someone-new", "10.0.0.10"));
    }

    @Test
    void rightPasswordsFromOneAddressAreNotCountedAgainstIt() {
        // an office behind one address: many people signing in rightly never slow the next
        SignInThrottle t = throttle();
        for (int i = 0; i < 3 * SignInThrottle.FREE_PER_ADDRESS; i++) {
            t.succeeded(t.begin("colleague" + i, "10.0.0.5"));
        }
        assertDoesNotThrow(() -> t.begin("one-more", "10.0.0.5"));
    }

    @Test
    void aRightPasswordAfterASprayStartsNoNewWaitForItsAddress() {
        // a spray from a shared address has served its wait; a colleague's right password must not start another
        SignInThrottle t = throttle();
        for (int i = 0; i < SignInThrottle.FREE_PER_ADDRESS + 3; i++) {
            seconds(SignInThrottle.MAX_DELAY_SECONDS + 1);
            t.begin("sprayed" + i, "10.0.0.6");
        }
        seconds(SignInThrottle.MAX_DELAY_SECONDS + 1);
        t.succeeded(t.begin("colleague", "10.0.0.6"));
        assertDoesNotThrow(() -> t.begin("colleague-2", "10.0.0.6"));
    }

    @Test
    void parallelGuessesCannotAllPassBeforeTheFirstIsCounted() throws Exception {
        SignInThrottle t = throttle();
        assertEquals(SignInThrottle.FREE_PER_ACCOUNT_AND_ADDRESS, ParallelTries.passed(64, 16, i -> t, "carol", "10.0.0.3"),
                "only the free tries get to a password check; the rest wait");
    }

    @Test
    void theWaitIsCappedAndForgottenAfterAnHour() {
        SignInThrottle t = throttle();
        for (int i = 0; i < 40; i++) {
            seconds(SignInThrottle.MAX_DELAY_SECONDS + 1); // each wait served, but within the hour of the last failure
            t.begin("bob", "10.0.0.2");
        }
        assertEquals(SignInThrottle.MAX_DELAY_SECONDS, refusedFor(t, "bob", "10.0.0.2"));
        seconds(SignInThrottle.MAX_DELAY_SECONDS + SignInThrottle.FORGET_AFTER_SECONDS + 1);
        t.begin("bob", "10.0.0.2"); // the first failure of a new hour
        assertDoesNotThrow(() -> t.begin("bob", "10.0.0.2"));
    }
}
