-- Versions of the risk treatment plan as a whole (6.1.3 e-f), the shape of
-- every issued, approved-once version.
CREATE TABLE treatment_plans (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    number BIGINT NOT NULL,
    note TEXT,
    snapshot TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT REFERENCES users(id),
    issued_by_label TEXT NOT NULL,
    approved_at TEXT,
    approved_by TEXT REFERENCES users(id),
    approved_by_label TEXT,
    approval_comment TEXT,
    UNIQUE (org_id, number)
);

-- Sign-offs of a version by the people its snapshot names (the risk owners
-- of a treatment plan): once per person, kept for every versioned kind.
CREATE TABLE version_signoffs (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    entity TEXT NOT NULL,
    number BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    user_label TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    comment TEXT,
    PRIMARY KEY (org_id, entity, number, user_id)
);
