-- 4.2 interested parties and their requirements move onto the register
-- mechanism: the sort keys of their titles and the requirements' search text
-- (computed in Rust; migrate.rs fills them for existing rows after this step).
ALTER TABLE interested_parties ADD COLUMN name_key TEXT;
ALTER TABLE party_requirements ADD COLUMN title_key TEXT;
ALTER TABLE party_requirements ADD COLUMN search TEXT;
CREATE INDEX interested_parties_name_key ON interested_parties(org_id, archived_at, name_key);
