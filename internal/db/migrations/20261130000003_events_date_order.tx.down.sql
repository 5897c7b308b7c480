DROP INDEX IF EXISTS events_date_order_idx
