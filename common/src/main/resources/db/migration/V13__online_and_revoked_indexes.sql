-- Issue 16, found in a 100,000-agent fan-out's statement log:
-- * Target resolution walks the agents online on a live node in id order and stops at the chunk's
--   limit. Without an index of online agents the planner judged that share from statistics taken
--   while the agents were offline and sorted the whole table for every chunk (50-500 ms each; the
--   first chunk sits on the path of the first frame). The partial index keeps that walk short
--   whatever the statistics say.
-- * Every node polls for revocations since its last poll; that was a scan of all agents (80 MB at
--   100,000) per node and poll. Revoked agents are few: a partial index answers it.
CREATE INDEX agents_online_id_idx ON agents (id) WHERE online;
CREATE INDEX agents_revoked_at_idx ON agents (revoked_at) WHERE revoked_at IS NOT NULL;
