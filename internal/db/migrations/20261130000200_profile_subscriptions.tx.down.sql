DROP INDEX IF EXISTS subscriptions_structure_idx
--bun:split
ALTER TABLE subscriptions DROP COLUMN structure_id
