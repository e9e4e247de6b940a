-- The asset inventory moves onto the register mechanism: the sort key of
-- asset names (computed in Rust; migrate.rs fills it, and the search text
-- in the mechanism's form, for existing rows after this step), and the
-- indexes its link reads use: an asset's own links, and the assets that
-- support one.
ALTER TABLE assets ADD COLUMN name_key TEXT;
CREATE INDEX assets_name_key ON assets(org_id, archived_at, name_key);
CREATE INDEX asset_links_own ON asset_links(org_id, asset_id, supports_id);
CREATE INDEX asset_links_other ON asset_links(org_id, supports_id);
