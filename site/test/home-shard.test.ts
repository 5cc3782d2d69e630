import { hashShard } from "@todo/worker/shards";
import { describe, expect, it } from "vitest";
import { chooseHomeShard, homeShardOf } from "../src/server/auth/home-shard.server.ts";

// The choice itself, for the places a request cannot come from in the test harness.

describe("chooseHomeShard", () => {
  it("takes the nearest shard by coordinates, given as strings or numbers", () => {
    expect(chooseHomeShard({ latitude: "35.68", longitude: "139.69" }, "u")).toBe("weur");
    expect(chooseHomeShard({ latitude: -23.55, longitude: -46.63 }, "u")).toBe("enam");
    expect(chooseHomeShard({ latitude: "37.77", longitude: "-122.42" }, "u")).toBe("enam");
  });

  it("falls back to the continent when the coordinates are missing or unusable", () => {
    expect(chooseHomeShard({ latitude: "abc", longitude: "2", continent: "EU" }, "u")).toBe("weur");
    expect(chooseHomeShard({ latitude: "91", longitude: "0", continent: "SA" }, "u")).toBe("enam");
    expect(chooseHomeShard({ continent: "AF" }, "u")).toBe("weur");
  });

  it("uses the API's hash of the user id when nothing is known", () => {
    for (const id of ["a", "b", "c", "d", "e", "f"]) {
      expect(chooseHomeShard(undefined, id)).toBe(hashShard(id).id);
      expect(chooseHomeShard({ continent: "XX" }, id)).toBe(hashShard(id).id);
    }
  });
});

describe("homeShardOf", () => {
  it("is a stored home only while it is a configured shard", () => {
    expect(homeShardOf({ shard: "enam" })).toBe("enam");
    expect(homeShardOf({ shard: "gone" })).toBeUndefined();
    expect(homeShardOf({ shard: null })).toBeUndefined();
    expect(homeShardOf({})).toBeUndefined();
  });
});
