-- The bot's memory of a conversation: what a follow-up ("et pour les
-- écoles ?") needs of the question before it, per thread, for 30 minutes.
-- In the database so that every replica reads the same and a restart
-- forgets nothing.
CREATE TABLE conversations (
  thread_key TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  updated_at {{.Timestamp}} NOT NULL
);
CREATE INDEX conversations_updated_at ON conversations (updated_at)
