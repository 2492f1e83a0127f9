-- HR baseline (nulmeting): snapshots of an HR extract, their pseudonymous employees,
-- the remembered column mappings, PNIL (external staff) costs and the programme's
-- sector benchmark override. Never names or employee numbers: an employee is a keyed
-- hash (pseudonym) per organisation; birth dates are stored only as age bands.
-- Contract hours and part-time factor are exact decimal text (e.g. '32.5', '0.8889'),
-- so the snapshot comparison sums them exactly.
CREATE TABLE hr_snapshots (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    peildatum   TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    file_name   TEXT NOT NULL,
    rows_read   BIGINT NOT NULL,
    employees   BIGINT NOT NULL,
    skipped     BIGINT NOT NULL,
    UNIQUE (org_id, peildatum)
);

CREATE TABLE hr_employees (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    snapshot_id       BIGINT NOT NULL REFERENCES hr_snapshots(id) ON DELETE CASCADE,
    pseudonym         TEXT NOT NULL,
    team              TEXT,
    function_name     TEXT,
    fwg_scale         TEXT,
    contract_hours    TEXT NOT NULL,
    part_time_factor  TEXT NOT NULL,
    age_band          TEXT,
    start_date        TEXT,
    end_date          TEXT,
    contract_kind     TEXT,
    UNIQUE (snapshot_id, pseudonym)
);
CREATE INDEX hr_employees_snapshot ON hr_employees(snapshot_id);

-- Per organisation: the remembered column mappings (JSON) and the average wage cost of
-- one own FTE per year (cents) for the PNIL comparison.
CREATE TABLE hr_settings (
    org_id                      BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    hr_mapping                  TEXT,
    pnil_mapping                TEXT,
    wage_cost_per_fte_year_cents BIGINT
);

CREATE TABLE pnil_entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    month        TEXT NOT NULL,
    team         TEXT,
    kind         TEXT,
    amount_cents BIGINT NOT NULL,
    hours        TEXT,
    source_row   BIGINT NOT NULL,
    imported_at  BIGINT NOT NULL
);
CREATE INDEX pnil_entries_org ON pnil_entries(org_id, month);

-- The sector benchmark file (TOML) as edited by the programme; absent = the embedded one.
CREATE TABLE hr_benchmarks (
    id         BIGINT PRIMARY KEY,
    toml       TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
