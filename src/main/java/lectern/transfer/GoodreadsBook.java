package lectern.transfer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A book's Goodreads origin: see migrations/V7__transfer.sql. */
@Entity
@Table(name = "goodreads_book")
public class GoodreadsBook extends PanacheEntityBase {

    @Id
    @Column(name = "book_id")
    public Long bookId;

    @Column(name = "owner_id")
    public long ownerId;

    @Column(name = "goodreads_id")
    public String goodreadsId;

    public String binding;

    @Column(name = "year_published")
    public Integer yearPublished;

    @Column(name = "original_year")
    public Integer originalYear;

    @Column(name = "date_added")
    public LocalDate dateAdded;

    @Column(name = "read_count")
    public Integer readCount;

    @Column(name = "owned_copies")
    public Integer ownedCopies;

    public boolean spoiler;

    @Column(name = "review_note_id")
    public Long reviewNoteId;

    @Column(name = "private_note_id")
    public Long privateNoteId;

    /** book.version right after the import wrote the book. */
    @Column(name = "synced_version")
    public long syncedVersion;

    @Column(name = "imported_at")
    public OffsetDateTime importedAt;
}
