package lectern.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import lectern.database.Notifications;
import org.jboss.logging.Logger;

/**
 * A deleted account, heard by every Lectern on the database: the deleting transaction notifies, and each instance
 * forgets the user's cached tokens and fires {@link AccountDeleted} for the rooms that keep something of the user in
 * memory (the user's classifier, say). Rows need no such care: every table's owner_id cascades.
 */
@ApplicationScoped
public class AccountDeletions implements Notifications.Listener {

    /** Fired on every instance (this one included) once a user's account has been deleted. */
    public record AccountDeleted(long userId) {
    }

    static final String CHANNEL = "lectern_account_deleted";
    private static final Logger LOG = Logger.getLogger(AccountDeletions.class);

    @Inject
    Notifications notifications;

    @Inject
    TokenRevocations revocations;

    @Inject
    Event<AccountDeleted> deleted;

    /** The user's row was deleted in the current transaction. */
    void deletedInThisTransaction(long userId) {
        revocations.revokedUser(userId);
        notifications.send(CHANNEL, Long.toString(userId));
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public void received(String payload) {
        long userId;
        try {
            userId = Long.parseLong(payload);
        } catch (NumberFormatException e) {
            LOG.debugf("ignored a malformed %s notification: %s", CHANNEL, payload);
            return;
        }
        deleted.fire(new AccountDeleted(userId));
    }

    @Override
    public void missed() {
        // nothing to forget here: the rooms' caches ask the database again when a user they hold no longer exists
    }
}
