-- 7.3/7.4 and 7.5.3: a published version may ask a group of members to read
-- it and confirm they did. One request per version (asked again, it is
-- replaced); the named people of a request for named people; and who
-- confirmed, when. People who leave the organisation drop out of the rate,
-- their confirmations stay.
CREATE TABLE document_ack_requests (
    version_id TEXT PRIMARY KEY REFERENCES document_versions(id),
    org_id TEXT NOT NULL REFERENCES organisations(id),
    -- all | role | people
    audience TEXT NOT NULL,
    role TEXT,
    due_on TEXT,
    requested_at TEXT NOT NULL,
    requested_by_label TEXT NOT NULL
);
CREATE INDEX document_ack_requests_org ON document_ack_requests(org_id);

CREATE TABLE document_ack_people (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    version_id TEXT NOT NULL REFERENCES document_versions(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (version_id, user_id)
);

CREATE TABLE document_acks (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    version_id TEXT NOT NULL REFERENCES document_versions(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    user_label TEXT NOT NULL,
    acked_at TEXT NOT NULL,
    PRIMARY KEY (version_id, user_id)
);
CREATE INDEX document_acks_user ON document_acks(org_id, user_id);

-- The 4.1 issues and 4.2 requirements a document (the scope above all)
-- takes into account.
CREATE TABLE document_issues (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    issue_id TEXT NOT NULL,
    PRIMARY KEY (document_id, issue_id)
);
CREATE INDEX document_issues_issue ON document_issues(org_id, issue_id);

CREATE TABLE document_requirements (
    org_id TEXT NOT NULL REFERENCES organisations(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    requirement_id TEXT NOT NULL,
    PRIMARY KEY (document_id, requirement_id)
);
CREATE INDEX document_requirements_requirement ON document_requirements(org_id, requirement_id);
