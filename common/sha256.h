/*
 * sha256.h
 *		SHA-256 through OpenSSL's libcrypto, as lower-case hex.
 */
#ifndef REX_SHA256_H
#define REX_SHA256_H

#include <stdbool.h>
#include <stddef.h>

/* Writes 64 hex digits and a NUL into out; false if libcrypto failed. */
extern bool rex_sha256_hex(const void *data, size_t len, char out[65]);

#endif							/* REX_SHA256_H */
