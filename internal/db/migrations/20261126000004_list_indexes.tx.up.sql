-- Indexes for lists ordered by title and filtered by theme or country: the
-- first page is read in index order instead of sorting every match.
CREATE INDEX projects_sort_title_idx ON projects (sort_title, id)
--bun:split
CREATE INDEX project_themes_theme_idx ON project_themes (theme_code, project_id)
--bun:split
CREATE INDEX project_countries_country_idx ON project_countries (country_code, project_id)
--bun:split
CREATE INDEX structure_themes_theme_idx ON structure_themes (theme_code, structure_id)
--bun:split
CREATE INDEX funding_calls_sort_title_idx ON funding_calls (sort_title, id)
--bun:split
CREATE INDEX events_sort_title_idx ON events (sort_title, id)
