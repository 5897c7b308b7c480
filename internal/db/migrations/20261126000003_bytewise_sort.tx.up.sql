-- The folded sort keys are ordered byte-wise on both databases. SQLite does so
-- already; PostgreSQL gets the "C" collation on those columns, so that its
-- indexes serve ORDER BY ... COLLATE "C".
{{if .Postgres}}ALTER TABLE structures ALTER COLUMN sort_name TYPE TEXT COLLATE "C"{{else}}SELECT 1{{end}}
--bun:split
{{if .Postgres}}ALTER TABLE projects ALTER COLUMN sort_title TYPE TEXT COLLATE "C"{{else}}SELECT 1{{end}}
--bun:split
{{if .Postgres}}ALTER TABLE events ALTER COLUMN sort_title TYPE TEXT COLLATE "C"{{else}}SELECT 1{{end}}
--bun:split
{{if .Postgres}}ALTER TABLE funding_calls ALTER COLUMN sort_title TYPE TEXT COLLATE "C"{{else}}SELECT 1{{end}}
--bun:split
{{if .Postgres}}ALTER TABLE publications ALTER COLUMN sort_title TYPE TEXT COLLATE "C"{{else}}SELECT 1{{end}}
--bun:split
{{if .Postgres}}ALTER TABLE contacts ALTER COLUMN sort_name TYPE TEXT COLLATE "C"{{else}}SELECT 1{{end}}
--bun:split
CREATE INDEX project_partners_project_idx ON project_partners (project_id, structure_id)
