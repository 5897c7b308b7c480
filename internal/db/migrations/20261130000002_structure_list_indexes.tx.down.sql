DROP INDEX IF EXISTS structures_department_type_idx
--bun:split
CREATE INDEX IF NOT EXISTS structures_department_idx ON structures (department_code)
--bun:split
DROP INDEX IF EXISTS structures_department_sort_idx
--bun:split
CREATE INDEX IF NOT EXISTS structures_actor_type_idx ON structures (actor_type_code)
--bun:split
DROP INDEX IF EXISTS structures_actor_type_sort_idx
