/*
 * convert.h
 *		Which column type changes rex_orm carries out, and how each engine
 *		converts the stored values.
 *
 * The rule is the same on both engines: a value either converts to the
 * same result on PostgreSQL and SQLite, or the migration fails (it is
 * never rounded, truncated or replaced by a default on one engine and not
 * the other).  Supported changes:
 *
 *	 string, text, enum          <-> string, text, enum  (length and value
 *	                                 checks apply)
 *	 uuid                        <-> string, text, enum
 *	 integer <-> bigint, boolean -> integer/bigint, integer/bigint -> boolean
 *	                                 (only 0 and 1 convert)
 *	 integer, bigint             -> float, decimal
 *	 float, decimal              -> integer, bigint (only whole numbers)
 *	 decimal                     -> float; decimal(p,s) -> decimal(p2,s2)
 *	                                 with s2 >= s, or unconstrained
 *	 date <-> timestamp          (midnight UTC; the time is dropped)
 *	 integer, bigint, decimal, boolean, uuid, date, timestamp
 *	                             -> string, text, enum  (canonical text:
 *	                                 "true"/"false", ISO-8601 UTC)
 *
 * Anything else (id, json, bytes, float to text or decimal, text to a
 * number, date or boolean, a reduced decimal scale) is refused: the hint
 * says to add a new column and copy the data with a versioned migration.
 */
#ifndef REX_CONVERT_H
#define REX_CONVERT_H

#include "model.h"
#include "rex_buf.h"

typedef struct rex_conversion
{
	bool		supported;
	bool		can_fail;		/* some stored values may not convert */
	bool		lossy;			/* converts with a loss (destructive) */
	const char *why;			/* why not supported, or what is lost */
} rex_conversion;

/* Classifies a change of column type from 'from' to 'to'. */
extern rex_conversion rex_convert_classify(const rex_column *from, const rex_column *to);

/*
 * PostgreSQL: the USING expression converting column 'col' (already
 * quoted) from 'from' to 'to', or nothing when the assignment cast does.
 * Returns true when it wrote an expression.
 */
extern bool rex_convert_pg_using(rex_buf *b, const rex_column *from, const rex_column *to,
								 const char *col);

/*
 * SQLite: the expression reading column 'col' (already quoted) of the old
 * table as a value of the new type, for INSERT ... SELECT in a rebuild.
 * The STRICT table and its CHECKs refuse what does not convert.
 */
extern void rex_convert_sqlite_expr(rex_buf *b, const rex_column *from, const rex_column *to,
									const char *col);

#endif							/* REX_CONVERT_H */
