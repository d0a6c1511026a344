package lectern.books;

/** Where a book stands for its reader. Lowercase because that is how it travels in JSON and in the database. */
public enum BookStatus {
    want, reading, paused, read, abandoned
}
