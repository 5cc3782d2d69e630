import { hashShard, type Shard, shardById } from "../shards.ts";

/** The bindings of every shard's D1 database. */
export type ShardBindings = { [binding in Shard["binding"]]: D1Database };

/** A shard's D1 database, from the Worker's bindings. */
export const shardDatabase = (env: ShardBindings, shard: Shard): D1Database => env[shard.binding];

/**
 * The shard a request runs on: the token's `shard` claim (verified to be a configured
 * id), else a stable hash of its subject. No lookup, no round trip.
 */
export function requestShard(claims: { sub: string; shard?: string }): Shard {
  return shardById(claims.shard) ?? hashShard(claims.sub);
}
