-- An acceptance may hold until a date (6.1.3 f, 8.3): after it the risk
-- comes back to be accepted again.
ALTER TABLE risk_acceptances ADD COLUMN expires_on TEXT;
