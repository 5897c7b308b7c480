-- Lists of structures of a department or of actor types, in name order ("les
-- assos de la Somme", the bot's pages and GraphQL's filtered lists), walk
-- these indexes in order and stop at the page's end; with the department
-- alone, every structure of the department was read and sorted (13 ms of
-- 18 000 structures at 100 000). They serve the lookups by department or
-- type alone as the old indexes did. Both together ("les entreprises du
-- Pas-de-Calais", the commonest pair) read only their own structures rather
-- than every one of the type (950 rows where 5 000 were read).
CREATE INDEX structures_department_sort_idx ON structures (department_code, sort_name, id)
--bun:split
DROP INDEX IF EXISTS structures_department_idx
--bun:split
CREATE INDEX structures_actor_type_sort_idx ON structures (actor_type_code, sort_name, id)
--bun:split
DROP INDEX IF EXISTS structures_actor_type_idx
--bun:split
CREATE INDEX structures_department_type_idx ON structures (department_code, actor_type_code, sort_name, id)
