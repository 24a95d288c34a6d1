-- Recurring rollouts (KSMS-style nightly runs): a cron expression in a time zone and a rollout template.
CREATE TABLE schedules (
  id                     uuid PRIMARY KEY,
  name                   text NOT NULL,
  cron                   text NOT NULL,
  time_zone              text NOT NULL,
  template               jsonb NOT NULL,
  expires_after_minutes  integer NOT NULL,
  next_fire_at           timestamptz NOT NULL,
  last_fired_at          timestamptz,
  last_rollout_id        uuid,
  created_by             text,
  created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedules_due_idx ON schedules (next_fire_at);

-- one rollout per schedule firing, whatever number of gateways race for it
ALTER TABLE rollouts ADD COLUMN scheduled_for timestamptz;
CREATE UNIQUE INDEX rollouts_schedule_firing_idx ON rollouts (schedule_id, scheduled_for) WHERE schedule_id IS NOT NULL;
