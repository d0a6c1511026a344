package lectern.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import lectern.database.Notifications;

/**
 * Token revocation, sign-out and account deletion seen by every Lectern sharing the database within about a second:
 * the change sends a notification in its transaction ({@link Notifications}), and every instance, this one included,
 * forgets the token (or the user's tokens) from its {@link TokenCache}; a deleted account is also announced to the
 * other rooms as {@link AccountDeleted}. Without it another instance would trust its cached entry for up to
 * {@link TokenCache#MAX_AGE_SECONDS}.
 */
@ApplicationScoped
public class TokenRevocations implements Notifications.Listener {

    static final String CHANNEL = "lectern_token_revoked";

    @Inject
    TokenCache cache;

    @Inject
    Notifications notifications;

    @Inject
    Event<AccountDeleted> accountDeleted;

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

    /** The user's account, and with it every token, was deleted in the current transaction. */
    public void deletedAccount(long userId) {
        cache.forgetUser(userId);
        notifications.send(CHANNEL, "user:" + userId);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    /** Applies one notification's payload to this instance. */
    @Override
    public void received(String payload) {
        if (payload.startsWith("hash:")) {
            cache.forgetHash(payload.substring(5));
        } else if (payload.startsWith("id:")) {
            Notifications.id(CHANNEL, payload.substring(3)).ifPresent(cache::forgetToken);
        } else if (payload.startsWith("user:")) {
            Notifications.id(CHANNEL, payload.substring(5)).ifPresent(user -> {
                cache.forgetUser(user);
                accountDeleted.fire(new AccountDeleted(user));
            });
        }
    }

    /** Revocations may have been missed: forget every cached token once. */
    @Override
    public void missed() {
        cache.forgetAll();
    }
}
