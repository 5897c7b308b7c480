-- A record's terms are found by record first: the index (kind, record_id)
-- also gave the rows of one kind in record order, and PostgreSQL took it to
-- read "the first records of a kind holding a term" by walking every record of
-- the kind (0.8 s for a common term absent from the kind, at 100 000
-- structures) instead of the primary key's range. Reindexing a record and the
-- erasure look up (kind, record_id) pairs, which this index serves as well.
CREATE INDEX search_terms_record_kind_idx ON search_terms (record_id, kind)
--bun:split
DROP INDEX IF EXISTS search_terms_record_idx
