DROP TABLE IF EXISTS dataset_seeds
--bun:split
DROP TABLE IF EXISTS observatory_department_counts
--bun:split
DROP TABLE IF EXISTS observatory_type_counts
--bun:split
DROP TABLE IF EXISTS observatory_snapshots
--bun:split
DROP TABLE IF EXISTS programme_action_structures
--bun:split
DROP TABLE IF EXISTS programme_action_items
--bun:split
DROP TABLE IF EXISTS programme_actions
--bun:split
DROP TABLE IF EXISTS census_campaigns
--bun:split
DROP TABLE IF EXISTS publications
--bun:split
DROP TABLE IF EXISTS training_modules
--bun:split
DROP TABLE IF EXISTS training_cycles
--bun:split
DROP TABLE IF EXISTS support_sessions
--bun:split
DROP TABLE IF EXISTS event_funding_calls
--bun:split
DROP TABLE IF EXISTS event_organisers
--bun:split
DROP TABLE IF EXISTS event_countries
--bun:split
DROP TABLE IF EXISTS event_themes
--bun:split
DROP TABLE IF EXISTS event_audiences
--bun:split
DROP TABLE IF EXISTS events
--bun:split
DROP TABLE IF EXISTS funding_call_countries
--bun:split
DROP TABLE IF EXISTS funding_call_themes
--bun:split
DROP TABLE IF EXISTS funding_call_audiences
--bun:split
DROP TABLE IF EXISTS funding_calls
--bun:split
DROP TABLE IF EXISTS project_themes
--bun:split
DROP TABLE IF EXISTS project_countries
--bun:split
DROP TABLE IF EXISTS project_partners
--bun:split
DROP TABLE IF EXISTS projects
--bun:split
DROP TABLE IF EXISTS partnerships
--bun:split
DROP TABLE IF EXISTS contacts
--bun:split
DROP TABLE IF EXISTS structure_offices
--bun:split
DROP TABLE IF EXISTS structure_themes
--bun:split
DROP TABLE IF EXISTS structure_names
--bun:split
DROP TABLE IF EXISTS structures
--bun:split
DROP TABLE IF EXISTS countries
--bun:split
DROP TABLE IF EXISTS themes
--bun:split
DROP TABLE IF EXISTS audience_actor_types
--bun:split
DROP TABLE IF EXISTS audiences
--bun:split
DROP TABLE IF EXISTS departments
--bun:split
DROP TABLE IF EXISTS actor_types
