-- Papers: arXiv ids are stored normalized without their version (1706.03762, hep-th/9901001); the version
-- the user gave is kept apart. DOIs keep the user's spelling and are compared lowercased.
CREATE TABLE paper (
    id             BIGSERIAL PRIMARY KEY,
    owner_id       BIGINT        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    title          VARCHAR(500)  NOT NULL,
    authors        TEXT[]        NOT NULL DEFAULT '{}',
    arxiv_id       VARCHAR(40),
    arxiv_version  INT CHECK (arxiv_version >= 1),
    doi            VARCHAR(300),
    year           INT,
    url            VARCHAR(2000),
    status         VARCHAR(10)   NOT NULL DEFAULT 'to-read' CHECK (status IN ('to-read', 'reading', 'read')),
    tags           TEXT[]        NOT NULL DEFAULT '{}',
    started_on     DATE,
    read_on        DATE,
    version        BIGINT        NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    deleted_at     TIMESTAMPTZ
);
-- One live copy of a paper per user (a deleted one may be added again); these also serve the duplicate checks
-- and the join from references to the cited paper.
CREATE UNIQUE INDEX paper_owner_arxiv_uq ON paper (owner_id, arxiv_id) WHERE deleted_at IS NULL AND arxiv_id IS NOT NULL;
CREATE UNIQUE INDEX paper_owner_doi_uq ON paper (owner_id, lower(doi)) WHERE deleted_at IS NULL AND doi IS NOT NULL;
-- GET /api/papers?status= lists newest first.
CREATE INDEX paper_owner_status_idx ON paper (owner_id, status, id) WHERE deleted_at IS NULL;

-- arXiv ids found in a paper's notes. note_id points at the notes room's note table (V5, which runs after this
-- file, hence no foreign keys): reads join note and skip deleted notes, so deleting a note drops its references
-- and restoring it brings them back. note_version is the note's version when its text was scanned; a note whose
-- version moved on (edited elsewhere) is scanned again before references are read.
-- The cited paper is resolved when read (join on owner_id, arxiv_id), so adding it later links it.
CREATE TABLE paper_reference (
    id           BIGSERIAL PRIMARY KEY,
    owner_id     BIGINT      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    paper_id     BIGINT      NOT NULL REFERENCES paper (id) ON DELETE CASCADE,
    note_id      BIGINT      NOT NULL,
    note_version BIGINT      NOT NULL,
    arxiv_id     VARCHAR(40) NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX paper_reference_note_arxiv_uq ON paper_reference (note_id, arxiv_id);
-- GET /api/papers/{id}/references
CREATE INDEX paper_reference_owner_paper_idx ON paper_reference (owner_id, paper_id);
-- GET /api/papers/{id}/cited-by
CREATE INDEX paper_reference_owner_arxiv_idx ON paper_reference (owner_id, arxiv_id);

-- Which version of each paper note has been scanned for references (also notes that reference nothing).
CREATE TABLE paper_note_scan (
    note_id      BIGINT PRIMARY KEY,
    owner_id     BIGINT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    paper_id     BIGINT NOT NULL REFERENCES paper (id) ON DELETE CASCADE,
    note_version BIGINT NOT NULL
);
