-- 005 (PostgreSQL; same as planner/store/sqlite/migrations/005): decisions.decision gains
-- 'reduce' (a maintenance review's lower dose); an adverse effect is stored with the drugs being
-- taken at its time (JSON array text; NULL: attributed on read) and can be corrected or
-- retracted append-only (supersedes, retracted).
ALTER TABLE decisions DROP CONSTRAINT decisions_decision_check;
ALTER TABLE decisions ADD CONSTRAINT decisions_decision_check
  CHECK (decision IN ('continue', 'escalate', 'switch', 'extend', 'stop', 'review', 'reduce'));
ALTER TABLE adverse_effects ADD COLUMN drugs text;
ALTER TABLE adverse_effects ADD COLUMN supersedes bigint REFERENCES adverse_effects(id);
ALTER TABLE adverse_effects ADD COLUMN retracted integer NOT NULL DEFAULT 0
  CHECK (retracted IN (0, 1));
CREATE INDEX adverse_effects_supersedes ON adverse_effects (supersedes)
  WHERE supersedes IS NOT NULL;
