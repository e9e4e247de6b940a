-- The second factor (TOTP, RFC 6238): the authenticator of each user, single-use
-- recovery codes, logins that wait for their code, and the organisation setting
-- that requires a second factor of every member.

-- One authenticator per user. While confirmed_at is NULL the enrolment is
-- pending and the secret does nothing. The secret is stored as it is (base32):
-- the database is the trust boundary (SECURITY.md). last_step is the time step
-- (Unix time divided by 30) of the last code accepted, so that no code is taken
-- twice.
CREATE TABLE totp_factors (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    last_step BIGINT
);

-- Recovery codes, as SHA-256 hashes only; used_at is set when one is used.
CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id, code_hash);

-- A login whose password was right and whose second factor is awaited: the
-- browser holds the token, the table its hash. Ends after five minutes or
-- five wrong codes.
CREATE TABLE pending_logins (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    failures BIGINT NOT NULL
);
CREATE INDEX pending_logins_user ON pending_logins(user_id);

-- Members of this organisation must use a second factor to open its pages.
ALTER TABLE organisations ADD COLUMN require_second_factor BOOLEAN NOT NULL DEFAULT FALSE;
