-- 008: a pain score can be withdrawn, append-only, as an adverse effect can (005): a new row
-- whose `supersedes` names the withdrawn score and whose `retracted` is 1; its note is the reason,
-- its time and score those of the withdrawn entry (the columns are required). Neither row counts
-- from then on; both stay.
ALTER TABLE pain_scores ADD COLUMN retracted INTEGER NOT NULL DEFAULT 0
  CHECK (retracted IN (0, 1));
