-- Issue 34: the employees of a snapshot packed into one text value (format in
-- store/src/hr_pack.rs), written with the rows in the import's transaction, so a page
-- reads one value instead of every row. The rows in hr_employees stay the source of truth;
-- a missing pack is rebuilt from them on first read.
CREATE TABLE hr_snapshot_packs (
    snapshot_id BIGINT PRIMARY KEY REFERENCES hr_snapshots(id) ON DELETE CASCADE,
    employees   TEXT NOT NULL
);
