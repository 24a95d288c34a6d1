-- Targeting trusts only tags the server gave an agent (its enrollment token's): what an agent
-- reports about itself in its facts is kept apart, so that a stolen credential cannot join a
-- tag-targeted rollout by claiming the tag. Rollouts may still opt in with targets.reportedTags.
ALTER TABLE agents ADD COLUMN reported_tags text[] NOT NULL DEFAULT '{}';
UPDATE agents SET
  reported_tags = ARRAY(SELECT DISTINCT t FROM jsonb_array_elements_text(
                    CASE WHEN jsonb_typeof(facts->'tags') = 'array' THEN facts->'tags' ELSE '[]'::jsonb END) t ORDER BY t),
  tags = enrollment_tags;
CREATE INDEX agents_reported_tags_idx ON agents USING gin (reported_tags);

-- Why a step did not succeed when no exit code says it (hash mismatch, command not found, timeout...):
-- reported by the agent, shown in the target's reason.
ALTER TABLE results ADD COLUMN error text;
