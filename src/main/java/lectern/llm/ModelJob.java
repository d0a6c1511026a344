package lectern.llm;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Optional;

/** A classifier retraining job of one user (table model_job, V9, V13). */
@Entity
@Table(name = "model_job")
public class ModelJob extends PanacheEntityBase {

    public enum Status { queued, running, done, failed }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id")
    public long ownerId;

    public String kind = "retrain";

    @Enumerated(EnumType.STRING)
    public Status status = Status.queued;

    public float progress;

    /** The job's report (ClassifierTraining.Report and where the classifier went) as JSON text. */
    public String metrics;

    public String error;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    /** Refreshed by the instance running the job (V13); a running job without a fresh one was left by a stopped one. */
    @Column(name = "heartbeat_at")
    public OffsetDateTime heartbeatAt;

    /** The instance that claimed the job: host:pid. */
    public String runner;

    public static Optional<ModelJob> forOwner(long ownerId, long id) {
        return find("ownerId = ?1 and id = ?2", ownerId, id).firstResultOptional();
    }

    /** The user's job that is queued or running, if any (there is at most one). */
    public static Optional<ModelJob> activeOf(long ownerId) {
        return find("ownerId = ?1 and status in ?2", ownerId, java.util.List.of(Status.queued, Status.running))
                .firstResultOptional();
    }
}
