DROP TABLE IF EXISTS deliveries
--bun:split
DROP TABLE IF EXISTS announcements
--bun:split
DROP TABLE IF EXISTS subscriptions
