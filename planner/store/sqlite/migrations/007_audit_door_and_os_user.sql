-- 007: every audit entry records how the change came in (the door: "cli", "web", "cds") and, for
-- a CLI on a SQLite file, the operating-system user beside the claimed user (docs/storage.md,
-- "Who the actor is"). Older entries read ''.
ALTER TABLE audit ADD COLUMN door TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN os_user TEXT NOT NULL DEFAULT '';
