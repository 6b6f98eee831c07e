-- A page of a queue's partitions (by name, after $2) with the offset up to which every consumer group has consumed
-- them: the lowest cursor among the groups subscribed to the queue and those with a cursor on the partition, a group
-- without a cursor there counting as having consumed nothing. Null when no group is known: nothing is consumed.
-- $1 queue id, $2 after this partition name, $3 page size
SELECT p.id, p.name,
       (SELECT min(coalesce(pc.cursor_offset, -1))
        FROM (SELECT s.consumer_group FROM group_subscriptions s WHERE s.queue_id = $1
              UNION
              SELECT c.consumer_group FROM partition_consumers c WHERE c.partition_id = p.id) g
        LEFT JOIN partition_consumers pc ON pc.partition_id = p.id AND pc.consumer_group = g.consumer_group
       ) AS consumed_to
FROM partitions p
WHERE p.queue_id = $1 AND p.name > $2
ORDER BY p.name
LIMIT $3
