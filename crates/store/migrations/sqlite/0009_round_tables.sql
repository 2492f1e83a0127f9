-- Round tables and the learning network (issue 30).
--
-- A round table is an event of a region per subsector (subsector NULL: a mix) with its
-- invited organisations and their attendance, its outcome (opportunities, obstacles and
-- chosen solution directions, each tagged with an interview theme and optionally linked to
-- a practice) and its follow-up actions. Codes (kind, theme, status) are checked by `app`
-- against the `valuecase` vocabularies before they get here.
--
-- A practice is what an organisation did (an intervention of the catalogue), shared by an
-- organisation admin with explicit consent; `withdrawn_at` hides it everywhere. Its
-- measured effect is never stored: it is computed from HR snapshots, PNIL and roster scans.

CREATE TABLE practices (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    intervention  TEXT NOT NULL,
    theme         TEXT NOT NULL,
    description   TEXT NOT NULL,
    subsector     TEXT NOT NULL,
    team_type     TEXT NOT NULL,
    size_band     TEXT NOT NULL,
    started_on    TEXT NOT NULL,
    all_regions   BIGINT NOT NULL DEFAULT 0,
    consent_at    BIGINT NOT NULL,
    shared_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    withdrawn_at  BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX practices_org ON practices(org_id);

-- The teams a practice concerns (none: the whole organisation).
CREATE TABLE practice_teams (
    practice_id BIGINT NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    team_id     BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    PRIMARY KEY (practice_id, team_id)
);

-- Materials of a practice: links.
CREATE TABLE practice_links (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    practice_id BIGINT NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    label       TEXT NOT NULL,
    url         TEXT NOT NULL
);
CREATE INDEX practice_links_practice ON practice_links(practice_id, position);

CREATE TABLE round_tables (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id   BIGINT NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
    subsector   TEXT,
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    place       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX round_tables_region ON round_tables(region_id, held_on);

-- Invited organisations; `attendees` is how many people came (NULL: not recorded yet).
CREATE TABLE round_table_orgs (
    round_table_id BIGINT NOT NULL REFERENCES round_tables(id) ON DELETE CASCADE,
    org_id         BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    attendees      BIGINT CHECK (attendees >= 0),
    PRIMARY KEY (round_table_id, org_id)
);
CREATE INDEX round_table_orgs_org ON round_table_orgs(org_id);

-- The shared picture: kind `kans`, `belemmering` or `oplossing`, an interview theme.
CREATE TABLE round_table_items (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    round_table_id BIGINT NOT NULL REFERENCES round_tables(id) ON DELETE CASCADE,
    position       BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    theme          TEXT NOT NULL,
    body           TEXT NOT NULL,
    practice_id    BIGINT REFERENCES practices(id) ON DELETE SET NULL
);
CREATE INDEX round_table_items_table ON round_table_items(round_table_id, position);

-- Follow-up actions with an owner (a name, free text), a due date and a status.
CREATE TABLE round_table_actions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    round_table_id BIGINT NOT NULL REFERENCES round_tables(id) ON DELETE CASCADE,
    position       BIGINT NOT NULL,
    body           TEXT NOT NULL,
    owner          TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    status         TEXT NOT NULL
);
CREATE INDEX round_table_actions_table ON round_table_actions(round_table_id, position);
