/* c_complex.h: C's <complex.h> with CMPLX/CMPLXF, which glibc defines for
 * GCC only; clang has the builtin too. */
#ifndef TSR_C_COMPLEX_H
#define TSR_C_COMPLEX_H

#include <complex.h>
#ifndef CMPLX
#define CMPLX(x, y) __builtin_complex((double)(x), (double)(y))
#define CMPLXF(x, y) __builtin_complex((float)(x), (float)(y))
#endif

#endif
