-- Fleetcast schema. Postgres holds the truth; Hazelcast only soft, rebuildable state.

CREATE TABLE cluster_secrets (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text,
  revoked_at  timestamptz
);

CREATE TABLE enrollment_tokens (
  id            uuid PRIMARY KEY,
  token_hash    text NOT NULL UNIQUE,
  expires_at    timestamptz NOT NULL,
  max_uses      integer NOT NULL CHECK (max_uses > 0),
  uses          integer NOT NULL DEFAULT 0,
  tags          text[] NOT NULL DEFAULT '{}',
  allowed_cidrs cidr[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text,
  revoked_at    timestamptz
);

CREATE TABLE agents (
  id                   uuid PRIMARY KEY,
  hostname             text NOT NULL DEFAULT '',
  enrolled_at          timestamptz NOT NULL DEFAULT now(),
  enrollment_token_id  uuid REFERENCES enrollment_tokens(id),
  enrolled_from        inet,
  revoked_at           timestamptz,
  -- tags given by the enrollment token; the agent's own configured tags come with its facts
  enrollment_tags      text[] NOT NULL DEFAULT '{}',
  tags                 text[] NOT NULL DEFAULT '{}',
  ips                  inet[] NOT NULL DEFAULT '{}',
  subnets              cidr[] NOT NULL DEFAULT '{}',
  facts                jsonb NOT NULL DEFAULT '{}',
  version              text NOT NULL DEFAULT '',
  online               boolean NOT NULL DEFAULT false,
  node_id              text,
  session_id           text,
  last_seen            timestamptz,
  connected_at         timestamptz
);
CREATE INDEX agents_tags_idx ON agents USING gin (tags);
CREATE INDEX agents_node_idx ON agents (node_id) WHERE online;

CREATE TABLE rollouts (
  id              uuid PRIMARY KEY,
  name            text NOT NULL,
  state           text NOT NULL,
  request         jsonb NOT NULL,
  step_count      integer NOT NULL,
  target_count    integer NOT NULL DEFAULT 0,
  waves           integer[] NOT NULL DEFAULT '{100}',
  current_wave    integer NOT NULL DEFAULT 0,
  max_in_flight   integer,
  max_failure_pct double precision,
  wake_offline    boolean NOT NULL DEFAULT false,
  require_consent boolean NOT NULL DEFAULT false,
  start_after     timestamptz,
  expires_at      timestamptz NOT NULL,
  state_reason    text,
  schedule_id     uuid,
  created_by      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz,
  -- which gateway drives it; a lease, not a Hazelcast lock (see ARCHITECTURE lessons)
  owner           text,
  lease_until     timestamptz
);
CREATE INDEX rollouts_active_idx ON rollouts (state) WHERE state IN ('scheduled', 'running', 'paused', 'halted');
CREATE INDEX rollouts_created_idx ON rollouts (created_at DESC, id DESC);

CREATE TABLE tasks (
  id           uuid PRIMARY KEY,
  rollout_id   uuid NOT NULL REFERENCES rollouts(id) ON DELETE CASCADE,
  step         integer NOT NULL,
  kind         text NOT NULL,
  spec         jsonb NOT NULL,
  continue_on  text NOT NULL DEFAULT 'success' CHECK (continue_on IN ('success', 'failure', 'always')),
  deadline     timestamptz NOT NULL,
  frame        text,
  UNIQUE (rollout_id, step)
);

CREATE TABLE rollout_targets (
  rollout_id     uuid NOT NULL REFERENCES rollouts(id) ON DELETE CASCADE,
  agent_id       uuid NOT NULL,
  ordinal        integer NOT NULL,
  wave           integer,
  state          text NOT NULL DEFAULT 'pending',
  step           integer NOT NULL DEFAULT 0,
  next_step_ready boolean NOT NULL DEFAULT false,
  first_failure  text,
  reason         text,
  attempts       integer NOT NULL DEFAULT 0,
  dispatched_at  timestamptz,
  acked_at       timestamptz,
  finished_at    timestamptz,
  wake_sent_at   timestamptz,
  PRIMARY KEY (rollout_id, agent_id)
);
CREATE INDEX rollout_targets_state_idx ON rollout_targets (rollout_id, state, ordinal);
CREATE INDEX rollout_targets_open_idx ON rollout_targets (agent_id)
  WHERE state IN ('pending', 'waking', 'dispatched', 'acked', 'running');

CREATE TABLE results (
  task_id      uuid NOT NULL,
  agent_id     uuid NOT NULL,
  rollout_id   uuid NOT NULL,
  step         integer NOT NULL,
  status       text NOT NULL,
  exit_code    integer,
  output       text NOT NULL DEFAULT '',
  started_at   timestamptz,
  finished_at  timestamptz,
  stored_at    timestamptz NOT NULL DEFAULT now(),
  node_id      text,
  PRIMARY KEY (task_id, agent_id)
);
CREATE INDEX results_rollout_idx ON results (rollout_id, agent_id, step);

CREATE TABLE audit_log (
  seq         bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  role        text,
  action      text NOT NULL,
  target      text,
  remote      text,
  detail      jsonb NOT NULL DEFAULT '{}',
  prev_hash   text NOT NULL,
  hash        text NOT NULL
);
