/**
 * Stands in for `@standard-community/standard-json` in the API bundle (`[alias]` in
 * wrangler.toml). hono-openapi imports it for its `resolver`, which we do not use
 * (`schemas.ts` converts with zod's own `toJSONSchema`); the real module's dynamic
 * `import("zod/v4/core")` would bundle all of zod core and its locales, about 75 KiB gzip.
 */
function notBundled(): never {
  throw new Error("standard-json is not bundled: describe zod schemas with openapi/schemas.ts");
}

export const loadVendor = notBundled;
export const toJsonSchema = notBundled;
