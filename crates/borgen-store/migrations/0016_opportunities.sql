-- 6.1.1: opportunities, beside the risks (a register declared with the
-- register mechanism: borgen_core::registers::OPPORTUNITIES).
CREATE TABLE opportunities (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    description TEXT,
    benefit BIGINT NOT NULL,
    approach TEXT,
    plan TEXT,
    owner_id TEXT REFERENCES users(id),
    status TEXT NOT NULL,
    next_review TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX opportunities_org ON opportunities(org_id, archived_at, title_key);
