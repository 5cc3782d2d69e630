-- The dev mailbox: in local dev and tests the site stores each email here instead of
-- sending it (site/src/server/mail/dev-mailbox.server.ts). Deployed, nothing writes to it.
create table "dev_mailbox" ("id" integer not null primary key autoincrement, "recipient" text not null, "subject" text not null, "text" text not null, "html" text not null, "link" text not null, "sentAt" integer not null);
