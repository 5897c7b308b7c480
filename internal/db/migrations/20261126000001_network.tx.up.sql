-- The actor network: reference lists, structures and everything linked to them.
-- {{.ID}} and {{.Timestamp}} are filled per dialect by internal/db; the rest is the same SQL on both.
CREATE TABLE actor_types (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL
)
--bun:split

CREATE TABLE departments (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  population_share INTEGER NOT NULL CHECK (population_share BETWEEN 0 AND 100)
)
--bun:split

CREATE TABLE audiences (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL
)
--bun:split

CREATE TABLE audience_actor_types (
  audience_code TEXT NOT NULL REFERENCES audiences (code) ON DELETE CASCADE,
  actor_type_code TEXT NOT NULL REFERENCES actor_types (code) ON DELETE CASCADE,
  PRIMARY KEY (audience_code, actor_type_code)
)
--bun:split

CREATE TABLE themes (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL
)
--bun:split

CREATE TABLE countries (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
)
--bun:split

CREATE TABLE structures (
  id {{.ID}},
  name TEXT NOT NULL CHECK (name <> ''),
  actor_type_code TEXT REFERENCES actor_types (code),
  source_type TEXT NOT NULL DEFAULT '',
  department_code TEXT REFERENCES departments (code),
  commune TEXT NOT NULL DEFAULT '',
  country_code TEXT REFERENCES countries (code),
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{.Timestamp}} NOT NULL,
  updated_at {{.Timestamp}} NOT NULL
)
--bun:split

CREATE INDEX structures_name_idx ON structures (name)
--bun:split

CREATE INDEX structures_actor_type_idx ON structures (actor_type_code)
--bun:split

CREATE INDEX structures_department_idx ON structures (department_code)
--bun:split

CREATE TABLE structure_names (
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (name <> ''),
  PRIMARY KEY (structure_id, name)
)
--bun:split

CREATE TABLE structure_themes (
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  theme_code TEXT NOT NULL REFERENCES themes (code) ON DELETE CASCADE,
  PRIMARY KEY (structure_id, theme_code)
)
--bun:split

CREATE TABLE structure_offices (
  id {{.ID}},
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  commune TEXT NOT NULL DEFAULT '',
  department_code TEXT REFERENCES departments (code),
  address TEXT NOT NULL DEFAULT ''
)
--bun:split

CREATE INDEX structure_offices_structure_idx ON structure_offices (structure_id)
--bun:split

CREATE TABLE contacts (
  id {{.ID}},
  structure_id BIGINT REFERENCES structures (id) ON DELETE SET NULL,
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  consent BOOLEAN NOT NULL DEFAULT FALSE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{.Timestamp}} NOT NULL,
  updated_at {{.Timestamp}} NOT NULL
)
--bun:split

CREATE INDEX contacts_structure_idx ON contacts (structure_id)
--bun:split

CREATE TABLE partnerships (
  id {{.ID}},
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  partner_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  since_label TEXT NOT NULL DEFAULT '',
  since_precision TEXT NOT NULL DEFAULT 'unknown',
  since_from TEXT,
  since_to TEXT,
  since_time TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{.Timestamp}} NOT NULL,
  updated_at {{.Timestamp}} NOT NULL,
  CHECK (structure_id <> partner_id),
  UNIQUE (structure_id, partner_id, kind)
)
--bun:split

CREATE INDEX partnerships_partner_idx ON partnerships (partner_id)
--bun:split

CREATE TABLE projects (
  id {{.ID}},
  title TEXT NOT NULL CHECK (title <> ''),
  description TEXT NOT NULL DEFAULT '',
  lead_structure_id BIGINT REFERENCES structures (id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'en_cours',
  starts_label TEXT NOT NULL DEFAULT '',
  starts_precision TEXT NOT NULL DEFAULT 'unknown',
  starts_from TEXT,
  starts_to TEXT,
  starts_time TEXT NOT NULL DEFAULT '',
  ends_label TEXT NOT NULL DEFAULT '',
  ends_precision TEXT NOT NULL DEFAULT 'unknown',
  ends_from TEXT,
  ends_to TEXT,
  ends_time TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{.Timestamp}} NOT NULL,
  updated_at {{.Timestamp}} NOT NULL
)
--bun:split

CREATE INDEX projects_lead_idx ON projects (lead_structure_id)
--bun:split

CREATE TABLE project_partners (
  project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  PRIMARY KEY (project_id, structure_id)
)
--bun:split

CREATE INDEX project_partners_structure_idx ON project_partners (structure_id)
--bun:split

CREATE TABLE project_countries (
  project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  country_code TEXT NOT NULL REFERENCES countries (code),
  PRIMARY KEY (project_id, country_code)
)
--bun:split

CREATE TABLE project_themes (
  project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  theme_code TEXT NOT NULL REFERENCES themes (code),
  PRIMARY KEY (project_id, theme_code)
)
--bun:split

CREATE TABLE funding_calls (
  id {{.ID}},
  title TEXT NOT NULL CHECK (title <> ''),
  funder TEXT NOT NULL DEFAULT '',
  programme TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  audience_text TEXT NOT NULL DEFAULT '',
  territory TEXT NOT NULL CHECK (territory IN ('regional', 'national', 'europeen', 'international')),
  opens_label TEXT NOT NULL DEFAULT '',
  opens_precision TEXT NOT NULL DEFAULT 'unknown',
  opens_from TEXT,
  opens_to TEXT,
  opens_time TEXT NOT NULL DEFAULT '',
  deadline_label TEXT NOT NULL DEFAULT '',
  deadline_precision TEXT NOT NULL DEFAULT 'unknown',
  deadline_from TEXT,
  deadline_to TEXT,
  deadline_time TEXT NOT NULL DEFAULT '',
  recurrence TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'actif' CHECK (status IN ('actif', 'clos', 'annule')),
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{.Timestamp}} NOT NULL,
  updated_at {{.Timestamp}} NOT NULL
)
--bun:split

CREATE TABLE funding_call_audiences (
  funding_call_id BIGINT NOT NULL REFERENCES funding_calls (id) ON DELETE CASCADE,
  audience_code TEXT NOT NULL REFERENCES audiences (code),
  PRIMARY KEY (funding_call_id, audience_code)
)
--bun:split

CREATE TABLE funding_call_themes (
  funding_call_id BIGINT NOT NULL REFERENCES funding_calls (id) ON DELETE CASCADE,
  theme_code TEXT NOT NULL REFERENCES themes (code),
  PRIMARY KEY (funding_call_id, theme_code)
)
--bun:split

CREATE TABLE funding_call_countries (
  funding_call_id BIGINT NOT NULL REFERENCES funding_calls (id) ON DELETE CASCADE,
  country_code TEXT NOT NULL REFERENCES countries (code),
  PRIMARY KEY (funding_call_id, country_code)
)
--bun:split

CREATE TABLE events (
  id {{.ID}},
  kind TEXT NOT NULL CHECK (kind IN ('webinaire', 'groupe_de_travail', 'evenement')),
  format TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL CHECK (title <> ''),
  content TEXT NOT NULL DEFAULT '',
  audience_text TEXT NOT NULL DEFAULT '',
  online BOOLEAN,
  place TEXT NOT NULL DEFAULT '',
  registration_url TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'previsionnel' CHECK (status IN ('previsionnel', 'confirme', 'reporte', 'annule')),
  date_label TEXT NOT NULL DEFAULT '',
  date_precision TEXT NOT NULL DEFAULT 'unknown',
  date_from TEXT,
  date_to TEXT,
  date_time TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{.Timestamp}} NOT NULL,
  updated_at {{.Timestamp}} NOT NULL
)
--bun:split

CREATE INDEX events_date_idx ON events (date_from, date_to)
--bun:split

CREATE TABLE event_audiences (
  event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  audience_code TEXT NOT NULL REFERENCES audiences (code),
  PRIMARY KEY (event_id, audience_code)
)
--bun:split

CREATE TABLE event_themes (
  event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  theme_code TEXT NOT NULL REFERENCES themes (code),
  PRIMARY KEY (event_id, theme_code)
)
--bun:split

CREATE TABLE event_countries (
  event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  country_code TEXT NOT NULL REFERENCES countries (code),
  PRIMARY KEY (event_id, country_code)
)
--bun:split

CREATE TABLE event_organisers (
  event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, structure_id)
)
--bun:split

CREATE INDEX event_organisers_structure_idx ON event_organisers (structure_id)
--bun:split

CREATE TABLE event_funding_calls (
  event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  funding_call_id BIGINT NOT NULL REFERENCES funding_calls (id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, funding_call_id)
)
--bun:split

CREATE INDEX event_funding_calls_call_idx ON event_funding_calls (funding_call_id)
--bun:split

CREATE TABLE support_sessions (
  id {{.ID}},
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  subject TEXT NOT NULL CHECK (subject <> ''),
  department_code TEXT REFERENCES departments (code),
  source_type TEXT NOT NULL DEFAULT '',
  date_label TEXT NOT NULL DEFAULT '',
  date_precision TEXT NOT NULL DEFAULT 'unknown',
  date_from TEXT,
  date_to TEXT,
  date_time TEXT NOT NULL DEFAULT '',
  staff TEXT NOT NULL DEFAULT '',
  duration_minutes INTEGER CHECK (duration_minutes > 0),
  funding_call_id BIGINT REFERENCES funding_calls (id) ON DELETE SET NULL,
  project_id BIGINT REFERENCES projects (id) ON DELETE SET NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{.Timestamp}} NOT NULL,
  updated_at {{.Timestamp}} NOT NULL
)
--bun:split

CREATE INDEX support_sessions_structure_idx ON support_sessions (structure_id)
--bun:split

CREATE TABLE training_cycles (
  id {{.ID}},
  title TEXT NOT NULL CHECK (title <> ''),
  description TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0
)
--bun:split

CREATE TABLE training_modules (
  id {{.ID}},
  cycle_id BIGINT NOT NULL REFERENCES training_cycles (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT NOT NULL CHECK (title <> ''),
  UNIQUE (cycle_id, position)
)
--bun:split

CREATE TABLE publications (
  id {{.ID}},
  title TEXT NOT NULL CHECK (title <> ''),
  series TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  date_label TEXT NOT NULL DEFAULT '',
  date_precision TEXT NOT NULL DEFAULT 'unknown',
  date_from TEXT,
  date_to TEXT,
  date_time TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at {{.Timestamp}} NOT NULL,
  updated_at {{.Timestamp}} NOT NULL
)
--bun:split

CREATE TABLE census_campaigns (
  id {{.ID}},
  title TEXT NOT NULL CHECK (title <> ''),
  description TEXT NOT NULL DEFAULT '',
  date_label TEXT NOT NULL DEFAULT '',
  date_precision TEXT NOT NULL DEFAULT 'unknown',
  date_from TEXT,
  date_to TEXT,
  date_time TEXT NOT NULL DEFAULT ''
)
--bun:split

CREATE TABLE programme_actions (
  id {{.ID}},
  title TEXT NOT NULL CHECK (title <> ''),
  axis INTEGER NOT NULL CHECK (axis BETWEEN 1 AND 4),
  description TEXT NOT NULL DEFAULT '',
  planned_count INTEGER,
  url TEXT NOT NULL DEFAULT '',
  date_label TEXT NOT NULL DEFAULT '',
  date_precision TEXT NOT NULL DEFAULT 'unknown',
  date_from TEXT,
  date_to TEXT,
  date_time TEXT NOT NULL DEFAULT ''
)
--bun:split

CREATE TABLE programme_action_items (
  id {{.ID}},
  action_id BIGINT NOT NULL REFERENCES programme_actions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT NOT NULL CHECK (title <> ''),
  description TEXT NOT NULL DEFAULT '',
  UNIQUE (action_id, position)
)
--bun:split

CREATE TABLE programme_action_structures (
  action_id BIGINT NOT NULL REFERENCES programme_actions (id) ON DELETE CASCADE,
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  PRIMARY KEY (action_id, structure_id)
)
--bun:split

CREATE TABLE observatory_snapshots (
  id {{.ID}},
  taken_on TEXT NOT NULL,
  label TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  structures_total INTEGER,
  structures_region INTEGER,
  contacts INTEGER,
  projects INTEGER,
  support_structures INTEGER,
  support_hours INTEGER,
  support_as_of TEXT,
  support_staff INTEGER,
  note TEXT NOT NULL DEFAULT ''
)
--bun:split

CREATE TABLE observatory_type_counts (
  snapshot_id BIGINT NOT NULL REFERENCES observatory_snapshots (id) ON DELETE CASCADE,
  actor_type_code TEXT NOT NULL REFERENCES actor_types (code),
  count INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (snapshot_id, actor_type_code)
)
--bun:split

CREATE TABLE observatory_department_counts (
  snapshot_id BIGINT NOT NULL REFERENCES observatory_snapshots (id) ON DELETE CASCADE,
  department_code TEXT NOT NULL REFERENCES departments (code),
  count INTEGER NOT NULL CHECK (count >= 0),
  structure_share INTEGER NOT NULL,
  population_share INTEGER NOT NULL,
  PRIMARY KEY (snapshot_id, department_code)
)
--bun:split

CREATE TABLE dataset_seeds (
  name TEXT PRIMARY KEY,
  applied_at {{.Timestamp}} NOT NULL
)
