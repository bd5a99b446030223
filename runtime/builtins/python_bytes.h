/* python_bytes.h: what the files of bytes and bytearray share:
 * python_bytes.c (the methods, the constructors, int.to_bytes and
 * int.from_bytes) and python_codecs.c (decode, str.encode). */
#ifndef TSR_PYTHON_BYTES_H
#define TSR_PYTHON_BYTES_H

#include "builtins_util.h"

extern const Builtin bytes_methods[], bytearray_methods[];
/* bytes.fromhex, bytearray.fromhex, int.from_bytes: class methods */
extern const Builtin bytes_fromhex_builtin, bytearray_fromhex_builtin, int_from_bytes_builtin;
/* bytes(...), bytearray(...) */
Value *bytes_construct(ValueKind kind, const CallArgs *a);
/* int.to_bytes */
Value *int_to_bytes(Value *self, const CallArgs *a);

/* python_codecs.c: the utf-8, ascii and latin-1 codecs; fname names the
 * caller in argument errors ("decode() argument 'encoding' must be str") */
Value *codec_decode(const unsigned char *s, int64_t n, Value *encoding, Value *errors, const char *fname);
Value *codec_encode(Value *str, Value *encoding, Value *errors, const char *fname, ValueKind kind);
Value *b_decode(Value *self, const CallArgs *a);
Value *str_encode(Value *self, const CallArgs *a);

#endif
