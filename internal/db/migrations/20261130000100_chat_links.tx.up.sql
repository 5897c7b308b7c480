-- Chat users linked to the structure they speak for: made at once when a
-- Slack profile's e-mail is a contact's ("email", with that contact), or
-- claimed by the member ("claim") and then validated or refused by the
-- staff. One link per chat user; a refused claim stays until the member is
-- told. The chat user's id and name are personal data: erased with the
-- person (eraseChatUser, erasePersonalData for an e-mail match).
CREATE TABLE chat_links (
  id {{.ID}},
  platform TEXT NOT NULL,
  chat_user_id TEXT NOT NULL,
  chat_user_name TEXT NOT NULL DEFAULT '',
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  method TEXT NOT NULL,
  contact_id BIGINT REFERENCES contacts (id) ON DELETE SET NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at {{.Timestamp}},
  told_at {{.Timestamp}},
  created_at {{.Timestamp}} NOT NULL,
  UNIQUE (platform, chat_user_id)
);
CREATE INDEX chat_links_status ON chat_links (status, created_at);
CREATE INDEX chat_links_structure ON chat_links (structure_id);
CREATE INDEX chat_links_contact ON chat_links (contact_id);
-- The Slack profile lookups done, hit or miss, by the asker's salted hash
-- (as unanswered_questions): one lookup per person a day rather than one
-- per message, the same on every replica. opted_out: the person said
-- « oublie-moi », and is not linked by e-mail again.
CREATE TABLE chat_link_lookups (
  asker_hash TEXT PRIMARY KEY,
  looked_at {{.Timestamp}} NOT NULL,
  opted_out BOOLEAN NOT NULL DEFAULT FALSE
);
-- A profile's e-mail is matched to the contacts' in any letter case.
CREATE INDEX contacts_email_lower ON contacts (LOWER(email))
