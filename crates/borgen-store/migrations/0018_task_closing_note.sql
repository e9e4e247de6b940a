-- A task that is done says what was done and where the evidence is.
ALTER TABLE tasks ADD COLUMN closing_note TEXT;
