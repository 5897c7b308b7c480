-- The orders of the project list besides the title's, for its 30 000
-- projects: a page by start date read the whole table and sorted it (a
-- page from the end, 20 projects before the 40th: 62 statements a second
-- under pgbench on two cores, PostGraphile 5 answering 77); through these
-- indexes the database reads the page's rows in order and stops. The
-- expressions are project.ListOrder's, unknown dates last in both
-- directions, so one index per direction.
CREATE INDEX projects_starts_idx ON projects ((CASE WHEN starts_from IS NULL THEN 1 ELSE 0 END), starts_from, id)
--bun:split
CREATE INDEX projects_starts_desc_idx ON projects ((CASE WHEN starts_from IS NULL THEN 1 ELSE 0 END), starts_from DESC, id DESC)
--bun:split
CREATE INDEX projects_created_idx ON projects (created_at, id)
