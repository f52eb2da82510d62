/*
 * rex_buf.h
 *		A growable string in a context's arena.
 *
 * A rex_buf starts empty (rex_buf_init) and grows as text is appended.  Its
 * memory belongs to the context's arena; nothing needs freeing.  When the
 * arena runs out of memory the buffer stops growing, marks itself failed
 * and records REX_ERR_NOMEM in the context; rex_buf_ok() tells.
 */
#ifndef REX_BUF_H
#define REX_BUF_H

#include "rex.h"

typedef struct rex_buf
{
	rex_ctx    *ctx;
	char	   *data;			/* always NUL-terminated once initialised */
	size_t		len;
	size_t		cap;
	bool		failed;
} rex_buf;

extern void rex_buf_init(rex_buf *buf, rex_ctx *ctx);
extern void rex_buf_append(rex_buf *buf, const char *s);
extern void rex_buf_append_len(rex_buf *buf, const char *s, size_t n);
extern void rex_buf_append_char(rex_buf *buf, char c);
extern void rex_buf_printf(rex_buf *buf, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern void rex_buf_reset(rex_buf *buf);
extern bool rex_buf_ok(const rex_buf *buf);

#endif							/* REX_BUF_H */
