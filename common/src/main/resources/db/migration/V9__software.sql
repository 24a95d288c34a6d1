-- Software distribution (issue 12): packages with content-addressed blobs, their programs,
-- depots (cluster nodes and branch-office depot processes) and which depot holds what.

CREATE TABLE packages (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  version     text NOT NULL,
  sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size        bigint NOT NULL CHECK (size >= 0),
  file_name   text NOT NULL,
  archive     text CHECK (archive IN ('zip', 'tar.gz')),
  files       jsonb NOT NULL DEFAULT '[]',
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  UNIQUE (name, version)
);
CREATE INDEX packages_sha_idx ON packages (sha256);

CREATE TABLE package_programs (
  package_id  uuid NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
  name        text NOT NULL,
  spec        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (package_id, name)
);

CREATE TABLE depots (
  name        text PRIMARY KEY,
  url         text NOT NULL,
  site        text NOT NULL,
  subnets     jsonb NOT NULL DEFAULT '[]',
  origin      boolean NOT NULL DEFAULT false,
  -- the cluster node this depot runs in (null: the origin, a depot role): its site orders bootstrap
  node_id     text,
  seen_at     timestamptz NOT NULL DEFAULT now()
);

-- state: wanted (distribution asked), fetching, ready, failed, removing
CREATE TABLE depot_content (
  depot       text NOT NULL REFERENCES depots(name) ON DELETE CASCADE,
  sha256      text NOT NULL,
  state       text NOT NULL CHECK (state IN ('wanted', 'fetching', 'ready', 'failed', 'removing')),
  detail      text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (depot, sha256)
);
CREATE INDEX depot_content_sha_idx ON depot_content (sha256, state);
-- rollouts using a package are found through tasks.spec->>'packageId'
CREATE INDEX tasks_package_idx ON tasks ((spec->>'packageId')) WHERE spec ? 'packageId';
-- the last percent an agent reported in a progress frame (download progress of installs)
ALTER TABLE rollout_targets ADD COLUMN progress smallint;
