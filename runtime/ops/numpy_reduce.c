/* numpy_reduce.c: numpy's float sum/mean/var/std (see the header). */
#include <string.h>

#include "numpy_complex.h"
#include "numpy_reduce.h"
#include "numpy_sum.h"
#include "ops.h"

bool np_reduce_handles(const Tensor *t)
{
    return (t->dtype == DT_FLOAT64 || t->dtype == DT_FLOAT32) && !tensor_is_cuda(t);
}

static bool is_reduced(int d, int nd, const int64_t *dims)
{
    for (int i = 0; i < nd; i++)
        if (dims[i] == d) return true;
    return false;
}

/* the kept shape, with 1s for reduced dims when keep */
static int kept_shape(const Tensor *t, int nd, const int64_t *dims, bool keep, int64_t *shape)
{
    int n = 0;
    for (int d = 0; d < t->ndim; d++)
        if (!is_reduced(d, nd, dims)) shape[n++] = t->shape[d];
        else if (keep) shape[n++] = 1;
    return n;
}

Tensor *op_np_sum(Tensor *t, int nd, const int64_t *dims, bool keep)
{
    int64_t shape[TSR_MAX_DIMS];
    int rn = kept_shape(t, nd, dims, keep, shape);
    Tensor *out = tensor_zeros(t->dtype, rn, shape, device_cpu());
    if (!out || tensor_numel(t) == 0) return out;
    Tensor *c = tensor_contiguous(t);
    if (!c) {
        tensor_release(out);
        return NULL;
    }
    /* runs of coalesced axes: size-1 axes drop out, neighbours with the
     * same role merge */
    NpSumRuns r = {0};
    for (int d = 0; d < t->ndim; d++) {
        if (t->shape[d] == 1) continue;
        bool red = is_reduced(d, nd, dims);
        if (r.n && r.reduced[r.n - 1] == red) {
            r.len[r.n - 1] *= t->shape[d];
        } else {
            r.len[r.n] = t->shape[d];
            r.reduced[r.n++] = red;
        }
    }
    if (!r.n) {
        r.len[0] = 1;
        r.reduced[0] = true;
        r.n = 1;
    }
    if (t->dtype == DT_FLOAT64) kernel_np_sum_f64(&r, (const double *)tensor_data(c), (double *)tensor_data(out));
    else if (t->dtype == DT_FLOAT32) kernel_np_sum_f32(&r, (const float *)tensor_data(c), (float *)tensor_data(out));
    else if (t->dtype == DT_COMPLEX128)
        kernel_np_sum_c128(&r, (const tsr_cdouble *)tensor_data(c), (tsr_cdouble *)tensor_data(out));
    else kernel_np_sum_c64(&r, (const tsr_cfloat *)tensor_data(c), (tsr_cfloat *)tensor_data(out));
    tensor_release(c);
    return out;
}

static int64_t count_of(const Tensor *t, int nd, const int64_t *dims)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= t->shape[dims[i]];
    return n;
}

/* true_divide(x, n, out=x): n becomes x's dtype first */
static void divide_by(Tensor *x, int64_t n)
{
    int64_t m = tensor_numel(x);
    if (x->dtype == DT_FLOAT64) {
        double *p = (double *)tensor_data(x);
        for (int64_t i = 0; i < m; i++) p[i] /= (double)n;
    } else {
        float *p = (float *)tensor_data(x);
        for (int64_t i = 0; i < m; i++) p[i] /= (float)n;
    }
}

Tensor *op_np_mean(Tensor *t, int nd, const int64_t *dims, bool keep)
{
    Tensor *s = op_np_sum(t, nd, dims, keep);
    if (s && dtype_is_complex(s->dtype)) op_np_complex_divide_count(s, count_of(t, nd, dims));
    else if (s) divide_by(s, count_of(t, nd, dims));
    return s;
}

Tensor *op_np_var(Tensor *t, int nd, const int64_t *dims, int64_t ddof, bool keep, bool take_sqrt)
{
    int64_t n = count_of(t, nd, dims);
    Tensor *mean = op_np_mean(t, nd, dims, true), *sq = NULL;
    Tensor *dev = mean ? op_binary(BIN_SUB, t, mean) : NULL;
    if (dev && dtype_is_complex(t->dtype)) { /* _var's complex path: re * re + im * im, in the part dtype */
        Tensor *re = op_real(dev), *im = re ? op_imag(dev) : NULL;
        Tensor *re2 = im ? op_binary(BIN_MUL, re, re) : NULL, *im2 = re2 ? op_binary(BIN_MUL, im, im) : NULL;
        sq = im2 ? op_binary(BIN_ADD, re2, im2) : NULL;
        Tensor *parts[] = {re, im, re2, im2};
        for (int i = 0; i < 4; i++) tensor_release(parts[i]);
    } else if (dev) {
        sq = op_binary(BIN_MUL, dev, dev);
    }
    Tensor *r = sq ? op_np_sum(sq, nd, dims, keep) : NULL;
    tensor_release(mean);
    tensor_release(dev);
    tensor_release(sq);
    if (!r) return NULL;
    divide_by(r, n - ddof);
    if (!take_sqrt) return r;
    Tensor *s = op_unary(UN_SQRT, r);
    tensor_release(r);
    return s;
}
