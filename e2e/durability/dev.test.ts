import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SITE_SETTINGS_FROM_ENV } from "../../scripts/lib/ensure-dev-vars.ts";
import { isAnswering, waitUntilAnswering } from "../../scripts/lib/http-ready.ts";
import { API_URL, SITE_URL } from "../../scripts/lib/local-stack.ts";
import { freshPersistDir, removePersistDir } from "../support/stack.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const persistDir = freshPersistDir();
afterAll(() => removePersistDir(persistDir));

// The rest of the suite runs on the production build; this keeps `npm run dev` honest.
describe("npm run dev", () => {
  it("migrates fresh local data, serves the API, the site and the dev mailbox, and stops on a signal", async () => {
    if ((await isAnswering(`${API_URL}/health`)) || (await isAnswering(`${SITE_URL}/sign-in`))) {
      throw new Error(`Something already listens on ${API_URL} or ${SITE_URL}: stop it first.`);
    }
    // Without the settings it would copy into the developer's site/.dev.vars.
    const env: NodeJS.ProcessEnv = { ...process.env, PERSIST_DIR: persistDir };
    for (const key of SITE_SETTINGS_FROM_ENV) delete env[key];
    const dev = spawn(process.execPath, ["scripts/dev.ts"], {
      cwd: ROOT,
      env,
      stdio: "ignore",
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => dev.once("exit", resolve));
    try {
      const deadline = Date.now() + 180_000;
      await Promise.race([
        Promise.all([
          waitUntilAnswering(`${API_URL}/health`, deadline),
          waitUntilAnswering(`${SITE_URL}/sign-in`, deadline),
        ]),
        exited.then((code) => {
          throw new Error(`npm run dev exited early with code ${code}`);
        }),
      ]);
      expect((await fetch(`${API_URL}/api/todos`)).status).toBe(401);
      const mailbox = await fetch(`${SITE_URL}/dev/mailbox`);
      expect(mailbox.status).toBe(200);
      expect(await mailbox.text()).toContain("Dev mailbox");
    } finally {
      if (dev.pid !== undefined && dev.exitCode === null) process.kill(dev.pid, "SIGTERM");
    }
    // scripts/dev.ts stops both servers on SIGTERM and exits with 143.
    expect(await exited).toBe(143);
    expect(await isAnswering(`${API_URL}/health`)).toBe(false);
    expect(await isAnswering(`${SITE_URL}/sign-in`)).toBe(false);
  });
});
