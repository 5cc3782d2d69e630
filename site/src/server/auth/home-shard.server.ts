import { hashShard, SHARDS, type Shard, type ShardId, shardById } from "@todo/worker/shards";

/** What the site reads of `request.cf` to place a person. */
export type RequestLocation = {
  latitude?: unknown;
  longitude?: unknown;
  continent?: unknown;
};

type Point = { latitude: number; longitude: number };

/** Rough centres of Cloudflare's continent codes, for a request without coordinates. */
const CONTINENTS: Record<string, Point> = {
  AF: { latitude: 2, longitude: 21 },
  AN: { latitude: -75, longitude: 0 },
  AS: { latitude: 30, longitude: 100 },
  EU: { latitude: 50, longitude: 10 },
  NA: { latitude: 40, longitude: -95 },
  OC: { latitude: -25, longitude: 140 },
  SA: { latitude: -15, longitude: -60 },
};

const RADIANS = Math.PI / 180;

/** Great-circle distance on the unit sphere (haversine): only the order matters here. */
function distance(a: Point, b: Point): number {
  const dLat = (b.latitude - a.latitude) * RADIANS;
  const dLon = (b.longitude - a.longitude) * RADIANS;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * RADIANS) * Math.cos(b.latitude * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** `request.cf` gives coordinates as strings; anything unusable is none. */
function coordinate(value: unknown, limit: number): number | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  if (typeof value === "string" && value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) && Math.abs(number) <= limit ? number : undefined;
}

function whereFrom(cf: RequestLocation | undefined): Point | undefined {
  const latitude = coordinate(cf?.latitude, 90);
  const longitude = coordinate(cf?.longitude, 180);
  if (latitude !== undefined && longitude !== undefined) return { latitude, longitude };
  return typeof cf?.continent === "string" ? CONTINENTS[cf.continent] : undefined;
}

/** The shard whose location hint's approximate place is nearest to `point`. */
export function nearestShard(point: Point, shards: readonly Shard[] = SHARDS): Shard {
  let best: Shard | undefined;
  let bestDistance = Infinity;
  for (const shard of shards) {
    const d = distance(point, shard.location);
    if (d < bestDistance) [best, bestDistance] = [shard, d];
  }
  if (best === undefined) throw new Error("no shard is configured");
  return best;
}

/**
 * A new person's home shard, chosen once at sign-up from where the request came from:
 * its coordinates, else its continent; unknown, the hash of the user id the API uses
 * for tokens without a `shard` claim.
 */
export function chooseHomeShard(cf: RequestLocation | undefined, userId: string): ShardId {
  const point = whereFrom(cf);
  return (point === undefined ? hashShard(userId) : nearestShard(point)).id;
}

/** A stored home that is still a configured shard, for the token's `shard` claim. */
export const homeShardOf = (user: object): ShardId | undefined =>
  "shard" in user ? shardById(user.shard)?.id : undefined;
