-- Background jobs: a row per job, claimed by any worker of any instance (portable claim:
-- UPDATE … WHERE id = (SELECT …) AND status = 'queued'). Input and result are JSON text.
-- status: queued | running | done | failed | cancelled.
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL,
    org_id           BIGINT REFERENCES organisations(id) ON DELETE CASCADE,
    input            TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'queued',
    dedupe_key       TEXT UNIQUE,
    attempts         BIGINT NOT NULL DEFAULT 0,
    max_attempts     BIGINT NOT NULL DEFAULT 3,
    run_after        BIGINT NOT NULL,
    progress         REAL,
    progress_note    TEXT,
    result           TEXT,
    error            TEXT,
    cancel_requested BIGINT NOT NULL DEFAULT 0,
    worker           TEXT,
    heartbeat        BIGINT,
    created_by       BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at       BIGINT NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT
);
CREATE INDEX jobs_queue ON jobs (status, run_after, id);
CREATE INDEX jobs_org ON jobs (org_id, id);
