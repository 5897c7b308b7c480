DROP INDEX IF EXISTS projects_created_idx
--bun:split
DROP INDEX IF EXISTS projects_starts_desc_idx
--bun:split
DROP INDEX IF EXISTS projects_starts_idx
