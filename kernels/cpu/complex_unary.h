/* complex_unary.h: complex64/complex128 math loops (complex_unary.c). */
#ifndef TSR_KERNEL_COMPLEX_UNARY_H
#define TSR_KERNEL_COMPLEX_UNARY_H

#include "iter.h"
#include "kernels.h"

/* The loop of a complex unary op (exp, log, sqrt, trig, ...), or NULL */
IterLoopFn complex_unary_loop(UnaryOp op, DType dt);
/* pow of two complex operands (glibc's cpow), element by element */
void complex_pow_c64(char **d, const int64_t *s, int64_t n, void *ctx);
void complex_pow_c128(char **d, const int64_t *s, int64_t n, void *ctx);

#endif
