-- $1 group ids, $2 this instance id: lets another instance take these groups at once
DELETE FROM queen_group_leases WHERE group_id = ANY($1) AND owner = $2
