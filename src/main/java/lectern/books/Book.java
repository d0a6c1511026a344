package lectern.books;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import lectern.api.ProblemException;
import lectern.time.ServerClock;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

@Entity
@Table(name = "book")
public class Book extends PanacheEntityBase {

    public static final int MAX_PAGES = 100_000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id")
    public long ownerId;

    public String title;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> authors = new ArrayList<>();

    public String isbn13;

    public Integer pages;

    public Integer year;

    public String publisher;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    public BookStatus status = BookStatus.want;

    @Version
    public long version;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    @PrePersist
    void stampCreated() {
        createdAt = OffsetDateTime.now(ServerClock.current());
        updatedAt = createdAt;
    }

    @PreUpdate
    void stampUpdated() {
        updatedAt = OffsetDateTime.now(ServerClock.current());
    }

    /**
     * Takes the details an import brings: every one when {@code replace} (a book untouched since its last import
     * follows the file), else only those the book lacks, so that Lectern's edits are never overwritten. True when
     * any changed (the book's version goes up at commit).
     */
    public boolean takeDetails(BookDetails file, boolean replace) {
        BookDetails mine = new BookDetails(title, authors, isbn13, pages, year, publisher, tags);
        BookDetails wanted = replace ? file : new BookDetails(title, authors.isEmpty() ? file.authors() : authors,
                orElse(isbn13, file.isbn13()), orElse(pages, file.pages()), orElse(year, file.year()),
                orElse(publisher, file.publisher()), tags);
        if (wanted.equals(mine)) {
            return false;
        }
        title = wanted.title();
        authors = new ArrayList<>(wanted.authors());
        isbn13 = wanted.isbn13();
        pages = wanted.pages();
        year = wanted.year();
        publisher = wanted.publisher();
        tags = new ArrayList<>(wanted.tags());
        return true;
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** The owner's live (not deleted) book, or a 404 that does not tell whether it exists for someone else. */
    public static Book owned(long ownerId, long id) {
        Book book = find("ownerId = ?1 and id = ?2 and deletedAt is null", ownerId, id).firstResult();
        if (book == null) {
            throw ProblemException.notFound("Book " + id);
        }
        return book;
    }

    /**
     * Like {@link #owned} but holds the row lock until the transaction ends, so that two clients
     * changing status or posting progress at once cannot both open a read-through.
     */
    public static Book ownedForUpdate(long ownerId, long id) {
        Book book = find("ownerId = ?1 and id = ?2 and deletedAt is null", ownerId, id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (book == null) {
            throw ProblemException.notFound("Book " + id);
        }
        return book;
    }
}
