-- API tokens: only a hash of each token is kept; the token itself is shown
-- once, when it is created.
CREATE TABLE api_tokens (
  id {{.ID}},
  name TEXT NOT NULL CHECK (name <> ''),
  role TEXT NOT NULL CHECK (role IN ('anonymous', 'member', 'staff', 'admin')),
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at {{.Timestamp}} NOT NULL,
  expires_at {{.Timestamp}},
  revoked_at {{.Timestamp}},
  last_used_at {{.Timestamp}}
)
