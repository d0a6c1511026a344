package lectern.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import lectern.database.Notifications;
import org.jboss.logging.Logger;

/**
 * Token revocation, sign-out and account deletion seen by every Lectern sharing the database within about a second:
 * the change sends a notification in its transaction ({@link Notifications}), and every instance, this one included,
 * forgets the token (or the user's tokens) from its {@link TokenCache}. Without it another instance would trust its
 * cached entry for up to {@link TokenCache#MAX_AGE_SECONDS}.
 */
@ApplicationScoped
public class TokenRevocations implements Notifications.Listener {

    static final String CHANNEL = "lectern_token_revoked";
    private static final Logger LOG = Logger.getLogger(TokenRevocations.class);

    @Inject
    TokenCache cache;

    @Inject
    Notifications notifications;

    /** The token with this id was deleted in the current transaction. */
    public void revokedToken(long tokenId) {
        cache.forgetToken(tokenId);
        notifications.send(CHANNEL, "id:" + tokenId);
    }

    /** The token with this hash was deleted in the current transaction (a web session's sign-out). */
    public void revokedHash(String tokenHash) {
        cache.forgetHash(tokenHash);
        notifications.send(CHANNEL, "hash:" + tokenHash);
    }

    /** Every token of this user was deleted in the current transaction (the account was deleted). */
    public void revokedUser(long userId) {
        cache.forgetUser(userId);
        notifications.send(CHANNEL, "user:" + userId);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    /** Applies one notification's payload to this instance's cache. */
    @Override
    public void received(String payload) {
        try {
            if (payload.startsWith("id:")) {
                cache.forgetToken(Long.parseLong(payload.substring(3)));
            } else if (payload.startsWith("hash:")) {
                cache.forgetHash(payload.substring(5));
            } else if (payload.startsWith("user:")) {
                cache.forgetUser(Long.parseLong(payload.substring(5)));
            }
        } catch (NumberFormatException e) {
            LOG.debugf("ignored a malformed %s notification: %s", CHANNEL, payload);
        }
    }

    /** Revocations may have been missed: forget every cached token once. */
    @Override
    public void missed() {
        cache.forgetAll();
    }
}
