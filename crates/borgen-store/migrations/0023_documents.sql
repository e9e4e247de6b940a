-- 7.5 Documented information: the document register (declared with the
-- register mechanism) and the versions of each document with their review.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    code TEXT NOT NULL,
    code_key TEXT NOT NULL,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    owner_id TEXT REFERENCES users(id),
    classification TEXT NOT NULL,
    review_interval TEXT NOT NULL,
    next_review TEXT,
    description TEXT,
    search TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_org ON documents(org_id, archived_at, code_key);

CREATE TABLE document_controls (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    control_id TEXT NOT NULL,
    PRIMARY KEY (document_id, control_id)
);
CREATE INDEX document_controls_control ON document_controls(org_id, control_id);

-- A version: its text (Markdown) and a file from the evidence store, frozen
-- once it leaves the draft state; who took each step and when.
CREATE TABLE document_versions (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    number BIGINT NOT NULL,
    state TEXT NOT NULL,
    -- The document's type when the version was sent for review: its
    -- approval needs the role of that type (and of the type now).
    doc_type TEXT,
    content TEXT NOT NULL,
    change_note TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_by_label TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    submitted_by_label TEXT,
    approved_at TEXT,
    approved_by TEXT REFERENCES users(id),
    approved_by_label TEXT,
    approval_comment TEXT,
    published_at TEXT,
    published_by_label TEXT,
    withdrawn_at TEXT,
    withdrawn_by_label TEXT,
    UNIQUE (org_id, document_id, number)
);
CREATE INDEX document_versions_state ON document_versions(org_id, state, document_id);

-- The named reviewers of a version and their decisions.
CREATE TABLE document_reviews (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    version_id TEXT NOT NULL REFERENCES document_versions(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    user_label TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT,
    decided_at TEXT,
    PRIMARY KEY (version_id, user_id)
);
