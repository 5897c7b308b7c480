DROP INDEX IF EXISTS support_sessions_end_idx
--bun:split
DROP INDEX IF EXISTS support_sessions_date_idx
--bun:split
CREATE INDEX support_sessions_date_idx ON support_sessions ((CASE WHEN date_from IS NULL THEN 1 ELSE 0 END), date_from, date_time, id)
