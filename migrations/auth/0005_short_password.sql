-- user.shortPassword: set at sign-in when the password is shorter than a new one may be
-- (site/src/server/auth/short-password.server.ts); /account then suggests changing it.
alter table "user" add column "shortPassword" integer;
