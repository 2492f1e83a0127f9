-- Regions (issue 30): a platform holds one or more regions; each organisation belongs to
-- one. Disclosure thresholds of the regional picture are per region and never weaker than
-- 3 organisations and 50% dominance (the CHECKs; the region crate validates the same).
-- Migrating creates the region "Twente" and links every existing organisation to it, so
-- both dialects agree. An organisation with no region (created by code that does not set
-- one) counts as belonging to the platform's first region.
CREATE TABLE regions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT NOT NULL UNIQUE,
    min_orgs          BIGINT NOT NULL DEFAULT 3 CHECK (min_orgs >= 3),
    dominance_percent BIGINT NOT NULL DEFAULT 50 CHECK (dominance_percent BETWEEN 1 AND 50),
    created_at        BIGINT NOT NULL
);

ALTER TABLE organisations ADD COLUMN region_id BIGINT REFERENCES regions(id) ON DELETE SET NULL;
CREATE INDEX organisations_region ON organisations(region_id, subsector);

-- Users who may see a region: its programme admins and its read-only "regio-lezers".
CREATE TABLE user_regions (
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, region_id)
);
CREATE INDEX user_regions_region ON user_regions(region_id);

INSERT INTO regions (name, created_at)
SELECT 'Twente', CAST(strftime('%s', 'now') AS BIGINT)
WHERE NOT EXISTS (SELECT 1 FROM regions);

UPDATE organisations SET region_id = (SELECT MIN(id) FROM regions) WHERE region_id IS NULL;
