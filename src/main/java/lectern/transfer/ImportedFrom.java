package lectern.transfer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Where an imported book came from (goodreads_book, storygraph_book): what every such link keeps. A higher
 * book.version than {@link #syncedVersion} means the user changed the book in Lectern since the import, so a later
 * import must not overwrite it; -1: Lectern had the book first.
 */
@MappedSuperclass
public abstract class ImportedFrom extends PanacheEntityBase {

    @Id
    @Column(name = "book_id")
    public Long bookId;

    @Column(name = "owner_id")
    public long ownerId;

    @Column(name = "date_added")
    public LocalDate dateAdded;

    @Column(name = "read_count")
    public Integer readCount;

    /** A review without stars (the review table needs a rating), kept as a note. */
    @Column(name = "review_note_id")
    public Long reviewNoteId;

    /** book.version right after the import wrote the book. */
    @Column(name = "synced_version")
    public long syncedVersion;

    @Column(name = "imported_at")
    public OffsetDateTime importedAt;
}
