-- A structure's projects as lead, by title, are read for every structure of a
-- list that shows them (the network's most common nested read: three-levels,
-- structures-projects-partners in bench/shapes), and what is shown of them is
-- mostly their title. The index on (lead, title order) now holds the title
-- too, so the page is read from the index alone, where each project was
-- fetched from the table and the few sorted: bench/shapes/11's statement ran
-- 1 300-1 440 times a second under pgbench, 2 700-2 800 with this index.
-- PostgreSQL carries the title beside the key (INCLUDE); SQLite, which has
-- no INCLUDE, as the key's last column.
CREATE INDEX projects_lead_title_idx ON projects (lead_structure_id, sort_title, id{{if not .Postgres}}, title{{end}}){{if .Postgres}} INCLUDE (title){{end}}
--bun:split
DROP INDEX IF EXISTS projects_lead_sort_idx
