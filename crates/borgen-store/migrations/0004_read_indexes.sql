-- Indexes for the read paths measured under load (BENCHMARKS.md).

-- A record's history: equality on chain and entity, in chain order, without
-- the planner preferring a walk of the whole chain by (chain, seq).
DROP INDEX audit_events_entity;
CREATE INDEX audit_events_entity ON audit_events(chain, entity_id, seq);

-- Both heat maps and the register's size from one index-only scan, grouped in
-- index order. archived_at comes last so that lists keep using
-- risks_org_archived (org_id, archived_at, number) for their order.
CREATE INDEX risks_heat ON risks(org_id, methodology_version, inherent_likelihood, inherent_impact, residual_likelihood, residual_impact, archived_at);
