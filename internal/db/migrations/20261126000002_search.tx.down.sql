DROP INDEX IF EXISTS structures_sort_name_idx
--bun:split
DROP INDEX IF EXISTS projects_lead_sort_idx
--bun:split
DROP TABLE IF EXISTS search_terms
--bun:split
ALTER TABLE structures DROP COLUMN sort_name
--bun:split
ALTER TABLE projects DROP COLUMN sort_title
--bun:split
ALTER TABLE events DROP COLUMN sort_title
--bun:split
ALTER TABLE funding_calls DROP COLUMN sort_title
--bun:split
ALTER TABLE publications DROP COLUMN sort_title
--bun:split
ALTER TABLE contacts DROP COLUMN sort_name
