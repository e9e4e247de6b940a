-- The organisation's own threats move onto the register mechanism: the sort
-- key of their names and their search text (computed in Rust; migrate.rs
-- fills both for existing rows after this step).
ALTER TABLE threats ADD COLUMN name_key TEXT;
ALTER TABLE threats ADD COLUMN search TEXT;
CREATE INDEX threats_name_key ON threats(org_id, archived_at, name_key);
