-- People (7.2, 7.3), organisational roles and who holds them (5.3), the
-- competences roles require and the evidence of people's competence (7.2).
-- Declared in borgen-core/src/registers.rs; the server checks these tables
-- against the declarations at start-up.

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    email TEXT,
    department TEXT,
    department_key TEXT,
    job_title TEXT,
    manager_id TEXT REFERENCES people(id),
    user_id TEXT REFERENCES users(id),
    start_date TEXT,
    end_date TEXT,
    notes TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_org ON people(org_id, archived_at, name_key);

CREATE TABLE org_roles (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    conformity BOOLEAN NOT NULL,
    reporting BOOLEAN NOT NULL,
    responsibilities TEXT NOT NULL,
    authorities TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX org_roles_org ON org_roles(org_id, archived_at, name_key);

CREATE TABLE role_holders (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    role_id TEXT NOT NULL REFERENCES org_roles(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    since TEXT NOT NULL,
    until TEXT,
    communicated_on TEXT,
    communicated_how TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX role_holders_role ON role_holders(org_id, role_id);
CREATE INDEX role_holders_person ON role_holders(org_id, person_id);

CREATE TABLE competences (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    role_id TEXT NOT NULL REFERENCES org_roles(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    shown_by TEXT NOT NULL,
    description TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competences_role ON competences(org_id, role_id);

CREATE TABLE competence_evidence (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    competence_id TEXT NOT NULL REFERENCES competences(id),
    what TEXT NOT NULL,
    what_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    obtained TEXT NOT NULL,
    expires TEXT,
    notes TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competence_evidence_person ON competence_evidence(org_id, person_id);
CREATE INDEX competence_evidence_competence ON competence_evidence(org_id, competence_id);
