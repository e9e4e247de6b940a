-- Registers declared with the register mechanism (borgen-core/src/registers.rs).
-- Each table: id, org_id, one column per declared field, {field}_key for each
-- sortable text field (folded in Rust, compared byte by byte), search (lower-cased
-- searchable text), archived_at, created_at, updated_at. The server checks at
-- start-up that these match the declarations.

-- 5.1 Leadership evidence
CREATE TABLE leadership_evidence (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    description_key TEXT NOT NULL,
    who TEXT REFERENCES users(id),
    link TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX leadership_evidence_org ON leadership_evidence(org_id, archived_at, date);

-- 6.3 Planned changes to the ISMS
CREATE TABLE isms_changes (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    purpose TEXT NOT NULL,
    consequences TEXT,
    resources TEXT,
    responsibilities TEXT,
    owner_id TEXT REFERENCES users(id),
    planned_on TEXT,
    status TEXT NOT NULL,
    decided_by TEXT REFERENCES users(id),
    decided_on TEXT,
    decision TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX isms_changes_org ON isms_changes(org_id, archived_at, title_key);

-- 7.4 Communication plan
CREATE TABLE communication_plan (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    subject TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    frequency TEXT NOT NULL,
    audience TEXT NOT NULL,
    audience_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    owner_id TEXT REFERENCES users(id),
    direction TEXT NOT NULL,
    last_held TEXT,
    notes TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX communication_plan_org ON communication_plan(org_id, archived_at, subject_key);
