-- Each person's home shard (worker/src/shards.ts), chosen once at sign-up from where the
-- request came from (Better Auth's `user.additionalFields.shard`, never set from a request
-- body). Users from before shards have none: their tokens carry no `shard` claim.
alter table "user" add column "shard" text;
