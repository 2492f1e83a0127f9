-- Survey anonymity under attack (issue 26).
-- Import rounds: a round created to hold responses collected elsewhere; it never takes
-- code or link responses, and responses of a web round are never padded by an import.
ALTER TABLE survey_rounds ADD COLUMN import_round BIGINT NOT NULL DEFAULT 0;
-- The organisation's minimum group size when the round opened (or closed unopened). The
-- effective k of a round is max(frozen, organisation's current), so lowering it later
-- never applies to rounds collected under the old one.
ALTER TABLE survey_rounds ADD COLUMN frozen_min_group_size BIGINT;
UPDATE survey_rounds
   SET frozen_min_group_size = (SELECT o.min_group_size FROM organisations o
                                 WHERE o.id = survey_rounds.org_id)
 WHERE status <> 'concept';
-- Teams with survey data are archived, never deleted (the partition of old rounds stays).
ALTER TABLE teams ADD COLUMN archived BIGINT NOT NULL DEFAULT 0;
-- Drafts are now keyed by the code (or link) together with a per-browser secret; drafts
-- keyed by the code alone could be read by anyone holding the code, so they go.
DELETE FROM survey_drafts;
CREATE INDEX survey_drafts_day ON survey_drafts(day);
-- Free-text answers, held apart from the responses (no link to one) until the programme
-- team reviews them: `pending`, `approved` (with the published, possibly edited text) or
-- `withheld`.
CREATE TABLE survey_free_texts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id    BIGINT NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    question    TEXT NOT NULL,
    original    TEXT NOT NULL,
    published   TEXT,
    status      TEXT NOT NULL DEFAULT 'pending',
    reviewed_at BIGINT
);
CREATE INDEX survey_free_texts_round ON survey_free_texts(round_id, status);
