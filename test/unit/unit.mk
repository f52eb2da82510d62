# test/unit/unit.mk -- STAND-IN for the core unit-test harness, which is
# being built on main at the same time as this branch.  It builds the
# GraphQL front end and query-language unit tests (test/unit/test_graphql_*.c,
# test/unit/test_query_*.c, test/unit/gql_test_schema.c) with the minimal
# runner of test/unit/frontend/ into build/unit/rex_unit, the binary
# test/run.sh runs.
#
# When merging with main: keep main's unit.mk (and drop test/unit/frontend/);
# main's unit.mk compiles these test files too, and its unit_main.c needs
#   #include "test_frontend.h"   and   REX_UNIT_REGISTER_FRONTEND(&s);
#
# Only the core files the front end needs are linked: it runs no SQL, so
# no engine is needed.

CC ?= gcc

UNIT_DIR := build/unit
UNIT_BIN := $(UNIT_DIR)/rex_unit
FE_CORE := $(sort $(wildcard common/graphql_*.c common/query_*.c)) \
	common/ctx.c common/rex_buf.c common/json_util.c common/definition.c \
	common/defparse.c common/ident.c common/values.c common/sha256.c \
	common/dialect.c common/dialect_pg.c common/dialect_sqlite.c
FE_TESTS := $(sort $(wildcard test/unit/*.c test/unit/frontend/*.c))
FE_OBJ := $(patsubst %.c,$(UNIT_DIR)/%.o,$(FE_CORE) $(FE_TESTS))

WARNINGS = -Wall -Wextra -Werror -Wdeclaration-after-statement \
	-Wmissing-prototypes -Werror=vla -Wpointer-arith -Wformat-security
FE_CFLAGS = -std=gnu99 -O1 -g $(WARNINGS) -Icommon -Itest/unit/frontend -Itest/unit $(EXTRA_CFLAGS)
FE_LIBS = -lcmocka -ljansson -lcrypto

.PHONY: all run valgrind clean

all: $(UNIT_BIN)

$(UNIT_BIN): $(FE_OBJ)
	$(CC) -o $@ $^ $(FE_LIBS) $(EXTRA_LDFLAGS)

$(UNIT_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(FE_CFLAGS) -MMD -MP -c $< -o $@

-include $(FE_OBJ:.o=.d)

run: $(UNIT_BIN)
	$(UNIT_BIN)

valgrind: $(UNIT_BIN)
	valgrind -q --leak-check=full --error-exitcode=1 $(UNIT_BIN)

clean:
	rm -rf $(UNIT_DIR)
