/* scalar_check.c: c10's checked_convert, the range check PyTorch applies
 * wherever a Python number becomes an element value of a tensor (fill_,
 * full, masked_fill, setitem, where/clamp with a number, scatter's value=,
 * add's alpha, pow's exponent) -- but not to the wrapped-number operand of
 * binary arithmetic (u + 300 wraps). The rule is c10/util/TypeCast.h's
 * overflows<To, From>, where From is int64_t for a Python int and double for
 * a Python float. */
#include <float.h>
#include <math.h>

#include "error.h"
#include "ops.h"

/* numeric_limits<T>::lowest() and max() as doubles (2^63 for int64's max,
 * as c10's double comparison rounds it) */
static void limits(DType t, double *lo, double *hi) {
    switch (t) {
    case DT_UINT8: *lo = 0, *hi = 255; break;
    case DT_INT8: *lo = -128, *hi = 127; break;
    case DT_INT16: *lo = -32768, *hi = 32767; break;
    case DT_INT32: *lo = -2147483648.0, *hi = 2147483647.0; break;
    case DT_INT64: *lo = -9223372036854775808.0, *hi = 9223372036854775808.0; break;
    case DT_FLOAT16: *lo = -65504, *hi = 65504; break;
    case DT_BFLOAT16: *lo = -3.3895313892515355e38, *hi = 3.3895313892515355e38; break;
    case DT_FLOAT32: *lo = -FLT_MAX, *hi = FLT_MAX; break;
    default: *lo = -DBL_MAX, *hi = DBL_MAX; break;
    }
}

static bool overflows(DType t, bool is_int, int64_t i, double d) {
    if (t == DT_BOOL) return false; /* checked_convert skips bool */
    double lo, hi;
    limits(t, &lo, &hi);
    if (is_int) {
        if (t == DT_UINT8) /* a negative int may wrap: -1 -> 255, not -256 */
            return i > 255 || (i < 0 && -(uint64_t)i > 255);
        if (t == DT_INT64) return false;
        return (double)i < lo || (double)i > hi;
    }
    if (dtype_is_float(t) && (isinf(d) || isnan(d))) return false;
    return isnan(d) || d < lo || d > hi;
}

bool scalar_fits_number(DType t, bool is_int, int64_t i, double d) {
    if (!overflows(t, is_int, i, d)) return true;
    tsr_raise(ERR_RuntimeError, "value cannot be converted to type %s without overflow", dtype_c10_name(t));
    return false;
}

bool scalar_fits(DType t, const Tensor *value) {
    if (value->dtype == DT_BOOL) return true;
    if (dtype_is_float(value->dtype)) return scalar_fits_number(t, false, 0, tensor_get_f64(value, 0));
    return scalar_fits_number(t, true, tensor_get_i64(value, 0), 0);
}
