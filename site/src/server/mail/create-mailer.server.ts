import { devMailbox } from "./dev-mailbox.server.ts";
import { httpMailer } from "./http-mailer.server.ts";
import type { Mailer } from "./mail.server.ts";
import type { MailConfig } from "./mail-config.server.ts";

/** The mailer the settings chose, or `undefined` when none is set up. */
export function createMailer(config: MailConfig, db: D1Database): Mailer | undefined {
  if (config.kind === "http") return httpMailer(config);
  if (config.kind === "dev-mailbox") return devMailbox(db);
  return undefined;
}
