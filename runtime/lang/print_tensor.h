/* print_tensor.h: repr(tensor) exactly as PyTorch 1.13's torch/_tensor_str.py.
 *
 * str(t) == repr(t). The print options are one global struct, the state
 * behind torch.set_printoptions().
 */
#ifndef TSR_PRINT_TENSOR_H
#define TSR_PRINT_TENSOR_H

#include <stdbool.h>
#include <stdint.h>

#include "pyfmt.h"
#include "tensor.h"

typedef struct {
    int precision;     /* digits after the point (default 4) */
    double threshold;  /* numel above which output is summarised (1000; inf for 'full') */
    int64_t edgeitems; /* items kept at each end of a summarised dim (3) */
    int64_t linewidth; /* columns (80) */
    int sci_mode;      /* -1 None (automatic), 0 False, 1 True */
} PrintOptions;

extern PrintOptions tsr_print_opts;

/* profile="default" | "short" | "full": sets precision, threshold,
 * edgeitems and linewidth as PyTorch does; an unknown name changes nothing
 * (as in PyTorch). Does not touch sci_mode. */
void print_options_profile(const char *profile);

/* torch.set_printoptions(precision=, threshold=, edgeitems=, linewidth=,
 * profile=, sci_mode=): the builtin applies, in this order,
 *   if (profile) print_options_profile(profile);
 *   then each given field of tsr_print_opts;
 *   tsr_print_opts.sci_mode = sci_mode given ? (bool) : -1;   (always set, as PyTorch)
 */

/* repr(t) as a malloc'd NUL-terminated string; NULL with an error raised. */
char *tensor_repr(const Tensor *t);
/* Appends repr(t) to out. */
bool tensor_repr_into(PyBuf *out, const Tensor *t);
/* _str_intern with another prefix than "tensor(" (a tensor subclass's
 * "T("), the continuation lines indented by its length */
bool tensor_repr_prefixed(PyBuf *out, const Tensor *t, const char *prefix);

#endif
