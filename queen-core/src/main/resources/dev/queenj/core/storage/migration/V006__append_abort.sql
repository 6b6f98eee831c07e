-- Lets a single autocommit statement undo itself: a data-modifying WITH query that finds, after writing, that a guess
-- it was built on was wrong (a Queen partition placed in another log, a queue deleted meanwhile) calls this, and the
-- error rolls the whole statement back. The caller maps the SQLSTATE (class QJ, ours) back to its cause and retries.
CREATE FUNCTION queen_abort(sqlstate text, message text) RETURNS int
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = message;
END
$$;
