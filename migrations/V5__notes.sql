-- Notes on a book or a paper: highlights, quotes, ideas, applications. Soft-deleted so that a
-- mistaken delete can be undone. label/confidence come from the classifier; user_label marks a
-- label the user set themselves (it wins, and becomes training data).
CREATE TABLE note (
    id          BIGSERIAL PRIMARY KEY,
    owner_id    BIGINT        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    book_id     BIGINT REFERENCES book (id) ON DELETE CASCADE,
    paper_id    BIGINT REFERENCES paper (id) ON DELETE CASCADE,
    kind        VARCHAR(20)   NOT NULL DEFAULT 'idea',
    text        TEXT          NOT NULL,
    page        INTEGER,
    label       VARCHAR(40),
    confidence  REAL,
    user_label  BOOLEAN       NOT NULL DEFAULT FALSE,
    version     BIGINT        NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    deleted_at  TIMESTAMPTZ,
    CONSTRAINT note_has_one_subject CHECK ((book_id IS NULL) <> (paper_id IS NULL)),
    CONSTRAINT note_kind_known CHECK (kind IN ('highlight', 'quote', 'idea', 'application'))
);
CREATE INDEX note_book_idx ON note (owner_id, book_id, created_at) WHERE book_id IS NOT NULL;
CREATE INDEX note_paper_idx ON note (owner_id, paper_id, created_at) WHERE paper_id IS NOT NULL;
CREATE INDEX note_owner_created_idx ON note (owner_id, created_at DESC);
