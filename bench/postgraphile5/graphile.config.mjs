// PostGraphile 5 as the benchmark runs it: the Amber preset on the lianes
// database's public schema. Like PostGraphile 4 by default, it may filter
// and order by any column, indexed or not, so that both peers answer the
// same queries (bench/shapes/*/postgraphile.graphql).
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

export default {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1/lianes_bench",
      schemas: ["public"],
    }),
  ],
  grafserv: { port: Number(process.env.PORT ?? 5679) },
};
