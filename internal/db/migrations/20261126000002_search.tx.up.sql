-- The French search index shared by GraphQL and the bots: one row per term of
-- a record, with the weight of the field it comes from. Ranking is computed in
-- Go from these rows, so it is the same on SQLite and PostgreSQL.
CREATE TABLE search_terms (
  term TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_id BIGINT NOT NULL,
  weight INTEGER NOT NULL,
  PRIMARY KEY (term, kind, record_id)
)
--bun:split
CREATE INDEX search_terms_record_idx ON search_terms (kind, record_id)
--bun:split
-- Folded names ordered byte-wise: the same alphabetical order on both
-- databases, whatever PostgreSQL's collation.
ALTER TABLE structures ADD COLUMN sort_name TEXT NOT NULL DEFAULT ''
--bun:split
CREATE INDEX structures_sort_name_idx ON structures (sort_name, id)
--bun:split
ALTER TABLE projects ADD COLUMN sort_title TEXT NOT NULL DEFAULT ''
--bun:split
CREATE INDEX projects_lead_sort_idx ON projects (lead_structure_id, sort_title, id)
--bun:split
ALTER TABLE events ADD COLUMN sort_title TEXT NOT NULL DEFAULT ''
--bun:split
ALTER TABLE funding_calls ADD COLUMN sort_title TEXT NOT NULL DEFAULT ''
--bun:split
ALTER TABLE publications ADD COLUMN sort_title TEXT NOT NULL DEFAULT ''
--bun:split
ALTER TABLE contacts ADD COLUMN sort_name TEXT NOT NULL DEFAULT ''
