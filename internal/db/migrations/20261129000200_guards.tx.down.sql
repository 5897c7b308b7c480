DROP TABLE seen_requests
--bun:split
DROP TABLE rate_windows
