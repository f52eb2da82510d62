# rex_orm -- one C core built twice:
#   rex_orm.so (here)          the SQLite loadable module: .load ./rex_orm
#   build/pg/rex_orm.so        the PostgreSQL extension, through PGXS (pgxs.mk)
#
#   make            both builds
#   make install    installs the PostgreSQL extension (needs write access
#                   to PostgreSQL's directories: run as root)
#   make test       every test layer, ending with "N passed, N failed"
#   make demo       the demo on an embedded SQLite database
#   make bench      benchmarks (results in bench/results/)

PG_CONFIG ?= pg_config
CC ?= gcc

COMMON_SRC := $(sort $(wildcard common/*.c))
SQLITE_SRC := $(sort $(wildcard sqlite_extension/*.c))
SQLITE_OBJ := $(patsubst %.c,build/sqlite/%.o,$(COMMON_SRC) $(SQLITE_SRC))

WARNINGS = -Wall -Wextra -Werror -Wdeclaration-after-statement \
	-Wmissing-prototypes -Werror=vla -Wpointer-arith -Wformat-security
SQLITE_CFLAGS = -std=gnu99 -O2 -g -fPIC -fvisibility=hidden $(WARNINGS) \
	-Icommon -Isqlite_extension $(EXTRA_CFLAGS)
# jansson linked statically, its symbols local (see pgxs.mk)
LIBS = -ljansson -lcrypto -lpcre2-8

.PHONY: all sqlite pg pg-tree install installcheck unit test demo bench clean

all: sqlite pg

sqlite: rex_orm.so

rex_orm.so: $(SQLITE_OBJ)
	$(CC) -shared -o $@ $^ $(LIBS) $(EXTRA_LDFLAGS)

build/sqlite/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SQLITE_CFLAGS) -MMD -MP -c $< -o $@

-include $(SQLITE_OBJ:.o=.d)

PGXS_MAKE = $(MAKE) -C build/pg PG_CONFIG=$(PG_CONFIG)
PG_LINKS = $(wildcard common/*.[ch] pg_extension/*.[ch]) sql expected rex_orm.control

# build/pg mirrors the sources with symbolic links (see pgxs.mk)
pg-tree:
	@mkdir -p build/pg/common build/pg/pg_extension
	@find build/pg -xtype l -delete
	@for f in $(PG_LINKS); do ln -sfn $(CURDIR)/$$f build/pg/$$f; done
	@echo 'include $(CURDIR)/pgxs.mk' > build/pg/Makefile.new
	@cmp -s build/pg/Makefile.new build/pg/Makefile || mv build/pg/Makefile.new build/pg/Makefile
	@rm -f build/pg/Makefile.new

pg: pg-tree
	$(PGXS_MAKE)

install: pg
	$(PGXS_MAKE) install

installcheck: pg-tree
	$(PGXS_MAKE) installcheck

unit:
	$(MAKE) -f test/unit/unit.mk

test: all
	bash test/run.sh

demo: sqlite
	bash demo/demo.sh

bench: all
	bash bench/run.sh

clean:
	rm -rf build rex_orm.so
