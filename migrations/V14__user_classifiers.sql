-- Classifiers retrained on one user's labels (lectern.llm.UserClassifiers), shared by every Lectern on the database.
-- Only what differs from the served model is stored: the linear head on its GPT's features (the ln_f hidden state of
-- the last token) and the n-gram half with its temperature, a few kilobytes to a few hundred. Every instance applies
-- them on its one copy of the served trunk. A new version is announced with NOTIFY lectern_classifier, so the other
-- instances drop what they cached. The two newest versions are kept.
CREATE TABLE user_classifier (
    owner_id   BIGINT      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    version    INT         NOT NULL CHECK (version > 0),
    -- the served model it was trained on: SHA-256 of its model.json and tokenizer.json; another model ignores it
    base       CHAR(64)    NOT NULL,
    base_name  TEXT        NOT NULL,
    -- the label names in logit order, a JSON array
    labels     JSONB       NOT NULL,
    -- n_embd: the head's weight is (labels, width) row-major, then its bias (labels), float32 little-endian
    width      INT         NOT NULL CHECK (width > 0),
    head       BYTEA       NOT NULL,
    -- classifier-ngrams.json (model/CONTRACT.md) gzipped; null for a head without an n-gram half
    ngrams     BYTEA,
    metrics    JSONB       NOT NULL DEFAULT '{}',
    job_id     BIGINT      REFERENCES model_job (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, version)
);
