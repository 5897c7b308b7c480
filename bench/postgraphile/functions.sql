-- What the peers lack to answer three of the suite's shapes: PostGraphile
-- filters by equality alone (without plugins), so a date range and a text
-- match are offered to it as functions, which it exposes as root fields
-- (benchUpcomingEvents, benchOpenFundingCalls, benchSearchProjects). They
-- select what lianes selects, in the same order, and are created in the
-- benchmark's database only, by bench/run.sh.

CREATE OR REPLACE FUNCTION bench_upcoming_events(now text) RETURNS SETOF events AS $$
  SELECT * FROM events AS e
   WHERE e.status <> 'annule' AND (e.date_to >= now OR e.date_from IS NULL)
   ORDER BY CASE WHEN e.date_from IS NULL THEN 1 ELSE 0 END, e.date_from, e.date_to, e.date_time, e.id
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION bench_open_funding_calls(now text) RETURNS SETOF funding_calls AS $$
  SELECT * FROM funding_calls AS fc
   WHERE fc.status = 'actif' AND (fc.opens_from IS NULL OR fc.opens_from <= now) AND (fc.deadline_to IS NULL OR fc.deadline_to >= now)
   ORDER BY CASE WHEN fc.deadline_to IS NULL THEN 1 ELSE 0 END, fc.deadline_to, fc.sort_title, fc.id
$$ LANGUAGE sql STABLE;

-- lianes ranks a search by relevance from its index; the peer's version
-- matches the folded title and orders by it, which costs it less.
CREATE OR REPLACE FUNCTION bench_search_projects(q text) RETURNS SETOF projects AS $$
  SELECT * FROM projects AS p WHERE p.sort_title LIKE '%' || lower(q) || '%' ORDER BY p.sort_title, p.id
$$ LANGUAGE sql STABLE;
