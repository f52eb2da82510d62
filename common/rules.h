/*
 * rules.h
 *		Validation rules: parsing "validate", checking values in C, and
 *		the CHECK constraints that enforce them in SQL (internal to common/).
 *
 * The model (rex_rule) is in model.h.  Every rule is checked in C by
 * rex_rules_check_value() -- what validate() answers -- and, where the
 * engine's built-in SQL can express it, by a named CHECK constraint
 * (rex_rule_check_sql()).  The two must accept exactly the same values;
 * test/ checks them against each other on both engines.
 */
#ifndef REX_RULES_H
#define REX_RULES_H

#include "defparse.h"
#include "rex_buf.h"

/* Parses a column's "validate" (may be NULL); fills c->rules. */
extern rex_status rex_rules_parse(defparse *dp, rex_column *c, json_t *validate,
								  const char *cpath);
/* Canonical JSON of a column's rules, or NULL when it has none. */
extern json_t *rex_rules_json(const rex_column *c);

/* The constraint name of a rule: <table>_<column>_<rule>, fitted. */
extern const char *rex_rule_constraint_name(rex_ctx *ctx, const char *table,
											const rex_column *c, const rex_rule *r);

/*
 * Appends the CHECK expression enforcing rule r on column c in ctx's
 * dialect and returns true, or returns false (appending nothing) when the
 * dialect's built-in SQL cannot express it.  'validator_sql' is the
 * qualified function of a custom rule (PostgreSQL), or NULL.
 */
extern bool rex_rule_check_sql(rex_ctx *ctx, rex_buf *b, const rex_column *c,
							   const rex_rule *r, const char *validator_sql);

/* Why a rule has no CHECK on this dialect (a plan warning), or NULL. */
extern const char *rex_rule_unchecked_reason(rex_ctx *ctx, const rex_entity *e,
											 const rex_column *c, const rex_rule *r);

/*
 * Checks one JSON value of column c against the column's type and rules
 * (custom validators excepted: they need the engine).  Appends every
 * violation to 'out' as {"path", "rule", "message"}.  A JSON null is
 * checked only by "required" and by nullability.
 */
extern rex_status rex_rules_check_value(rex_ctx *ctx, const rex_entity *e,
										const rex_column *c, json_t *value,
										json_t *out);

/* The message of a violated rule (override first), for validate() and
 * explain_constraint(). */
extern const char *rex_rule_message(rex_ctx *ctx, const rex_column *c,
									const rex_rule *r);

/* Appends {"path", "rule", "message"} to 'out'. */
extern rex_status rex_violation(rex_ctx *ctx, json_t *out, const char *path,
								const char *rule, const char *message);

/*
 * The portable regular expressions of "pattern" (regex.c): a subset of
 * POSIX ERE that PCRE2 (validate()) and PostgreSQL's ~ read the same way.
 * rex_regex_portable() checks 'pattern' and returns the text both engines
 * get (\d, \w, \s spelled out as ASCII classes), or NULL with *why set.
 */
extern const char *rex_regex_portable(rex_ctx *ctx, const char *pattern,
									  const char **why);
/* True when 'subject' matches the portable pattern (unanchored search);
 * false with an error recorded when the pattern cannot be compiled. */
extern rex_status rex_regex_match(rex_ctx *ctx, const char *portable,
								  const char *subject, bool *matches);

/* The formats, in C (formats.c); the CHECKs of rules_sql.c match them. */
extern bool rex_format_valid(rex_format f, const char *s);

#endif							/* REX_RULES_H */
