-- Risk methodology versions: each change is a new, immutable row; the body
-- is the methodology as JSON (scales, areas, levels, matrix, interval).
CREATE TABLE risk_methodologies (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    note TEXT,
    created_by_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, version)
);

-- The asset inventory and which assets support which.
CREATE TABLE assets (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    asset_type TEXT NOT NULL,
    description TEXT,
    owner_id TEXT REFERENCES users(id),
    custodian TEXT,
    location TEXT,
    classification TEXT,
    need_c BIGINT NOT NULL,
    need_i BIGINT NOT NULL,
    need_a BIGINT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    search TEXT NOT NULL
);
CREATE INDEX assets_org ON assets(org_id, archived_at);

CREATE TABLE asset_links (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    asset_id TEXT NOT NULL REFERENCES assets(id),
    supports_id TEXT NOT NULL REFERENCES assets(id),
    PRIMARY KEY (asset_id, supports_id)
);
CREATE INDEX asset_links_org ON asset_links(org_id);

-- The organisation's own threats, beside the built-in catalogue.
CREATE TABLE threats (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    group_code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    affects_c BOOLEAN NOT NULL,
    affects_i BOOLEAN NOT NULL,
    affects_a BOOLEAN NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX threats_org ON threats(org_id);

-- The risk register. Levels are stored as scored under the pinned
-- methodology version, so lists and heat maps filter without recomputing.
CREATE TABLE risks (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    threat TEXT,
    vulnerability TEXT,
    affects_c BOOLEAN NOT NULL,
    affects_i BOOLEAN NOT NULL,
    affects_a BOOLEAN NOT NULL,
    owner_id TEXT REFERENCES users(id),
    methodology_version BIGINT NOT NULL,
    inherent_likelihood BIGINT,
    inherent_impact BIGINT,
    inherent_level BIGINT,
    existing_controls TEXT,
    treatment TEXT,
    treatment_rationale TEXT,
    residual_likelihood BIGINT,
    residual_impact BIGINT,
    residual_level BIGINT,
    status TEXT NOT NULL,
    next_review TEXT,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    search TEXT NOT NULL,
    UNIQUE (org_id, number)
);
CREATE INDEX risks_org_archived ON risks(org_id, archived_at, number);
CREATE INDEX risks_org_owner ON risks(org_id, owner_id);

CREATE TABLE risk_assets (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    risk_id TEXT NOT NULL REFERENCES risks(id),
    asset_id TEXT NOT NULL REFERENCES assets(id),
    PRIMARY KEY (risk_id, asset_id)
);
CREATE INDEX risk_assets_asset ON risk_assets(org_id, asset_id);

-- Annex A controls planned for a risk: the SoA's "risk treatment" reason.
CREATE TABLE risk_controls (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    risk_id TEXT NOT NULL REFERENCES risks(id),
    control_id TEXT NOT NULL,
    PRIMARY KEY (risk_id, control_id)
);
CREATE INDEX risk_controls_org ON risk_controls(org_id, control_id);

CREATE TABLE risk_applied_controls (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    risk_id TEXT NOT NULL REFERENCES risks(id),
    applied_control_id TEXT NOT NULL REFERENCES applied_controls(id),
    PRIMARY KEY (risk_id, applied_control_id)
);
CREATE INDEX risk_applied_controls_org ON risk_applied_controls(org_id, applied_control_id);

-- Acceptances by the risk owner or top management: written once, never
-- changed. The basis is what was accepted (version, scores, treatment).
CREATE TABLE risk_acceptances (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    risk_id TEXT NOT NULL REFERENCES risks(id),
    accepted_by TEXT REFERENCES users(id),
    accepted_by_label TEXT NOT NULL,
    accepted_as TEXT NOT NULL,
    comment TEXT,
    basis TEXT NOT NULL,
    accepted_at TEXT NOT NULL
);
CREATE INDEX risk_acceptances_risk ON risk_acceptances(org_id, risk_id, accepted_at);

-- One task register for every follow-up in the ISMS.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    subject TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    owner_id TEXT REFERENCES users(id),
    due_date TEXT,
    status TEXT NOT NULL,
    progress BIGINT NOT NULL,
    applied_control_id TEXT REFERENCES applied_controls(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tasks_owner ON tasks(org_id, owner_id, status);
CREATE INDEX tasks_subject ON tasks(org_id, subject, subject_id)
;

-- Optional FAIR-style estimates per risk (quantitative analysis).
CREATE TABLE risk_estimates (
    risk_id TEXT PRIMARY KEY REFERENCES risks(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    freq_min DOUBLE PRECISION NOT NULL,
    freq_ml DOUBLE PRECISION NOT NULL,
    freq_max DOUBLE PRECISION NOT NULL,
    freq_shape TEXT NOT NULL,
    mag_min DOUBLE PRECISION NOT NULL,
    mag_ml DOUBLE PRECISION NOT NULL,
    mag_max DOUBLE PRECISION NOT NULL,
    mag_shape TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX risk_estimates_org ON risk_estimates(org_id)
;

-- Risk assessment runs (8.2): immutable snapshots of the register; the
-- approval is recorded once.
CREATE TABLE risk_runs (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    reason TEXT NOT NULL,
    change_reason TEXT,
    scope TEXT,
    participants TEXT,
    methodology_version BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    taken_by_label TEXT NOT NULL,
    approved_at TEXT,
    approved_by_label TEXT,
    approval_comment TEXT,
    UNIQUE (org_id, number)
)
