-- A read-only role for users' SQL (psql, notebooks, BI tools). It has no login of its own: people get logins that
-- are members of it (docs/sql.md, "Read-only access"). Roles are cluster-wide, so this is idempotent; and a
-- migration user without CREATEROLE (the local stack's) skips the role with a warning instead of failing the
-- migration: a DBA then runs the same statements (docs/sql.md).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'transferlab_reader') THEN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
            CREATE ROLE transferlab_reader NOLOGIN;
            COMMENT ON ROLE transferlab_reader IS 'Read-only access to the TransferLab run records (SELECT on every table and view). Grant it to personal logins; see docs/sql.md.';
        ELSE
            RAISE WARNING 'role transferlab_reader does not exist and % may not create roles: a DBA creates it as docs/sql.md ("Read-only access") shows', current_user;
            RETURN;
        END IF;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO transferlab_reader', current_schema());
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO transferlab_reader', current_schema());
    -- Tables and views that later migrations create are readable too.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO transferlab_reader', current_schema());
END
$$;
