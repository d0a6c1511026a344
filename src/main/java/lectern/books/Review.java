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

    /**
     * Rates and reviews a book: {@code existing} (the book's review, or null) takes the rating and words, or a new
     * review is made. The one way a review is written, by the API, an import or a restore.
     */
    public static Review put(long ownerId, long bookId, Review existing, double rating, String text, OffsetDateTime now) {
        if (existing != null) {
            existing.take(rating, text, now);
            return existing;
        }
        Review review = new Review();
        review.bookId = bookId;
        review.ownerId = ownerId;
        review.createdAt = now;
        review.take(rating, text, now);
        review.persist();
        return review;
    }

    private void take(double rating, String text, OffsetDateTime now) {
        this.rating = rating;
        this.text = text;
        this.updatedAt = now;
    }
}
