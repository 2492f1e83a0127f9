-- The regional picture's pre-aggregation (issue 30). Each organisation's figures for the
-- regional picture (one JSON document per organisation, made from its Value Cases by
-- `app::region`) are kept with the organisation's data version at the time. Every write
-- that changes what a Value Case reads (HR snapshots, PNIL, wage cost, survey rounds and
-- their responses, teams, the organisation's settings) adds one to
-- `organisations.data_version` in the same transaction, so a kept document is current
-- exactly when its version equals the organisation's. The picture then reads one row per
-- organisation instead of its survey responses and employees.
ALTER TABLE organisations ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE org_figures (
    org_id       BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    data_version BIGINT NOT NULL,
    figures      TEXT NOT NULL,
    computed_at  BIGINT NOT NULL
);
