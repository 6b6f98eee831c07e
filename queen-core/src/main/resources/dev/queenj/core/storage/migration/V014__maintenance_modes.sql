-- Maintenance switches, shared by every instance on the database: 'push' (pushes go to each instance's outage buffer
-- and its replay waits) and 'pop' (pops answer empty). No row means off. Instances read this table every second.
CREATE TABLE maintenance_modes (
    mode       text PRIMARY KEY CHECK (mode IN ('push', 'pop')),
    enabled    boolean NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
