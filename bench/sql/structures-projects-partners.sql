-- The benchmark query as one hand-written statement, for pgbench: 50
-- structures ordered by name, each with its first 5 projects as lead, each
-- with its partner structures, as JSON.
SELECT json_agg(x) FROM (
  SELECT s.name,
    (SELECT json_agg(p2) FROM (
       SELECT p.title,
         (SELECT json_agg(json_build_object('name', ps.name) ORDER BY pp.structure_id)
            FROM project_partners AS pp JOIN structures AS ps ON ps.id = pp.structure_id
           WHERE pp.project_id = p.id) AS partners
         FROM projects AS p
        WHERE p.lead_structure_id = s.id
        ORDER BY p.sort_title, p.id
        LIMIT 5) AS p2) AS projects
  FROM structures AS s
  ORDER BY s.sort_name, s.id
  LIMIT 50) AS x;
