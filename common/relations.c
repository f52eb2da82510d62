/*
 * relations.c
 *		Parsing and canonical JSON of "relations" (see relations.h).
 *
 *	 "relations": {
 *	   "author":   {"kind": "belongs_to", "entity": "user", "foreign_key": "author_id",
 *					"on_delete": "cascade", "inverse": "posts"},
 *	   "comments": {"kind": "has_many", "entity": "comment", "foreign_key": "post_id"},
 *	   "tags":	   {"kind": "many_to_many", "entity": "tag", "through": "post_tags",
 *					"columns": {"added_at": {"type": "timestamp", "default": "now"}}}
 *	 }
 *
 * Defaults: belongs_to's foreign_key is <relation>_id, has_one's and
 * has_many's <this entity>_id; many_to_many's foreign_key is <this
 * entity>_id and target_foreign_key <target entity>_id, its join table
 * (through) the two entity names in alphabetical order joined by '_'.
 * on_delete and on_update default to no_action.  Only what a definition
 * says about itself is checked here; the rest waits for plan() (schema.c).
 */
#include "relations.h"

#include <stdlib.h>
#include <string.h>

const char *const rex_relation_kind_names[4] = {
	"belongs_to", "has_one", "has_many", "many_to_many"
};

const char *const rex_fk_action_names[4] = {
	"no_action", "restrict", "cascade", "set_null"
};

#define KIND_HINT "Accepted kinds: belongs_to, has_one, has_many, many_to_many."
#define ACTION_HINT "Accepted actions: cascade, set_null, restrict, no_action."

static const char *const fk_keys[] = {
	"kind", "entity", "foreign_key", "references", "inverse", "on_delete",
	"on_update", "nullable", "description", NULL
};
static const char *const m2m_keys[] = {
	"kind", "entity", "foreign_key", "target_foreign_key", "through", "inverse",
	"columns", "description", NULL
};

#define FK_KEYS_HINT "Accepted keys: kind, entity, foreign_key, references, inverse, " \
	"on_delete, on_update, nullable, description."
#define M2M_KEYS_HINT "Accepted keys: kind, entity, foreign_key, target_foreign_key, " \
	"through, inverse, columns, description.  Join rows are always deleted with " \
	"either end, so on_delete and on_update do not apply."

const rex_relation *
rex_entity_relation(const rex_entity *e, const char *name)
{
	int			i;

	for (i = 0; i < e->nrelations; i++)
		if (rex_ident_equal(e->relations[i].name, name))
			return &e->relations[i];
	return NULL;
}

static int
name_index(const char *s, const char *const *names, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* Reads an optional identifier member of the given kind. */
static rex_status
get_ident(defparse *dp, json_t *obj, const char *key, const char *path,
		  rex_ident_kind kind, const char **out)
{
	rex_status	st;

	if ((st = rex_def_get_string(dp, obj, key, path, out)) != REX_OK || *out == NULL)
		return st;
	return rex_def_check_ident(dp, rex_def_path_join(dp, path, key), *out, kind);
}

/* on_delete / on_update */
static rex_status
get_action(defparse *dp, json_t *obj, const char *key, const char *path,
		   rex_fk_action *out)
{
	json_t	   *v = json_object_get(obj, key);
	int			a;

	*out = REX_FK_NO_ACTION;
	if (v == NULL)
		return REX_OK;
	if (!json_is_string(v) || (a = name_index(json_string_value(v), rex_fk_action_names, 4)) < 0)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, key), ACTION_HINT,
							json_is_string(v) ? "unknown action \"%s\"" : "expected an action name, got %s",
							json_is_string(v) ? rex_def_shown(dp, json_string_value(v)) : rex_def_json_kind(v));
	*out = (rex_fk_action) a;
	return REX_OK;
}

/* The extra columns of a join table. */
static rex_status
parse_through_columns(defparse *dp, rex_relation *r, json_t *cols, const char *path)
{
	size_t		n,
				i,
				nsorted = 0;
	const char **sorted = NULL;
	int			j;
	rex_status	st;

	if (cols == NULL)
		return REX_OK;
	if (!json_is_object(cols) && !json_is_array(cols))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, NULL,
							"expected an object of columns, got %s", rex_def_json_kind(cols));
	n = json_is_object(cols) ? json_object_size(cols) : json_array_size(cols);
	r->through_columns = rex_alloc0(dp->ctx, sizeof(rex_column) * (n + 1));
	if (r->through_columns == NULL)
		return rex_error_nomem(dp->ctx);
	r->through_columns_as_array = json_is_array(cols);
	if (json_is_object(cols) && (sorted = rex_def_sorted_keys(dp, cols, &nsorted)) == NULL)
		return rex_error_nomem(dp->ctx);
	for (i = 0; i < n; i++)
	{
		rex_column *c = &r->through_columns[i];
		const char *name;
		json_t	   *v;
		const char *cpath;
		bool		pk = false;

		if (json_is_object(cols))
		{
			/* byte order of the keys: jsonb does not keep the text's */
			name = sorted[i];
			v = json_object_get(cols, name);
			cpath = rex_def_path_join(dp, path, name);
		}
		else
		{
			json_t	   *nm;

			v = json_array_get(cols, i);
			cpath = rex_def_path_index(dp, path, i);
			nm = json_is_object(v) ? json_object_get(v, "name") : NULL;
			if (nm == NULL || !json_is_string(nm))
				return rex_def_fail(dp, REX_ERR_DEFINITION, cpath, NULL,
									"expected a column object with a \"name\" string");
			name = json_string_value(nm);
			v = rex_ctx_own_json(dp->ctx, json_copy(v));
			if (v == NULL)
				return rex_error_nomem(dp->ctx);
			json_object_del(v, "name");
		}
		if ((st = rex_def_parse_column(dp, c, name, v, cpath, &pk)) != REX_OK)
			return st;
		if (pk || c->type == REX_T_ID)
			return rex_def_fail(dp, REX_ERR_DEFINITION, cpath,
								"The key of a join table is its two foreign keys.",
								"a join-table column cannot be a key");
		if (rex_ident_equal(c->name, r->foreign_key) || rex_ident_equal(c->name, r->target_foreign_key))
			return rex_def_fail(dp, REX_ERR_DEFINITION, cpath, NULL,
								"\"%s\" is already a foreign key of the join table", c->name);
		for (j = 0; j < (int) i; j++)
			if (rex_ident_equal(c->name, r->through_columns[j].name))
				return rex_def_fail(dp, REX_ERR_DEFINITION, cpath, NULL,
									"duplicate column name \"%s\"", c->name);
		r->n_through_columns++;
	}
	return REX_OK;
}

/* many_to_many specifics: keys, join table, extra columns. */
static rex_status
parse_m2m(defparse *dp, rex_relation *r, json_t *obj, const char *path)
{
	const char *a = dp->e->name;
	const char *b = r->entity;
	rex_status	st;

	if ((st = get_ident(dp, obj, "target_foreign_key", path, REX_IDENT_COLUMN,
						&r->target_foreign_key)) != REX_OK ||
		(st = get_ident(dp, obj, "through", path, REX_IDENT_TABLE, &r->through)) != REX_OK)
		return st;
	if (r->foreign_key == NULL)
		r->foreign_key = rex_psprintf(dp->ctx, "%s_id", a);
	if (r->target_foreign_key == NULL)
		r->target_foreign_key = rex_psprintf(dp->ctx, "%s_id", b);
	if (r->through == NULL)
		r->through = strcmp(a, b) <= 0 ? rex_psprintf(dp->ctx, "%s_%s", a, b)
			: rex_psprintf(dp->ctx, "%s_%s", b, a);
	if (r->foreign_key == NULL || r->target_foreign_key == NULL || r->through == NULL)
		return rex_error_nomem(dp->ctx);
	if (rex_ident_equal(r->foreign_key, r->target_foreign_key))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path,
							"Name the two join-table columns, e.g. \"foreign_key\": \"follower_id\", "
							"\"target_foreign_key\": \"followed_id\".",
							"both foreign keys of the join table would be named \"%s\"",
							r->foreign_key);
	if (rex_ident_equal(r->through, dp->e->table))
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, "through"), NULL,
							"the join table cannot be the entity's own table");
	return parse_through_columns(dp, r, json_object_get(obj, "columns"),
								 rex_def_path_join(dp, path, "columns"));
}

/* belongs_to / has_one / has_many specifics. */
static rex_status
parse_fk_relation(defparse *dp, rex_relation *r, json_t *obj, const char *path)
{
	const rex_column *own;
	rex_status	st;

	if ((st = get_ident(dp, obj, "references", path, REX_IDENT_COLUMN, &r->references)) != REX_OK ||
		(st = get_action(dp, obj, "on_delete", path, &r->on_delete)) != REX_OK ||
		(st = get_action(dp, obj, "on_update", path, &r->on_update)) != REX_OK ||
		(st = rex_def_get_bool(dp, obj, "nullable", path, true, &r->nullable)) != REX_OK)
		return st;
	r->nullable_given = json_object_get(obj, "nullable") != NULL;
	if (r->foreign_key == NULL)
		r->foreign_key = r->kind == REX_REL_BELONGS_TO ? rex_psprintf(dp->ctx, "%s_id", r->name)
			: rex_psprintf(dp->ctx, "%s_id", dp->e->name);
	if (r->foreign_key == NULL)
		return rex_error_nomem(dp->ctx);
	if (r->on_update == REX_FK_SET_NULL && !r->nullable)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, "on_update"), NULL,
							"set_null needs a nullable foreign key, but \"nullable\" is false");
	if (r->on_delete == REX_FK_SET_NULL && !r->nullable)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, "on_delete"),
							"Use cascade or restrict, or make the foreign key nullable.",
							"set_null needs a nullable foreign key, but \"nullable\" is false");
	if (r->kind != REX_REL_BELONGS_TO)
		return REX_OK;
	own = rex_entity_column(dp->e, r->foreign_key);
	if (own && r->nullable_given)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, "nullable"),
							"Say \"nullable\" on the column itself.",
							"column \"%s\" is declared in \"columns\"; \"nullable\" belongs there",
							own->name);
	if (own && !own->nullable &&
		(r->on_delete == REX_FK_SET_NULL || r->on_update == REX_FK_SET_NULL))
		return rex_def_fail(dp, REX_ERR_DEFINITION,
							rex_def_path_join(dp, path, r->on_delete == REX_FK_SET_NULL ? "on_delete" : "on_update"),
							"Use cascade or restrict, or make the column nullable.",
							"set_null needs a nullable foreign key, but column \"%s\" is not nullable",
							own->name);
	return REX_OK;
}

/* Parses one relation 'name': obj. */
static rex_status
parse_relation(defparse *dp, rex_relation *r, const char *name, json_t *obj,
			   const char *path)
{
	json_t	   *kind;
	int			k;
	rex_status	st;

	if ((st = rex_def_check_ident(dp, path, name, REX_IDENT_COLUMN)) != REX_OK)
		return st;
	if (rex_entity_column(dp->e, name))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path,
							"A relation and a column share the fields of the entity; rename one.",
							"relation \"%s\" has the name of a column", name);
	if (!json_is_object(obj))
		return rex_def_fail(dp, REX_ERR_DEFINITION, path,
							"Write a relation as {\"kind\": \"belongs_to\", \"entity\": \"user\"}.",
							"expected an object, got %s", rex_def_json_kind(obj));
	r->name = rex_strdup(dp->ctx, name);
	kind = json_object_get(obj, "kind");
	if (kind == NULL || !json_is_string(kind) ||
		(k = name_index(json_string_value(kind), rex_relation_kind_names, 4)) < 0)
		return rex_def_fail(dp, REX_ERR_DEFINITION, rex_def_path_join(dp, path, "kind"), KIND_HINT,
							kind == NULL ? "the relation has no \"kind\"" :
							json_is_string(kind) ? "unknown kind \"%s\"" : "expected a kind name",
							kind && json_is_string(kind) ? rex_def_shown(dp, json_string_value(kind)) : "");
	r->kind = (rex_relation_kind) k;
	if ((st = rex_def_check_keys(dp, obj, path, r->kind == REX_REL_MANY_TO_MANY ? m2m_keys : fk_keys,
								 NULL, r->kind == REX_REL_MANY_TO_MANY ? M2M_KEYS_HINT : FK_KEYS_HINT)) != REX_OK)
		return st;
	if (json_object_get(obj, "entity") == NULL)
		return rex_def_fail(dp, REX_ERR_DEFINITION, path, "Add \"entity\": the name of the related entity.",
							"the relation has no \"entity\"");
	if ((st = get_ident(dp, obj, "entity", path, REX_IDENT_ENTITY, &r->entity)) != REX_OK ||
		(st = get_ident(dp, obj, "foreign_key", path, REX_IDENT_COLUMN, &r->foreign_key)) != REX_OK ||
		(st = get_ident(dp, obj, "inverse", path, REX_IDENT_COLUMN, &r->inverse)) != REX_OK ||
		(st = rex_def_get_string(dp, obj, "description", path, &r->description)) != REX_OK)
		return st;
	if (r->kind == REX_REL_MANY_TO_MANY)
		return parse_m2m(dp, r, obj, path);
	return parse_fk_relation(dp, r, obj, path);
}

/* Two belongs_to relations may not share a foreign-key column. */
static rex_status
check_shared_keys(defparse *dp)
{
	rex_entity *e = dp->e;
	int			i,
				j;

	for (i = 0; i < e->nrelations; i++)
		for (j = 0; j < i; j++)
		{
			const rex_relation *a = &e->relations[i];
			const rex_relation *b = &e->relations[j];

			if (a->kind == REX_REL_BELONGS_TO && b->kind == REX_REL_BELONGS_TO &&
				rex_ident_equal(a->foreign_key, b->foreign_key))
				return rex_def_fail(dp, REX_ERR_DEFINITION,
									rex_def_path_join(dp, "relations", a->name),
									"Give each belongs_to its own \"foreign_key\".",
									"foreign key \"%s\" is used by relation \"%s\" too",
									a->foreign_key, b->name);
		}
	return REX_OK;
}

static int
cmp_relation(const void *a, const void *b)
{
	return strcmp(((const rex_relation *) a)->name, ((const rex_relation *) b)->name);
}

rex_status
rex_relations_parse(defparse *dp, json_t *relations)
{
	rex_entity *e = dp->e;
	const char **keys;
	size_t		nkeys,
				k;
	rex_status	st;
	int			i = 0;

	if (relations == NULL)
		return REX_OK;
	if (!json_is_object(relations))
		return rex_def_fail(dp, REX_ERR_DEFINITION, "relations",
							"Write \"relations\": {\"author\": {\"kind\": \"belongs_to\", \"entity\": \"user\"}}.",
							"expected an object of relations, got %s", rex_def_json_kind(relations));
	e->relations = rex_alloc0(dp->ctx, sizeof(rex_relation) * (json_object_size(relations) + 1));
	if (e->relations == NULL)
		return rex_error_nomem(dp->ctx);
	keys = rex_def_sorted_keys(dp, relations, &nkeys);
	if (keys == NULL)
		return rex_error_nomem(dp->ctx);
	for (k = 0; k < nkeys; k++)
	{
		if ((st = parse_relation(dp, &e->relations[i], keys[k], json_object_get(relations, keys[k]),
								 rex_def_path_join(dp, "relations", keys[k]))) != REX_OK)
			return st;
		e->nrelations = ++i;
	}
	/* by name, as PostgreSQL's jsonb does not keep the order of keys */
	qsort(e->relations, (size_t) e->nrelations, sizeof(rex_relation), cmp_relation);
	for (i = 0; i < e->nrelations; i++)
	{
		int			j;

		for (j = 0; j < i; j++)
			if (rex_ident_equal(e->relations[i].name, e->relations[j].name))
				return rex_def_fail(dp, REX_ERR_DEFINITION,
									rex_def_path_join(dp, "relations", e->relations[i].name),
									"Relation names are compared without regard to case.",
									"duplicate relation name");
	}
	return check_shared_keys(dp);
}

/* Canonical JSON of one relation. */
static json_t *
relation_json(const rex_relation *r)
{
	json_t	   *o = json_object();
	int			i;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "kind", json_string(rex_relation_kind_names[r->kind]));
	json_object_set_new(o, "entity", json_string(r->entity));
	json_object_set_new(o, "foreign_key", json_string(r->foreign_key));
	if (r->inverse)
		json_object_set_new(o, "inverse", json_string(r->inverse));
	if (r->description)
		json_object_set_new(o, "description", json_string(r->description));
	if (r->kind == REX_REL_MANY_TO_MANY)
	{
		json_t	   *cols = r->through_columns_as_array ? json_array() : json_object();

		json_object_set_new(o, "target_foreign_key", json_string(r->target_foreign_key));
		json_object_set_new(o, "through", json_string(r->through));
		for (i = 0; cols && i < r->n_through_columns; i++)
		{
			json_t	   *c = rex_def_column_json(&r->through_columns[i]);

			if (r->through_columns_as_array)
			{
				json_object_set_new(c, "name", json_string(r->through_columns[i].name));
				json_array_append_new(cols, c);
			}
			else
				json_object_set_new(cols, r->through_columns[i].name, c);
		}
		if (r->n_through_columns)
			json_object_set_new(o, "columns", cols);
		else
			json_decref(cols);
		return o;
	}
	if (r->references)
		json_object_set_new(o, "references", json_string(r->references));
	json_object_set_new(o, "on_delete", json_string(rex_fk_action_names[r->on_delete]));
	json_object_set_new(o, "on_update", json_string(rex_fk_action_names[r->on_update]));
	if (r->nullable_given)
		json_object_set_new(o, "nullable", json_boolean(r->nullable));
	return o;
}

json_t *
rex_relations_json(const rex_entity *e)
{
	json_t	   *o = json_object();
	int			i;

	for (i = 0; o && i < e->nrelations; i++)
		json_object_set_new(o, e->relations[i].name, relation_json(&e->relations[i]));
	return o;
}
