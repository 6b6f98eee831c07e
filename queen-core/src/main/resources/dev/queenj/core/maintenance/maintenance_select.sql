-- The maintenance switches that are on; a missing row is off.
SELECT mode FROM maintenance_modes WHERE enabled
