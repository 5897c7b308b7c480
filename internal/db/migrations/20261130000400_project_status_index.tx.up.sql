-- Projects by status, the list filter the API and the bot offer: a project
-- list's totalCount is counted from this index alone, and a rare status
-- finds its projects without reading the others. On PostgreSQL the index is
-- the status alone, the narrowest to count from (30 000 running projects:
-- 10 ms by the table, 4 by the index); a wider one was not chosen for the
-- count. SQLite's planner, given the narrow one, read a status's projects
-- through it and sorted them all by title (3x slower than without it), so
-- there the index holds the list's order too.
CREATE INDEX projects_status_idx ON projects (status{{if not .Postgres}}, sort_title, id{{end}})
