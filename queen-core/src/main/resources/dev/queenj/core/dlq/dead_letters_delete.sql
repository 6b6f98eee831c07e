-- Removes the dead letters of one message for one consumer group (more than one row when the group gave up on it
-- again after a seek) and answers what requeueing the message needs: its payload as stored with the key it is sealed
-- under, and its trace id (kept with the dead letter, else the message's while that is still stored). A concurrent
-- requeue or discard of the same dead letters waits for this one's row locks and then finds them gone, so a dead
-- letter is requeued or discarded once.
-- $1 partition id, $2 transaction id, $3 group
DELETE FROM dead_letters d
WHERE d.partition_id = $1 AND d.transaction_id = $2 AND d.consumer_group = $3
RETURNING d.payload, d.payload_key_id,
          coalesce(d.trace_id, (SELECT m.trace_id FROM messages m
                                WHERE m.partition_id = d.partition_id AND m.id = d.message_id)) AS trace_id
