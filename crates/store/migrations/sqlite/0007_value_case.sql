-- Value Case (issue 29): the Fase 0 interview per organisation, roster-scan summaries,
-- and when a Value Case was generated and shared.
-- The interview names people by role only ("bestuurder", "HR-adviseur"), never by name.
CREATE TABLE interviews (
    org_id              BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    held_on             TEXT,
    participants        TEXT NOT NULL DEFAULT '',
    contract_policy     TEXT NOT NULL DEFAULT '',
    roster_practice     TEXT NOT NULL DEFAULT '',
    flex_pnil           TEXT NOT NULL DEFAULT '',
    earlier_initiatives TEXT NOT NULL DEFAULT '',
    updated_at          BIGINT NOT NULL,
    updated_by          BIGINT REFERENCES users(id) ON DELETE SET NULL
);

-- Opportunities and obstacles of an interview, in the order entered.
CREATE TABLE interview_items (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id    BIGINT NOT NULL REFERENCES interviews(org_id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    theme     TEXT NOT NULL,
    body      TEXT NOT NULL,
    quote     TEXT,
    who       TEXT NOT NULL,
    in_report BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX interview_items_org ON interview_items(org_id, position);

-- Summary figures of a roster scan, kept for the checklist and the recommendations.
CREATE TABLE roster_scan_summaries (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    scanned_on        TEXT NOT NULL,
    employees         BIGINT NOT NULL,
    shifts            BIGINT NOT NULL,
    short_shift_share REAL NOT NULL,
    split_shift_share REAL NOT NULL,
    recorded_at       BIGINT NOT NULL
);
CREATE INDEX roster_scan_summaries_org ON roster_scan_summaries(org_id, scanned_on);

-- A Value Case generated (page, PDF, JSON) for a round and snapshot.
CREATE TABLE value_case_reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    round_id     BIGINT REFERENCES survey_rounds(id) ON DELETE SET NULL,
    snapshot     TEXT NOT NULL,
    format       TEXT NOT NULL,
    generated_at BIGINT NOT NULL,
    generated_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX value_case_reports_org ON value_case_reports(org_id, generated_at);

-- A Value Case shared with the organisation: when, by whom, for which round and snapshot.
CREATE TABLE value_case_shares (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id    BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    round_id  BIGINT REFERENCES survey_rounds(id) ON DELETE SET NULL,
    snapshot  TEXT NOT NULL,
    shared_at BIGINT NOT NULL,
    shared_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX value_case_shares_org ON value_case_shares(org_id, shared_at);
