/* bytes.h: Python's bytes and bytearray values (bytes.c): their storage,
 * repr, operators, subscripts and constructors. Their methods live in
 * builtins/python_bytes.c. */
#ifndef TSR_BYTES_H
#define TSR_BYTES_H

#include "ast.h"
#include "value.h"

static inline bool val_is_bytes(const Value *v) { return v->kind == VK_BYTES || v->kind == VK_BYTEARRAY; }

/* An empty value of kind for the constructors below (value.c) */
Value *val_bytes_cell(ValueKind kind);
/* A new BYTES or BYTEARRAY value holding a copy of s[0, len) (s may be
 * NULL: len zero bytes). */
Value *val_bytes_new(ValueKind kind, const void *s, int64_t len);
static inline Value *val_bytes(const void *s, int64_t len) { return val_bytes_new(VK_BYTES, s, len); }
/* Takes s, malloc'd with room for len + 1 bytes. */
Value *val_bytes_steal(ValueKind kind, unsigned char *s, int64_t len);

/* A bytearray's room for n bytes, before any change of its length: a
 * buffer torch.frombuffer's tensors share is left to them and the bytes
 * move to a new one. */
bool bytes_reserve(Value *ba, int64_t n);
/* A 1-d tensor of count elements of dt over v's bytes from offset, which
 * keeps v alive (torch.frombuffer, np.frombuffer): writes through either
 * show in the other. */
Tensor *bytes_tensor(Value *v, DType dt, int64_t offset, int64_t count);
/* value.c: frees a bytes value's buffers */
void bytes_free(Value *v);
/* Replaces ba[start, stop) by s[0, n) (a bytearray; s may alias ba). */
bool bytes_splice(Value *ba, int64_t start, int64_t stop, const unsigned char *s, int64_t n);

/* An int in range(0, 256) for a byte: msg is the ValueError's text. */
bool bytes_byte_of(Value *v, const char *msg, int *out);
/* The bytes of a bytes-like value (bytes, bytearray, a contiguous numpy
 * array's memory): false without an error when v is none. */
bool bytes_buffer(Value *v, const unsigned char **s, int64_t *len);
/* bytes(x) / bytearray(x) of one argument other than a str: a count, a
 * bytes-like value, or an iterable of ints. */
Value *bytes_from_object(ValueKind kind, Value *x);

/* repr(b): b'...' or bytearray(b'...') */
bool bytes_repr_into(StrBuf *b, const Value *v);
/* The operators where one operand is bytes-like: NULL with *handled
 * false (and no error) when they do not apply. */
Value *bytes_binary_op(BinKind op, Value *a, Value *b, bool inplace, bool *handled);
/* ==: -1 when the operands are not both bytes-like; 1 or 0 */
int bytes_equal(const Value *a, const Value *b);
/* ordering of two bytes-like values: <0, 0, >0 */
int bytes_cmp(const Value *a, const Value *b);
Value *bytes_contains(Value *container, Value *item);
Value *bytes_get(Value *obj, Value *idx);
bool bytes_set_item(Value *obj, Value *idx, Value *v);
bool bytes_del_item(Value *obj, Value *idx);
/* The ints of b, as a list (what iteration yields). */
Value *bytes_to_list(const Value *b);
/* b % args, printf-style, of a bytes or bytearray format (format.c, beside str's) */
Value *bytes_percent_format(Value *fmt, Value *args);

#endif
