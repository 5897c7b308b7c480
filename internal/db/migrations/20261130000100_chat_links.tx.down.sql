DROP INDEX IF EXISTS contacts_email_lower;
DROP TABLE IF EXISTS chat_link_lookups;
DROP TABLE IF EXISTS chat_links
