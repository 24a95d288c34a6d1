-- Targets are resolved in chunks after the rollout is committed (issue 16: the first wave's
-- first frames leave before every target is resolved). The rollout keeps the selector it was
-- created with and where resolution stands, so whichever gateway holds its lease resumes it.
--   selector        the target selector as resolved at creation ({all} or {agents, tags, reportedTags, subnets})
--   resolve_phase   NULL: every target resolved; 0: resolving agents online on a live node; 1: the rest
--   resolve_cursor  the last agent id of the current phase that was resolved (keyset, by id)
--   resolve_until   agents enrolled after this moment are not targets (the selector is a snapshot)
ALTER TABLE rollouts ADD COLUMN selector jsonb;
ALTER TABLE rollouts ADD COLUMN resolve_phase smallint;
ALTER TABLE rollouts ADD COLUMN resolve_cursor uuid;
ALTER TABLE rollouts ADD COLUMN resolve_until timestamptz;
