SELECT DISTINCT group_id FROM kafka_group_offsets ORDER BY group_id
