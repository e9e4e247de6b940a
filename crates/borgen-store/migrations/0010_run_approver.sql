-- Numbered versions approved once share one mechanism (borgen-core/src/version.rs):
-- an assessment run's approval now records the approver's user id, as an SoA
-- version's does. Runs approved before keep their label only.
ALTER TABLE risk_runs ADD COLUMN approved_by TEXT REFERENCES users(id);
