DROP INDEX IF EXISTS projects_sort_title_idx
--bun:split
DROP INDEX IF EXISTS project_themes_theme_idx
--bun:split
DROP INDEX IF EXISTS project_countries_country_idx
--bun:split
DROP INDEX IF EXISTS structure_themes_theme_idx
--bun:split
DROP INDEX IF EXISTS funding_calls_sort_title_idx
--bun:split
DROP INDEX IF EXISTS events_sort_title_idx
