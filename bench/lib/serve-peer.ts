import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  assertPortFree,
  startProcess,
  stopProcess,
  waitForHttp,
} from "../../scripts/lib/process.ts";
import { HOST, PORTS, TIMEOUTS } from "./config.ts";
import { PYTHON } from "./peer-packages.ts";
import { prepareSqlite, type seedRows } from "./seed.ts";

const APP_DIR = new URL("../peer-fastapi/", import.meta.url).pathname;

export type ServedPeer = { url: string; pid: number | undefined; close: () => Promise<void> };

/**
 * Serves the FastAPI peer with uvicorn (one process, uvloop + httptools) on a SQLite file
 * holding the same migrations and rows as the API's D1.
 */
export async function servePeer(options: {
  migrationsDir: string;
  rows: ReturnType<typeof seedRows>;
  jwtSecret: string;
}): Promise<ServedPeer> {
  await assertPortFree(HOST, PORTS.peer);
  const dir = mkdtempSync(path.join(tmpdir(), "todo-bench-peer-"));
  const database = path.join(dir, "todos.sqlite");
  prepareSqlite(database, options.migrationsDir, options.rows);
  const server = startProcess(
    PYTHON,
    [
      ...["-m", "uvicorn", "app:app", "--app-dir", APP_DIR],
      ...["--host", HOST, "--port", String(PORTS.peer)],
      ...["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning"],
    ],
    {
      env: {
        PEER_DB: database,
        JWT_SECRET: options.jwtSecret,
        JWT_SECRET_PREVIOUS: "",
        PYTHONDONTWRITEBYTECODE: "1",
      },
    },
  );
  const url = `http://${HOST}:${PORTS.peer}`;
  const close = async () => {
    await stopProcess(server);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/health`, TIMEOUTS.serverStartMs, server);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, pid: server.pid, close };
}
