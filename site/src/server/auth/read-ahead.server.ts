import { SignedOutError, type TokenSource } from "../api/todo-api.server.ts";
import type { Session } from "./session.server.ts";

/** A token refused while the session was still being read: a new one only for a live session. */
export async function remintOnceLive(reading: Promise<Session>): Promise<string> {
  const session = await reading;
  if (!session.tokens) throw new SignedOutError("The session ended");
  return session.tokens.remint();
}

/** The tokens a page may show data read with: the session's, once it is confirmed. */
export async function confirmedTokens(locals: App.Locals): Promise<TokenSource | null> {
  if (locals.sessionCheck) {
    const session = await locals.sessionCheck;
    locals.user = session.user;
    locals.tokens = session.tokens;
  }
  return locals.tokens;
}
