package lectern.accounts;

/**
 * Fired on every Lectern on the database (this one included) once a user's account has been deleted, for the rooms
 * that keep something of the user in memory (the user's classifier, say). Rows need no such care: every table's
 * owner_id cascades.
 */
public record AccountDeleted(long userId) {
}
