-- Announcements: chat channels' subscriptions, what is to be announced, and
-- each announcement's delivery to each channel. Deliveries are the outbox the
-- senders claim; their unique key is what makes a message go out once.
CREATE TABLE subscriptions (
  id {{.ID}},
  platform TEXT NOT NULL CHECK (platform IN ('slack', 'discord')),
  channel TEXT NOT NULL,
  personal BOOLEAN NOT NULL DEFAULT FALSE,
  kinds TEXT NOT NULL DEFAULT '',
  themes TEXT NOT NULL DEFAULT '',
  audiences TEXT NOT NULL DEFAULT '',
  departments TEXT NOT NULL DEFAULT '',
  countries TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at {{.Timestamp}} NOT NULL,
  UNIQUE (platform, channel)
)
--bun:split
CREATE TABLE announcements (
  id {{.ID}},
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  record_kind TEXT NOT NULL DEFAULT '',
  record_id BIGINT,
  text TEXT NOT NULL,
  author TEXT NOT NULL,
  send_at {{.Timestamp}} NOT NULL,
  created_at {{.Timestamp}} NOT NULL
)
--bun:split
CREATE INDEX announcements_record_idx ON announcements (record_kind, record_id)
--bun:split
CREATE TABLE deliveries (
  id {{.ID}},
  announcement_id BIGINT NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
  platform TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'scheduled',
  attempts INTEGER NOT NULL DEFAULT 0,
  run_at {{.Timestamp}} NOT NULL,
  lease_until {{.Timestamp}},
  message_id TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  updated_at {{.Timestamp}} NOT NULL,
  UNIQUE (announcement_id, platform, channel)
)
--bun:split
CREATE INDEX deliveries_due_idx ON deliveries (status, run_at)
