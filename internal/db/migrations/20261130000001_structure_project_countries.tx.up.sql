-- The countries a structure acts in through its projects, led or joined,
-- kept as a table rather than computed per question: "the companies of the
-- Pas-de-Calais acting in Morocco" looked up each company's projects and their
-- countries (40 to 60 ms at 100 000 structures); with this table it is one
-- index probe per company. The database keeps it up to date itself, through
-- the triggers below, whatever writes the projects (the API, chat commands,
-- imports, merges, deletions of structures): no write path can forget it.
-- The view is what the table must hold; the tests compare the two.
CREATE VIEW structure_project_countries_source AS
SELECT p.lead_structure_id AS structure_id, pc.country_code
  FROM projects AS p JOIN project_countries AS pc ON pc.project_id = p.id
 WHERE p.lead_structure_id IS NOT NULL
UNION
SELECT pp.structure_id, pc.country_code
  FROM project_partners AS pp JOIN project_countries AS pc ON pc.project_id = pp.project_id
--bun:split
CREATE TABLE structure_project_countries (
  structure_id BIGINT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
  country_code TEXT NOT NULL REFERENCES countries (code),
  PRIMARY KEY (structure_id, country_code)
)
--bun:split
CREATE INDEX structure_project_countries_country_idx ON structure_project_countries (country_code, structure_id)
--bun:split
INSERT INTO structure_project_countries (structure_id, country_code)
SELECT structure_id, country_code FROM structure_project_countries_source
--bun:split
{{if .Postgres -}}
-- refresh recomputes the rows of some structures from the source: after a
-- deletion, a country may still be justified by another project. Structures
-- being deleted get none (their rows go by cascade).
CREATE FUNCTION structure_project_countries_refresh(ids BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM structure_project_countries WHERE structure_id = ANY (ids);
  INSERT INTO structure_project_countries (structure_id, country_code)
  SELECT src.structure_id, src.country_code FROM structure_project_countries_source AS src
   WHERE src.structure_id = ANY (ids) AND EXISTS (SELECT 1 FROM structures AS s WHERE s.id = src.structure_id);
END $$
{{- else}}SELECT 1{{end}}
--bun:split
{{if .Postgres -}}
CREATE FUNCTION structure_project_countries_on_project_country() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO structure_project_countries (structure_id, country_code)
    SELECT p.lead_structure_id, NEW.country_code FROM projects AS p WHERE p.id = NEW.project_id AND p.lead_structure_id IS NOT NULL
    UNION SELECT pp.structure_id, NEW.country_code FROM project_partners AS pp WHERE pp.project_id = NEW.project_id
    ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM structure_project_countries_refresh(ARRAY(
      SELECT p.lead_structure_id FROM projects AS p WHERE p.id = OLD.project_id AND p.lead_structure_id IS NOT NULL
      UNION SELECT pp.structure_id FROM project_partners AS pp WHERE pp.project_id = OLD.project_id));
  END IF;
  RETURN NULL;
END $$
{{- else}}SELECT 1{{end}}
--bun:split
{{if .Postgres -}}
CREATE FUNCTION structure_project_countries_on_partner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO structure_project_countries (structure_id, country_code)
    SELECT NEW.structure_id, pc.country_code FROM project_countries AS pc WHERE pc.project_id = NEW.project_id
    ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM structure_project_countries_refresh(ARRAY[OLD.structure_id]);
  END IF;
  RETURN NULL;
END $$
{{- else}}SELECT 1{{end}}
--bun:split
{{if .Postgres -}}
CREATE FUNCTION structure_project_countries_on_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' AND NEW.lead_structure_id IS NOT NULL THEN
    INSERT INTO structure_project_countries (structure_id, country_code)
    SELECT NEW.lead_structure_id, pc.country_code FROM project_countries AS pc WHERE pc.project_id = NEW.id
    ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.lead_structure_id IS NOT NULL THEN
    PERFORM structure_project_countries_refresh(ARRAY[OLD.lead_structure_id]);
  END IF;
  RETURN NULL;
END $$
{{- else}}SELECT 1{{end}}
--bun:split
{{if .Postgres -}}
CREATE TRIGGER structure_project_countries_sync AFTER INSERT OR UPDATE OR DELETE ON project_countries
FOR EACH ROW EXECUTE FUNCTION structure_project_countries_on_project_country()
{{- else -}}
CREATE TRIGGER structure_project_countries_pc_insert AFTER INSERT ON project_countries BEGIN
  INSERT INTO structure_project_countries (structure_id, country_code)
  SELECT p.lead_structure_id, NEW.country_code FROM projects AS p WHERE p.id = NEW.project_id AND p.lead_structure_id IS NOT NULL
  UNION SELECT pp.structure_id, NEW.country_code FROM project_partners AS pp WHERE pp.project_id = NEW.project_id
  ON CONFLICT DO NOTHING;
END
{{- end}}
--bun:split
{{if .Postgres -}}
CREATE TRIGGER structure_project_countries_sync AFTER INSERT OR UPDATE OR DELETE ON project_partners
FOR EACH ROW EXECUTE FUNCTION structure_project_countries_on_partner()
{{- else -}}
-- SQLite has no functions: each trigger recomputes its structures itself.
CREATE TRIGGER structure_project_countries_pc_change AFTER DELETE ON project_countries BEGIN
  DELETE FROM structure_project_countries WHERE structure_id IN (
    SELECT p.lead_structure_id FROM projects AS p WHERE p.id = OLD.project_id
    UNION SELECT pp.structure_id FROM project_partners AS pp WHERE pp.project_id = OLD.project_id);
  INSERT INTO structure_project_countries (structure_id, country_code)
  SELECT src.structure_id, src.country_code FROM structure_project_countries_source AS src
   WHERE src.structure_id IN (
    SELECT p.lead_structure_id FROM projects AS p WHERE p.id = OLD.project_id
    UNION SELECT pp.structure_id FROM project_partners AS pp WHERE pp.project_id = OLD.project_id)
     AND src.structure_id IN (SELECT id FROM structures);
END
{{- end}}
--bun:split
{{if .Postgres -}}
CREATE TRIGGER structure_project_countries_sync AFTER INSERT OR UPDATE OF lead_structure_id OR DELETE ON projects
FOR EACH ROW EXECUTE FUNCTION structure_project_countries_on_project()
{{- else -}}
CREATE TRIGGER structure_project_countries_pp_insert AFTER INSERT ON project_partners BEGIN
  INSERT INTO structure_project_countries (structure_id, country_code)
  SELECT NEW.structure_id, pc.country_code FROM project_countries AS pc WHERE pc.project_id = NEW.project_id
  ON CONFLICT DO NOTHING;
END
{{- end}}
--bun:split
{{if .Postgres}}SELECT 1{{else -}}
CREATE TRIGGER structure_project_countries_pp_change AFTER DELETE ON project_partners BEGIN
  DELETE FROM structure_project_countries WHERE structure_id = OLD.structure_id;
  INSERT INTO structure_project_countries (structure_id, country_code)
  SELECT src.structure_id, src.country_code FROM structure_project_countries_source AS src
   WHERE src.structure_id = OLD.structure_id AND src.structure_id IN (SELECT id FROM structures);
END
{{- end}}
--bun:split
{{if .Postgres}}SELECT 1{{else -}}
CREATE TRIGGER structure_project_countries_pp_update AFTER UPDATE ON project_partners BEGIN
  DELETE FROM structure_project_countries WHERE structure_id IN (OLD.structure_id, NEW.structure_id);
  INSERT INTO structure_project_countries (structure_id, country_code)
  SELECT src.structure_id, src.country_code FROM structure_project_countries_source AS src
   WHERE src.structure_id IN (OLD.structure_id, NEW.structure_id) AND src.structure_id IN (SELECT id FROM structures);
END
{{- end}}
--bun:split
{{if .Postgres}}SELECT 1{{else -}}
CREATE TRIGGER structure_project_countries_p_insert AFTER INSERT ON projects WHEN NEW.lead_structure_id IS NOT NULL BEGIN
  INSERT INTO structure_project_countries (structure_id, country_code)
  SELECT NEW.lead_structure_id, pc.country_code FROM project_countries AS pc WHERE pc.project_id = NEW.id
  ON CONFLICT DO NOTHING;
END
{{- end}}
--bun:split
{{if .Postgres}}SELECT 1{{else -}}
CREATE TRIGGER structure_project_countries_p_change AFTER UPDATE OF lead_structure_id ON projects BEGIN
  DELETE FROM structure_project_countries WHERE structure_id IN (OLD.lead_structure_id, NEW.lead_structure_id);
  INSERT INTO structure_project_countries (structure_id, country_code)
  SELECT src.structure_id, src.country_code FROM structure_project_countries_source AS src
   WHERE src.structure_id IN (OLD.lead_structure_id, NEW.lead_structure_id) AND src.structure_id IN (SELECT id FROM structures);
END
{{- end}}
--bun:split
{{if .Postgres}}SELECT 1{{else -}}
CREATE TRIGGER structure_project_countries_p_delete AFTER DELETE ON projects WHEN OLD.lead_structure_id IS NOT NULL BEGIN
  DELETE FROM structure_project_countries WHERE structure_id = OLD.lead_structure_id;
  INSERT INTO structure_project_countries (structure_id, country_code)
  SELECT src.structure_id, src.country_code FROM structure_project_countries_source AS src
   WHERE src.structure_id = OLD.lead_structure_id AND src.structure_id IN (SELECT id FROM structures);
END
{{- end}}
