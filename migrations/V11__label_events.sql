-- Watching the classifier in use (lectern.llm.LabelMonitor): what it predicted and what the user made of it.
--   predicted: the background labeller gave item_kind/item_id the label model_label with this confidence;
--   reviewed:  the user set user_label on an item whose label was the classifier's model_label (agreement when
--              equal, a correction when not).
-- Rows are never updated; the model page and GET /api/model read the last 30 days of one user's rows.
CREATE TABLE label_event (
    id          BIGSERIAL PRIMARY KEY,
    owner_id    BIGINT           NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    item_kind   VARCHAR(10)      NOT NULL CHECK (item_kind IN ('log_item', 'note')),
    item_id     BIGINT           NOT NULL,
    kind        VARCHAR(10)      NOT NULL CHECK (kind IN ('predicted', 'reviewed')),
    model_label VARCHAR(40)      NOT NULL,
    confidence  DOUBLE PRECISION CHECK (confidence BETWEEN 0 AND 1),
    user_label  VARCHAR(40),
    at          TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CONSTRAINT label_event_reviewed_has_user_label CHECK ((kind = 'reviewed') = (user_label IS NOT NULL))
);
CREATE INDEX label_event_owner_at_idx ON label_event (owner_id, at);
