-- 013: failed sign-ins counted in the database, so that every `titrate serve` instance on it
-- slows a client down by the same count (docs/web.md, "Security under abuse"). A row per key: a
-- client ("client " and its address) or a client on a typed user name ("name ", the address, a
-- line feed and the name, whether or not such a user exists). `failures` since the count last
-- started, `last_at` the last failure (UTC seconds); a count quiet for a day is deleted.
CREATE TABLE login_failures (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_at BIGINT NOT NULL
);
CREATE INDEX login_failures_last_at ON login_failures (last_at);
