-- Gives the lease back after a cycle, so whichever instance's timer fires next may run the following one.
-- $1 service name, $2 holder
UPDATE service_leases SET expires_at = now(), last_run_at = now() WHERE name = $1 AND holder = $2
