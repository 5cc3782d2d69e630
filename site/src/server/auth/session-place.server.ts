import { currentRequest } from "../request-context.server.ts";

/** The fields each session keeps besides Better Auth's own (migration 0006). */
export const sessionPlaceFields = {
  city: { type: "string", required: false, input: false },
  country: { type: "string", required: false, input: false },
} as const;

const text = (value: unknown, max: number) =>
  typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, max) : undefined;

/** The city and country Cloudflare found for the client, when it found them. */
export function requestPlace(request: Request): { city?: string; country?: string } {
  const cf = (request as { cf?: { city?: unknown; country?: unknown } }).cf;
  const city = text(cf?.city, 100);
  const country = text(cf?.country, 2)?.toUpperCase();
  return {
    ...(city ? { city } : {}),
    ...(country && /^[A-Z]{2}$/.test(country) ? { country } : {}),
  };
}

/**
 * Better Auth's `databaseHooks.session.create.before`: a new session (any way of
 * signing in: password, passkey, single sign-on) keeps the approximate place of the
 * request that made it. Nothing else about the client is stored.
 */
export async function addSessionPlace<S extends Record<string, unknown>>(session: S) {
  const place = currentRequest()?.place ?? {};
  return { data: { ...session, city: place.city ?? null, country: place.country ?? null } };
}
