-- The questions the bot did not understand or answered with an honest "je
-- ne sais pas", so that the staff see what members ask. The asker is kept
-- only as a salted hash; the salt is the database's own, made once.
CREATE TABLE unanswered_questions (
  id {{.ID}},
  asked_at {{.Timestamp}} NOT NULL,
  platform TEXT NOT NULL,
  asker_hash TEXT NOT NULL,
  intent TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX unanswered_questions_asked_at ON unanswered_questions (asked_at);
CREATE INDEX unanswered_questions_asker ON unanswered_questions (asker_hash);
CREATE TABLE bot_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
)
