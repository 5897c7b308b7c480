DROP INDEX IF EXISTS event_audiences_audience_idx
--bun:split
DROP INDEX IF EXISTS event_themes_theme_idx
--bun:split
DROP INDEX IF EXISTS event_countries_country_idx
--bun:split
DROP INDEX IF EXISTS funding_call_audiences_audience_idx
--bun:split
DROP INDEX IF EXISTS funding_call_themes_theme_idx
--bun:split
DROP INDEX IF EXISTS funding_call_countries_country_idx
