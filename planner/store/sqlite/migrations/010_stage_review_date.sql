-- 010: a trial stage in maintenance (after a response) keeps its next review date beside the
-- plan document, as its other dates are, so whole-clinic reads (the outcome report) need not
-- parse every document. Filled from the stored documents for the stages already there.
ALTER TABLE stages ADD COLUMN review_date TEXT;
UPDATE stages SET review_date = (
  SELECT json_extract(v.content, '$.stages[' || (stages.ordinal - 1) || '].review_date')
  FROM plan_versions v WHERE v.id = stages.plan_version_id);
