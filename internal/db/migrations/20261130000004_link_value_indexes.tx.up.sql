-- The links of events and calls to audiences, themes and countries, read from
-- the value: "les événements sur le Maroc" starts from Morocco's few events
-- (their filters are IN subqueries that these indexes serve), where SQLite
-- probed every upcoming event (20 000 at 100 000 structures, 80 ms when none
-- matched).
CREATE INDEX event_audiences_audience_idx ON event_audiences (audience_code, event_id)
--bun:split
CREATE INDEX event_themes_theme_idx ON event_themes (theme_code, event_id)
--bun:split
CREATE INDEX event_countries_country_idx ON event_countries (country_code, event_id)
--bun:split
CREATE INDEX funding_call_audiences_audience_idx ON funding_call_audiences (audience_code, funding_call_id)
--bun:split
CREATE INDEX funding_call_themes_theme_idx ON funding_call_themes (theme_code, funding_call_id)
--bun:split
CREATE INDEX funding_call_countries_country_idx ON funding_call_countries (country_code, funding_call_id)
