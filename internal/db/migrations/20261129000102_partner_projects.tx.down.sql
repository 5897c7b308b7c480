CREATE INDEX IF NOT EXISTS project_partners_structure_idx ON project_partners (structure_id);
DROP INDEX IF EXISTS project_partners_structure_project_idx
