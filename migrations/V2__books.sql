-- Books, their read-throughs (a re-read is a second reading row, so history is kept),
-- progress entries (cumulative positions: a page or a percent on a date) and reviews.
CREATE TABLE book (
    id         BIGSERIAL PRIMARY KEY,
    owner_id   BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    title      VARCHAR(500) NOT NULL,
    authors    TEXT[]       NOT NULL DEFAULT '{}',
    isbn13     CHAR(13),
    pages      INT CHECK (pages BETWEEN 1 AND 100000),
    year       INT,
    publisher  VARCHAR(300),
    tags       TEXT[]       NOT NULL DEFAULT '{}',
    status     VARCHAR(16)  NOT NULL DEFAULT 'want'
        CHECK (status IN ('want', 'reading', 'paused', 'read', 'abandoned')),
    version    BIGINT       NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);
-- The list: newest activity first, optionally by status; deleted rows are never listed.
CREATE INDEX book_owner_updated_idx ON book (owner_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX book_owner_status_idx ON book (owner_id, status) WHERE deleted_at IS NULL;
-- One live book per ISBN and owner (duplicates are refused with 409).
CREATE UNIQUE INDEX book_owner_isbn_uq ON book (owner_id, isbn13) WHERE deleted_at IS NULL AND isbn13 IS NOT NULL;

CREATE TABLE reading (
    id          BIGSERIAL PRIMARY KEY,
    owner_id    BIGINT      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    book_id     BIGINT      NOT NULL REFERENCES book (id) ON DELETE CASCADE,
    started_on  DATE        NOT NULL,
    finished_on DATE,
    status      VARCHAR(16) NOT NULL CHECK (status IN ('reading', 'paused', 'read', 'abandoned')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (finished_on IS NULL OR finished_on >= started_on)
);
CREATE INDEX reading_owner_book_idx ON reading (owner_id, book_id, id);
-- Stats: read-throughs finished in a year.
CREATE INDEX reading_owner_finished_idx ON reading (owner_id, finished_on) WHERE status = 'read';

CREATE TABLE progress (
    id         BIGSERIAL PRIMARY KEY,
    owner_id   BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    reading_id BIGINT       NOT NULL REFERENCES reading (id) ON DELETE CASCADE,
    on_date    DATE         NOT NULL,
    page       INT CHECK (page >= 0),
    percent    NUMERIC(5, 2) CHECK (percent BETWEEN 0 AND 100),
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CHECK ((page IS NULL) <> (percent IS NULL))
);
CREATE INDEX progress_reading_idx ON progress (reading_id, on_date, id);
-- Stats: progress in a date range.
CREATE INDEX progress_owner_date_idx ON progress (owner_id, on_date);

CREATE TABLE review (
    book_id    BIGINT       PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
    owner_id   BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    rating     NUMERIC(2, 1) NOT NULL CHECK (rating BETWEEN 0.5 AND 5 AND rating * 2 = trunc(rating * 2)),
    text       TEXT,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX review_owner_idx ON review (owner_id);
