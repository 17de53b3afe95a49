-- 004: an index on pain_scores.supersedes. Reading a patient's effective scores asks, for each
-- score, "has a later score corrected this one?" (NOT EXISTS ... WHERE c.supersedes = s.id);
-- without an index that is a scan of the whole table per score row (quadratic; bench/run, `due`
-- on 10^5 patients). Partial: only corrections carry supersedes, so the index stays tiny and
-- costs an import of uncorrected scores nothing. SQLite uses it for `supersedes = ?` terms.
CREATE INDEX pain_scores_supersedes ON pain_scores (supersedes) WHERE supersedes IS NOT NULL;
