/** Local (or remote) D1 databases of a wrangler config, from Node, through wrangler. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AnyD1Database } from "drizzle-orm/d1";
import { getPlatformProxy, unstable_readConfig } from "wrangler";
import { ROOT } from "./process.ts";

type D1Entry = { binding: string; database_name?: string; database_id?: string };

/**
 * A platform proxy with only the D1 bindings of a wrangler config: locally on the data
 * `wrangler dev` keeps (`<persistTo>/v3`), or, with `remote`, on the deployed databases.
 */
export async function d1Proxy(configFile: string, persistTo: string, remote: boolean) {
  const config = unstable_readConfig({ config: path.resolve(ROOT, configFile) });
  const dir = mkdtempSync(path.join(tmpdir(), "todo-shard-move-"));
  const configPath = path.join(dir, "wrangler.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      name: `${config.name}-shard-move`,
      compatibility_date: config.compatibility_date,
      d1_databases: config.d1_databases.map((d1: D1Entry) => ({
        binding: d1.binding,
        database_name: d1.database_name,
        database_id: d1.database_id,
        ...(remote ? { remote: true } : {}),
      })),
    }),
  );
  const proxy = await getPlatformProxy<Record<string, AnyD1Database>>({
    configPath,
    persist: { path: path.join(persistTo, "v3") },
    remoteBindings: remote,
    envFiles: [],
  });
  return {
    env: proxy.env,
    dispose: async () => {
      await proxy.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
