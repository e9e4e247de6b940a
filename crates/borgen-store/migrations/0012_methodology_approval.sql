-- Risk methodology versions are approved once by top management (6.1.2: the
-- risk criteria are established by the organisation), on the same versions
-- mechanism as SoA versions and assessment runs.
ALTER TABLE risk_methodologies ADD COLUMN approved_at TEXT;
ALTER TABLE risk_methodologies ADD COLUMN approved_by TEXT;
ALTER TABLE risk_methodologies ADD COLUMN approved_by_label TEXT;
ALTER TABLE risk_methodologies ADD COLUMN approval_comment TEXT;
