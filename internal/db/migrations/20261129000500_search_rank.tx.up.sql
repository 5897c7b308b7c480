-- A search ranked in SQL (graph/compile) reads the terms of one kind and
-- their weights: with kind after term and the weight in the index, the
-- database reads them from the index alone, not from the table's pages.
CREATE INDEX search_terms_rank_idx ON search_terms (term, kind, record_id, weight)
