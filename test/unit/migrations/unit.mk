# test/unit/migrations/unit.mk -- unit tests of the migration core
# (differ, conversions, alter planners of both dialects, rebuild SQL,
# script lexer, versions) in plain C with cmocka and a scripted engine.
# Run from the repository root:  make -f test/unit/migrations/unit.mk run
CC ?= gcc
DIR := build/unit-migrations
BIN := $(DIR)/rex_unit_migrations
COMMON_SRC := $(sort $(wildcard common/*.c))
TEST_SRC := $(sort $(wildcard test/unit/migrations/*.c))
OBJ := $(patsubst %.c,$(DIR)/%.o,$(COMMON_SRC) $(TEST_SRC))
WARNINGS = -Wall -Wextra -Werror -Wdeclaration-after-statement \
	-Wmissing-prototypes -Werror=vla -Wpointer-arith -Wformat-security
CFLAGS_UNIT = -std=gnu99 -O1 -g $(WARNINGS) -Icommon -Itest/unit/migrations $(EXTRA_CFLAGS)

.PHONY: all run clean
all: $(BIN)
$(BIN): $(OBJ)
	$(CC) -o $@ $^ -lcmocka -ljansson -lcrypto -lpcre2-8 $(EXTRA_LDFLAGS)
$(DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_UNIT) -MMD -MP -c $< -o $@
-include $(OBJ:.o=.d)
run: $(BIN)
	$(BIN)
clean:
	rm -rf $(DIR)
