DROP INDEX IF EXISTS search_terms_rank_idx
