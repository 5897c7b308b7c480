DROP INDEX IF EXISTS projects_status_idx
