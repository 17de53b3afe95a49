-- 012: the pain_scores (patient_id, at) index also carries `retracted`, so the due list's count of
-- days with effective scores in each window (retracted = 0 since migration 8) is read from the
-- index alone again, as it was before scores could be withdrawn (docs/performance.md, "due").
-- Every other read of a patient's scores by time uses the same leading columns.
DROP INDEX pain_scores_patient_at;
CREATE INDEX pain_scores_patient_at ON pain_scores (patient_id, at, retracted);
