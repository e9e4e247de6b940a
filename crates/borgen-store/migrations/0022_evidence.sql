-- Evidence files (SPEC "Evidence", 7.5): one row per file an organisation
-- holds, named by its SHA-256. The bytes are in the evidence store (a
-- directory under the data directory, or S3-compatible object storage), once
-- however often they are attached, and never overwritten.
CREATE TABLE evidence_files (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    media_type TEXT NOT NULL,
    uploaded_by TEXT REFERENCES users(id),
    uploaded_by_label TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (org_id, sha256)
);

-- A file attached to a record of any register: the record's audit entity
-- and id, the name it was attached under, a note. Taking it off marks the
-- attachment removed; the file and the attachment stay in the history.
CREATE TABLE evidence_links (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    sha256 TEXT NOT NULL,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    name TEXT NOT NULL,
    note TEXT NOT NULL,
    attached_by TEXT REFERENCES users(id),
    attached_by_label TEXT NOT NULL,
    attached_at TEXT NOT NULL,
    removed_at TEXT,
    removed_by_label TEXT,
    FOREIGN KEY (org_id, sha256) REFERENCES evidence_files(org_id, sha256)
);
CREATE INDEX evidence_links_record ON evidence_links (org_id, entity, record_id, removed_at);
CREATE INDEX evidence_links_file ON evidence_links (org_id, sha256);
-- A file is attached to a record at most once at a time.
CREATE UNIQUE INDEX evidence_links_once ON evidence_links (org_id, entity, record_id, sha256) WHERE removed_at IS NULL;
