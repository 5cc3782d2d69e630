/**
 * The todo databases (shards): the one list of them. Each person's todos live on one
 * shard, their home. The API binds every shard's D1 database under `binding`
 * (`wrangler.toml` has one `[[d1_databases]]` per entry, migrated from
 * `migrations/todos`); the site picks a person's home at sign-up from `location`.
 * How to add one: docs/scaling.md.
 */
export const SHARDS = [
  {
    id: "weur",
    binding: "TODOS_WEUR",
    /** The D1 location hint the database was created with (`wrangler d1 create --location`). */
    locationHint: "weur",
    /** Roughly where that hint puts the database (latitude, longitude in degrees). */
    location: { latitude: 50.1, longitude: 8.7 },
  },
  {
    id: "enam",
    binding: "TODOS_ENAM",
    locationHint: "enam",
    location: { latitude: 39.0, longitude: -77.5 },
  },
] as const;

export type Shard = (typeof SHARDS)[number];
export type ShardId = Shard["id"];
export type ShardBinding = Shard["binding"];

/** Where a todo database of the API's config is kept, for checks of the config. */
export const TODOS_MIGRATIONS_DIR = "migrations/todos";

const byId = new Map<string, Shard>(SHARDS.map((shard) => [shard.id, shard]));

/** The shard with this id, or undefined when no configured shard has it. */
export function shardById(id: unknown): Shard | undefined {
  return typeof id === "string" ? byId.get(id) : undefined;
}

export const isShardId = (id: unknown): id is ShardId => shardById(id) !== undefined;

/** FNV-1a over the UTF-8 bytes: tiny, synchronous, the same in the site and the API. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The shard of a user who has no home recorded (a token without a `shard` claim, a
 * user who signed up before shards): a stable hash of the user id over the list.
 * It changes for some users when a shard is added, which is acceptable because only
 * claimless tokens use it: every person the site knows gets a home (see docs/scaling.md).
 */
export function hashShard(userId: string, shards: readonly Shard[] = SHARDS): Shard {
  const shard = shards[fnv1a(userId) % shards.length];
  if (shard === undefined) throw new Error("no shard is configured");
  return shard;
}
