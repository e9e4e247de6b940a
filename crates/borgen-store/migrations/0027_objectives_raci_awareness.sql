-- Objectives and their measured values (6.2), resources (7.1), the ISMS
-- processes and their RACI (5.3), awareness campaigns and who completed them
-- (7.3). Declared in borgen-core/src/registers.rs; the server checks these
-- tables against the declarations at start-up. Numbers are kept as text in
-- one spelling (borgen_core::register::number).

CREATE TABLE objectives (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    description TEXT,
    policy_id TEXT REFERENCES documents(id),
    measure TEXT,
    direction TEXT,
    target TEXT,
    unit TEXT,
    no_target_reason TEXT,
    plan TEXT NOT NULL,
    resources TEXT,
    owner_id TEXT REFERENCES users(id),
    due TEXT,
    evaluation TEXT,
    status TEXT NOT NULL,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX objectives_org ON objectives(org_id, archived_at, title_key);

CREATE TABLE objective_controls (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    objective_id TEXT NOT NULL REFERENCES objectives(id),
    control_id TEXT NOT NULL,
    PRIMARY KEY (org_id, objective_id, control_id)
);
CREATE INDEX objective_controls_control ON objective_controls(org_id, control_id);

CREATE TABLE objective_progress (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    objective_id TEXT NOT NULL REFERENCES objectives(id),
    date TEXT NOT NULL,
    value TEXT NOT NULL,
    note TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX objective_progress_objective ON objective_progress(org_id, objective_id);

CREATE TABLE isms_resources (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    year TEXT NOT NULL,
    year_key TEXT NOT NULL,
    purpose TEXT NOT NULL,
    purpose_key TEXT NOT NULL,
    amount TEXT,
    fte TEXT,
    description TEXT,
    approved_by TEXT REFERENCES users(id),
    approved_on TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX isms_resources_org ON isms_resources(org_id, archived_at, year_key);

CREATE TABLE isms_processes (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    clause TEXT,
    clause_key TEXT,
    description TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX isms_processes_org ON isms_processes(org_id, archived_at, clause_key);

CREATE TABLE raci_assignments (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    process_id TEXT NOT NULL REFERENCES isms_processes(id),
    role_id TEXT NOT NULL REFERENCES org_roles(id),
    letter TEXT NOT NULL,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX raci_assignments_process ON raci_assignments(org_id, process_id);
CREATE INDEX raci_assignments_role ON raci_assignments(org_id, role_id);

CREATE TABLE awareness_campaigns (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    audience_role TEXT REFERENCES org_roles(id),
    audience_department TEXT,
    starts TEXT NOT NULL,
    ends TEXT,
    owner_id TEXT REFERENCES users(id),
    description TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX awareness_campaigns_org ON awareness_campaigns(org_id, archived_at, starts);

CREATE TABLE awareness_completions (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    campaign_id TEXT NOT NULL REFERENCES awareness_campaigns(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    status TEXT NOT NULL,
    completed_on TEXT,
    note TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX awareness_completions_campaign ON awareness_completions(org_id, campaign_id);
CREATE INDEX awareness_completions_person ON awareness_completions(org_id, person_id);
