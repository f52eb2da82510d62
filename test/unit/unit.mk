# test/unit/unit.mk -- the core unit tests of rex_orm: common/ in plain C
# with cmocka, a fake engine and no database.  Run from the repository root:
#
#   make -f test/unit/unit.mk            builds build/unit/rex_unit
#   make -f test/unit/unit.mk run        runs it; CMOCKA_MESSAGE_OUTPUT=TAP
#                                        makes the output TAP
#   make -f test/unit/unit.mk valgrind   runs it under valgrind (leaks and
#                                        memory errors fail the target)
#   make -f test/unit/unit.mk clean
#
# Variables: REX_UNIT_FILTER=PATTERN runs only the tests whose name matches
# (cmocka's filter, '*' and '?' wildcards); REX_UNIT_LOG=1 lets
# rex_host_log write to stderr.
#
# The objects go to build/unit/, apart from the SQLite and PostgreSQL
# builds, which compile the same sources with other flags.

CC ?= gcc
VALGRIND ?= valgrind

UNIT_DIR := build/unit
UNIT_BIN := $(UNIT_DIR)/rex_unit
COMMON_SRC := $(sort $(wildcard common/*.c))
UNIT_SRC := $(sort $(wildcard test/unit/*.c))
UNIT_OBJ := $(patsubst %.c,$(UNIT_DIR)/%.o,$(COMMON_SRC) $(UNIT_SRC))

WARNINGS = -Wall -Wextra -Werror -Wdeclaration-after-statement \
	-Wmissing-prototypes -Werror=vla -Wpointer-arith -Wformat-security
UNIT_CFLAGS = -std=gnu99 -O1 -g $(WARNINGS) -Icommon -Itest/unit $(EXTRA_CFLAGS)
UNIT_LIBS = -lcmocka -ljansson -lcrypto -lpcre2-8

.PHONY: all run valgrind clean

all: $(UNIT_BIN)

$(UNIT_BIN): $(UNIT_OBJ)
	$(CC) -o $@ $^ $(UNIT_LIBS) $(EXTRA_LDFLAGS)

$(UNIT_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@

-include $(UNIT_OBJ:.o=.d)

run: $(UNIT_BIN)
	$(UNIT_BIN)

valgrind: $(UNIT_BIN)
	$(VALGRIND) -q --leak-check=full --error-exitcode=1 $(UNIT_BIN)

clean:
	rm -rf $(UNIT_DIR)
