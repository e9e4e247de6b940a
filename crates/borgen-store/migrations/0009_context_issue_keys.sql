-- 4.1 context issues move onto the register mechanism: the title's sort key
-- (folded in Rust; migrate.rs fills it for existing rows after this step).
ALTER TABLE context_issues ADD COLUMN title_key TEXT;
CREATE INDEX context_issues_title_key ON context_issues(org_id, archived_at, title_key);
