-- Turns one maintenance switch on or off: $1 mode ('push' or 'pop'), $2 enabled.
INSERT INTO maintenance_modes (mode, enabled) VALUES ($1, $2)
ON CONFLICT (mode) DO UPDATE SET enabled = EXCLUDED.enabled, changed_at = now()
