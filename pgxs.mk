# pgxs.mk -- the PostgreSQL extension, built with PGXS.
#
# Run through the top-level Makefile ("make pg", "make install"), which
# builds in build/pg: a tree of symbolic links to the sources, with this
# file as its Makefile.  So the objects of this build stay apart from the
# SQLite module's (build/sqlite) -- the two compile the same common/
# sources with different flags -- and PGXS's rex_orm.so does not meet the
# SQLite module of the same name at the top of the tree.

EXTENSION = rex_orm
EXTVERSION = 0.1.0
MODULE_big = rex_orm
PGFILEDESC = "rex_orm - an ORM core inside the database"

COMMON_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard common/*.c)))
GLUE_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard pg_extension/*.c)))
OBJS = $(COMMON_OBJS) $(GLUE_OBJS)

DATA = sql/rex_orm--0.1.0.sql

# pg_regress: sql/<test>.sql against expected/<test>.out
REGRESS = foundation definitions errors relations_rules migrations_alter migrations_scripts migrations_log migrations_baseline changes relation_changes
REGRESS_OPTS = --load-extension=rex_orm

PG_CPPFLAGS = -Icommon -Ipg_extension
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers -Wno-clobbered
# jansson is linked statically with its symbols kept local: the server
# exports a json_object() of its own, which would otherwise win.
SHLIB_LINK = -ljansson -lcrypto -lpcre2-8

# no LLVM bitcode: nothing here benefits from JIT inlining
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Only the SQL-callable functions of rex_pg.c are exported.  The core's and
# the engine's symbols stay inside the module: PostgreSQL loads modules with
# their symbols visible, and a server function of the same name would win.
# (rex_pg.c and hooks_pg.c, which define SQL functions, cannot be hidden: PostgreSQL 15 marks neither the magic
# block nor PG_FUNCTION_INFO_V1 functions as visible.)
$(filter-out pg_extension/rex_pg.o pg_extension/hooks_pg.o,$(OBJS)): CFLAGS += -fvisibility=hidden

# every object depends on every header (PGXS tracks no header dependencies)
$(OBJS): $(wildcard common/*.h pg_extension/*.h)
