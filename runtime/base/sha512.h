/* sha512.h: SHA-512 (FIPS 180-4), for Python's random.seed(str), which
 * seeds from the text followed by its SHA-512 digest. */
#ifndef TSR_SHA512_H
#define TSR_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_DIGEST_BYTES 64

void sha512(const void *data, size_t n, uint8_t out[SHA512_DIGEST_BYTES]);

#endif
