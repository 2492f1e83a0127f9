-- Foundation: settings, organisations, locations, teams, users, sessions, tokens, audit.
-- Timestamps are unix seconds (BIGINT); dates are ISO text; flags are 0/1 integers.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE,
    subsector      TEXT NOT NULL,
    fulltime_hours REAL NOT NULL DEFAULT 36,
    min_group_size BIGINT NOT NULL DEFAULT 5,
    phase          TEXT NOT NULL DEFAULT 'ontwerp',
    pseudonym_key  TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);

CREATE TABLE locations (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name   TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    location_id BIGINT REFERENCES locations(id) ON DELETE SET NULL,
    name        TEXT NOT NULL,
    UNIQUE (org_id, name)
);
CREATE INDEX teams_org ON teams(org_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_id        BIGINT REFERENCES organisations(id) ON DELETE CASCADE,
    password_hash TEXT,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE user_teams (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, team_id)
);

CREATE TABLE user_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       BIGINT NOT NULL,
    actor_id BIGINT,
    actor    TEXT NOT NULL,
    org_id   BIGINT,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
