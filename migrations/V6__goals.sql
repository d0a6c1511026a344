-- A yearly reading goal: how many books the user means to finish in that year.
CREATE TABLE goal (
    owner_id   BIGINT      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    year       INT         NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    books      INT         NOT NULL CHECK (books BETWEEN 1 AND 1000),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, year)
);
