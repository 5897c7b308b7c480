-- The best records of one term read in index order: a common word over a
-- large network no longer fetches every match to keep the first page.
CREATE INDEX search_terms_top_idx ON search_terms (term, weight DESC, kind, record_id)
