-- The dev mailbox is local only now (migrations/auth-dev): a database that got the empty
-- table from an earlier migration loses it here. Locally, `npm run dev` and the site tests
-- create it again right after (migrations/auth-dev/0001_dev_mailbox.sql).
drop table if exists "dev_mailbox";
