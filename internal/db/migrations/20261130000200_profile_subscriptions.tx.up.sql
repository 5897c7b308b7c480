-- A member's direct-message alerts may follow their structure's profile
-- (issue 16, "pour nous"): the calls and events that fit the structure,
-- as internal/matching ranks them, instead of filters of codes. NULL for a
-- subscription by filters. A structure deleted takes its followers'
-- profile subscriptions with it: alerts about nothing in particular would
-- otherwise take their place unasked.
ALTER TABLE subscriptions ADD COLUMN structure_id BIGINT REFERENCES structures (id) ON DELETE CASCADE
--bun:split
CREATE INDEX subscriptions_structure_idx ON subscriptions (structure_id)
