package lectern.papers;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import lectern.api.ProblemException;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Entity
@Table(name = "paper")
public class Paper extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id")
    public long ownerId;

    public String title;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public List<String> authors = new ArrayList<>();

    /** Normalized, without version: see {@link ArxivId}. */
    @Column(name = "arxiv_id")
    public String arxivId;

    @Column(name = "arxiv_version")
    public Integer arxivVersion;

    public String doi;

    public Integer year;

    public String url;

    public PaperStatus status = PaperStatus.TO_READ;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public List<String> tags = new ArrayList<>();

    @Column(name = "started_on")
    public LocalDate startedOn;

    @Column(name = "read_on")
    public LocalDate readOn;

    @Version
    public long version;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    /** A live paper of this owner, or a 404 (also when it belongs to someone else). */
    public static Paper findOwned(long ownerId, long id) {
        return Paper.<Paper>find("ownerId = ?1 and id = ?2 and deletedAt is null", ownerId, id).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Paper " + id));
    }

    public static Optional<Paper> findByArxivId(long ownerId, String arxivId) {
        return find("ownerId = ?1 and arxivId = ?2 and deletedAt is null", ownerId, arxivId).firstResultOptional();
    }

    public static Optional<Paper> findByDoi(long ownerId, Doi doi) {
        return find("ownerId = ?1 and lower(doi) = ?2 and deletedAt is null", ownerId, doi.key()).firstResultOptional();
    }
}
