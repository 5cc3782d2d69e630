import path from "node:path";

export const API_URL = "http://127.0.0.1:8787";
export const SITE_URL = "http://127.0.0.1:4321";
/**
 * The same site under a domain name: WebAuthn (passkeys) refuses an IP address as relying
 * party, so the end-to-end stack runs with `BETTER_AUTH_URL` set to this.
 */
export const LOCALHOST_SITE_URL = "http://localhost:4321";

type Step = { name: string; command: string[] };
type Server = Step & {
  label: string;
  url: string;
  readyUrl: string;
  env?: NodeJS.ProcessEnv;
};

/**
 * The servers of the local stack (migrate its data first: scripts/lib/local-migrations.ts).
 * @param persistDir - where local D1 data lives; defaults to each Worker's .wrangler/state
 */
export function localStack(persistDir?: string) {
  const persist = (name: string) =>
    persistDir ? ["--persist-to", path.resolve(persistDir, name)] : [];
  const servers: Server[] = [
    {
      name: "api",
      label: "API",
      url: API_URL,
      readyUrl: `${API_URL}/health`,
      command: ["wrangler", "dev", "--ip", "127.0.0.1", "--port", "8787", ...persist("api")],
    },
    {
      name: "site",
      label: "Site",
      url: SITE_URL,
      readyUrl: `${SITE_URL}/sign-in`,
      command: ["npm", "run", "dev", "--workspace", "site"],
      env: persistDir ? { SITE_PERSIST_DIR: path.resolve(persistDir, "site") } : {},
    },
  ];

  return { servers };
}
