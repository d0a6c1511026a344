-- Wrong passwords counted per account and client address, and per address (lectern.accounts.SignInThrottle), shared
-- by every Lectern on the database so that a guesser spread over several replicas meets one count. key: SHA-256 hex
-- of what is counted; times in nanoseconds since the epoch. Rows an hour old and no longer blocking are pruned.
CREATE TABLE sign_in_failure (
    key           CHAR(64) PRIMARY KEY,
    count         INT      NOT NULL,
    last_failure  BIGINT   NOT NULL,
    blocked_until BIGINT   NOT NULL
);
