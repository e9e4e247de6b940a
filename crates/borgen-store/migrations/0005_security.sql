-- Security hardening (OWASP ASVS 5.0 level 2): idle session timeout, scoped and
-- expiring API tokens, and the security event log.

-- When a session was last used (to the minute), for the idle timeout. NULL
-- until its first touch: the idle clock then runs from created_at.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;

-- What a token may do: 'read' (GET only) or 'write' (read and write). Tokens
-- made before scopes existed could write, so they keep that.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write';
-- The last day (YYYY-MM-DD, UTC) a token works; NULL: no expiry.
ALTER TABLE api_tokens ADD COLUMN expires_on TEXT;

-- Lockouts count per (account, address) pair.
CREATE INDEX login_attempts_pair ON login_attempts(email, ip, at);

-- Logins, lockouts and refused token use, for installation administrators.
-- Not ISMS data (no audit chain); pruned after 90 days.
CREATE TABLE security_events (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    email TEXT,
    user_id TEXT,
    ip TEXT,
    detail TEXT,
    request_id TEXT
);
CREATE INDEX security_events_at ON security_events(at);
CREATE INDEX security_events_kind_ip ON security_events(kind, ip, at);
