-- 004 (PostgreSQL; same as planner/store/sqlite/migrations/004): a partial index on
-- pain_scores.supersedes. Reading a patient's effective scores asks, for each score, "has a
-- later score corrected this one?" (NOT EXISTS ... WHERE c.supersedes = s.id); only corrections
-- carry supersedes, so the index stays tiny and costs an import of uncorrected scores nothing.
CREATE INDEX pain_scores_supersedes ON pain_scores (supersedes) WHERE supersedes IS NOT NULL;
