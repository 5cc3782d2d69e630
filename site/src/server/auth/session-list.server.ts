import Bowser from "bowser";
import type { Auth } from "./better-auth.server.ts";

/** One of a person's sessions as the account page lists it. */
export type ListedSession = {
  id: string;
  /** "Firefox 133 on Windows", from the user agent it was made with. */
  device: string;
  /** "Lisbon, Portugal", from Cloudflare's idea of where it was made; undefined when unknown. */
  place: string | undefined;
  signedInAt: Date;
  /** When Better Auth last refreshed it (see docs/decisions/122-sessions-list.md). */
  lastActiveAt: Date;
  /** This browser's own session. */
  current: boolean;
};

type StoredSession = {
  id: string;
  token: string;
  userId: string;
  userAgent?: string | null;
  city?: string | null;
  country?: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
};

/** "Chrome 131 on macOS", or as much of it as the user agent tells. */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown browser";
  const { browser, os } = Bowser.parse(userAgent);
  const major = browser.version?.split(".")[0];
  const name = browser.name ? `${browser.name}${major ? ` ${major}` : ""}` : "Unknown browser";
  return os.name ? `${name} on ${os.name}` : name;
}

const regions = new Intl.DisplayNames(["en"], { type: "region" });

/** "Lisbon, Portugal", "Portugal", or undefined. */
export function describePlace(city?: string | null, country?: string | null): string | undefined {
  let countryName: string | undefined;
  try {
    countryName = country ? regions.of(country) : undefined;
  } catch {
    countryName = undefined;
  }
  const parts = [city, countryName].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(", ") : undefined;
}

async function storedSessions(auth: Auth, userId: string): Promise<StoredSession[]> {
  const { internalAdapter } = await auth.$context;
  const sessions = (await internalAdapter.listSessions(userId, {
    onlyActiveSessions: true,
  })) as StoredSession[];
  const now = new Date();
  return sessions.filter((session) => new Date(session.expiresAt) > now);
}

/** The person's live sessions, this browser's first, then the most recently active. */
export async function listSessions(
  auth: Auth,
  userId: string,
  currentSessionId: string,
): Promise<ListedSession[]> {
  const listed = (await storedSessions(auth, userId)).map((session) => ({
    id: session.id,
    device: describeDevice(session.userAgent),
    place: describePlace(session.city, session.country),
    signedInAt: new Date(session.createdAt),
    lastActiveAt: new Date(session.updatedAt),
    current: session.id === currentSessionId,
  }));
  return listed.sort(
    (a, b) =>
      Number(b.current) - Number(a.current) || b.lastActiveAt.getTime() - a.lastActiveAt.getTime(),
  );
}

/**
 * Ends one of the person's own sessions by its id: it is deleted, so its next page
 * view is signed out. False when the id is not one of this person's live sessions.
 */
export async function endOwnSession(auth: Auth, userId: string, sessionId: string) {
  const session = (await storedSessions(auth, userId)).find((stored) => stored.id === sessionId);
  if (!session) return false;
  const { internalAdapter } = await auth.$context;
  await internalAdapter.deleteSession(session.token);
  return true;
}
