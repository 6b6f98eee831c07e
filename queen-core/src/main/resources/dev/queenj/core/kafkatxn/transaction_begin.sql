-- A partition or group joins the transaction: it is open from now on (if it was not already).
-- $1 transactional id
UPDATE kafka_transactions
SET state = 'Ongoing', started_at = CASE WHEN state = 'Ongoing' THEN started_at ELSE now() END, updated_at = now()
WHERE transactional_id = $1
