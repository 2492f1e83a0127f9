-- Roster scans and roster designs in the product (issue 32).
-- A scan is one team's roster export over a period: the shifts as read, pseudonymised
-- (employee numbers as the organisation's keyed hash), and the scan report. Names, when
-- the planner mapped a name column, are kept only sealed with the server key
-- (names_sealed); the database alone holds no name.
CREATE TABLE roster_scans (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    team_id       BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    employees     BIGINT NOT NULL,
    shifts        BIGINT NOT NULL,
    export_json   TEXT NOT NULL,
    report_json   TEXT NOT NULL,
    names_sealed  TEXT,
    created_at    BIGINT NOT NULL,
    created_by    BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX roster_scans_team ON roster_scans(org_id, team_id, period_start);

-- A roster design started from a scan: its input (demand, employees, rules), the job
-- that solves it, the progress the worker writes (any instance shows it) and the result.
CREATE TABLE roster_designs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id         BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    team_id        BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    scan_id        BIGINT NOT NULL REFERENCES roster_scans(id) ON DELETE CASCADE,
    job_id         BIGINT REFERENCES jobs(id) ON DELETE SET NULL,
    input_json     TEXT NOT NULL,
    seconds        BIGINT NOT NULL,
    best_objective BIGINT,
    seconds_left   BIGINT,
    result_json    TEXT,
    created_at     BIGINT NOT NULL,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX roster_designs_scan ON roster_designs(org_id, scan_id);
