-- What a dead letter needs to be requeued (DeadLetterService.requeue) after its message and its partition are gone:
-- the Queen partition's name (a partition row is removed once empty and idle, and its id cannot be turned back into
-- its name) and the message's trace id, so a requeued message carries on the trail it started. Rows written before
-- this migration have neither: they are requeued while their partition still exists, and without a trace id unless
-- their message is still stored. Nullable columns without defaults: adding them rewrites nothing.
ALTER TABLE dead_letters ADD COLUMN partition_name text, ADD COLUMN trace_id uuid;
