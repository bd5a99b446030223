/* reduce.c: reductions (sum, prod, mean, nansum, nanmean, logsumexp,
 * amax/amin, all/any, equal, var/std, var_mean/std_mean, max/min over all
 * elements and along a dim, argmax/argmin, aminmax), the scans (cumsum,
 * cumprod, cummax/cummin) and diff: PyTorch's ReduceOps.cpp.
 *
 * Autograd ctx (OpCtx): the input's geometry; args = the reduced dims
 * (wrapped) followed by keepdim (0/1). For var/std: args = dims, keepdim,
 * correction. max/min over a dim save their indices tensor; max()/min()
 * over all elements save the input. The others:
 *   NansumBackward0: args {keepdim, dims...}; saved {self}.
 *   LogsumexpBackward0: args {dims..., keepdim}; saved {self, result}.
 *   VarMeanBackward0 / StdMeanBackward0 (two outputs): args {correction,
 *     keepdim, has_dim, dims...}; saved {self} (+ {std} for StdMean, the
 *     output as an alias).
 *   CumsumBackward0: args {dim, 0}. CumprodBackward0: args {dim}; saved
 *     {self, result}. CummaxBackward0 / CumminBackward0: args {dim}; saved
 *     {indices}.
 *   aminmax: NotImplemented (PyTorch 1.13 has no derivative for it).
 * nanmean and diff are compositions of the ops PyTorch's implementation
 * runs, so their graphs match; logsumexp computes with grad mode off and
 * records its one node. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"
#include "reduce.h"
#include "reduce_plan.h"

/* Plans reducing `dims` of a: fills the kernel geometry and the output
 * shape; red[d] tells which dims are reduced. */
static bool plan(Tensor *a, int ndims, const int64_t *dims, bool keepdim, ReduceGeom *g,
                 int *ondim, int64_t *oshape, bool *red, int64_t *wdims) {
    memset(g, 0, sizeof *g);
    memset(red, 0, sizeof(bool) * TSR_MAX_DIMS);
    if (ndims == 0) {
        for (int d = 0; d < a->ndim; d++) red[d] = true, wdims[d] = d;
    } else {
        for (int i = 0; i < ndims; i++) {
            int d = wrap_dim(dims[i], a->ndim);
            if (d < 0) return false;
            if (a->ndim == 0) { wdims[i] = 0; continue; }
            if (red[d]) {
                tsr_raise(ERR_RuntimeError, "dim %d appears multiple times in the list of dims", d);
                return false;
            }
            red[d] = true;
            wdims[i] = d;
        }
    }
    *ondim = 0;
    for (int d = 0; d < a->ndim; d++) {
        if (red[d]) {
            g->red_shape[g->nred] = a->shape[d];
            g->red_stride[g->nred++] = a->stride[d];
            if (keepdim) oshape[(*ondim)++] = 1;
        } else {
            g->out_shape[g->nout] = a->shape[d];
            g->out_stride[g->nout++] = a->stride[d];
            oshape[(*ondim)++] = a->shape[d];
        }
    }
    return true;
}

static int n_wdims(Tensor *a, int ndims) { return ndims == 0 ? a->ndim : ndims; }

/* Reductions whose backward reads the input (derivatives.yaml); the result
 * is recomputed there rather than saved, so no node holds its output. */
static bool needs_input(GradNodeKind kind) {
    static const GradNodeKind kinds[] = {NODE_ProdBackward0, NODE_ProdBackward1, NODE_AmaxBackward0,
                                         NODE_AminBackward0, NODE_VarBackward0,   NODE_StdBackward0};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (kind == kinds[i]) return true;
    return false;
}

/* Records a reduction's node on out (stolen): ctx args {dims..., keepdim
 * [, extra]}; saves the input where the backward reads it. */
static Tensor *record_reduction(Tensor *out, Tensor *a, GradNodeKind kind, int nw, const int64_t *wdims,
                                bool keepdim, bool has_extra, int64_t extra) {
    if (!out || !ag_any_requires_grad(&a, 1)) return out; /* no ctx to build */
    int64_t args[TSR_MAX_DIMS + 4];
    int n = 0;
    for (int i = 0; i < nw; i++) args[n++] = wdims[i];
    args[n++] = keepdim;
    if (has_extra) args[n++] = extra;
    OpCtx ctx = op_ctx(a, n, args);
    return ag_record_steal(out, kind, &a, 1, &a, needs_input(kind) ? 1 : 0, &ctx, sizeof ctx);
}

/* ---- running a reduction kernel on the input's device ----
 * CUDA inputs run the GPU kernel (with device scratch for its partials);
 * where that has no kernel, the CPU kernel runs over the managed memory. */
typedef enum { RK_SUM, RK_PROD, RK_MAX, RK_MIN, RK_ALL, RK_ANY, RK_VAR, RK_STD } ReduceKind;
typedef struct {
    double div;         /* RK_SUM: mean's divisor, or -1 */
    int64_t correction; /* RK_VAR/RK_STD */
} ReduceArgs;

/* Runs the reduction with kt's kernel, its status in *st; false with an
 * error raised (no memory for the scratch). out: the values (NULL for
 * argmax/argmin), idx: int64 indices (max/min only, or NULL), or for
 * var/std the mean (var_mean/std_mean, or NULL). */
static bool reduce_with(const Kernels *kt, ReduceKind k, const ReduceGeom *g, Tensor *in, Tensor *out, Tensor *idx,
                        ReduceArgs ra, KernelStatus *st) {
    DType dt = in->dtype;
    Tensor *scratch;
    if (!device_scratch(kt, in->storage->device, kt->reduce_scratch(g), &scratch)) return false;
    void *sp = scratch ? tensor_ptr(scratch) : NULL;
    const char *ip = tensor_ptr(in);
    char *op = out ? tensor_ptr(out) : NULL;
    int64_t *xp = idx ? (int64_t *)tensor_ptr(idx) : NULL;
    switch (k) {
    case RK_SUM: *st = kt->sum(dt, g, ip, op, ra.div, sp); break;
    case RK_PROD: *st = kt->prod(dt, g, ip, op, sp); break;
    case RK_MAX:
    case RK_MIN: *st = kt->minmax(dt, g, ip, op, xp, k == RK_MAX, sp); break;
    case RK_ALL:
    case RK_ANY: *st = kt->allany(dt, g, ip, out->dtype, op, k == RK_ALL, sp); break;
    case RK_VAR:
    case RK_STD: *st = kt->var(dt, g, ip, op, idx ? tensor_ptr(idx) : NULL, ra.correction, k == RK_STD, sp); break;
    }
    tensor_release(scratch); /* on a GPU, reused only by later launches on the same stream */
    return true;
}

/* False with an error raised. */
static bool reduce_run(ReduceKind k, const ReduceGeom *g, Tensor *in, Tensor *out, Tensor *idx, ReduceArgs ra) {
    KernelStatus st;
    const Kernels *kt = device_kernels(in->storage->device);
    if (!reduce_with(kt, k, g, in, out, idx, ra, &st)) return false;
    if (st != KERNEL_UNSUPPORTED || kt == &cpu_kernels) return true;
    device_wait();
    return reduce_with(&cpu_kernels, k, g, in, out, idx, ra, &st);
}

static const ReduceArgs NO_ARGS = {-1, 0};

/* sum/prod of a (converted to dtype) into a new tensor */
static Tensor *sum_like(Tensor *a, int ndims, const int64_t *dims, bool keepdim, DType dtype,
                        bool is_prod, bool mean, int64_t wdims[TSR_MAX_DIMS]) {
    DType dt = dtype != DT_UNDEFINED ? dtype : (dtype_is_integral(a->dtype, true) ? DT_INT64 : a->dtype);
    ReduceGeom g;
    int ond;
    int64_t osh[TSR_MAX_DIMS];
    bool red[TSR_MAX_DIMS];
    if (!plan(a, ndims, dims, keepdim, &g, &ond, osh, red, wdims)) return NULL;
    Tensor *in = tensor_to_dtype(a, dt);
    if (!in) return NULL;
    if (in != a) /* the converted copy is contiguous: replan on it */
        plan(in, ndims, dims, keepdim, &g, &ond, osh, red, wdims);
    Tensor *out = tensor_empty(dt, ond, osh, a->storage->device);
    ReduceArgs ra = NO_ARGS;
    if (mean) { /* elements per output (1 for a 0-dim input) */
        ra.div = 1;
        for (int i = 0; i < g.nred; i++) ra.div *= (double)g.red_shape[i];
    }
    if (out && !reduce_run(is_prod ? RK_PROD : RK_SUM, &g, in, out, NULL, ra)) {
        tensor_release(out);
        out = NULL;
    }
    tensor_release(in);
    return out;
}

Tensor *op_sum(Tensor *a, int ndims, const int64_t *dims, bool keepdim, DType dtype) {
    int64_t wd[TSR_MAX_DIMS];
    Tensor *out = sum_like(a, ndims, dims, keepdim, dtype, false, false, wd);
    return record_reduction(out, a, ndims == 0 ? NODE_SumBackward0 : NODE_SumBackward1,
                            n_wdims(a, ndims), wd, keepdim, false, 0);
}

Tensor *op_prod(Tensor *a, int ndims, const int64_t *dims, bool keepdim, DType dtype) {
    int64_t wd[TSR_MAX_DIMS];
    DType dt = dtype != DT_UNDEFINED ? dtype : a->dtype;
    if ((dt == DT_FLOAT16 || dt == DT_BFLOAT16) && tensor_numel(a) > 0) { /* no CPU kernel in 1.13 */
        tsr_raise(ERR_RuntimeError, "\"prod_cpu\" not implemented for '%s'", dtype_scalar_name(dt));
        return NULL;
    }
    Tensor *out = sum_like(a, ndims, dims, keepdim, dtype, true, false, wd);
    return record_reduction(out, a, ndims == 0 ? NODE_ProdBackward0 : NODE_ProdBackward1,
                            n_wdims(a, ndims), wd, keepdim, false, 0);
}

Tensor *op_mean(Tensor *a, int ndims, const int64_t *dims, bool keepdim, DType dtype) {
    DType dt = dtype != DT_UNDEFINED ? dtype : a->dtype;
    if (dtype_is_complex(dt)) { /* ATen's CPU mean: sum(...).div_(n), a complex quotient */
        int64_t wd[TSR_MAX_DIMS];
        Tensor *s = NULL, *r = NULL, *num = NULL;
        NO_GRAD({
            s = sum_like(a, ndims, dims, keepdim, dt, false, false, wd);
            int64_t n = 1;
            if (s) n = tensor_numel(s) ? tensor_numel(a) / tensor_numel(s) : 0;
            if (s && tensor_numel(s) == 0) n = 0;
            num = s ? tensor_wrapped_int(n) : NULL;
            r = num ? op_binary(BIN_DIV, s, num) : NULL;
        });
        tensor_release(s);
        tensor_release(num);
        return record_reduction(r, a, ndims == 0 ? NODE_MeanBackward0 : NODE_MeanBackward1, n_wdims(a, ndims), wd,
                                keepdim, false, 0);
    }
    if (!dtype_is_float(dt)) {
        tsr_raise(ERR_RuntimeError,
                  "mean(): could not infer output dtype. %s must be either a floating point or "
                  "complex dtype. Got: %s",
                  dtype != DT_UNDEFINED ? "Optional dtype" : "Input dtype", dtype_scalar_name(dt));
        return NULL;
    }
    int64_t wd[TSR_MAX_DIMS];
    Tensor *out;
    if (dt == DT_FLOAT16 || dt == DT_BFLOAT16) {
        /* ATen's CPU mean is sum(...).div_(n): the sum rounds to the dtype,
         * then the division does too, with n converted to it */
        Tensor *s = sum_like(a, ndims, dims, keepdim, dt, false, false, wd);
        int64_t n = s && tensor_numel(s) ? tensor_numel(a) / tensor_numel(s) : 0;
        Tensor *num = s ? tensor_wrapped_int(n) : NULL;
        out = num ? op_binary(BIN_DIV, s, num) : NULL;
        tensor_release(s);
        tensor_release(num);
    } else {
        out = sum_like(a, ndims, dims, keepdim, dt, false, true, wd);
    }
    if (!out) return NULL;
    return record_reduction(out, a, ndims == 0 ? NODE_MeanBackward0 : NODE_MeanBackward1,
                            n_wdims(a, ndims), wd, keepdim, false, 0);
}

/* ---- nansum, nanmean, logsumexp ---- */

/* a copy of src laid out with like's strides (its storage as long as like's
 * span), so a reduction over it meets the elements in like's order; a
 * plain copy when that span is large and over 8 times the elements */
static Tensor *copy_with_strides(Tensor *src, Tensor *like) {
    int64_t span = 1, n = tensor_numel(like);
    for (int d = 0; d < like->ndim; d++) span += (like->shape[d] - 1) * like->stride[d];
    if (n == 0 || (span > 8 * n && span > ((int64_t)1 << 20))) return tensor_retain(src);
    Tensor *flat = tensor_empty(src->dtype, 1, &span, src->storage->device);
    Tensor *v = flat ? tensor_as_strided(flat, like->ndim, like->shape, like->stride, 0) : NULL;
    tensor_release(flat);
    if (v && !tensor_copy_(v, src)) {
        tensor_release(v);
        return NULL;
    }
    return v;
}

Tensor *op_nansum(Tensor *a, int nd, const int64_t *dims, bool keepdim, DType dtype) {
    if (!dtype_is_float(a->dtype)) return op_sum(a, nd, dims, keepdim, dtype);
    if (dtype != DT_UNDEFINED && !dtype_is_float(dtype)) {
        op_raise_not_implemented("nansum_cpu", dtype);
        return NULL;
    }
    int64_t wd[TSR_MAX_DIMS + 1];
    if (!op_wrap_dims(nd, dims, a->ndim, wd + 1)) return NULL;
    Tensor *nan = NULL, *zero = tensor_wrapped_int(0), *clean = NULL, *r = NULL;
    Tensor *laid = NULL; /* ATen sums in place of the NaNs, over a's strides */
    NO_GRAD(nan = zero ? op_unary(UN_ISNAN, a) : NULL; clean = nan ? op_where(nan, zero, a) : NULL;
            laid = clean ? copy_with_strides(clean, a) : NULL; r = laid ? op_sum(laid, nd, dims, keepdim, dtype) : NULL);
    tensor_release(laid);
    tensor_release(nan);
    tensor_release(zero);
    tensor_release(clean);
    wd[0] = keepdim;
    OpCtx ctx = op_ctx(a, nd + 1, wd);
    return ag_record_steal(r, NODE_NansumBackward0, &a, 1, &a, 1, &ctx, sizeof ctx);
}

/* PyTorch: nansum(self, dim, keepdim, dtype).div(isnan(self).logical_not().sum(dim, keepdim)) */
Tensor *op_nanmean(Tensor *a, int nd, const int64_t *dims, bool keepdim, DType dtype) {
    if (!dtype_is_float(a->dtype)) {
        tsr_raise(ERR_RuntimeError, "nanmean(): expected input to have floating point dtype but got %s",
                  dtype_scalar_name(a->dtype));
        return NULL;
    }
    Tensor *nan = op_unary(UN_ISNAN, a);
    Tensor *ok = nan ? op_unary(UN_LOGICAL_NOT, nan) : NULL;
    Tensor *cnt = ok ? op_sum(ok, nd, dims, keepdim, DT_UNDEFINED) : NULL;
    Tensor *s = cnt ? op_nansum(a, nd, dims, keepdim, dtype) : NULL;
    Tensor *r = s ? op_binary(BIN_DIV, s, cnt) : NULL;
    tensor_release(nan);
    tensor_release(ok);
    tensor_release(cnt);
    tensor_release(s);
    return r;
}

Tensor *op_logsumexp(Tensor *x, int nd, const int64_t *dims, bool keepdim) {
    Tensor *t[11] = {0}, *r = NULL;
    int64_t wd[TSR_MAX_DIMS];
    int n = nd;
    if (nd == 0) {
        n = x->ndim;
        for (int d = 0; d < n; d++) wd[d] = d;
    } else {
        for (int i = 0; i < nd; i++) {
            int w = wrap_dim(dims[i], x->ndim);
            if (w < 0) return NULL;
            wd[i] = w;
        }
    }
    bool prev = ag_grad_enabled;
    ag_grad_enabled = false;
    Tensor *xf = t[0] = dtype_is_float(x->dtype) ? tensor_retain(x) : op_to_dtype(x, tsr_default_float);
    Tensor *m = t[1] = xf ? op_amax(xf, nd, dims, true) : NULL;
    /* an infinite max would make x - m NaN: use 0 there (PyTorch masks it
     * through the squeezed view, so both uses see 0) */
    Tensor *fin = t[2] = m ? op_unary(UN_ISFINITE, m) : NULL;
    Tensor *zero = t[3] = fin ? tensor_wrapped_int(0) : NULL;
    Tensor *ms = t[4] = zero ? op_where(fin, m, zero) : NULL;
    Tensor *d = t[5] = ms ? op_binary(BIN_SUB, xf, ms) : NULL;
    Tensor *ex = t[6] = d ? op_unary(UN_EXP, d) : NULL;
    Tensor *s = t[7] = ex ? op_sum(ex, nd, dims, keepdim, DT_UNDEFINED) : NULL;
    Tensor *l = t[8] = s ? op_unary(UN_LOG, s) : NULL;
    Tensor *msq = NULL;
    if (l) msq = t[9] = keepdim ? tensor_retain(ms) : op_reshape(ms, l->ndim, l->shape);
    r = msq ? op_binary(BIN_ADD, l, msq) : NULL;
    ag_grad_enabled = prev;
    op_release_all(t, 11);
    if (!r) return NULL;
    int64_t args[TSR_MAX_DIMS + 1];
    memcpy(args, wd, sizeof(int64_t) * (size_t)n);
    args[n] = keepdim;
    OpCtx ctx = op_ctx(x, n + 1, args);
    return ag_record_steal(r, NODE_LogsumexpBackward0, &x, 1, (Tensor *[]){x, r}, 2, &ctx, sizeof ctx);
}

/* Raises the empty-reduction errors of max/min/amax/argmax. */
static bool check_nonempty(Tensor *a, const char *fname, int ndims, const int64_t *wd, bool dim_given) {
    if (tensor_numel(a) != 0) return true;
    if (!dim_given) {
        tsr_raise(strcmp(fname, "argmax") == 0 || strcmp(fname, "argmin") == 0 ? ERR_IndexError : ERR_RuntimeError,
                  "%s(): Expected reduction dim to be specified for input.numel() == 0.%s", fname,
                  strncmp(fname, "arg", 3) == 0 ? "" : " Specify the reduction dim with the 'dim' argument.");
        return false;
    }
    for (int i = 0; i < ndims; i++) {
        if (a->ndim > 0 && a->shape[wd[i]] == 0) {
            tsr_raise(ERR_IndexError, "%s(): Expected reduction dim %lld to have non-zero size.", fname,
                      (long long)wd[i]);
            return false;
        }
    }
    return true;
}

static Tensor *amaxmin(Tensor *a, int ndims, const int64_t *dims, bool keepdim, bool is_max) {
    ReduceGeom g;
    int ond;
    int64_t osh[TSR_MAX_DIMS], wd[TSR_MAX_DIMS];
    bool red[TSR_MAX_DIMS];
    if (!plan(a, ndims, dims, keepdim, &g, &ond, osh, red, wd)) return NULL;
    if (!check_nonempty(a, is_max ? "amax" : "amin", n_wdims(a, ndims), wd, ndims > 0)) return NULL;
    Tensor *out = tensor_empty(a->dtype, ond, osh, a->storage->device);
    if (!out) return NULL;
    if (tensor_numel(out) > 0 && !reduce_run(is_max ? RK_MAX : RK_MIN, &g, a, out, NULL, NO_ARGS)) {
        tensor_release(out);
        return NULL;
    }
    return record_reduction(out, a, is_max ? NODE_AmaxBackward0 : NODE_AminBackward0,
                            n_wdims(a, ndims), wd, keepdim, false, 0);
}

Tensor *op_amax(Tensor *a, int ndims, const int64_t *dims, bool keepdim) { return amaxmin(a, ndims, dims, keepdim, true); }
Tensor *op_amin(Tensor *a, int ndims, const int64_t *dims, bool keepdim) { return amaxmin(a, ndims, dims, keepdim, false); }

static Tensor *allany(Tensor *a, int ndims, const int64_t *dims, bool keepdim, bool is_all) {
    ReduceGeom g;
    int ond;
    int64_t osh[TSR_MAX_DIMS], wd[TSR_MAX_DIMS];
    bool red[TSR_MAX_DIMS];
    if (!plan(a, ndims, dims, keepdim, &g, &ond, osh, red, wd)) return NULL;
    DType odt = a->dtype == DT_UINT8 ? DT_UINT8 : DT_BOOL;
    Tensor *out = tensor_empty(odt, ond, osh, a->storage->device);
    if (out && !reduce_run(is_all ? RK_ALL : RK_ANY, &g, a, out, NULL, NO_ARGS)) {
        tensor_release(out);
        return NULL;
    }
    return out;
}

Tensor *op_all(Tensor *a, int ndims, const int64_t *dims, bool keepdim) { return allany(a, ndims, dims, keepdim, true); }
Tensor *op_any(Tensor *a, int ndims, const int64_t *dims, bool keepdim) { return allany(a, ndims, dims, keepdim, false); }

/* ---- torch.equal: same shape and equal elements (compared in the promoted
 * dtype, NaN != NaN) ---- */

bool op_equal(Tensor *a, Tensor *b, bool *result) {
    *result = false;
    if (a->ndim != b->ndim) return true;
    for (int d = 0; d < a->ndim; d++)
        if (a->shape[d] != b->shape[d]) return true;
    Tensor *eq = op_binary(BIN_EQ, a, b);
    if (!eq) return false;
    Tensor *all = op_all(eq, 0, NULL, false);
    tensor_release(eq);
    if (!all) return false;
    *result = tensor_get_i64(all, 0) != 0;
    tensor_release(all);
    return true;
}

/* var (std when take_sqrt) of a float a; *mean (when mean is not NULL):
 * the Welford mean the same pass computes, as ATen's var_mean. */
static Tensor *var_float(Tensor *a, int ndims, const int64_t *dims, int64_t correction, bool keepdim,
                         bool take_sqrt, Tensor **mean) {
    ReduceGeom g;
    int ond;
    int64_t osh[TSR_MAX_DIMS], wd[TSR_MAX_DIMS];
    bool red[TSR_MAX_DIMS];
    if (!plan(a, ndims, dims, keepdim, &g, &ond, osh, red, wd)) return NULL;
    Tensor *out = tensor_empty(a->dtype, ond, osh, a->storage->device);
    Tensor *m = out && mean ? tensor_empty(a->dtype, ond, osh, a->storage->device) : NULL;
    ReduceArgs ra = {-1, correction};
    int64_t n = tensor_numel(a);
    if (out && !mean && n > 0 && tensor_numel(out) == 1 && a->storage->device.type == DEV_CPU &&
        (a->dtype == DT_FLOAT32 || a->dtype == DT_FLOAT64)) {
        /* ATen's all-reduce path (std_var_all_cpu): two passes, the mean
         * from mean() */
        Tensor *mt = NULL;
        NO_GRAD(mt = op_mean(a, 0, NULL, false, DT_UNDEFINED));
        if (!mt) {
            tensor_release(out);
            return NULL;
        }
        double sum = kernel_var_all_sum(a->dtype, &g, tensor_ptr(a), tensor_get_f64(mt, 0));
        tensor_release(mt);
        double var = sum / (double)(n - correction > 0 ? n - correction : 0);
        dtype_store_f64(a->dtype, tensor_ptr(out), take_sqrt ? sqrt(var) : var);
    } else if (!out || (mean && !m) || !reduce_run(take_sqrt ? RK_STD : RK_VAR, &g, a, out, m, ra)) {
        tensor_release(out);
        tensor_release(m);
        return NULL;
    }
    if (mean) *mean = m;
    return record_reduction(out, a, take_sqrt ? NODE_StdBackward0 : NODE_VarBackward0,
                            n_wdims(a, ndims), wd, keepdim, true, correction);
}

Tensor *op_var(Tensor *a, int ndims, const int64_t *dims, int64_t correction, bool keepdim, bool take_sqrt) {
    if (dtype_is_complex(a->dtype)) { /* ATen: var(real) + var(imag), then sqrt for std */
        Tensor *re = op_real(a), *im = re ? op_imag(a) : NULL;
        Tensor *vr = im ? op_var(re, ndims, dims, correction, keepdim, false) : NULL;
        Tensor *vi = vr ? op_var(im, ndims, dims, correction, keepdim, false) : NULL;
        Tensor *r = vi ? op_binary(BIN_ADD, vr, vi) : NULL;
        if (r && take_sqrt) {
            Tensor *s = op_unary(UN_SQRT, r);
            tensor_release(r);
            r = s;
        }
        Tensor *parts[4] = {re, im, vr, vi};
        op_release_all(parts, 4);
        return r;
    }
    if (!dtype_is_float(a->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "std and var only support floating point and complex dtypes");
        return NULL;
    }
    return var_float(a, ndims, dims, correction, keepdim, take_sqrt, NULL);
}

/* ---- var_mean, std_mean ---- */

bool op_var_mean(Tensor *a, int nd, const int64_t *dims, int64_t correction, bool keepdim, bool take_sqrt,
                 Tensor **var, Tensor **mean) {
    *var = *mean = NULL;
    if (!dtype_is_float(a->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s only support floating point and complex dtypes",
                  take_sqrt ? "std_mean" : "var_mean");
        return false;
    }
    int64_t args[TSR_MAX_DIMS + 3];
    if (!op_wrap_dims(nd, dims, a->ndim, args + 3)) return false;
    Tensor *v = NULL, *m = NULL;
    if (dtype_is_complex(a->dtype))
        NO_GRAD(v = op_var(a, nd, dims, correction, keepdim, take_sqrt);
                m = v ? op_mean(a, nd, dims, keepdim, DT_UNDEFINED) : NULL);
    else
        NO_GRAD(v = var_float(a, nd, dims, correction, keepdim, take_sqrt, &m));
    if (!m) goto fail;
    if (ag_any_requires_grad(&a, 1)) {
        args[0] = correction;
        args[1] = keepdim;
        args[2] = nd > 0;
        Tensor *outs[2] = {v, m};
        GradNode *node = ag_record_multi(outs, 2, take_sqrt ? NODE_StdMeanBackward0 : NODE_VarMeanBackward0, &a, 1);
        if (!node || !op_set_ctx(node, a, nd + 3, args) || !ag_save(node, a)) goto fail;
        if (take_sqrt && !ag_save_result(node, v, 0)) goto fail;
    }
    *var = v;
    *mean = m;
    return true;
fail:
    tensor_release(v);
    tensor_release(m);
    return false;
}

static Tensor *max_all(Tensor *a, bool is_max) {
    const int64_t *none = NULL;
    ReduceGeom g;
    int ond;
    int64_t osh[TSR_MAX_DIMS], wd[TSR_MAX_DIMS];
    bool red[TSR_MAX_DIMS];
    if (!plan(a, 0, none, false, &g, &ond, osh, red, wd)) return NULL;
    if (!check_nonempty(a, is_max ? "max" : "min", 0, wd, false)) return NULL;
    Tensor *out = tensor_empty(a->dtype, 0, NULL, a->storage->device);
    if (!out) return NULL;
    if (!reduce_run(is_max ? RK_MAX : RK_MIN, &g, a, out, NULL, NO_ARGS)) {
        tensor_release(out);
        return NULL;
    }
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(out, is_max ? NODE_MaxBackward1 : NODE_MinBackward1, &a, 1, &a, 1, &ctx, sizeof ctx);
}

Tensor *op_max_all(Tensor *a) { return max_all(a, true); }
Tensor *op_min_all(Tensor *a) { return max_all(a, false); }

static bool max_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices,
                    bool is_max, const char *fname, bool want_values) {
    ReduceGeom g;
    int ond;
    int64_t osh[TSR_MAX_DIMS], wd[TSR_MAX_DIMS];
    bool red[TSR_MAX_DIMS];
    if (!plan(a, 1, &dim, keepdim, &g, &ond, osh, red, wd)) return false;
    if (!check_nonempty(a, fname, 1, wd, true)) return false;
    Tensor *v = want_values ? tensor_empty(a->dtype, ond, osh, a->storage->device) : NULL;
    Tensor *ix = tensor_empty(DT_INT64, ond, osh, a->storage->device);
    if ((want_values && !v) || !ix) goto fail;
    if (tensor_numel(ix) > 0 && !reduce_run(is_max ? RK_MAX : RK_MIN, &g, a, v, ix, NO_ARGS)) goto fail;
    int64_t args[2] = {wd[0], keepdim};
    OpCtx ctx = op_ctx(a, 2, args);
    if (v && !(v = ag_record_steal(v, is_max ? NODE_MaxBackward0 : NODE_MinBackward0, &a, 1, &ix, 1, &ctx, sizeof ctx)))
        goto fail;
    if (values) *values = v;
    else tensor_release(v);
    *indices = ix;
    return true;
fail:
    tensor_release(v);
    tensor_release(ix);
    return false;
}

bool op_max_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices) {
    return max_dim(a, dim, keepdim, values, indices, true, "max", true);
}
bool op_min_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices) {
    return max_dim(a, dim, keepdim, values, indices, false, "min", true);
}

static Tensor *argmaxmin(Tensor *a, bool has_dim, int64_t dim, bool keepdim, bool is_max) {
    const char *fname = is_max ? "argmax" : "argmin";
    /* a reduced dim of size 1 gives zeros without running the kernel */
    int d = has_dim && a->ndim > 0 ? wrap_dim(dim, a->ndim) : -1;
    if (has_dim && a->ndim > 0 && d < 0) return NULL;
    bool trivial = d >= 0 && a->shape[d] == 1;
    if (a->dtype == DT_BOOL && !trivial) {
        tsr_raise(ERR_RuntimeError, "\"%s_cpu\" not implemented for 'Bool'", fname);
        return NULL;
    }
    Tensor *ix = NULL;
    if (has_dim) {
        if (!max_dim(a, dim, keepdim, NULL, &ix, is_max, fname, false)) return NULL;
        return ix;
    }
    ReduceGeom g;
    int ond;
    int64_t osh[TSR_MAX_DIMS], wd[TSR_MAX_DIMS];
    bool red[TSR_MAX_DIMS];
    if (!plan(a, 0, NULL, keepdim, &g, &ond, osh, red, wd)) return NULL;
    if (!check_nonempty(a, fname, 0, wd, false)) return NULL;
    ix = tensor_empty(DT_INT64, keepdim ? ond : 0, osh, a->storage->device);
    if (ix && !reduce_run(is_max ? RK_MAX : RK_MIN, &g, a, NULL, ix, NO_ARGS)) {
        tensor_release(ix);
        return NULL;
    }
    return ix;
}

Tensor *op_argmax(Tensor *a, bool has_dim, int64_t dim, bool keepdim) { return argmaxmin(a, has_dim, dim, keepdim, true); }
Tensor *op_argmin(Tensor *a, bool has_dim, int64_t dim, bool keepdim) { return argmaxmin(a, has_dim, dim, keepdim, false); }

/* ---- aminmax ---- */

bool op_aminmax(Tensor *a, bool has_dim, int64_t dim, bool keepdim, Tensor **mn, Tensor **mx) {
    *mn = *mx = NULL;
    int64_t d = 0;
    if (has_dim) {
        int w = wrap_dim(dim, a->ndim);
        if (w < 0) return false;
        d = w;
    }
    if (tensor_numel(a) == 0 && (!has_dim || a->ndim == 0 || a->shape[d] == 0)) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.");
        return false;
    }
    if (!op_reduced_float_ok(has_dim ? RF_AMINMAX : RF_AMINMAX_ALL, a)) return false;
    Tensor *lo = NULL, *hi = NULL;
    NO_GRAD(lo = op_amin(a, has_dim ? 1 : 0, &d, keepdim); hi = lo ? op_amax(a, has_dim ? 1 : 0, &d, keepdim) : NULL);
    if (!hi) {
        tensor_release(lo);
        return false;
    }
    Tensor *outs[2] = {lo, hi};
    if (!op_record_not_implemented_multi(outs, 2, &a, 1, "aminmax")) {
        tensor_release(lo);
        tensor_release(hi);
        return false;
    }
    *mn = lo;
    *mx = hi;
    return true;
}

/* ---- the scans: cumsum, cumprod, cummax, cummin ---- */

/* Offsets (elements) of every line along d of t, in row-major order of the other dims. */
void op_line_offset(const Tensor *t, int d, int64_t k, int64_t *off) {
    int64_t o = t->offset;
    for (int i = t->ndim - 1; i >= 0; i--) {
        if (i == d) continue;
        o += (k % t->shape[i]) * t->stride[i];
        k /= t->shape[i];
    }
    *off = o;
}

Tensor *op_cumsum(Tensor *a, int64_t dim, DType dtype) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    DType dt = dtype != DT_UNDEFINED ? dtype : (dtype_is_integral(a->dtype, true) ? DT_INT64 : a->dtype);
    if (dt == DT_FLOAT16 && tensor_numel(a) > 0) { /* bfloat16 has a kernel */
        tsr_raise(ERR_RuntimeError, "\"cumsum_out_cpu\" not implemented for '%s'", dtype_scalar_name(dt));
        return NULL;
    }
    Tensor *in = tensor_to_dtype(a, dt);
    if (!in) return NULL;
    Tensor *out = tensor_empty(dt, a->ndim, a->shape, a->storage->device);
    if (out) {
        KernelStatus st;
        DEVICE_RUN(st, out->storage->device, cumsum, dt, in->ndim, in->shape, d, tensor_ptr(in), in->stride,
                   tensor_ptr(out), out->stride);
        (void)st; /* a loop for every dtype on the CPU */
    }
    tensor_release(in);
    if (!out) return NULL;
    int64_t arg = d;
    return record_reduction(out, a, NODE_CumsumBackward0, 1, &arg, false, false, 0);
}

Tensor *op_cumprod(Tensor *a, int64_t dim, DType dtype) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    DType dt = dtype != DT_UNDEFINED ? dtype : (dtype_is_integral(a->dtype, true) ? DT_INT64 : a->dtype);
    if (!op_kernel_supports("cumprod_out_cpu", dt, false, true)) return NULL;
    Tensor *in = tensor_clone(a, dt); /* contiguous; computed in place */
    if (!in) return NULL;
    KernelStatus st;
    DEVICE_RUN(st, in->storage->device, cumprod, dt, in->ndim, in->shape, d, tensor_ptr(in), in->stride,
               tensor_ptr(in), in->stride);
    (void)st; /* a loop for every dtype on the CPU */
    int64_t args[1] = {d};
    OpCtx ctx = op_ctx(a, 1, args);
    return ag_record_steal(in, NODE_CumprodBackward0, &a, 1, (Tensor *[]){a, in}, 2, &ctx, sizeof ctx);
}

bool op_cummaxmin(Tensor *a, int64_t dim, bool is_max, Tensor **values, Tensor **indices) {
    *values = *indices = NULL;
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    if (a->storage->device.type == DEV_CPU &&
        !op_kernel_supports(is_max ? "cummax_cpu" : "cummin_cpu", a->dtype, false, true))
        return false;
    int64_t arg = d;
    OpCtx ctx = op_ctx(a, 1, &arg);
    Tensor *v = tensor_empty(a->dtype, a->ndim, a->shape, a->storage->device);
    Tensor *ix = v ? tensor_empty(DT_INT64, a->ndim, a->shape, a->storage->device) : NULL;
    if (!ix) goto fail;
    KernelStatus st;
    DEVICE_RUN(st, a->storage->device, cummaxmin, a->dtype, a->ndim, a->shape, d, tensor_ptr(a), a->stride,
               tensor_ptr(v), (int64_t *)tensor_ptr(ix), v->stride, is_max);
    (void)st; /* a loop for every dtype on the CPU */
    if (!(v = ag_record_steal(v, is_max ? NODE_CummaxBackward0 : NODE_CumminBackward0, &a, 1, &ix, 1, &ctx, sizeof ctx)))
        goto fail;
    *values = v;
    *indices = ix;
    return true;
fail:
    tensor_release(v);
    tensor_release(ix);
    return false;
}

/* ---- diff ---- */

static bool diff_check_other(Tensor *a, Tensor *o, int64_t dim) {
    if (!o) return true;
    int w = wrap_dim(dim, a->ndim);
    if (w < 0) return false;
    if (o->ndim != a->ndim) {
        tsr_raise(ERR_RuntimeError, "%s", "diff expects prepend or append to be the same dimension as input");
        return false;
    }
    for (int i = 0; i < o->ndim; i++)
        if (o->shape[i] != a->shape[i] && i != w) {
            tsr_raise(ERR_RuntimeError,
                      "diff expects the shape of tensor to prepend or append to match that of input except "
                      "along the differencing dimension; input.size(%d) = %lld, but got tensor.size(%d) = %lld",
                      i, (long long)a->shape[i], i, (long long)o->shape[i]);
            return false;
        }
    return true;
}

Tensor *op_diff(Tensor *a, int64_t n, int64_t dim, Tensor *prepend, Tensor *append) {
    if (a->ndim < 1) {
        tsr_raise(ERR_RuntimeError, "%s", "diff expects input to be at least one-dimensional");
        return NULL;
    }
    if (!diff_check_other(a, prepend, dim) || !diff_check_other(a, append, dim)) return NULL;
    if (n == 0) {
        Tensor *z = tensor_zeros(a->dtype, a->ndim, a->shape, a->storage->device);
        Tensor *r = z ? op_copy_(z, a) : NULL;
        tensor_release(z);
        return r;
    }
    Tensor *cur;
    if (prepend || append) {
        Tensor *parts[3];
        int k = 0;
        if (prepend) parts[k++] = prepend;
        parts[k++] = a;
        if (append) parts[k++] = append;
        cur = op_cat(parts, k, dim);
    } else {
        cur = tensor_retain(a);
    }
    if (!cur) return NULL;
    int d = wrap_dim(dim, cur->ndim);
    if (d < 0) {
        tensor_release(cur);
        return NULL;
    }
    int64_t out_len = cur->shape[d] - 1; /* n < 0: no step (1.13 does not check n) */
    if (n > cur->shape[d]) n = cur->shape[d];
    bool is_bool = cur->dtype == DT_BOOL;
    for (int64_t i = 0; i < n && cur; i++, out_len--) {
        Tensor *hi = op_narrow(cur, d, 1, out_len);
        Tensor *lo = hi ? op_narrow(cur, d, 0, out_len) : NULL;
        Tensor *r = lo ? op_binary(is_bool ? BIN_LOGICAL_XOR : BIN_SUB, hi, lo) : NULL;
        tensor_release(hi);
        tensor_release(lo);
        tensor_release(cur);
        cur = r;
    }
    return cur;
}

bool op_reduce_plan(Tensor *a, int ndims, const int64_t *dims, bool keepdim, ReduceGeom *g, int *ondim,
                    int64_t *oshape) {
    bool red[TSR_MAX_DIMS];
    int64_t wd[TSR_MAX_DIMS];
    return plan(a, ndims, dims, keepdim, g, ondim, oshape, red, wd);
}
