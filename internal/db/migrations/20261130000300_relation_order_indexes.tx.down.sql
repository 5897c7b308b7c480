CREATE INDEX contacts_structure_idx ON contacts (structure_id)
--bun:split
DROP INDEX IF EXISTS contacts_structure_sort_idx
--bun:split
CREATE INDEX support_sessions_structure_idx ON support_sessions (structure_id)
--bun:split
DROP INDEX IF EXISTS support_sessions_structure_date_idx
