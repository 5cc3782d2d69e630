-- The dev mailbox: in local dev and tests the site stores each email here instead of
-- sending it (site/src/server/mail/dev-mailbox.server.ts). Local only: `npm run dev` and
-- the site tests apply this folder after migrations/auth; the deployed database never
-- gets it. Each file here runs every time, so it must be safe to run again.
create table if not exists "dev_mailbox" ("id" integer not null primary key autoincrement, "recipient" text not null, "subject" text not null, "text" text not null, "html" text not null, "link" text not null, "sentAt" integer not null);
