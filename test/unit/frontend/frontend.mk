# test/unit/frontend/frontend.mk -- the stand-in runner for the GraphQL
# front end and query-language unit tests (see unit.h in this directory),
# for trees without the full unit-test harness (test/unit/unit.mk).  Run
# from the repository root:
#
#   make -f test/unit/frontend/frontend.mk       builds build/unit-frontend/rex_unit_frontend
#
# Only the core files the front end needs are linked: it runs no SQL, so
# no engine is needed.

CC ?= gcc

FE_DIR := build/unit-frontend
FE_BIN := $(FE_DIR)/rex_unit_frontend
FE_CORE := $(sort $(wildcard common/graphql_*.c common/query_*.c)) \
	common/ctx.c common/rex_buf.c common/json_util.c common/definition.c \
	common/defparse.c common/ident.c common/values.c common/sha256.c \
	common/dialect.c common/dialect_pg.c common/dialect_sqlite.c
FE_TESTS := $(sort $(wildcard test/unit/test_graphql_*.c test/unit/test_query_*.c)) test/unit/gql_test_schema.c \
	$(wildcard test/unit/frontend/*.c)
FE_OBJ := $(patsubst %.c,$(FE_DIR)/%.o,$(FE_CORE) $(FE_TESTS))

WARNINGS = -Wall -Wextra -Werror -Wdeclaration-after-statement \
	-Wmissing-prototypes -Werror=vla -Wpointer-arith -Wformat-security
FE_CFLAGS = -std=gnu99 -O1 -g $(WARNINGS) -Icommon -Itest/unit/frontend -Itest/unit $(EXTRA_CFLAGS)
FE_LIBS = -lcmocka -ljansson -lcrypto

.PHONY: all clean

all: $(FE_BIN)

$(FE_BIN): $(FE_OBJ)
	$(CC) -o $@ $^ $(FE_LIBS) $(EXTRA_LDFLAGS)

$(FE_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(FE_CFLAGS) -MMD -MP -c $< -o $@

-include $(FE_OBJ:.o=.d)

clean:
	rm -rf $(FE_DIR)
