-- State that once lived in one process's memory, so that several instances behind a load
-- balancer behave as one (no sticky sessions).

-- HR and PNIL uploads waiting for the mapping step. The payload (the parsed file and the
-- mapping state) is sealed by the application (XChaCha20-Poly1305 with a key from
-- configuration, random nonce per row, organisation/user/kind/token as associated data),
-- base64 text. Only the token's SHA-256 is stored. Deleted after the mapping step and
-- purged after expires_at (30 minutes).
CREATE TABLE upload_stash (
    token_hash TEXT PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    payload    TEXT NOT NULL
);
CREATE INDEX upload_stash_user ON upload_stash (user_id, created_at);
CREATE INDEX upload_stash_expiry ON upload_stash (expires_at);

-- Open survey links: attempts per link (token hash), client (address hashed with a
-- server-side key; never the address itself), kind (step | submit) and fixed window.
-- Purged after expires_at (the end of the window).
CREATE TABLE link_attempts (
    token_hash   TEXT NOT NULL,
    client_hash  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    attempts     BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    PRIMARY KEY (token_hash, client_hash, kind, window_start)
);
CREATE INDEX link_attempts_expiry ON link_attempts (expires_at);
