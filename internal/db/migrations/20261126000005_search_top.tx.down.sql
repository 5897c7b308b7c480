DROP INDEX IF EXISTS search_terms_top_idx
