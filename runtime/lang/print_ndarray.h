/* print_ndarray.h: numpy 1.24's text for arrays and numpy scalars, a port
 * of numpy/core/arrayprint.py (default floatmode 'maxprec', sign '-'). */
#ifndef TSR_PRINT_NDARRAY_H
#define TSR_PRINT_NDARRAY_H

#include <stdbool.h>
#include <stdint.h>

#include "tensor.h"

/* np.set_printoptions' state (numpy's format_options). */
typedef struct {
    int64_t precision;  /* 8 */
    int64_t threshold;  /* 1000 */
    int64_t edgeitems;  /* 3 */
    int64_t linewidth;  /* 75 */
    bool suppress;      /* False */
} NumpyPrintOptions;

extern NumpyPrintOptions numpy_print_options;

/* malloc'd strings, NULL with an error raised */
char *ndarray_repr(const Tensor *t); /* repr(a): array([1, 2]) */
char *ndarray_str(const Tensor *t);  /* str(a): [1 2] */
char *npscalar_repr(const Tensor *t); /* a 0-d tensor as a numpy scalar: 1.5 */
/* numpy's name of a dtype: "float64", "bool" */
const char *numpy_dtype_name(DType d);

#endif
