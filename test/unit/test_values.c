/*
 * test_values.c
 *		Unit tests of values.c: canonical UUIDs, timestamps, dates and
 *		decimals, UTF-8 length and base64 length, at their boundaries.
 */
#include "unit.h"
#include "values.h"

#include <stdio.h>

/* One input and its expected canonical form (NULL: refused). */
typedef struct canon_case
{
	const char *in;
	const char *out;
} canon_case;

static void
check_case(const char *what, const char *in, const char *want, bool ok,
		   const char *got)
{
	if (want == NULL && !ok)
		return;
	if (want && ok && strcmp(want, got) == 0)
		return;
	unit_diag("%s(\"%s\"): expected %s%s%s, got %s%s%s\n", what, in,
				want ? "\"" : "", want ? want : "refusal", want ? "\"" : "",
				ok ? "\"" : "", ok ? got : "refusal", ok ? "\"" : "");
	fail();
}

static void
test_uuid(void **state)
{
	static const canon_case cases[] = {
		{"123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-426614174000"},
		{"123E4567-E89B-12D3-A456-42661417400F", "123e4567-e89b-12d3-a456-42661417400f"},
		{"00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000"},
		{"ffffffff-ffff-ffff-ffff-ffffffffffff", "ffffffff-ffff-ffff-ffff-ffffffffffff"},
		{"123e4567e89b12d3a456426614174000", NULL},	/* no dashes */
		{"{123e4567-e89b-12d3-a456-426614174000}", NULL},
		{"123e4567-e89b-12d3-a456-42661417400", NULL},	/* 35 */
		{"123e4567-e89b-12d3-a456-4266141740000", NULL},	/* 37 */
		{"123e4567-e89b-12d3-a456_426614174000", NULL},
		{"123e456-7e89b-12d3-a456-426614174000", NULL},	/* dash moved */
		{"g23e4567-e89b-12d3-a456-426614174000", NULL},
		{"123e4567-e89b-12d3-a456-42661417400 ", NULL},
		{"", NULL},
	};
	size_t		i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char		out[37] = "";
		bool		ok = rex_uuid_canonical(cases[i].in, out);

		check_case("rex_uuid_canonical", cases[i].in, cases[i].out, ok, out);
	}
}

static void
test_timestamp(void **state)
{
	static const canon_case cases[] = {
		{"2026-01-31T12:00:00Z", "2026-01-31T12:00:00.000Z"},
		{"2026-01-31T12:00:00.5Z", "2026-01-31T12:00:00.500Z"},
		{"2026-01-31T12:00:00.05Z", "2026-01-31T12:00:00.050Z"},
		{"2026-01-31T12:00:00.123Z", "2026-01-31T12:00:00.123Z"},
		{"2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999Z"},
		{"0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"},
		{"9999-12-31T23:59:59Z", "9999-12-31T23:59:59.000Z"},
		{"2026-01-31T12:00:00.1234Z", NULL},	/* more than milliseconds */
		{"2026-01-31T12:00:00.Z", NULL},
		{"2026-01-31T12:00:00", NULL},	/* no zone */
		{"2026-01-31T12:00:00+00:00", NULL},	/* offsets are not UTC text */
		{"2026-01-31T12:00:00z", NULL},
		{"2026-01-31 12:00:00Z", NULL},
		{"2026-01-31t12:00:00Z", NULL},
		{"2026-01-31T24:00:00Z", NULL},
		{"2026-01-31T23:60:00Z", NULL},
		{"2026-01-31T23:59:60Z", NULL},	/* no leap seconds */
		{"2023-02-29T00:00:00Z", NULL},
		{"2026-13-01T00:00:00Z", NULL},
		{"0000-01-01T00:00:00Z", NULL},
		{"2026-01-31T12:00:00.12aZ", NULL},
		{"2026-01-31T1:00:00Z", NULL},
		{"2026-01-31T12:00:00ZZ", NULL},
		{"now", NULL},
		{"", NULL},
	};
	size_t		i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char		out[25] = "";
		bool		ok = rex_timestamp_canonical(cases[i].in, out);

		check_case("rex_timestamp_canonical", cases[i].in, cases[i].out, ok, out);
	}
}

static void
test_date(void **state)
{
	static const struct
	{
		const char *in;
		bool		valid;
	}			cases[] = {
		{"2026-01-31", true},
		{"2024-02-29", true},	/* leap year */
		{"2000-02-29", true},	/* divisible by 400 */
		{"1900-02-29", false},	/* divisible by 100 only */
		{"2023-02-29", false},
		{"2023-02-28", true},
		{"2024-04-30", true},
		{"2024-04-31", false},
		{"2024-12-31", true},
		{"2024-13-01", false},
		{"2024-00-10", false},
		{"2024-01-00", false},
		{"2024-01-32", false},
		{"0001-01-01", true},
		{"0000-01-01", false},
		{"9999-12-31", true},
		{"2024-1-01", false},
		{"24-01-01", false},
		{"2024/01/01", false},
		{"2024-01-01T00:00:00Z", false},
		{"2024-01-01 ", false},
		{"", false},
	};
	size_t		i;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (rex_date_valid(cases[i].in) != cases[i].valid)
			unit_fail("rex_date_valid(\"%s\") should be %s", cases[i].in,
					 cases[i].valid ? "true" : "false");
}

static void
test_decimal(void **state)
{
	static const struct
	{
		const char *in;
		int			precision;
		int			scale;
		const char *out;		/* NULL: refused */
		const char *why;		/* part of the reason when refused */
	}			cases[] = {
		/* unconstrained: the fraction is kept as written */
		{"0", 0, 0, "0", NULL},
		{"7", 0, 0, "7", NULL},
		{"-7", 0, 0, "-7", NULL},
		{"1.50", 0, 0, "1.50", NULL},
		{"007.10", 0, 0, "7.10", NULL},
		{"-0", 0, 0, "0", NULL},
		{"-0.00", 0, 0, "0.00", NULL},
		{"-000", 0, 0, "0", NULL},
		{"0.001", 0, 0, "0.001", NULL},
		{"123456789012345678901234567890.123456789", 0, 0,
		"123456789012345678901234567890.123456789", NULL},
		/* numeric(10,2) */
		{"12.5", 10, 2, "12.50", NULL},
		{"12", 10, 2, "12.00", NULL},
		{"12.500", 10, 2, "12.50", NULL},	/* trailing zeros dropped */
		{"12.505", 10, 2, NULL, "fractional digits"},	/* never rounded */
		{"99999999.99", 10, 2, "99999999.99", NULL},
		{"100000000", 10, 2, NULL, "integer digits"},
		{"-99999999.99", 10, 2, "-99999999.99", NULL},
		{"0.5", 10, 2, "0.50", NULL},
		{"-0.0", 10, 2, "0.00", NULL},
		/* numeric(2,2): only the zero integer part fits */
		{"0.99", 2, 2, "0.99", NULL},
		{"1.0", 2, 2, NULL, "integer digits"},
		/* numeric(5,0) */
		{"99999", 5, 0, "99999", NULL},
		{"100000", 5, 0, NULL, "integer digits"},
		{"5.0", 5, 0, "5", NULL},
		{"5.5", 5, 0, NULL, "fractional digits"},
		{"000123", 5, 0, "123", NULL},
		/* not decimals */
		{"", 0, 0, NULL, "digits"},
		{"-", 0, 0, NULL, "digits"},
		{"+5", 0, 0, NULL, "digits"},
		{".5", 0, 0, NULL, "digits"},
		{"5.", 0, 0, NULL, "decimal point"},
		{"1e5", 0, 0, NULL, "exponent"},
		{"1.2.3", 0, 0, NULL, "digits"},
		{" 1", 0, 0, NULL, "digits"},
		{"1 ", 0, 0, NULL, "digits"},
		{"NaN", 0, 0, NULL, "digits"},
		{"0x10", 0, 0, NULL, "digits"},
	};
	rex_ctx    *ctx = unit_fix(state)->pg;
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const char *why = NULL;
		char	   *got = rex_decimal_canonical(ctx, cases[i].in, cases[i].precision,
												cases[i].scale, &why);

		if (cases[i].out && (got == NULL || strcmp(got, cases[i].out) != 0))
			unit_fail("decimal(\"%s\", %d, %d): expected \"%s\", got %s (%s)", cases[i].in,
					 cases[i].precision, cases[i].scale, cases[i].out,
					 got ? got : "refusal", why ? why : "");
		if (cases[i].out == NULL && got != NULL)
			unit_fail("decimal(\"%s\", %d, %d): expected a refusal, got \"%s\"",
					 cases[i].in, cases[i].precision, cases[i].scale, got);
		if (cases[i].out == NULL)
		{
			assert_non_null(why);
			assert_contains(why, cases[i].why);
		}
	}
	assert_int_equal(ctx->err.status, REX_OK);
}

static void
test_utf8_length(void **state)
{
	(void) state;
	assert_int_equal(rex_utf8_length(""), 0);
	assert_int_equal(rex_utf8_length("abc"), 3);
	assert_int_equal(rex_utf8_length("h\xc3\xa9llo"), 5);	/* héllo */
	assert_int_equal(rex_utf8_length("\xe2\x82\xac"), 1);	/* euro sign */
	assert_int_equal(rex_utf8_length("\xf0\x9f\x98\x80!"), 2);	/* emoji + ! */
}

static void
test_base64_length(void **state)
{
	(void) state;
	assert_int_equal(rex_base64_decoded_length(""), 0);
	assert_int_equal(rex_base64_decoded_length("AA=="), 1);
	assert_int_equal(rex_base64_decoded_length("AAE="), 2);
	assert_int_equal(rex_base64_decoded_length("AAEC"), 3);
	assert_int_equal(rex_base64_decoded_length("AAEC/w=="), 4);
	assert_int_equal(rex_base64_decoded_length("aGVsbG8gd29ybGQ+Pz8/"), 15);
	assert_int_equal(rex_base64_decoded_length("AAE"), -1);	/* not a multiple of 4 */
	assert_int_equal(rex_base64_decoded_length("A==="), -1);
	assert_int_equal(rex_base64_decoded_length("===="), -1);
	assert_int_equal(rex_base64_decoded_length("AA=A"), -1);	/* data after padding */
	assert_int_equal(rex_base64_decoded_length("AA-_"), -1);	/* base64url is not base64 */
	assert_int_equal(rex_base64_decoded_length("AA E"), -1);
}

void
unit_register_values(unit_suite *s)
{
	unit_add(s, "values: UUID canonical form and refusals", test_uuid, NULL);
	unit_add(s, "values: timestamp canonical form and refusals", test_timestamp, NULL);
	unit_add(s, "values: calendar dates, leap years included", test_date, NULL);
	unit_add(s, "values: decimal canonicalisation at precision and scale bounds", test_decimal, NULL);
	unit_add(s, "values: UTF-8 length counts code points", test_utf8_length, NULL);
	unit_add(s, "values: base64 decoded length and refusals", test_base64_length, NULL);
}
