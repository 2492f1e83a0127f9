-- Fase 0 survey: rounds, invitation codes (hashed), open links, responses, drafts.
-- Anonymity: a response holds no code, address, user agent or time finer than the day;
-- that a code was used is recorded on the code, never linked to a response.
CREATE TABLE survey_rounds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    questionnaire   TEXT NOT NULL,
    version         BIGINT NOT NULL,
    custom_questions TEXT NOT NULL DEFAULT '[]',
    opens_on        TEXT NOT NULL,
    closes_on       TEXT NOT NULL,
    invitation_text TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'concept',
    created_at      BIGINT NOT NULL
);
CREATE INDEX survey_rounds_org ON survey_rounds(org_id);

CREATE TABLE survey_round_teams (
    round_id   BIGINT NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    team_id    BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    invited    BIGINT NOT NULL DEFAULT 0,
    open_token TEXT NOT NULL UNIQUE,
    PRIMARY KEY (round_id, team_id)
);

CREATE TABLE survey_codes (
    code_hash TEXT PRIMARY KEY,
    round_id  BIGINT NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    team_id   BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    used      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX survey_codes_round ON survey_codes(round_id, team_id);

CREATE TABLE survey_responses (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id  BIGINT NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    team_id   BIGINT REFERENCES teams(id) ON DELETE SET NULL,
    version   BIGINT NOT NULL,
    answers   TEXT NOT NULL,
    day       TEXT NOT NULL,
    source    TEXT NOT NULL
);
CREATE INDEX survey_responses_round ON survey_responses(round_id);

CREATE TABLE survey_drafts (
    key_hash TEXT PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    answers  TEXT NOT NULL,
    day      TEXT NOT NULL
);

CREATE TABLE survey_link_guards (
    round_id   BIGINT NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    guard_hash TEXT NOT NULL,
    PRIMARY KEY (round_id, guard_hash)
);
