CREATE INDEX IF NOT EXISTS search_terms_record_idx ON search_terms (kind, record_id)
--bun:split
DROP INDEX IF EXISTS search_terms_record_kind_idx
