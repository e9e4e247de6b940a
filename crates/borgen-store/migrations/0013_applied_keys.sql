-- Applied controls move onto the register mechanism: the sort key of their
-- names (computed in Rust; migrate.rs fills it, and recomputes the search
-- text, for existing rows after this step). Their Annex A ids stay in
-- applied_control_links, the field's link table.
ALTER TABLE applied_controls ADD COLUMN name_key TEXT;
CREATE INDEX applied_controls_name_key ON applied_controls(org_id, archived_at, name_key);
