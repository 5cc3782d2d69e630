/**
 * The API's D1 bindings against its shard list (worker/src/shards.ts): one binding per
 * shard, each migrated from `migrations/todos` and on its own database, and no other.
 */
import path from "node:path";
import { SHARDS, TODOS_MIGRATIONS_DIR } from "../../worker/src/shards.ts";

type D1Binding = {
  binding: string;
  database_name?: string | undefined;
  database_id?: string | undefined;
  migrations_dir?: string | undefined;
};

/** The part of the API's wrangler config (as `unstable_readConfig` returns it) the rule reads. */
export type ShardConfig = { d1_databases?: D1Binding[] | undefined };

type ShardEntry = { id: string; binding: string };

const sameDir = (dir: string | undefined, expected: string) =>
  dir !== undefined &&
  path.posix.normalize(dir.replaceAll("\\", "/")).replace(/\/$/, "") === expected;

/** Values that more than one binding shares (a database named or numbered twice). */
function duplicates(bindings: D1Binding[], key: "database_name" | "database_id"): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const binding of bindings) {
    const value = binding[key];
    if (value === undefined) continue;
    const first = seen.get(value);
    if (first !== undefined) {
      problems.push(`${binding.binding} and ${first} share ${key} "${value}": one database each`);
    } else {
      seen.set(value, binding.binding);
    }
  }
  return problems;
}

export function shardBindingProblems(
  config: ShardConfig,
  shards: readonly ShardEntry[] = SHARDS,
): string[] {
  const bindings = config.d1_databases ?? [];
  const byName = new Map(bindings.map((binding) => [binding.binding, binding]));
  const expected = new Set(shards.map((shard) => shard.binding));
  const problems: string[] = [];
  for (const shard of shards) {
    const binding = byName.get(shard.binding);
    if (binding === undefined) {
      problems.push(`shard ${shard.id} has no [[d1_databases]] binding ${shard.binding}`);
    } else if (!sameDir(binding.migrations_dir, TODOS_MIGRATIONS_DIR)) {
      problems.push(
        `${shard.binding} must have migrations_dir = "${TODOS_MIGRATIONS_DIR}" (is ${binding.migrations_dir ?? "unset"})`,
      );
    }
  }
  for (const binding of bindings) {
    if (!expected.has(binding.binding)) {
      problems.push(
        `D1 binding ${binding.binding} is not a shard in worker/src/shards.ts: add the shard there or remove the binding`,
      );
    }
  }
  return [
    ...problems,
    ...duplicates(bindings, "database_name"),
    ...duplicates(bindings, "database_id"),
  ];
}
