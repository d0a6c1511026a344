package lectern.books;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** One read-through of a book: a re-read is a new row, so the history of earlier ones is kept. */
@Entity
@Table(name = "reading")
public class Reading extends PanacheEntityBase {

    public enum Status {
        reading, paused, read, abandoned;

        boolean isOpen() {
            return this == reading || this == paused;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id")
    public long ownerId;

    @Column(name = "book_id")
    public long bookId;

    @Column(name = "started_on")
    public LocalDate startedOn;

    @Column(name = "finished_on")
    public LocalDate finishedOn;

    @Enumerated(EnumType.STRING)
    public Status status;

    /** The book's most recent read-through, or null if it was never started. */
    static Reading latest(long ownerId, long bookId) {
        return find("ownerId = ?1 and bookId = ?2 order by id desc", ownerId, bookId).firstResult();
    }
}
