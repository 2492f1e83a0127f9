-- Programme (issue 31): a region's phases with dates, cohorts of organisations (an
-- organisation in at most one cohort: the primary key of cohort_members), onboarding per
-- organisation, the intervention plan (one row per chosen or recommended intervention of
-- the catalogue in crates/valuecase/rules/recommendations.toml), its sessions and
-- materials, meetings, action lists, and the e-mail reminders sent (one per user per day).
-- Dates are ISO text; timestamps unix seconds.
CREATE TABLE programme_phases (
    region_id BIGINT NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
    phase     TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on   TEXT NOT NULL,
    PRIMARY KEY (region_id, phase)
);

CREATE TABLE cohorts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id  BIGINT NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    phase      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (region_id, name)
);

CREATE TABLE cohort_members (
    org_id    BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    cohort_id BIGINT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE
);
CREATE INDEX cohort_members_cohort ON cohort_members(cohort_id);

CREATE TABLE onboarding (
    org_id              BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    project_lead        TEXT NOT NULL,
    board_commitment_on TEXT,
    people_reserved     BIGINT NOT NULL CHECK (people_reserved >= 0),
    hours_reserved      REAL NOT NULL CHECK (hours_reserved >= 0),
    notes               TEXT NOT NULL,
    updated_at          BIGINT NOT NULL
);

CREATE TABLE plan_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    intervention TEXT NOT NULL,
    status       TEXT NOT NULL,
    owner        TEXT NOT NULL,
    starts_on    TEXT,
    ends_on      TEXT,
    recommended  BIGINT NOT NULL DEFAULT 0,
    reason       TEXT NOT NULL DEFAULT '',
    updated_at   BIGINT NOT NULL,
    UNIQUE (org_id, intervention)
);

CREATE TABLE plan_item_teams (
    item_id BIGINT NOT NULL REFERENCES plan_items(id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, team_id)
);

CREATE TABLE plan_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id      BIGINT NOT NULL REFERENCES plan_items(id) ON DELETE CASCADE,
    held_on      TEXT NOT NULL,
    participants BIGINT NOT NULL CHECK (participants >= 0),
    notes        TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX plan_sessions_item ON plan_sessions(item_id, held_on);

CREATE TABLE plan_materials (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id    BIGINT NOT NULL REFERENCES plan_items(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    url        TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_materials_item ON plan_materials(item_id);

CREATE TABLE meetings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    held_on    TEXT NOT NULL,
    notes      TEXT NOT NULL,
    decisions  TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_org ON meetings(org_id, held_on);

-- An action's owner is a user of the organisation, or the programme team
-- (owner_user_id NULL, owner_programme 1). Its link is kind + reference as text:
-- 'intervention' + code, 'meeting' + id, 'round_table' + id (round tables live elsewhere,
-- so no foreign key).
CREATE TABLE actions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    owner_user_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    owner_programme BIGINT NOT NULL DEFAULT 0,
    team_id         BIGINT REFERENCES teams(id) ON DELETE SET NULL,
    due_on          TEXT NOT NULL,
    status          TEXT NOT NULL,
    link_kind       TEXT,
    link_ref        TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX actions_org ON actions(org_id, status, due_on);
CREATE INDEX actions_owner ON actions(owner_user_id, status);

CREATE TABLE reminder_sends (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sent_on TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    actions BIGINT NOT NULL,
    PRIMARY KEY (user_id, sent_on)
);
