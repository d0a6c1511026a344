-- Import and export (lectern.transfer).

-- Where a book came from when it was imported from Goodreads: its Goodreads id (so that importing the same
-- export again updates rather than duplicates), the columns Lectern has no place for (so that an export
-- gives them back), and book.version right after the import wrote it (a higher version means the user has
-- changed the book in Lectern since, and a later import must not overwrite it).
CREATE TABLE goodreads_book (
    book_id         BIGINT       PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
    owner_id        BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    goodreads_id    VARCHAR(20),
    binding         VARCHAR(100),
    year_published  INT,
    original_year   INT,
    date_added      DATE,
    read_count      INT,
    owned_copies    INT,
    spoiler         BOOLEAN      NOT NULL DEFAULT FALSE,
    -- A review without stars (the review table needs a rating) and Goodreads' private notes are kept as notes.
    review_note_id  BIGINT,
    private_note_id BIGINT,
    synced_version  BIGINT       NOT NULL,
    imported_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
-- Matching an import row by Goodreads Book Id; also the one-link-per-Goodreads-book rule.
CREATE UNIQUE INDEX goodreads_book_owner_gid_uq ON goodreads_book (owner_id, goodreads_id) WHERE goodreads_id IS NOT NULL;
CREATE INDEX goodreads_book_owner_idx ON goodreads_book (owner_id);

-- What a BibTeX import knew about a paper that the paper table has no column for, so that the export writes
-- the same citation key and arXiv class back.
CREATE TABLE paper_bibtex (
    paper_id      BIGINT       PRIMARY KEY REFERENCES paper (id) ON DELETE CASCADE,
    owner_id      BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    cite_key      VARCHAR(200),
    entry_type    VARCHAR(20),
    primary_class VARCHAR(40)
);
CREATE INDEX paper_bibtex_owner_idx ON paper_bibtex (owner_id);
