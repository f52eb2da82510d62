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
    engine text NOT NULL
);
COMMENT ON TABLE rex.migrations IS 'Append-only migration history';

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

GRANT SELECT ON rex.entities, rex.migrations, rex.log TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('rex.entities', '');
SELECT pg_catalog.pg_extension_config_dump('rex.migrations', '');
SELECT pg_catalog.pg_extension_config_dump('rex.log', '');
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

CREATE FUNCTION rex.migrate(options jsonb DEFAULT '{}') RETURNS jsonb
AS 'MODULE_PATHNAME', 'rex_pg_migrate'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
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
