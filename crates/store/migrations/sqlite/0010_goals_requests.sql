-- Steering on impact (issue 31): an organisation's goals (measured from the data; only
-- `manual` goals have values typed in), and contract requests ("Jouw contract, een
-- bewuste keuze") with the public form's code per organisation.
CREATE TABLE goals (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id         BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    team_id        BIGINT REFERENCES teams(id) ON DELETE CASCADE,
    baseline_date  TEXT NOT NULL,
    baseline_value REAL,
    target         REAL NOT NULL,
    deadline       TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX goals_org ON goals(org_id, id);

-- Values entered for `manual` goals.
CREATE TABLE goal_values (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    goal_id     BIGINT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,
    value       REAL NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_at BIGINT NOT NULL,
    recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX goal_values_goal ON goal_values(goal_id, measured_on);

-- The public request form of an organisation: its random code (shown to and regenerated
-- by the organisation's admins) and how long a closed request keeps its personal data.
CREATE TABLE request_forms (
    org_id           BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    code             TEXT NOT NULL UNIQUE,
    retention_months BIGINT NOT NULL DEFAULT 12 CHECK (retention_months BETWEEN 1 AND 60),
    updated_at       BIGINT NOT NULL
);

-- A request to talk about more hours. Never linked to survey answers: no survey code,
-- round or response id. Name, contact, the employee number's pseudonym, the wishes and
-- the reason are personal data, set to NULL/'' once the retention period after closing
-- has passed (anonymised_at); the counts (status, hours, dates, team) stay.
CREATE TABLE contract_requests (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    team_id            BIGINT REFERENCES teams(id) ON DELETE SET NULL,
    extra_hours        REAL NOT NULL,
    days               TEXT NOT NULL DEFAULT '',
    shifts             TEXT NOT NULL DEFAULT '',
    conditions         TEXT NOT NULL DEFAULT '',
    name               TEXT,
    contact            TEXT,
    consent_at         BIGINT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'nieuw',
    reason             TEXT,
    hours_agreed       REAL,
    employee_pseudonym TEXT,
    created_on         TEXT NOT NULL,
    accepted_on        TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    closed_at          BIGINT,
    anonymised_at      BIGINT
);
CREATE INDEX contract_requests_org ON contract_requests(org_id, status);
CREATE INDEX contract_requests_closed ON contract_requests(closed_at);
