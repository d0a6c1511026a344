-- StoryGraph and Kindle imports (lectern.transfer).

-- StoryGraph rates in quarter stars (4.25, 3.75): reviews keep them exactly. PUT /api/books/{id}/review still takes
-- half stars; only imports and restores write quarters.
ALTER TABLE review DROP CONSTRAINT IF EXISTS review_rating_check;
ALTER TABLE review ALTER COLUMN rating TYPE NUMERIC(3, 2);
ALTER TABLE review ADD CONSTRAINT review_rating_check
    CHECK (rating BETWEEN 0.25 AND 5 AND rating * 4 = trunc(rating * 4));

-- Where a book came from when it was imported from StoryGraph, as goodreads_book is for Goodreads: the ISBN/UID cell
-- (so that importing the same export again updates rather than duplicates), the columns Lectern has no place for (so
-- that an export gives them back), which of the book's tags were moods and its pace, and book.version right after the
-- import wrote it (a higher version: the user changed the book since, and a later import must not overwrite it).
CREATE TABLE storygraph_book (
    book_id                     BIGINT       PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
    owner_id                    BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    uid                         VARCHAR(100),
    contributors                TEXT,
    format                      VARCHAR(100),
    moods                       TEXT[]       NOT NULL DEFAULT '{}',
    pace                        VARCHAR(40),
    character_or_plot           VARCHAR(100),
    strong_development          VARCHAR(100),
    loveable_characters         VARCHAR(100),
    diverse_characters          VARCHAR(100),
    flawed_characters           VARCHAR(100),
    content_warnings            TEXT,
    content_warning_description TEXT,
    owned                       VARCHAR(20),
    date_added                  DATE,
    read_count                  INT,
    -- A review without stars (the review table needs a rating) is kept as a note.
    review_note_id              BIGINT,
    synced_version              BIGINT       NOT NULL,
    imported_at                 TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX storygraph_book_owner_uid_uq ON storygraph_book (owner_id, uid) WHERE uid IS NOT NULL;
CREATE INDEX storygraph_book_owner_idx ON storygraph_book (owner_id);

-- A note made from a Kindle clipping: where in the book it was (Kindle locations; the page is the note's own), when
-- the Kindle added it, and the kind, so that importing My Clippings.txt again skips what is there and an edited
-- (extended) highlight replaces the note of its earlier version.
CREATE TABLE kindle_clipping (
    note_id        BIGINT       PRIMARY KEY REFERENCES note (id) ON DELETE CASCADE,
    owner_id       BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    book_id        BIGINT       NOT NULL REFERENCES book (id) ON DELETE CASCADE,
    kind           VARCHAR(10)  NOT NULL CHECK (kind IN ('highlight', 'note')),
    location_start INT,
    location_end   INT,
    added_at       TIMESTAMP
);
CREATE INDEX kindle_clipping_owner_book_idx ON kindle_clipping (owner_id, book_id);
