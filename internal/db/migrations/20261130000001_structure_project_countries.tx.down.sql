{{if .Postgres}}DROP TRIGGER IF EXISTS structure_project_countries_sync ON projects{{else}}DROP TRIGGER IF EXISTS structure_project_countries_p_delete{{end}}
--bun:split
{{if .Postgres}}DROP TRIGGER IF EXISTS structure_project_countries_sync ON project_partners{{else}}DROP TRIGGER IF EXISTS structure_project_countries_p_change{{end}}
--bun:split
{{if .Postgres}}DROP TRIGGER IF EXISTS structure_project_countries_sync ON project_countries{{else}}DROP TRIGGER IF EXISTS structure_project_countries_p_insert{{end}}
--bun:split
{{if .Postgres}}DROP FUNCTION IF EXISTS structure_project_countries_on_project(){{else}}DROP TRIGGER IF EXISTS structure_project_countries_pp_update{{end}}
--bun:split
{{if .Postgres}}DROP FUNCTION IF EXISTS structure_project_countries_on_partner(){{else}}DROP TRIGGER IF EXISTS structure_project_countries_pp_change{{end}}
--bun:split
{{if .Postgres}}DROP FUNCTION IF EXISTS structure_project_countries_on_project_country(){{else}}DROP TRIGGER IF EXISTS structure_project_countries_pp_insert{{end}}
--bun:split
{{if .Postgres}}DROP FUNCTION IF EXISTS structure_project_countries_refresh(BIGINT[]){{else}}DROP TRIGGER IF EXISTS structure_project_countries_pc_change{{end}}
--bun:split
{{if .Postgres}}SELECT 1{{else}}DROP TRIGGER IF EXISTS structure_project_countries_pc_insert{{end}}
--bun:split
DROP TABLE IF EXISTS structure_project_countries
--bun:split
DROP VIEW IF EXISTS structure_project_countries_source
