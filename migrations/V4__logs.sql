-- Daily study logs: one per user and day, each with its items in four sections.
CREATE TABLE daily_log (
    id         BIGSERIAL PRIMARY KEY,
    owner_id   BIGINT      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    log_date   DATE        NOT NULL,
    version    BIGINT      NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One log per day; serves GET/PUT/DELETE /api/logs/{date}, the ?from=&to= range and streaks.
CREATE UNIQUE INDEX daily_log_owner_date_uq ON daily_log (owner_id, log_date);

-- section is the API's field name: finished, workingOn, plan, other.
-- label/confidence come from the classifier, or from the user when user_label is true
-- (the user's label wins and is training data for the classifier).
CREATE TABLE log_item (
    id         BIGSERIAL PRIMARY KEY,
    owner_id   BIGINT           NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    log_id     BIGINT           NOT NULL REFERENCES daily_log (id) ON DELETE CASCADE,
    section    VARCHAR(16)      NOT NULL CHECK (section IN ('finished', 'workingOn', 'plan', 'other')),
    position   INT              NOT NULL CHECK (position >= 0),
    text       VARCHAR(2000)    NOT NULL CHECK (length(text) > 0),
    label      VARCHAR(40),
    confidence DOUBLE PRECISION CHECK (confidence BETWEEN 0 AND 1),
    user_label BOOLEAN          NOT NULL DEFAULT FALSE
);
-- The items of one log (or of the logs in a range), in order; also the cascade from daily_log.
CREATE INDEX log_item_log_idx ON log_item (log_id, section, position);
-- The user's own labels: the training set when the classifier is retrained.
CREATE INDEX log_item_owner_labelled_idx ON log_item (owner_id) WHERE user_label;
