-- Deletes one message. Its offset stays used (offsets are never reassigned); cursors need no change, since a
-- missing offset is simply never read. Dead-letter copies are kept.
DELETE FROM messages
WHERE partition_id = $1 AND transaction_id = $2
RETURNING id
