-- An existing registration, locked until the registering transaction ends. $1 name
SELECT id, config_hash FROM queen_streams.queries WHERE name = $1 FOR UPDATE
