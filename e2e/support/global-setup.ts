import type { TestProject } from "vitest/node";
import { startIdentityProvider } from "./identity-provider.ts";
import { freshPersistDir, removePersistDir, startStack } from "./stack.ts";

/**
 * Vitest global setup: an OpenID Connect provider and one stack on fresh local data,
 * configured for single sign-on with it, for the whole run; torn down afterwards, also
 * on failure. With E2E_USE_RUNNING_STACK=1 it uses the `npm run dev` you started
 * yourself instead.
 */
export default async function setup(project: TestProject) {
  if (process.env.E2E_USE_RUNNING_STACK === "1") return;
  const persistDir = freshPersistDir();
  // Tests that work on the local data beside the stack (npm run shard:move, the dev
  // mailbox) need to know where it is.
  project.provide("persistDir", persistDir);
  const provider = await startIdentityProvider();
  try {
    const stop = await startStack(persistDir, { signOn: provider.settings });
    project.provide("signOnName", provider.settings.name);
    return async () => {
      await stop();
      await provider.stop();
      removePersistDir(persistDir);
    };
  } catch (error) {
    await provider.stop();
    removePersistDir(persistDir);
    throw error;
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The stack's local data directory; unset when the tests use a stack started by hand. */
    persistDir?: string;
    /** The name on the site's single sign-on button; unset without a provider. */
    signOnName?: string;
  }
}
