-- Shared state of the request guards, so that every replica sees the same:
-- rate_windows counts each client's requests and query cost per minute, and
-- seen_requests remembers the chat platforms' request ids (a Slack signature,
-- a Discord interaction id) until they expire, so that a replay runs once.
CREATE TABLE rate_windows (
  client TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  requests BIGINT NOT NULL DEFAULT 0,
  cost BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (client, window_start)
)
--bun:split
CREATE INDEX rate_windows_start_idx ON rate_windows (window_start)
--bun:split
CREATE TABLE seen_requests (
  platform TEXT NOT NULL,
  request_key TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (platform, request_key)
)
--bun:split
CREATE INDEX seen_requests_expires_idx ON seen_requests (expires_at)
