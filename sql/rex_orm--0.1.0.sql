/* sql/rex_orm--0.1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION rex_orm" to load this file. \quit

/*
 * The catalog.  Every role may read it (so that any role can ask rex
 * about the model and get answers limited by its own grants); changing it
 * needs the rights of the extension's owner or of a role it granted them
 * to.  pg_extension_config_dump makes pg_dump keep its contents.
 */
GRANT USAGE ON SCHEMA rex TO PUBLIC;

CREATE TABLE rex.entities (
    name text PRIMARY KEY,
    table_name text NOT NULL,
    schema_name text,
    definition jsonb NOT NULL,
    applied jsonb,
    dropped boolean NOT NULL DEFAULT false,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    migrated_at timestamptz
);
COMMENT ON TABLE rex.entities IS 'Entity definitions: desired (definition) and last migrated (applied)';

CREATE TABLE rex.migrations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version text,
    name text NOT NULL,
    kind text NOT NULL,
    plan jsonb NOT NULL,
    sql_up text,
    sql_down text,
    reversible boolean NOT NULL,
    checksum text NOT NULL,
    chain_hash text,
    state text NOT NULL CHECK (state IN ('applied', 'failed', 'rolled_back')),
    error text,
    error_step integer,
    total_steps integer NOT NULL,
    applied_steps integer NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    duration_ms double precision NOT NULL,
    applied_by text,
    rex_version text NOT NULL,
    engine text NOT NULL,
    ops jsonb
);
COMMENT ON TABLE rex.migrations IS 'Append-only migration history';
COMMENT ON COLUMN rex.migrations.ops IS 'Engine-neutral operations of the migration (what rollback re-plans from)';

CREATE FUNCTION rex.append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'the migration history is append-only'
        USING ERRCODE = '55000',
              HINT = 'Record a correction as a new migration instead.';
END
$$;

CREATE TRIGGER migrations_append_only BEFORE UPDATE OR DELETE ON rex.migrations
FOR EACH ROW EXECUTE FUNCTION rex.append_only();

CREATE TABLE rex.log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    level text NOT NULL,
    migration_id bigint,
    step integer,
    kind text,
    sql text,
    duration_ms double precision,
    message text
);
COMMENT ON TABLE rex.log IS 'Migration steps with their SQL and duration';

CREATE TABLE rex.scripts (
    version text PRIMARY KEY,
    up text NOT NULL,
    down text,
    checksum text NOT NULL,
    registered_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
COMMENT ON TABLE rex.scripts IS 'Versioned migration scripts registered with add_migration()';

GRANT SELECT ON rex.entities, rex.migrations, rex.log TO PUBLIC;
GRANT SELECT ON rex.scripts TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('rex.entities', '');
SELECT pg_catalog.pg_extension_config_dump('rex.migrations', '');
SELECT pg_catalog.pg_extension_config_dump('rex.log', '');
SELECT pg_catalog.pg_extension_config_dump('rex.scripts', '');
-- and the identity sequences, or restored databases would reuse ids
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('rex.migrations', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('rex.log', 'id'), '');

/*
 * Functions.  All SECURITY INVOKER; those that read or write the catalog
 * pin search_path, so that nothing rex runs depends on the caller's.
 */
CREATE FUNCTION rex.version() RETURNS text
AS 'MODULE_PATHNAME', 'rex_pg_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rex.version() IS 'Version of the rex_orm module';

CREATE FUNCTION rex.define_entity(name text, definition jsonb) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_define_entity'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.define_entity(text, jsonb) IS 'Records the desired definition of an entity; returns its plan';

CREATE FUNCTION rex.entity(name text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_entity'
LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.entity(text) IS 'Canonical definition of an entity';

CREATE FUNCTION rex.entities() RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_entities'
LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.entities() IS 'Every defined entity with its state';

CREATE FUNCTION rex.drop_entity(name text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_drop_entity'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.drop_entity(text) IS 'Records the removal of an entity; its table goes at the next migrate';

CREATE FUNCTION rex.plan() RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_plan'
LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.plan() IS 'Steps that migrate() would run; changes nothing';

-- migrate() and rollback() pin search_path themselves (rex_pg.c): the
-- versioned scripts they run need the caller's
CREATE FUNCTION rex.migrate(options jsonb DEFAULT '{}') RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_migrate'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION rex.migrate(jsonb) IS 'Applies pending changes as one atomic migration, recorded in rex.migrations';

CREATE FUNCTION rex.migration_status() RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_migration_status'
LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.migration_status() IS 'Summary of entities, pending steps and history';

/*
 * Relations, validation rules, custom validators and lifecycle hooks.
 */
CREATE TABLE rex.validators (
    name text PRIMARY KEY,
    function text NOT NULL,
    fn_schema text,
    fn_name text NOT NULL,
    arg_type text,
    message text,
    created_at timestamptz NOT NULL
);
COMMENT ON TABLE rex.validators IS 'Custom validators: a name bound to a SQL function (value -> boolean)';

CREATE TABLE rex.hooks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity text NOT NULL,
    event text NOT NULL CHECK (event IN ('before_insert', 'after_insert', 'before_update',
                                         'after_update', 'before_delete', 'after_delete')),
    function text NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (entity, event, function)
);
COMMENT ON TABLE rex.hooks IS 'Lifecycle hooks: functions called with the row as jsonb, in id order';

GRANT SELECT ON rex.validators, rex.hooks TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('rex.validators', '');
SELECT pg_catalog.pg_extension_config_dump('rex.hooks', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('rex.hooks', 'id'), '');

CREATE FUNCTION rex.validate(entity text, data jsonb) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_validate'
LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.validate(text, jsonb) IS 'Checks a row against the entity''s types and rules: [] or every violation as {path, rule, message}';

CREATE FUNCTION rex.explain_constraint(name text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_explain_constraint'
LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.explain_constraint(text) IS 'Entity, field, rule and message of a constraint rex created (name or whole error message)';

CREATE FUNCTION rex.register_validator(name text, function text, message text DEFAULT NULL) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_register_validator'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.register_validator(text, text, text) IS 'Binds a validator name to a SQL function (value -> boolean) for {"custom": name} rules';

CREATE FUNCTION rex.on(entity text, event text, function text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_on'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.on(text, text, text) IS 'Calls function(row jsonb) on an entity''s before/after insert/update/delete';

CREATE FUNCTION rex.off(entity text, event text, function text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_off'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.off(text, text, text) IS 'Removes a hook added by rex.on()';

-- The trigger function of hooks.  It pins no search_path on purpose: the
-- hook functions run as if the writer had called them.
CREATE FUNCTION rex.hook_trigger() RETURNS trigger
AS 'MODULE_PATHNAME', 'rex_pg_hook_trigger'
LANGUAGE C;
COMMENT ON FUNCTION rex.hook_trigger() IS 'Row trigger calling the hook functions given as its arguments';

CREATE FUNCTION rex.add_migration(version text, up text, down text DEFAULT NULL) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_add_migration'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.add_migration(text, text, text) IS 'Registers a versioned migration script (applied by migrate())';

CREATE FUNCTION rex.rollback(to_version text DEFAULT NULL) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_rollback'
LANGUAGE C VOLATILE CALLED ON NULL INPUT;
COMMENT ON FUNCTION rex.rollback(text) IS 'Undoes the last migration, or those applied after to_version, last first';

CREATE FUNCTION rex.repair(version text DEFAULT NULL) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_repair'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.repair(text) IS 'Accepts an edited applied script, or the history as it is, by appending a row';

CREATE FUNCTION rex.baseline(options jsonb DEFAULT '{}') RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_baseline'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.baseline(jsonb) IS 'Registers existing tables that rex did not create as entities';

/*
 * The change feed (see pg_extension/changes_pg.c).  rex.changes is written
 * only by the C capture trigger, below SQL privileges: writers need no
 * right on it, and no role can forge events through INSERT.  Reading it
 * needs SELECT, which is not granted to PUBLIC (the log holds the data of
 * every captured table): GRANT SELECT ON rex.changes TO the roles that
 * follow the feed.  The parts of each event are stored as json (text,
 * cheaper to write than jsonb); changes_since() answers jsonb.
 *
 * The sequence must keep CACHE 1: the gap-free reading horizon relies on
 * ids being handed out in order across sessions.  Writers read its last
 * value (hence SELECT for PUBLIC, which shows nothing but a number).
 */
CREATE SEQUENCE rex.changes_id_seq CACHE 1;
CREATE TABLE rex.changes (
    id bigint PRIMARY KEY,
    entity text NOT NULL,
    op text NOT NULL,
    pk json,
    new json,
    old json,
    changed json,
    tx xid8 NOT NULL,
    at timestamptz NOT NULL
);
COMMENT ON TABLE rex.changes IS 'Change feed: one row per captured change, written in the writer''s transaction';
ALTER SEQUENCE rex.changes_id_seq OWNED BY rex.changes.id;
GRANT SELECT ON SEQUENCE rex.changes_id_seq TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('rex.changes', '');
SELECT pg_catalog.pg_extension_config_dump('rex.changes_id_seq', '');

-- What prune_changes() removed, per entity ('' for every entity): ids
-- below before_id are gone, and changes_since() refuses a cursor that
-- would skip them.
CREATE TABLE rex.changes_pruned (
    entity text PRIMARY KEY,
    before_id bigint NOT NULL
);
GRANT SELECT ON rex.changes_pruned TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('rex.changes_pruned', '');

-- No SET search_path: it runs no SQL, and a SET clause would cost every
-- captured statement a GUC save and restore.
CREATE FUNCTION rex.capture() RETURNS trigger
AS 'MODULE_PATHNAME', 'rex_pg_capture'
LANGUAGE C;
COMMENT ON FUNCTION rex.capture() IS 'Change capture trigger made by migrate() for entities with "changes"';
-- Creating a trigger needs EXECUTE on its function: without this, any role
-- owning a table could attach rex.capture() to it and write events under
-- another entity's name into the log.  The roles that run migrate() (the
-- extension's owner, or roles it grants EXECUTE) create capture triggers.
REVOKE EXECUTE ON FUNCTION rex.capture() FROM PUBLIC;

CREATE FUNCTION rex.changes_since(cursor bigint, entities text[] DEFAULT NULL, "limit" integer DEFAULT 1000)
RETURNS SETOF jsonb
AS 'MODULE_PATHNAME', 'rex_pg_changes_since'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.changes_since(bigint, text[], integer) IS 'Committed change events after cursor, in id order; resuming from the last id never misses nor repeats one';

CREATE FUNCTION rex.prune_changes(before_id bigint DEFAULT NULL) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_prune_changes'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.prune_changes(bigint) IS 'Deletes change events with id < before_id, or (NULL) applies each entity''s retention limits';

CREATE FUNCTION rex.start_notifier() RETURNS integer
AS 'MODULE_PATHNAME', 'rex_pg_start_notifier'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.start_notifier() IS 'Starts the background worker that signals entities with "notify": "worker"; its pid, or NULL when it runs already';

CREATE FUNCTION rex.stop_notifier() RETURNS boolean
AS 'MODULE_PATHNAME', 'rex_pg_stop_notifier'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.stop_notifier() IS 'Stops this database''s notifier worker';

/*
 * Generated schemas: pure reads of the catalog, the same answer on SQLite.
 */
CREATE FUNCTION rex.json_schema(entity text DEFAULT NULL) RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_json_schema'
LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.json_schema(text) IS 'JSON Schema (2020-12) of one entity (row, create and update input), or of all under $defs';

CREATE FUNCTION rex.graphql_schema() RETURNS text
AS 'MODULE_PATHNAME', 'rex_pg_graphql_schema'
LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.graphql_schema() IS 'GraphQL SDL of the entities: types, filters, inputs, Query and Mutation';

CREATE FUNCTION rex.typescript() RETURNS text
AS 'MODULE_PATHNAME', 'rex_pg_typescript'
LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION rex.typescript() IS 'TypeScript declarations of rows, inputs, relations and change events';
