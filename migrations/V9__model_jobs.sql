-- Retraining the classifier on a user's own labels (lectern.llm.RetrainJobs): one row per job. Jobs run one at a
-- time on a background thread; progress (0..1) is updated while features are computed and while the head trains.
-- metrics is the job's report as JSON text (examples, labels, accuracies); error says why a failed job failed.
CREATE TABLE model_job (
    id          BIGSERIAL    PRIMARY KEY,
    owner_id    BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    kind        VARCHAR(20)  NOT NULL DEFAULT 'retrain',
    status      VARCHAR(10)  NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress    REAL         NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    metrics     TEXT,
    error       TEXT,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);
-- A user's jobs, newest first (GET /api/model/jobs/{id} is by owner and id).
CREATE INDEX model_job_owner_idx ON model_job (owner_id, id);
-- At most one job per user waiting or running: a second request is refused (409) even when two arrive at once.
CREATE UNIQUE INDEX model_job_active_uq ON model_job (owner_id) WHERE status IN ('queued', 'running');

-- The training set of a retraining: a user's own labels on notes (log items have log_item_owner_labelled_idx).
CREATE INDEX note_owner_labelled_idx ON note (owner_id) WHERE user_label AND deleted_at IS NULL;
