-- Every dead letter must be storable, whatever its record holds. jsonb refuses U+0000 (even escaped, 22P05) and
-- unpaired surrogate escapes, which a record may hold when that is why it was rejected: such a record is kept as
-- its exact JSON text in UTF-8 in record_text, and record is NULL. Exactly one of the two is set when the letter
-- has a record. (A raw payload that is not UTF-8 text without U+0000 is kept in raw as base64, raw_encoding
-- 'base64', as before.)
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS record_text bytea;
