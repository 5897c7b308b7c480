DROP INDEX IF EXISTS funding_calls_deadline_desc_idx
--bun:split
DROP INDEX IF EXISTS funding_calls_deadline_idx
--bun:split
DROP INDEX IF EXISTS events_date_desc_idx
--bun:split
DROP INDEX IF EXISTS structures_updated_idx
--bun:split
DROP INDEX IF EXISTS structures_created_idx
--bun:split
DROP INDEX IF EXISTS support_sessions_date_idx
--bun:split
DROP INDEX IF EXISTS contacts_sort_idx
