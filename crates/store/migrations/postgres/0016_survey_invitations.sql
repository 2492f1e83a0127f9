-- Survey invitations by e-mail (issue 33): the address list of a round, per team, so
-- Urenwinst can mail each address its own single-use code and later remind only the
-- addresses whose code is still unused.
-- Anonymity: a row holds round, team, address, the hash of the address's current code
-- (to read its `used` flag in survey_codes), how often it was mailed and the last day
-- (ISO date, never a time) — nothing that a response also holds beyond round and team.
-- Responses hold no code and no address, so the two tables cannot be joined.
-- The code itself is never stored: each mail carries a fresh code that replaces the
-- previous unused one. Addresses are personal data: the rows are deleted when the round
-- closes (and by the hourly purge for any closed round).
CREATE TABLE survey_invitations (
    round_id     BIGINT NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    team_id      BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    code_hash    TEXT,
    sent_count   BIGINT NOT NULL DEFAULT 0,
    last_sent_on TEXT,
    PRIMARY KEY (round_id, email)
);
CREATE INDEX survey_invitations_team ON survey_invitations(round_id, team_id);
