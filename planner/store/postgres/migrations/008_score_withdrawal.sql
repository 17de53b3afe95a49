-- 008 (PostgreSQL; same as planner/store/sqlite/migrations/008): a pain score can be withdrawn,
-- append-only: a row with `supersedes` naming it and `retracted` 1 (its note is the reason).
ALTER TABLE pain_scores ADD COLUMN retracted integer NOT NULL DEFAULT 0
  CHECK (retracted IN (0, 1));
