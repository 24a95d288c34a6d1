-- The operator's console: signed-in sessions and saved target groups.

-- A console session stands for the API token it was exchanged for; only the SHA-256 of the
-- session id is stored (like api_tokens), so a database dump does not hand out live sessions.
CREATE TABLE console_sessions (
  id_hash     text PRIMARY KEY,
  token_id    uuid NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
  csrf        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  last_used   timestamptz NOT NULL DEFAULT now(),
  remote      text
);
CREATE INDEX console_sessions_last_used_idx ON console_sessions (last_used);

-- A saved group: a named target selector ({agents, tags, subnets, all}) resolved when a rollout
-- that names it is created.
CREATE TABLE target_groups (
  name        text PRIMARY KEY,
  selector    jsonb NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX agents_hostname_idx ON agents (lower(hostname));
