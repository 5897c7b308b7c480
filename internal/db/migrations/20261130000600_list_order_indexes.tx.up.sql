-- The root lists' orders that still read the whole table and sorted it for
-- each page: the contact directory by name (13 333 contacts in the
-- synthetic network; the sort was 8 of the page's 14 ms), support sessions
-- by date (staff's agenda), structures by creation or update date, events
-- latest first, funding calls by deadline in each direction. The
-- expressions are those of network.ListContacts, support.DateOrder,
-- network.ListOrder, event.ListOrder and fundingcall.ListOrder: unknown
-- dates last in both directions, so one index per direction where the
-- order has that CASE. sort_name and sort_title are bytewise already
-- (COLLATE "C" on PostgreSQL, SQLite's default), as the orders compare them.
-- TestListOrdersReadAnIndex checks every one on both databases.
CREATE INDEX contacts_sort_idx ON contacts (sort_name, id)
--bun:split
CREATE INDEX support_sessions_date_idx ON support_sessions ((CASE WHEN date_from IS NULL THEN 1 ELSE 0 END), date_from, date_time, id)
--bun:split
CREATE INDEX structures_created_idx ON structures (created_at, id)
--bun:split
CREATE INDEX structures_updated_idx ON structures (updated_at, id)
--bun:split
CREATE INDEX events_date_desc_idx ON events ((CASE WHEN date_from IS NULL THEN 1 ELSE 0 END), date_from DESC, date_to DESC, date_time DESC, id DESC)
--bun:split
CREATE INDEX funding_calls_deadline_idx ON funding_calls ((CASE WHEN deadline_to IS NULL THEN 1 ELSE 0 END), deadline_to, sort_title, id)
--bun:split
CREATE INDEX funding_calls_deadline_desc_idx ON funding_calls ((CASE WHEN deadline_to IS NULL THEN 1 ELSE 0 END), deadline_to DESC, sort_title DESC, id DESC)
