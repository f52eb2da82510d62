/*
 * dump_graphql.c
 *		Differential checking against graphql-js (manual tool, see
 *		run.sh): for each file named on the command line (read up to a NUL
 *		byte, as the fuzz target reads its inputs), prints one JSON line.
 *
 *	 dump_graphql parse FILE...		{"f", "ok", "print"} or {"f", "ok", "msg",
 *									 "line", "col"}: rex_gql_parse, limits off
 *	 dump_graphql validate FILE...	{"f", "errors"}: rex_gql_validate with the
 *									 test schema (NOSCHEMA=1: without one), for
 *									 the files that parse
 */
#include "gql_test_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char buf[1 << 20];

static void
emit(json_t *o)
{
	char	   *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

	printf("%s\n", s);
	free(s);
	json_decref(o);
}

int
main(int argc, char **argv)
{
	rex_ctx    *sctx = rex_ctx_new(NULL, &rex_dialect_pg);
	const rex_gql_schema *schema = getenv("NOSCHEMA") ? NULL : gql_test_schema(sctx);
	bool		validate = argc > 1 && strcmp(argv[1], "validate") == 0;
	int			i;

	for (i = 2; i < argc; i++)
	{
		FILE	   *f = fopen(argv[i], "rb");
		size_t		n;
		char	   *z;
		rex_ctx    *ctx;
		rex_gql_errors errs;
		rex_gql_document *doc;
		rex_gql_limits lim = rex_gql_limits_default();
		json_t	   *o;

		if (f == NULL)
			continue;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		if ((z = memchr(buf, 0, n)) != NULL)
			n = (size_t) (z - buf);
		ctx = rex_ctx_new(NULL, &rex_dialect_pg);
		rex_gql_errors_init(&errs, 0);
		if (validate)
		{
			if (rex_gql_parse(ctx, buf, n, NULL, &doc, &errs) == REX_OK)
			{
				rex_gql_validate(ctx, doc, schema, NULL, &errs);
				emit(json_pack("{s:s,s:O}", "f", argv[i], "errors",
							   rex_gql_errors_json(ctx, &errs)));
			}
		}
		else
		{
			lim.max_depth = 100000;
			lim.max_tokens = 0;
			lim.max_bytes = 0;
			o = json_pack("{s:s}", "f", argv[i]);
			if (rex_gql_parse(ctx, buf, n, &lim, &doc, &errs) == REX_OK)
			{
				json_object_set_new(o, "ok", json_true());
				json_object_set_new(o, "print", json_string(rex_gql_print(ctx, doc)));
			}
			else
			{
				json_object_set_new(o, "ok", json_false());
				json_object_set_new(o, "msg", json_string(errs.first->message));
				if (errs.first->nlocations)
				{
					json_object_set_new(o, "line", json_integer(errs.first->locations[0].line));
					json_object_set_new(o, "col", json_integer(errs.first->locations[0].column));
				}
			}
			emit(o);
		}
		rex_ctx_free(ctx);
	}
	rex_ctx_free(sctx);
	return 0;
}
