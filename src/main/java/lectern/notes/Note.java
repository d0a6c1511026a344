package lectern.notes;

import lectern.time.ServerClock;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.OffsetDateTime;
import java.util.Optional;

@Entity
@Table(name = "note")
public class Note extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id")
    public long ownerId;

    @Column(name = "book_id")
    public Long bookId;

    @Column(name = "paper_id")
    public Long paperId;

    @Enumerated(EnumType.STRING)
    public NoteKind kind = NoteKind.idea;

    public String text;

    public Integer page;

    public String label;

    public Float confidence;

    @Column(name = "user_label")
    public boolean userLabel;

    @Version
    public long version;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", insertable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    @PreUpdate
    void touch() {
        updatedAt = OffsetDateTime.now(ServerClock.current());
    }

    /** A live (not deleted) note of this owner. */
    public static Optional<Note> findOwned(long ownerId, long id) {
        return find("ownerId = ?1 and id = ?2 and deletedAt is null", ownerId, id).firstResultOptional();
    }
}
