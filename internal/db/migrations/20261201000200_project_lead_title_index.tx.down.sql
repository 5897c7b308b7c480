CREATE INDEX projects_lead_sort_idx ON projects (lead_structure_id, sort_title, id)
--bun:split
DROP INDEX IF EXISTS projects_lead_title_idx
