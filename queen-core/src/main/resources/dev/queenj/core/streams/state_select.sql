-- One shard's state, filtered (AND): $3 only these keys (null = all), $4 keys starting with this literal text
-- (null = all; compared with left(), so % and _ are plain characters), $5 rows whose value.windowEnd is a JSON number
-- <= it (null = all; text, cast to numeric). Reads take no locks.
SELECT key, value::text AS value, updated_at
FROM queen_streams.state
WHERE query_id = $1 AND partition_id = $2
  AND ($3::text[] IS NULL OR key = ANY ($3::text[]))
  AND ($4::text IS NULL OR left(key, char_length($4::text)) = $4::text)
  AND ($5::text IS NULL OR CASE WHEN jsonb_typeof(value -> 'windowEnd') = 'number'
                                THEN (value ->> 'windowEnd')::numeric <= $5::text::numeric
                                ELSE false END)
ORDER BY key COLLATE "C"
