import { currentRequest } from "../request-context.server.ts";
import { chooseHomeShard } from "./home-shard.server.ts";

/**
 * Better Auth's `databaseHooks.user.create.before`: gives every new user a home shard,
 * from where the sign-up request came from. Without a location the home is the hash of
 * the user id, so the id is chosen here (Better Auth keeps an id a hook sets).
 */
export async function assignHomeShard(user: { id?: string } & Record<string, unknown>) {
  const location = currentRequest()?.location;
  const id = user.id ?? crypto.randomUUID();
  return { data: { ...user, id, shard: chooseHomeShard(location, id) } };
}
