-- Background services (retention, eviction) run one cycle at a time across every instance sharing the database.
-- A cycle is a series of short transactions, so a session advisory lock would pin one pooled connection for the
-- whole cycle; a lease row does not: an instance takes it when it has expired (or was released) and keeps it for a
-- bounded time, db-scheduler's shape. An instance that dies mid-cycle blocks the service until expires_at passes.
CREATE TABLE service_leases (
    name        text PRIMARY KEY,
    holder      text NOT NULL,
    expires_at  timestamptz NOT NULL,
    last_run_at timestamptz
);
