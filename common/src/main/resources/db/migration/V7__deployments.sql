-- Agent deployment (issue 14): discovered hosts, remote install jobs, agent releases.

CREATE TABLE deployments (
  id                uuid PRIMARY KEY,
  name              text NOT NULL,
  state             text NOT NULL CHECK (state IN ('open', 'cancelled')),
  source            text NOT NULL CHECK (source IN ('csv', 'ldap', 'list')),
  tags              text[] NOT NULL DEFAULT '{}',
  -- the install plan (no secrets) and the sealed credentials (AES-GCM, key in the data dir)
  plan              jsonb,
  credentials       text,
  credentials_info  jsonb,
  created_by        text,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE deployment_hosts (
  deployment_id        uuid NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  name_key             text NOT NULL,
  name                 text NOT NULL,
  ip                   inet,
  source               text NOT NULL,
  state                text NOT NULL DEFAULT 'discovered'
                       CHECK (state IN ('discovered', 'scheduled', 'installing', 'withAgent', 'failed')),
  step                 text,
  attempts             integer NOT NULL DEFAULT 0,
  not_before           timestamptz,
  error_type           text,
  error_detail         text,
  exit_code            integer,
  output_tail          text,
  agent_id             uuid,
  enrollment_token_id  uuid,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (deployment_id, name_key)
);
CREATE INDEX deployment_hosts_scheduled_idx ON deployment_hosts (not_before) WHERE state = 'scheduled';

-- signed agent-lite builds for self-update (served by every gateway from here)
CREATE TABLE agent_releases (
  version     text PRIMARY KEY,
  sha256      text NOT NULL,
  size        bigint NOT NULL,
  key_id      text NOT NULL,
  signature   text NOT NULL,
  content     bytea NOT NULL,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
