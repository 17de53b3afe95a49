-- 007 (PostgreSQL; same as planner/store/sqlite/migrations/007): audit.door (how the change came
-- in: "cli", "web", "cds") and audit.os_user (the operating-system user behind a CLI); older
-- entries read ''.
ALTER TABLE audit ADD COLUMN door text NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN os_user text NOT NULL DEFAULT '';
