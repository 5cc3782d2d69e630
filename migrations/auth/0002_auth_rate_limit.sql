-- Sign-in and sign-up attempts per client, for site/src/lib/rate-limit.server.ts.
-- One row per counted attempt; rows older than the window are deleted as attempts arrive.
create table "auth_rate_limit" ("key" text not null, "at" integer not null);

create index "auth_rate_limit_key_at_idx" on "auth_rate_limit" ("key", "at");

create index "auth_rate_limit_at_idx" on "auth_rate_limit" ("at");
