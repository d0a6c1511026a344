package lectern.books;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/**
 * The reader's rating and words about a book; one per book. Half stars from Lectern's own review form, quarter stars
 * (4.25) kept exactly from a StoryGraph import.
 */
@Entity
@Table(name = "review")
public class Review extends PanacheEntityBase {

    @Id
    @Column(name = "book_id")
    public Long bookId;

    @Column(name = "owner_id")
    public long ownerId;

    public double rating;

    public String text;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
