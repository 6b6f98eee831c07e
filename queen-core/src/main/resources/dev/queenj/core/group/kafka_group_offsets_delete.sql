DELETE FROM kafka_group_offsets WHERE group_id = $1
