# test/fuzz/fuzz.mk -- libFuzzer targets for the parsers of untrusted text,
# built with clang's fuzzer, AddressSanitizer and UndefinedBehaviorSanitizer.
# Run from the repository root:
#
#   make -f test/fuzz/fuzz.mk                 builds build/fuzz/fuzz_graphql, fuzz_query
#   make -f test/fuzz/fuzz.mk run FUZZ_SECONDS=60
#                                             fuzzes each target (new inputs go to
#                                             build/fuzz/work_*, crashes to build/fuzz/)
#
# The committed seed corpora (test/fuzz/corpus_graphql, corpus_query) are
# read, never written.  test/run.sh replays them and runs each target for
# a bounded time (layer "fuzz").

FUZZ_CC ?= $(shell command -v clang-14 || command -v clang)
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 15

# the whole core, with a host on malloc and an engine that is not there
FUZZ_CORE := $(sort $(wildcard common/*.c)) \
	test/unit/gql_test_schema.c test/fuzz/host_fuzz.c test/fuzz/engine_stub.c
FUZZ_FLAGS = -std=gnu99 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Wno-unused-parameter -Icommon -Itest/unit
FUZZ_LIBS = -ljansson -lcrypto -lpcre2-8

.PHONY: all run clean

all: $(FUZZ_DIR)/fuzz_graphql $(FUZZ_DIR)/fuzz_query $(FUZZ_DIR)/fuzz_definition

$(FUZZ_DIR)/fuzz_%: test/fuzz/fuzz_%.c $(FUZZ_CORE) $(wildcard common/*.h test/unit/*.h)
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_CORE) $(FUZZ_LIBS)

run: all
	@for t in graphql query definition; do \
		mkdir -p $(FUZZ_DIR)/work_$$t; \
		$(FUZZ_DIR)/fuzz_$$t $(FUZZ_DIR)/work_$$t test/fuzz/corpus_$$t \
			-dict=test/fuzz/$$t.dict -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=$(FUZZ_DIR)/$$t- -print_final_stats=1 || exit 1; \
	done

clean:
	rm -rf $(FUZZ_DIR)
