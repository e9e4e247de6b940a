-- Applied controls: the organisation's own implementations of Annex A
-- controls, or custom controls (no Annex A link).
CREATE TABLE applied_controls (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    description TEXT,
    owner_id TEXT REFERENCES users(id),
    status TEXT NOT NULL,
    effectiveness TEXT,
    due_date TEXT,
    evidence TEXT,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    search TEXT NOT NULL
);
CREATE INDEX applied_controls_org ON applied_controls(org_id, archived_at);

CREATE TABLE applied_control_links (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    applied_control_id TEXT NOT NULL REFERENCES applied_controls(id),
    control_id TEXT NOT NULL,
    PRIMARY KEY (applied_control_id, control_id)
);
CREATE INDEX applied_control_links_control ON applied_control_links(org_id, control_id);

-- The Statement of Applicability: a row per Annex A control once decided
-- (no row = undecided).
CREATE TABLE soa_entries (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    control_id TEXT NOT NULL,
    applicable BOOLEAN,
    reasons TEXT NOT NULL,
    inclusion_note TEXT,
    exclusion_justification TEXT,
    status TEXT,
    owner_id TEXT REFERENCES users(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, control_id)
);

CREATE TABLE soa_requirement_links (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    control_id TEXT NOT NULL,
    requirement_id TEXT NOT NULL REFERENCES party_requirements(id),
    PRIMARY KEY (org_id, control_id, requirement_id)
);

-- Issued versions: frozen snapshots; approval is recorded once.
CREATE TABLE soa_versions (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    number BIGINT NOT NULL,
    note TEXT,
    snapshot TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT,
    issued_by_label TEXT NOT NULL,
    approved_at TEXT,
    approved_by TEXT,
    approved_by_label TEXT,
    approval_comment TEXT,
    UNIQUE (org_id, number)
)
