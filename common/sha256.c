/*
 * sha256.c
 *		SHA-256 digests for checksums and generated names, via libcrypto.
 */
#include "sha256.h"

#include <openssl/evp.h>

bool
rex_sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned int i;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
	{
		out[0] = '\0';
		return false;
	}
	for (i = 0; i < mdlen; i++)
	{
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0x0F];
	}
	out[64] = '\0';
	return true;
}
