-- A risk's simulated outcome, stored beside its estimate so that viewing the
-- risk does not simulate 100,000 years again: JSON (borgen_core::fair::
-- StoredOutcome) holding the outcome and what it was computed from (the
-- algorithm version, the risk's stream key, seed, iterations and the
-- estimate). NULL until simulated; used only while all of those still hold.
ALTER TABLE risk_estimates ADD COLUMN result TEXT
