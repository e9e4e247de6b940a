-- The organisation's time zone (IANA name): pages show times and count
-- "today" on its clock; the data keep UTC.
ALTER TABLE organisations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Amsterdam';
