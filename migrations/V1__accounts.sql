-- Accounts and API tokens. Every other table references app_user as its owner.
CREATE TABLE app_user (
    id            BIGSERIAL PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX app_user_username_uq ON app_user (lower(username));

-- Tokens are stored as SHA-256 hashes: a database leak does not leak usable tokens.
CREATE TABLE api_token (
    id           BIGSERIAL PRIMARY KEY,
    owner_id     BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL,
    token_hash   CHAR(64)     NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX api_token_hash_uq ON api_token (token_hash);
CREATE INDEX api_token_owner_idx ON api_token (owner_id);
