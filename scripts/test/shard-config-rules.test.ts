import { describe, expect, it } from "vitest";
import { type ShardConfig, shardBindingProblems } from "../lib/shard-config-rules.ts";
import { readWorkerConfigFile } from "../lib/worker-config.ts";

const SHARDS = [
  { id: "weur", binding: "TODOS_WEUR" },
  { id: "enam", binding: "TODOS_ENAM" },
];

const binding = (name: string, n: number, migrations_dir = "migrations/todos") => ({
  binding: name,
  database_name: `todo-${n}`,
  database_id: `id-${n}`,
  migrations_dir,
});

const good: ShardConfig = {
  d1_databases: [binding("TODOS_WEUR", 1), binding("TODOS_ENAM", 2)],
};

const problems = (config: ShardConfig) => shardBindingProblems(config, SHARDS);

describe("the shard bindings rule", () => {
  it("passes one binding per shard, each migrated from migrations/todos", () => {
    expect(problems(good)).toEqual([]);
    expect(
      problems({
        d1_databases: [binding("TODOS_WEUR", 1, "./migrations/todos/"), binding("TODOS_ENAM", 2)],
      }),
    ).toEqual([]);
  });

  it("refuses a shard without its binding", () => {
    expect(problems({ d1_databases: [binding("TODOS_WEUR", 1)] })).toEqual([
      "shard enam has no [[d1_databases]] binding TODOS_ENAM",
    ]);
  });

  it("refuses a D1 binding that is not a shard, such as the single database from before", () => {
    expect(problems({ d1_databases: [...(good.d1_databases ?? []), binding("DB", 3)] })).toEqual([
      "D1 binding DB is not a shard in worker/src/shards.ts: add the shard there or remove the binding",
    ]);
  });

  it("refuses a shard migrated from anywhere else", () => {
    expect(
      problems({
        d1_databases: [binding("TODOS_WEUR", 1, "migrations/auth"), binding("TODOS_ENAM", 2)],
      }),
    ).toEqual(['TODOS_WEUR must have migrations_dir = "migrations/todos" (is migrations/auth)']);
    const unset = { ...binding("TODOS_ENAM", 2), migrations_dir: undefined };
    expect(problems({ d1_databases: [binding("TODOS_WEUR", 1), unset] })).toEqual([
      'TODOS_ENAM must have migrations_dir = "migrations/todos" (is unset)',
    ]);
  });

  it("refuses two shards on one database", () => {
    const twice = { ...binding("TODOS_ENAM", 2), database_id: "id-1", database_name: "todo-1" };
    expect(problems({ d1_databases: [binding("TODOS_WEUR", 1), twice] })).toEqual([
      'TODOS_ENAM and TODOS_WEUR share database_name "todo-1": one database each',
      'TODOS_ENAM and TODOS_WEUR share database_id "id-1": one database each',
    ]);
  });

  it("passes the committed wrangler.toml against the real shard list", () => {
    expect(shardBindingProblems(readWorkerConfigFile("wrangler.toml") as ShardConfig)).toEqual([]);
  });
});
