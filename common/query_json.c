/*
 * query_json.c
 *		A parsed query (query_ast.h) as canonical JSON, for tests and logs.
 *
 * Every part is explicit: a filter as nested {"and": [...]}, {"or":
 * [...]}, {"not": ...} and {"column": {"op": value}} objects with the
 * canonical values; order_by as [{"column": "asc_nulls_last"}]; limit
 * null when none; the query of a relation to one row with only select and
 * include.  Parsing the output again gives the same tree.
 */
#include "query_ast.h"

/* The JSON of a filter node (a new reference), NULL on OOM. */
static json_t *
filter_json(const rex_qfilter *f)
{
	json_t	   *arr;
	json_t	   *inner;
	int			i;

	switch (f->kind)
	{
		case REX_QF_AND:
		case REX_QF_OR:
			arr = json_array();
			for (i = 0; arr && i < f->nitems; i++)
				if (json_array_append_new(arr, filter_json(f->items[i])) != 0)
				{
					json_decref(arr);
					return NULL;
				}
			return arr ? json_pack("{so}", f->kind == REX_QF_AND ? "and" : "or", arr) : NULL;
		case REX_QF_NOT:
			inner = filter_json(f->items[0]);
			return inner ? json_pack("{so}", "not", inner) : NULL;
		case REX_QF_COMPARE:
			return json_pack("{s{sO}}", f->column->name, rex_qop_names[f->op], f->value);
	}
	return NULL;
}

json_t *
rex_qfilter_to_json(rex_ctx *ctx, const rex_qfilter *f)
{
	if (f == NULL)
		return rex_json_own(ctx, json_null());
	return rex_json_own(ctx, filter_json(f));
}

static const char *
direction_name(const rex_qorder *o)
{
	if (o->descending)
		return o->nulls_first ? "desc_nulls_first" : "desc_nulls_last";
	return o->nulls_first ? "asc_nulls_first" : "asc_nulls_last";
}

/*
 * The JSON of a query (a new reference), NULL on OOM.  A query of a
 * relation to one row has only select and include.
 */
static json_t *
query_json(const rex_query *q, bool to_one)
{
	json_t	   *o = json_object();
	json_t	   *order = json_array();
	json_t	   *include = json_object();
	json_t	   *select = q->nselect ? json_array() : json_null();
	int			i;
	bool		ok = o && order && include && select;

	for (i = 0; ok && i < q->norder_by; i++)
		ok = json_array_append_new(order, json_pack("{ss}", q->order_by[i].column->name,
													direction_name(&q->order_by[i]))) == 0;
	for (i = 0; ok && i < q->nselect; i++)
		ok = json_array_append_new(select, json_string(q->select[i]->name)) == 0;
	for (i = 0; ok && i < q->ninclude; i++)
		ok = json_object_set_new(include, q->include[i].relation.name,
								 query_json(q->include[i].query,
											!q->include[i].relation.to_many)) == 0;
	if (ok && !to_one)
		ok = json_object_set_new(o, "where", q->where ? filter_json(q->where) : json_null()) == 0 &&
			json_object_set(o, "order_by", order) == 0 &&
			json_object_set_new(o, "limit", q->limit >= 0 ? json_integer(q->limit) : json_null()) == 0 &&
			json_object_set_new(o, "offset", json_integer(q->offset)) == 0;
	if (ok)
		ok = json_object_set(o, "select", select) == 0 &&
			json_object_set(o, "include", include) == 0;
	json_decref(order);
	json_decref(select);
	json_decref(include);
	if (!ok)
	{
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
rex_query_to_json(rex_ctx *ctx, const rex_query *q)
{
	return rex_json_own(ctx, query_json(q, false));
}
