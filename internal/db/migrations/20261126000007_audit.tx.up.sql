-- The audit trail: who changed what, when, with the fields before and after.
-- It is not part of exports; personal values are scrubbed from it on erasure.
CREATE TABLE audit_log (
  id {{.ID}},
  at {{.Timestamp}} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_id BIGINT,
  before_json TEXT NOT NULL DEFAULT '',
  after_json TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
)
--bun:split
CREATE INDEX audit_log_record_idx ON audit_log (kind, record_id)
--bun:split
CREATE INDEX audit_log_at_idx ON audit_log (at)
