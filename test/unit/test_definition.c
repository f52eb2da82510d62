/*
 * test_definition.c
 *		Unit tests of definition.c and defparse.c: every way a definition
 *		is refused, and the boundaries that are still accepted.
 *
 * Each refusal is one test.  It asserts the status, that nothing is
 * handed back, and that the message reads
 *		entity "<name>": <json path>: <what is wrong>
 * (entity-name problems read: invalid entity name "<name>": <problem>),
 * plus a fragment of the hint where the hint is what helps the user.
 * Definitions are written with single quotes (see unit_q).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct refusal
{
	const char *label;			/* test name after "definition refuses: " */
	const char *entity;
	const char *def;			/* single-quoted JSON */
	rex_status	status;
	const char *path;			/* JSON path; "" for the top; NULL for the name */
	const char *what;			/* fragment of the message after the path */
	const char *hint;			/* fragment of the hint, or NULL */
} refusal;

#define ID "'id': {'type': 'id'}"
#define N63 "a23456789012345678901234567890123456789012345678901234567890123"
#define N64 N63 "4"
#define N63B "b23456789012345678901234567890123456789012345678901234567890123"
#define INJECT "x\\\"; DROP TABLE t; --"

static const refusal refusals[] = {
	/* the entity name */
	{"empty entity name", "", "{'columns': {" ID "}}", REX_ERR_DEFINITION, NULL,
	"the name is empty", "ASCII letters"},
	{"entity name with reserved prefix rex_", "rex_users", "{'columns': {" ID "}}",
	REX_ERR_DEFINITION, NULL, "reserved", NULL},
	{"entity name with reserved prefix sqlite_", "sqlite_users", "{'columns': {" ID "}}",
	REX_ERR_DEFINITION, NULL, "reserved", NULL},
	{"entity name with reserved prefix PG_ (any case)", "PG_users", "{'columns': {" ID "}}",
	REX_ERR_DEFINITION, NULL, "reserved", NULL},
	{"entity name starting with a digit", "1users", "{'columns': {" ID "}}",
	REX_ERR_DEFINITION, NULL, "starts with a digit", NULL},
	{"entity name of 64 bytes", N64, "{'columns': {" ID "}}", REX_ERR_DEFINITION, NULL,
	"longer than 63", NULL},
	{"entity name with non-ASCII letters", "usu\xc3\xa1rios", "{'columns': {" ID "}}",
	REX_ERR_DEFINITION, NULL, "other than an ASCII letter", NULL},
	{"entity name with an injection attempt", "x\"; DROP TABLE t; --", "{'columns': {" ID "}}",
	REX_ERR_DEFINITION, NULL, "other than an ASCII letter", NULL},

	/* the top level */
	{"text that is not JSON", "users", "{'columns': }", REX_ERR_JSON, "",
	"definition is not valid JSON", NULL},
	{"JSON with a duplicate key", "users", "{'columns': {" ID "}, 'columns': {" ID "}}",
	REX_ERR_JSON, "", "definition is not valid JSON", NULL},
	{"a definition that is an array", "users", "[{'columns': {" ID "}}]", REX_ERR_DEFINITION,
	"", "expected a JSON object, got an array", "A definition is an object"},
	{"an unknown top-level key", "users", "{'columns': {" ID "}, 'colums': {}}",
	REX_ERR_DEFINITION, "colums", "unknown key \"colums\"", "Accepted keys: changes, columns"},
	{"top-level validate (not a top-level key)", "users",
		"{'columns': {" ID "}, 'validate': {}}",
	REX_ERR_DEFINITION, "validate", "unknown key \"validate\"", NULL},
	{"plural that is not a name", "users", "{'columns': {" ID "}, 'plural': '2 users'}",
	REX_ERR_DEFINITION, "plural", "invalid name \"2 users\"", NULL},
	{"plural that is not a string", "users", "{'columns': {" ID "}, 'plural': 5}",
	REX_ERR_DEFINITION, "plural", "expected a string, got a number", NULL},
	{"table that is not a string", "users", "{'table': 5, 'columns': {" ID "}}",
	REX_ERR_DEFINITION, "table", "expected a string, got a number", NULL},
	{"table with reserved prefix rex_", "users", "{'table': 'rex_users', 'columns': {" ID "}}",
	REX_ERR_DEFINITION, "table", "reserved", "ASCII letters"},
	{"table with reserved prefix sqlite_", "users", "{'table': 'sqlite_master', 'columns': {" ID "}}",
	REX_ERR_DEFINITION, "table", "reserved", NULL},
	{"table with reserved prefix pg_", "users", "{'table': 'pg_class', 'columns': {" ID "}}",
	REX_ERR_DEFINITION, "table", "reserved", NULL},
	{"table of 64 bytes", "users", "{'table': '" N64 "', 'columns': {" ID "}}",
	REX_ERR_DEFINITION, "table", "longer than 63", NULL},
	{"table with an injection attempt", "users", "{'table': '" INJECT "', 'columns': {" ID "}}",
	REX_ERR_DEFINITION, "table", "other than an ASCII letter", NULL},
	{"empty table", "users", "{'table': '', 'columns': {" ID "}}",
	REX_ERR_DEFINITION, "table", "the name is empty", NULL},
	{"description that is not a string", "users", "{'description': ['x'], 'columns': {" ID "}}",
	REX_ERR_DEFINITION, "description", "expected a string, got an array", NULL},
	{"a definition without columns", "users", "{'table': 'users'}", REX_ERR_DEFINITION, "",
	"the definition has no \"columns\"", NULL},
	{"columns that are a string", "users", "{'columns': 'id'}", REX_ERR_DEFINITION, "columns",
	"expected an object of columns, got a string", NULL},
	{"an empty columns object", "users", "{'columns': {}}", REX_ERR_DEFINITION, "columns",
	"at least one column", NULL},
	{"an empty columns array", "users", "{'columns': []}", REX_ERR_DEFINITION, "columns",
	"at least one column", NULL},

	/* one column */
	{"a column that is not an object", "users", "{'columns': {'id': 'id'}}",
	REX_ERR_DEFINITION, "columns.id", "expected an object, got a string", NULL},
	{"a column without type", "users", "{'columns': {" ID ", 'email': {'nullable': true}}}",
	REX_ERR_DEFINITION, "columns.email", "the column has no \"type\"", "Accepted types: id, uuid"},
	{"a type that is not a string", "users", "{'columns': {" ID ", 'email': {'type': 5}}}",
	REX_ERR_DEFINITION, "columns.email.type", "expected a type name, got a number", NULL},
	{"an unknown type", "users", "{'columns': {" ID ", 'email': {'type': 'strin'}}}",
	REX_ERR_DEFINITION, "columns.email.type", "unknown type \"strin\"",
	"Accepted types: id, uuid, string, text, integer, bigint, float, decimal, boolean, "
	"timestamp, date, json, bytes, enum."},
	{"an engine type name (varchar)", "users", "{'columns': {" ID ", 'email': {'type': 'varchar'}}}",
	REX_ERR_DEFINITION, "columns.email.type", "unknown type \"varchar\"", NULL},
	{"a type in upper case", "users", "{'columns': {" ID ", 'email': {'type': 'STRING'}}}",
	REX_ERR_DEFINITION, "columns.email.type", "unknown type \"STRING\"", NULL},
	{"an unknown column key", "users",
		"{'columns': {" ID ", 'email': {'type': 'string', 'nulable': false}}}",
	REX_ERR_DEFINITION, "columns.email.nulable", "unknown key \"nulable\"", "Accepted keys: type"},
	{"nullable that is not a boolean", "users",
		"{'columns': {" ID ", 'email': {'type': 'string', 'nullable': 'no'}}}",
	REX_ERR_DEFINITION, "columns.email.nullable", "expected a boolean, got a string",
	"Use true or false."},
	{"unique that is not a boolean", "users",
		"{'columns': {" ID ", 'email': {'type': 'string', 'unique': 1}}}",
	REX_ERR_DEFINITION, "columns.email.unique", "expected a boolean, got a number", NULL},
	{"column primary_key that is not a boolean", "users",
		"{'columns': {'code': {'type': 'string', 'primary_key': 'yes'}}}",
	REX_ERR_DEFINITION, "columns.code.primary_key", "expected a boolean, got a string", NULL},
	{"column description that is not a string", "users",
		"{'columns': {" ID ", 'email': {'type': 'string', 'description': null}}}",
	REX_ERR_DEFINITION, "columns.email.description", "expected a string, got null", NULL},
	{"a column name starting with a digit", "users", "{'columns': {" ID ", '1st': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns.1st", "invalid name \"1st\": the name starts with a digit",
	"ASCII letters"},
	{"a column named xmin", "users", "{'columns': {" ID ", 'xmin': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns.xmin", "reserved for a system column", NULL},
	{"a column named ROWID", "users", "{'columns': {" ID ", 'ROWID': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns.ROWID", "reserved for a system column", NULL},
	{"a column named ctid", "users", "{'columns': {" ID ", 'ctid': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns.ctid", "reserved for a system column", NULL},
	{"a column name of 64 bytes", "users", "{'columns': {" ID ", '" N64 "': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns." N64, "longer than 63", NULL},
	{"a column name with non-ASCII letters", "users",
		"{'columns': {" ID ", 'caf\xc3\xa9': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns.caf\xc3\xa9", "other than an ASCII letter", NULL},
	{"a column name with an injection attempt", "users",
		"{'columns': {" ID ", '" INJECT "': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns.x\"; DROP TABLE t; --", "other than an ASCII letter", NULL},
	/* the path of an empty key is "columns." */
	{"an empty column name", "users", "{'columns': {" ID ", '': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns.", "the name is empty", NULL},
	{"columns differing only in case", "users",
		"{'columns': {" ID ", 'Email': {'type': 'text'}, 'email': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns.email", "duplicate column \"email\"", "without regard to case"},
	{"an id column named differently in case", "users",
		"{'columns': {" ID ", 'ID': {'type': 'text'}}}",
	REX_ERR_DEFINITION, "columns.id", "duplicate column \"id\"", NULL},	/* keys in byte order */

	/* the array form of columns */
	{"an array column without name", "users", "{'columns': [{'name': 'id', 'type': 'id'}, {'type': 'text'}]}",
	REX_ERR_DEFINITION, "columns[1]", "expected a column object with a \"name\" string",
	"{\"name\": \"email\""},
	{"an array column that is not an object", "users", "{'columns': ['id']}",
	REX_ERR_DEFINITION, "columns[0]", "expected a column object", NULL},
	{"an array column whose name is a number", "users", "{'columns': [{'name': 7, 'type': 'id'}]}",
	REX_ERR_DEFINITION, "columns[0]", "expected a column object with a \"name\" string", NULL},
	{"an array column of unknown type", "users",
		"{'columns': [{'name': 'id', 'type': 'id'}, {'name': 'x', 'type': 'money'}]}",
	REX_ERR_DEFINITION, "columns[1].type", "unknown type \"money\"", NULL},
	{"an array column with an unknown key", "users",
		"{'columns': [{'name': 'id', 'type': 'id', 'size': 3}]}",
	REX_ERR_DEFINITION, "columns[0].size", "unknown key \"size\"", NULL},
	{"array columns with the same name", "users",
		"{'columns': [{'name': 'id', 'type': 'id'}, {'name': 'a', 'type': 'text'}, {'name': 'A', 'type': 'text'}]}",
	REX_ERR_DEFINITION, "columns.A", "duplicate column \"A\"", NULL},

	/* type options */
	{"max_length on text", "users", "{'columns': {" ID ", 'bio': {'type': 'text', 'max_length': 10}}}",
	REX_ERR_DEFINITION, "columns.bio.max_length", "max_length does not apply to type \"text\"",
	"Use max_length with type \"string\"."},
	{"max_length 0", "users", "{'columns': {" ID ", 'name': {'type': 'string', 'max_length': 0}}}",
	REX_ERR_DEFINITION, "columns.name.max_length",
	"expected an integer from 1 to 10485760, got a value out of range", NULL},
	{"max_length above PostgreSQL's varchar limit", "users",
		"{'columns': {" ID ", 'name': {'type': 'string', 'max_length': 10485761}}}",
	REX_ERR_DEFINITION, "columns.name.max_length", "from 1 to 10485760", NULL},
	{"max_length as a string", "users",
		"{'columns': {" ID ", 'name': {'type': 'string', 'max_length': '10'}}}",
	REX_ERR_DEFINITION, "columns.name.max_length", "got a string", NULL},
	{"max_length as a fraction", "users",
		"{'columns': {" ID ", 'name': {'type': 'string', 'max_length': 1.5}}}",
	REX_ERR_DEFINITION, "columns.name.max_length", "got a number", NULL},
	{"precision on integer", "users", "{'columns': {" ID ", 'n': {'type': 'integer', 'precision': 5}}}",
	REX_ERR_DEFINITION, "columns.n.precision", "precision does not apply to type \"integer\"",
	"Use precision and scale with type \"decimal\"."},
	{"scale on float", "users", "{'columns': {" ID ", 'n': {'type': 'float', 'scale': 2}}}",
	REX_ERR_DEFINITION, "columns.n.scale", "scale does not apply to type \"float\"", NULL},
	{"scale without precision", "users", "{'columns': {" ID ", 'price': {'type': 'decimal', 'scale': 2}}}",
	REX_ERR_DEFINITION, "columns.price.scale", "scale needs precision", "Give \"precision\" too"},
	{"scale greater than precision", "users",
		"{'columns': {" ID ", 'price': {'type': 'decimal', 'precision': 2, 'scale': 3}}}",
	REX_ERR_DEFINITION, "columns.price.scale", "scale (3) is greater than precision (2)", NULL},
	{"precision 0", "users", "{'columns': {" ID ", 'price': {'type': 'decimal', 'precision': 0}}}",
	REX_ERR_DEFINITION, "columns.price.precision", "expected an integer from 1 to 1000", NULL},
	{"precision 1001", "users", "{'columns': {" ID ", 'price': {'type': 'decimal', 'precision': 1001}}}",
	REX_ERR_DEFINITION, "columns.price.precision", "expected an integer from 1 to 1000", NULL},
	{"negative scale", "users",
		"{'columns': {" ID ", 'price': {'type': 'decimal', 'precision': 5, 'scale': -1}}}",
	REX_ERR_DEFINITION, "columns.price.scale", "expected an integer from 0 to 1000", NULL},
	{"precision as a string", "users",
		"{'columns': {" ID ", 'price': {'type': 'decimal', 'precision': '10'}}}",
	REX_ERR_DEFINITION, "columns.price.precision", "got a string", NULL},
	{"values on string", "users", "{'columns': {" ID ", 'name': {'type': 'string', 'values': ['a']}}}",
	REX_ERR_DEFINITION, "columns.name.values", "values does not apply to type \"string\"", NULL},

	/* enums */
	{"an enum without values", "users", "{'columns': {" ID ", 'role': {'type': 'enum'}}}",
	REX_ERR_DEFINITION, "columns.role", "an enum column needs \"values\"", NULL},
	{"enum values that are a string", "users",
		"{'columns': {" ID ", 'role': {'type': 'enum', 'values': 'admin'}}}",
	REX_ERR_DEFINITION, "columns.role.values", "expected a non-empty array of strings, got a string", NULL},
	{"an empty enum", "users", "{'columns': {" ID ", 'role': {'type': 'enum', 'values': []}}}",
	REX_ERR_DEFINITION, "columns.role.values", "got an empty array", NULL},
	{"an enum value that is a number", "users",
		"{'columns': {" ID ", 'role': {'type': 'enum', 'values': ['a', 1]}}}",
	REX_ERR_DEFINITION, "columns.role.values[1]", "expected a string of 1 to 255 bytes, got a number", NULL},
	{"an empty enum value", "users", "{'columns': {" ID ", 'role': {'type': 'enum', 'values': ['']}}}",
	REX_ERR_DEFINITION, "columns.role.values[0]", "got a string of another length", NULL},
	{"an enum value of 256 bytes", "users",
		"{'columns': {" ID ", 'role': {'type': 'enum', 'values': ['ok', '"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']}}}",
	REX_ERR_DEFINITION, "columns.role.values[1]", "got a string of another length", NULL},
	{"a duplicate enum value", "users",
		"{'columns': {" ID ", 'role': {'type': 'enum', 'values': ['a', 'b', 'a']}}}",
	REX_ERR_DEFINITION, "columns.role.values[2]", "duplicate enum value \"a\"", NULL},
	{"an enum default outside the values", "users",
		"{'columns': {" ID ", 'role': {'type': 'enum', 'values': ['admin', 'member'], 'default': 'boss'}}}",
	REX_ERR_DEFINITION, "columns.role.default", "\"boss\" is not one of the enum values",
	"The default must be one of \"values\"."},
	{"an enum default that differs in case", "users",
		"{'columns': {" ID ", 'role': {'type': 'enum', 'values': ['admin'], 'default': 'Admin'}}}",
	REX_ERR_DEFINITION, "columns.role.default", "is not one of the enum values", NULL},
	{"an enum default that is a number", "users",
		"{'columns': {" ID ", 'role': {'type': 'enum', 'values': ['a'], 'default': 1}}}",
	REX_ERR_DEFINITION, "columns.role.default", "an enum column needs a string as default, got a number", NULL},

	/* defaults of the wrong type */
	{"a default on an id column", "users", "{'columns': {'id': {'type': 'id', 'default': 1}}}",
	REX_ERR_DEFINITION, "columns.id.default", "an id column cannot have a default",
	"id values are generated"},
	{"a uuid default that is not a UUID", "users",
		"{'columns': {" ID ", 'u': {'type': 'uuid', 'default': 'nope'}}}",
	REX_ERR_DEFINITION, "columns.u.default", "uuid column needs a UUID string", NULL},
	{"a uuid default that is a number", "users",
		"{'columns': {" ID ", 'u': {'type': 'uuid', 'default': 5}}}",
	REX_ERR_DEFINITION, "columns.u.default", "got a number", NULL},
	{"a string default that is a number", "users",
		"{'columns': {" ID ", 's': {'type': 'string', 'default': 5}}}",
	REX_ERR_DEFINITION, "columns.s.default", "a string column needs a string as default, got a number", NULL},
	{"a string default longer than max_length", "users",
		"{'columns': {" ID ", 's': {'type': 'string', 'max_length': 3, 'default': 'abcd'}}}",
	REX_ERR_DEFINITION, "columns.s.default", "the default is longer than max_length (3 characters)", NULL},
	{"a string default of 4 two-byte characters over max_length 3", "users",
		"{'columns': {" ID ", 's': {'type': 'string', 'max_length': 3, 'default': '\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9'}}}",
	REX_ERR_DEFINITION, "columns.s.default", "longer than max_length", NULL},
	{"a text default that is a boolean", "users",
		"{'columns': {" ID ", 't': {'type': 'text', 'default': true}}}",
	REX_ERR_DEFINITION, "columns.t.default", "a text column needs a string as default, got a boolean", NULL},
	{"an integer default that is a string", "users",
		"{'columns': {" ID ", 'n': {'type': 'integer', 'default': '5'}}}",
	REX_ERR_DEFINITION, "columns.n.default",
	"an integer column needs an integer from -2147483648 to 2147483647 as default, got a string", NULL},
	{"an integer default above 2147483647", "users",
		"{'columns': {" ID ", 'n': {'type': 'integer', 'default': 2147483648}}}",
	REX_ERR_DEFINITION, "columns.n.default", "from -2147483648 to 2147483647", NULL},
	{"an integer default below -2147483648", "users",
		"{'columns': {" ID ", 'n': {'type': 'integer', 'default': -2147483649}}}",
	REX_ERR_DEFINITION, "columns.n.default", "from -2147483648 to 2147483647", NULL},
	{"an integer default with a fraction", "users",
		"{'columns': {" ID ", 'n': {'type': 'integer', 'default': 1.5}}}",
	REX_ERR_DEFINITION, "columns.n.default", "got a number", NULL},
	{"a bigint default that is a string", "users",
		"{'columns': {" ID ", 'n': {'type': 'bigint', 'default': '5'}}}",
	REX_ERR_DEFINITION, "columns.n.default", "a bigint column needs an integer as default, got a string", NULL},
	{"a bigint default with a fraction", "users",
		"{'columns': {" ID ", 'n': {'type': 'bigint', 'default': 2.5}}}",
	REX_ERR_DEFINITION, "columns.n.default", "a bigint column needs an integer", NULL},
	{"a float default that is a string", "users",
		"{'columns': {" ID ", 'f': {'type': 'float', 'default': '1.5'}}}",
	REX_ERR_DEFINITION, "columns.f.default", "a float column needs a number as default, got a string", NULL},
	{"a decimal default written as a JSON fraction", "users",
		"{'columns': {" ID ", 'd': {'type': 'decimal', 'default': 1.5}}}",
	REX_ERR_DEFINITION, "columns.d.default", "a decimal column needs a decimal written as a string", NULL},
	{"a decimal default that is not a number", "users",
		"{'columns': {" ID ", 'd': {'type': 'decimal', 'default': 'abc'}}}",
	REX_ERR_DEFINITION, "columns.d.default", "invalid decimal default:", "\"12.50\""},
	{"a decimal default with an exponent", "users",
		"{'columns': {" ID ", 'd': {'type': 'decimal', 'default': '1e3'}}}",
	REX_ERR_DEFINITION, "columns.d.default", "without exponent", NULL},
	{"a decimal default with too many fractional digits", "users",
		"{'columns': {" ID ", 'd': {'type': 'decimal', 'precision': 5, 'scale': 2, 'default': '1.234'}}}",
	REX_ERR_DEFINITION, "columns.d.default", "more fractional digits than the scale allows", NULL},
	{"a decimal default with too many integer digits", "users",
		"{'columns': {" ID ", 'd': {'type': 'decimal', 'precision': 5, 'scale': 2, 'default': 1000}}}",
	REX_ERR_DEFINITION, "columns.d.default", "more integer digits than precision minus scale", NULL},
	{"a boolean default that is a string", "users",
		"{'columns': {" ID ", 'b': {'type': 'boolean', 'default': 'true'}}}",
	REX_ERR_DEFINITION, "columns.b.default", "a boolean column needs true or false as default, got a string", NULL},
	{"a boolean default that is a number", "users",
		"{'columns': {" ID ", 'b': {'type': 'boolean', 'default': 1}}}",
	REX_ERR_DEFINITION, "columns.b.default", "got a number", NULL},
	{"a timestamp default that is a date", "users",
		"{'columns': {" ID ", 't': {'type': 'timestamp', 'default': '2026-01-31'}}}",
	REX_ERR_DEFINITION, "columns.t.default", "a timestamp column needs \"now\" or a UTC timestamp", NULL},
	{"a timestamp default with an offset", "users",
		"{'columns': {" ID ", 't': {'type': 'timestamp', 'default': '2026-01-31T12:00:00+02:00'}}}",
	REX_ERR_DEFINITION, "columns.t.default", "UTC timestamp", NULL},
	{"a timestamp default that is a number", "users",
		"{'columns': {" ID ", 't': {'type': 'timestamp', 'default': 0}}}",
	REX_ERR_DEFINITION, "columns.t.default", "got a number", NULL},
	{"a date default that is not a calendar date", "users",
		"{'columns': {" ID ", 'd': {'type': 'date', 'default': '2026-02-30'}}}",
	REX_ERR_DEFINITION, "columns.d.default", "a date column needs \"now\" or a date", NULL},
	{"a date default of today", "users",
		"{'columns': {" ID ", 'd': {'type': 'date', 'default': 'today'}}}",
	REX_ERR_DEFINITION, "columns.d.default", "a date column needs", NULL},
	{"a bytes default that is not base64", "users",
		"{'columns': {" ID ", 'b': {'type': 'bytes', 'default': 'not base64!'}}}",
	REX_ERR_DEFINITION, "columns.b.default", "a bytes column needs a base64 string as default, got a string", NULL},
	{"a bytes default that is a number", "users",
		"{'columns': {" ID ", 'b': {'type': 'bytes', 'default': 5}}}",
	REX_ERR_DEFINITION, "columns.b.default", "got a number", NULL},

	/* primary keys */
	{"no primary key", "users", "{'columns': {'name': {'type': 'text'}}}", REX_ERR_DEFINITION, "",
	"the entity has no primary key", "Add a column {\"type\": \"id\"}"},
	{"two id columns", "users", "{'columns': {" ID ", 'b_id': {'type': 'id'}}}",
	REX_ERR_DEFINITION, "columns.id", "only one id column (\"b_id\" is one already)",
	"Use \"bigint\""},
	{"the primary key given twice", "users",
		"{'columns': {'code': {'type': 'text', 'primary_key': true}}, 'primary_key': ['code']}",
	REX_ERR_DEFINITION, "primary_key", "the primary key is given twice", NULL},
	{"two columns with primary_key true", "users",
		"{'columns': {'a': {'type': 'text', 'primary_key': true}, 'b': {'type': 'text', 'primary_key': true}}}",
	REX_ERR_DEFINITION, "columns", "more than one column says \"primary_key\": true",
	"composite key"},
	{"a primary key naming an unknown column", "users",
		"{'columns': {'code': {'type': 'text'}}, 'primary_key': 'nope'}",
	REX_ERR_DEFINITION, "primary_key", "unknown column \"nope\"", NULL},
	{"a composite key naming an unknown column", "users",
		"{'columns': {'a': {'type': 'text'}, 'b': {'type': 'text'}}, 'primary_key': ['a', 'B']}",
	REX_ERR_DEFINITION, "primary_key[1]", "unknown column \"B\"", NULL},
	{"a primary key that is a number", "users",
		"{'columns': {'a': {'type': 'text'}}, 'primary_key': 1}",
	REX_ERR_DEFINITION, "primary_key", "expected a column name or an array of column names, got a number", NULL},
	{"an empty primary key", "users", "{'columns': {'a': {'type': 'text'}}, 'primary_key': []}",
	REX_ERR_DEFINITION, "primary_key", "expected 1 to 32 column names", NULL},
	{"a primary key element that is not a string", "users",
		"{'columns': {'a': {'type': 'text'}}, 'primary_key': [['a']]}",
	REX_ERR_DEFINITION, "primary_key[0]", "expected a column name, got an array", NULL},
	{"a primary key listing a column twice", "users",
		"{'columns': {'a': {'type': 'text'}}, 'primary_key': ['a', 'a']}",
	REX_ERR_DEFINITION, "primary_key[1]", "column \"a\" is listed twice", NULL},
	{"an id column that is not the primary key", "users",
		"{'columns': {" ID ", 'code': {'type': 'text'}}, 'primary_key': ['code']}",
	REX_ERR_DEFINITION, "primary_key", "the primary key must be the id column \"id\"",
	"An id column is always the whole primary key"},
	{"an id column in a composite key", "users",
		"{'columns': {" ID ", 'code': {'type': 'text'}}, 'primary_key': ['id', 'code']}",
	REX_ERR_DEFINITION, "primary_key", "the primary key must be the id column", NULL},
	{"a float primary key", "users", "{'columns': {'score': {'type': 'float', 'primary_key': true}}}",
	REX_ERR_DEFINITION, "columns.score", "a float column cannot be part of the primary key",
	"Key columns can be"},
	{"a json column in a composite key", "users",
		"{'columns': {'a': {'type': 'text'}, 'doc': {'type': 'json'}}, 'primary_key': ['a', 'doc']}",
	REX_ERR_DEFINITION, "columns.doc", "a json column cannot be part of the primary key", NULL},
	{"a bytes primary key", "users", "{'columns': {'b': {'type': 'bytes'}}, 'primary_key': 'b'}",
	REX_ERR_DEFINITION, "columns.b", "a bytes column cannot be part of the primary key", NULL},
	{"a boolean primary key", "users", "{'columns': {'b': {'type': 'boolean', 'primary_key': true}}}",
	REX_ERR_DEFINITION, "columns.b", "a boolean column cannot be part of the primary key", NULL},
	{"a nullable column-level primary key", "users",
		"{'columns': {'code': {'type': 'text', 'primary_key': true, 'nullable': true}}}",
	REX_ERR_DEFINITION, "columns.code.nullable", "a primary-key column cannot be nullable",
	"remove \"nullable\""},
	{"a nullable column in a composite key", "users",
		"{'columns': {'a': {'type': 'text'}, 'b': {'type': 'text', 'nullable': true}}, 'primary_key': ['a', 'b']}",
	REX_ERR_DEFINITION, "columns.b.nullable", "a primary-key column cannot be nullable", NULL},
	{"a nullable id column", "users", "{'columns': {'id': {'type': 'id', 'nullable': true}}}",
	REX_ERR_DEFINITION, "columns.id.nullable", "an id column cannot be nullable", NULL},

	/* indexes */
	{"indexes that are an object", "users", "{'columns': {" ID "}, 'indexes': {'columns': ['id']}}",
	REX_ERR_DEFINITION, "indexes", "expected an array of indexes, got an object", NULL},
	{"an index that is a string", "users", "{'columns': {" ID "}, 'indexes': ['id']}",
	REX_ERR_DEFINITION, "indexes[0]", "expected an object, got a string", "{\"columns\": [\"a\", \"b\"]}"},
	{"an index with an unknown key", "users",
		"{'columns': {" ID "}, 'indexes': [{'columns': ['id'], 'where': 'id > 0'}]}",
	REX_ERR_DEFINITION, "indexes[0].where", "unknown key \"where\"", "Accepted keys: columns, unique, name."},
	{"an index without columns", "users", "{'columns': {" ID "}, 'indexes': [{'unique': true}]}",
	REX_ERR_DEFINITION, "indexes[0]", "the index has no \"columns\"", NULL},
	{"an index with no columns", "users", "{'columns': {" ID "}, 'indexes': [{'columns': []}]}",
	REX_ERR_DEFINITION, "indexes[0].columns", "expected 1 to 32 column names", NULL},
	{"index columns that are a number", "users", "{'columns': {" ID "}, 'indexes': [{'columns': 5}]}",
	REX_ERR_DEFINITION, "indexes[0].columns", "got a number", NULL},
	{"an index on an unknown column", "users",
		"{'columns': {" ID ", 'a': {'type': 'text'}}, 'indexes': [{'columns': ['a']}, {'columns': ['nope']}]}",
	REX_ERR_DEFINITION, "indexes[1].columns[0]", "unknown column \"nope\"", NULL},
	{"an index on a column given as a string that is unknown", "users",
		"{'columns': {" ID "}, 'indexes': [{'columns': 'nope'}]}",
	REX_ERR_DEFINITION, "indexes[0].columns", "unknown column \"nope\"", NULL},
	{"an index listing a column twice", "users",
		"{'columns': {" ID ", 'a': {'type': 'text'}}, 'indexes': [{'columns': ['a', 'a']}]}",
	REX_ERR_DEFINITION, "indexes[0].columns[1]", "column \"a\" is listed twice", NULL},
	{"index unique that is not a boolean", "users",
		"{'columns': {" ID ", 'a': {'type': 'text'}}, 'indexes': [{'columns': ['a'], 'unique': 'yes'}]}",
	REX_ERR_DEFINITION, "indexes[0].unique", "expected a boolean, got a string", NULL},
	{"an index name that is not a string", "users",
		"{'columns': {" ID ", 'a': {'type': 'text'}}, 'indexes': [{'columns': ['a'], 'name': 5}]}",
	REX_ERR_DEFINITION, "indexes[0].name", "expected a string, got a number", NULL},
	{"an index name with reserved prefix pg_", "users",
		"{'columns': {" ID ", 'a': {'type': 'text'}}, 'indexes': [{'columns': ['a'], 'name': 'pg_a'}]}",
	REX_ERR_DEFINITION, "indexes[0].name", "reserved", NULL},
	{"an index name of 64 bytes", "users",
		"{'columns': {" ID ", 'a': {'type': 'text'}}, 'indexes': [{'columns': ['a'], 'name': '" N64 "'}]}",
	REX_ERR_DEFINITION, "indexes[0].name", "longer than 63", NULL},
	{"an index name with an injection attempt", "users",
		"{'columns': {" ID ", 'a': {'type': 'text'}}, 'indexes': [{'columns': ['a'], 'name': '" INJECT "'}]}",
	REX_ERR_DEFINITION, "indexes[0].name", "other than an ASCII letter", NULL},
	{"two indexes on the same columns", "users",
		"{'columns': {" ID ", 'a': {'type': 'text'}, 'b': {'type': 'text'}}, "
		"'indexes': [{'columns': ['a', 'b']}, {'columns': ['a', 'b'], 'unique': true}]}",
	REX_ERR_DEFINITION, "indexes[1]", "duplicate index on the same columns as \"users_a_b_idx\"", NULL},
	{"an index repeating a unique column", "users",
		"{'columns': {" ID ", 'email': {'type': 'text', 'unique': true}}, 'indexes': [{'columns': 'email'}]}",
	REX_ERR_DEFINITION, "indexes[0]", "duplicate index on the same columns as \"users_email_key\"",
	"\"unique\": true already makes this index"},
	{"two index names differing only in case", "users",
		"{'columns': {" ID ", 'a': {'type': 'text'}, 'b': {'type': 'text'}}, "
		"'indexes': [{'columns': ['a'], 'name': 'ix'}, {'columns': ['b'], 'name': 'IX'}]}",
	REX_ERR_DEFINITION, "indexes[1]", "duplicate index name \"IX\"", NULL},
	{"an index name equal to a generated one", "users",
		"{'columns': {" ID ", 'email': {'type': 'text', 'unique': true}, 'b': {'type': 'text'}}, "
		"'indexes': [{'columns': ['b'], 'name': 'users_email_key'}]}",
	REX_ERR_DEFINITION, "indexes[0]", "duplicate index name \"users_email_key\"", NULL},
};

/* Runs one refusal case (see the file header). */
static void
test_refusal(void **state)
{
	const refusal *r = unit_param(state);
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_entity *e = NULL;
	json_t	   *canon = NULL;
	rex_status	st;
	const char *prefix;

	st = rex_definition_parse(ctx, r->entity, unit_q(ctx, r->def), &e, &canon);
	assert_status(ctx, st, r->status);
	assert_null(e);
	assert_null(canon);
	assert_non_null(ctx->err.message);
	if (r->path == NULL)
		prefix = rex_psprintf(ctx, "invalid entity name \"%s\": ", r->entity);
	else if (*r->path == '\0')
		prefix = rex_psprintf(ctx, "entity \"%s\": ", r->entity);
	else
		prefix = rex_psprintf(ctx, "entity \"%s\": %s: ", r->entity, r->path);
	if (strncmp(ctx->err.message, prefix, strlen(prefix)) != 0)
		unit_fail("message should start with\n  %s\nbut is\n  %s", prefix, ctx->err.message);
	assert_contains(ctx->err.message + strlen(prefix), r->what);
	if (r->hint)
		assert_contains(ctx->err.hint, r->hint);
	/* short, lower case, no final period (PostgreSQL's style) */
	assert_true(ctx->err.message[strlen(ctx->err.message) - 1] != '.');
	if (r->status == REX_ERR_JSON)
		assert_contains(ctx->err.detail, "line 1, column");
}

/* ---------------------------------------------------------------- */
/* limits that need generated definitions */

/* {"columns": {"id": {"type": "id"}, "c1": {"type": "text"}, ...}} */
static const char *
many_columns(rex_ctx *ctx, int n, const char *extra)
{
	rex_buf		b;
	int			i;

	rex_buf_init(&b, ctx);
	rex_buf_append(&b, "{\"columns\": {\"id\": {\"type\": \"id\"}");
	for (i = 1; i < n; i++)
		rex_buf_printf(&b, ", \"c%d\": {\"type\": \"text\"}", i);
	rex_buf_printf(&b, "}%s}", extra);
	assert_true(rex_buf_ok(&b));
	return b.data;
}

static void
test_column_limit(void **state)
{
	rex_ctx    *ok = unit_fix(state)->pg;
	rex_ctx    *bad = unit_fix(state)->sqlite;
	rex_entity *e;
	rex_status	st;

	e = parse_ok(ok, "wide", many_columns(ok, 1600, ""), NULL);
	assert_int_equal(e->ncolumns, 1600);
	st = rex_definition_parse(bad, "wide", many_columns(bad, 1601, ""), &e, NULL);
	assert_status(bad, st, REX_ERR_DEFINITION);
	assert_string_equal(bad->err.message, "entity \"wide\": columns: an entity can have at most 1600 columns");
}

/* An index or key may have 32 columns, not 33. */
static void
test_index_column_limit(void **state)
{
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_ctx    *bad = unit_fix(state)->sqlite;
	rex_ctx    *bad2 = unit_ctx(state, &rex_dialect_pg);
	rex_buf		idx;
	rex_entity *e;
	rex_status	st;
	int			i;

	rex_buf_init(&idx, ctx);
	rex_buf_append(&idx, ", \"indexes\": [{\"columns\": [\"c1\"");
	for (i = 2; i <= 32; i++)
		rex_buf_printf(&idx, ", \"c%d\"", i);
	rex_buf_append(&idx, "]}]");
	e = parse_ok(ctx, "wide", many_columns(ctx, 40, idx.data), NULL);
	assert_int_equal(e->nindexes, 1);
	assert_int_equal(e->indexes[0].ncolumns, 32);
	/* the generated name is shortened to 63 bytes */
	assert_int_equal(strlen(e->indexes[0].name), 63);
	assert_true(strncmp(e->indexes[0].name, "wide_c1_c2_c3_", 14) == 0);

	rex_buf_reset(&idx);
	rex_buf_append(&idx, ", \"indexes\": [{\"columns\": [\"c1\"");
	for (i = 2; i <= 33; i++)
		rex_buf_printf(&idx, ", \"c%d\"", i);
	rex_buf_append(&idx, "]}]");
	st = rex_definition_parse(bad, "wide", many_columns(bad, 40, idx.data), &e, NULL);
	assert_status(bad, st, REX_ERR_DEFINITION);
	assert_string_equal(bad->err.message,
						"entity \"wide\": indexes[0].columns: expected 1 to 32 column names");

	/* the same limit for a composite primary key */
	rex_buf_reset(&idx);
	rex_buf_append(&idx, "{\"columns\": {\"c0\": {\"type\": \"text\"}");
	for (i = 1; i <= 32; i++)
		rex_buf_printf(&idx, ", \"c%d\": {\"type\": \"text\"}", i);
	rex_buf_append(&idx, "}, \"primary_key\": [\"c0\"");
	for (i = 1; i <= 32; i++)
		rex_buf_printf(&idx, ", \"c%d\"", i);
	rex_buf_append(&idx, "]}");
	st = rex_definition_parse(bad2, "keyed", idx.data, &e, NULL);
	assert_status(bad2, st, REX_ERR_DEFINITION);
	assert_string_equal(bad2->err.message,
						"entity \"keyed\": primary_key: expected 1 to 32 column names");
}

/* Values at the edge of what is accepted. */
static void
test_accepted_boundaries(void **state)
{
	static const char limits[] =
	"{'table': '" N63 "', 'columns': {" ID ", '" N63 "': {'type': 'text'}, "
	"'_private': {'type': 'text'}, 'rex_note': {'type': 'text'}, "
	"'CamelCase': {'type': 'text'}, 'select': {'type': 'text'}, "
	"'s': {'type': 'string', 'max_length': 10485760}, "
	"'d': {'type': 'decimal', 'precision': 1000, 'scale': 1000}, "
	"'d0': {'type': 'decimal', 'precision': 1, 'scale': 0}, "
	"'u': {'type': 'string', 'max_length': 3, 'default': '\xc3\xa9\xc3\xa9\xc3\xa9'}, "
	"'n': {'type': 'integer', 'default': -2147483648}, "
	"'x': {'type': 'integer', 'default': 2147483647}, "
	"'big': {'type': 'bigint', 'default': 9223372036854775807}, "
	"'f': {'type': 'float', 'default': 3}, "
	"'nothing': {'type': 'text', 'default': null}}, "
	"'indexes': [{'columns': ['s'], 'name': '" N63B "'}]}";
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_entity *e;
	const rex_column *c;
	char		v255[256];
	const char *def;

	e = parse_ok(ctx, N63, unit_q(ctx, limits), NULL);
	assert_string_equal(e->table, N63);
	assert_int_equal(e->ncolumns, 15);
	assert_string_equal(e->indexes[0].name, N63B);
	c = rex_entity_column(e, "s");
	assert_non_null(c);
	assert_int_equal(c->max_length, 10485760);
	c = rex_entity_column(e, "d");
	assert_int_equal(c->precision, 1000);
	assert_int_equal(c->scale, 1000);
	/* three characters fit max_length 3 even in six bytes */
	c = rex_entity_column(e, "u");
	assert_string_equal(json_string_value(c->default_value), "\xc3\xa9\xc3\xa9\xc3\xa9");
	c = rex_entity_column(e, "big");
	assert_true(json_integer_value(c->default_value) == INT64_MAX);
	/* a JSON integer default of a float column becomes a real */
	c = rex_entity_column(e, "f");
	assert_true(json_is_real(c->default_value));
	/* "default": null is no default */
	c = rex_entity_column(e, "nothing");
	assert_int_equal(c->default_kind, REX_DEFAULT_NONE);
	assert_null(rex_entity_column(e, "absent"));

	/* an enum value of 255 bytes */
	memset(v255, 'v', 255);
	v255[255] = '\0';
	def = rex_psprintf(ctx, "{\"columns\": {\"id\": {\"type\": \"id\"}, \"e\": {\"type\": \"enum\", "
					   "\"values\": [\"%s\"], \"default\": \"%s\"}}}", v255, v255);
	e = parse_ok(ctx, "enums", def, NULL);
	c = rex_entity_column(e, "e");
	assert_int_equal(c->n_enum_values, 1);
	assert_int_equal(strlen(c->enum_values[0]), 255);
}

/* What the parser fills in for the simplest definitions. */
static void
test_model(void **state)
{
	static const char users[] =
	"{'columns': {'id': {'type': 'id'}, 'email': {'type': 'string', 'unique': true, "
	"'nullable': false, 'description': 'Where we write'}, "
	"'token': {'type': 'uuid'}, 'at': {'type': 'timestamp', 'default': 'now'}}}";
	static const char tokens[] = "{'columns': {'t': {'type': 'uuid', 'primary_key': true}}}";
	static const char pairs[] =
	"{'columns': {'a': {'type': 'uuid'}, 'b': {'type': 'uuid'}}, 'primary_key': ['a', 'b']}";
	static const char fixed[] =
	"{'columns': {'t': {'type': 'uuid', 'primary_key': true, "
	"'default': '123e4567-e89b-12d3-a456-426614174000'}}}";
	rex_ctx    *ctx = unit_fix(state)->pg;
	rex_entity *e;
	const rex_column *c;

	e = parse_ok(ctx, "users", unit_q(ctx, users), NULL);
	assert_string_equal(e->name, "users");
	assert_string_equal(e->table, "users");
	assert_null(e->description);
	assert_false(e->columns_as_array);
	assert_int_equal(e->npk, 1);
	assert_string_equal(e->primary_key[0], "id");
	c = rex_entity_column(e, "id");
	assert_int_equal(c->type, REX_T_ID);
	assert_false(c->nullable);
	assert_int_equal(c->default_kind, REX_DEFAULT_GENERATED);
	c = rex_entity_column(e, "email");
	assert_int_equal(c->type, REX_T_STRING);
	assert_false(c->nullable);
	assert_true(c->unique);
	assert_int_equal(c->max_length, 0);
	assert_string_equal(c->description, "Where we write");
	/* a uuid that is not the key is not generated */
	c = rex_entity_column(e, "token");
	assert_true(c->nullable);
	assert_int_equal(c->default_kind, REX_DEFAULT_NONE);
	c = rex_entity_column(e, "at");
	assert_int_equal(c->default_kind, REX_DEFAULT_NOW);
	/* the unique column's index */
	assert_int_equal(e->nindexes, 1);
	assert_string_equal(e->indexes[0].name, "users_email_key");
	assert_true(e->indexes[0].unique);
	assert_true(e->indexes[0].from_column);
	assert_string_equal(e->indexes[0].columns[0], "email");

	/* a uuid primary key is generated; a composite one is not */
	e = parse_ok(ctx, "tokens", unit_q(ctx, tokens), NULL);
	assert_int_equal(rex_entity_column(e, "t")->default_kind, REX_DEFAULT_GENERATED);
	assert_false(rex_entity_column(e, "t")->nullable);
	e = parse_ok(ctx, "pairs", unit_q(ctx, pairs), NULL);
	assert_int_equal(rex_entity_column(e, "a")->default_kind, REX_DEFAULT_NONE);
	assert_false(rex_entity_column(e, "a")->nullable);
	assert_false(rex_entity_column(e, "b")->nullable);
	/* a key column with an explicit uuid default keeps it */
	e = parse_ok(ctx, "fixed", unit_q(ctx, fixed), NULL);
	assert_int_equal(rex_entity_column(e, "t")->default_kind, REX_DEFAULT_VALUE);
}

void
unit_register_definition(unit_suite *s)
{
	size_t		i;
	char		name[256];

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
	{
		snprintf(name, sizeof(name), "definition refuses: %s", refusals[i].label);
		unit_add(s, name, test_refusal, &refusals[i]);
	}
	unit_add(s, "definition: 1600 columns accepted, 1601 refused", test_column_limit, NULL);
	unit_add(s, "definition: 32 index and key columns accepted, 33 refused",
			 test_index_column_limit, NULL);
	unit_add(s, "definition: names, lengths, precisions and defaults at their limits accepted",
			 test_accepted_boundaries, NULL);
	unit_add(s, "definition: the model filled in (keys, defaults, unique indexes)", test_model, NULL);
}
