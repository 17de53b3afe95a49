-- 010 (PostgreSQL; same as planner/store/sqlite/migrations/010): stages.review_date, a
-- maintenance stage's next review, filled from the stored plan documents.
ALTER TABLE stages ADD COLUMN review_date text;
UPDATE stages s SET review_date = (v.content::jsonb -> 'stages' -> (s.ordinal - 1)) ->> 'review_date'
  FROM plan_versions v WHERE v.id = s.plan_version_id;
