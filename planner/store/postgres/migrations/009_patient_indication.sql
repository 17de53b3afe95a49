-- 009 (PostgreSQL; same as planner/store/sqlite/migrations/009): patient_versions.indication,
-- what the patient is treated for (a vocabulary term), NULL when not recorded.
ALTER TABLE patient_versions ADD COLUMN indication text;
