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

    private static long refusedFor(SignInThrottle t, String user, String address) {
        ProblemException e = assertThrows(ProblemException.class, () -> t.check(user, address));
        assertEquals(429, e.problem().status());
        return e.retryAfterSeconds();
    }

    @Test
    void wrongPasswordsPerAccountAndAddressBackOffDoubling() {
        SignInThrottle t = throttle();
        for (int i = 0; i < SignInThrottle.FREE_PER_ACCOUNT_AND_ADDRESS - 1; i++) {
            t.check("ann", "10.0.0.1");
            t.failed("ann", "10.0.0.1");
        }
        t.check("ann", "10.0.0.1");
        t.failed("ann", "10.0.0.1"); // the 5th: from now on each try waits
        assertEquals(1, refusedFor(t, "ANN ", "10.0.0.1"), "the username is matched as the account matches it");
        seconds(1.01);
        t.check("ann", "10.0.0.1");
        t.failed("ann", "10.0.0.1");
        assertEquals(2, refusedFor(t, "ann", "10.0.0.1"));
        seconds(2.01);
        t.failed("ann", "10.0.0.1");
        assertEquals(4, refusedFor(t, "ann", "10.0.0.1"));

        // the real user elsewhere is not slowed by someone guessing from 10.0.0.1: no account-wide lock
        assertDoesNotThrow(() -> t.check("ann", "192.168.1.20"));
        // a right password after the wait clears the count for that address
        seconds(4.01);
        t.check("ann", "10.0.0.1");
        t.succeeded("ann", "10.0.0.1");
        t.failed("ann", "10.0.0.1");
        assertDoesNotThrow(() -> t.check("ann", "10.0.0.1"));
    }

    @Test
    void sprayingManyAccountsFromOneAddressIsSlowedToo() {
        SignInThrottle t = throttle();
        for (int i = 0; i < SignInThrottle.FREE_PER_ADDRESS; i++) {
            t.check("user" + i, "10.0.0.9");
            t.failed("user" + i, "10.0.0.9");
        }
        assertEquals(1, refusedFor(t, "someone-new", "10.0.0.9"));
        assertDoesNotThrow(() -> t.check("someone-new", "10.0.0.10"));
    }

    @Test
    void theWaitIsCappedAndForgottenAfterAnHour() {
        SignInThrottle t = throttle();
        for (int i = 0; i < 40; i++) {
            t.failed("bob", "10.0.0.2");
        }
        assertEquals(SignInThrottle.MAX_DELAY_SECONDS, refusedFor(t, "bob", "10.0.0.2"));
        seconds(SignInThrottle.MAX_DELAY_SECONDS + SignInThrottle.FORGET_AFTER_SECONDS + 1);
        t.failed("bob", "10.0.0.2"); // the first failure of a new hour
        assertDoesNotThrow(() -> t.check("bob", "10.0.0.2"));
    }
}
