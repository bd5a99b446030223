/* ops_more.c: the rest of the op library tutorials use: positive, sgn,
 * signbit, nansum/nanmean, cummax/cummin, tensordot, vdot, addcmul/addcdiv,
 * var_mean/std_mean, round(decimals=), diff, cross, kron, aminmax.
 *
 * Ops PyTorch writes as one kernel record PyTorch's node; ops PyTorch
 * writes as a composite (tensordot, diff, kron, nanmean) run exactly the
 * ops its implementation runs, so the graph matches. What each node keeps
 * (autograd_formulas_more.c reads it):
 *   SgnBackward0, RoundBackward1: nothing (gradient zero).
 *   NansumBackward0: ctx OpCtx args {keepdim, dims...}; saved {self}.
 *   CummaxBackward0 / CumminBackward0: ctx OpCtx args {dim}; saved {indices}.
 *   VdotBackward0: inputs {self, other}; saved {self, other}.
 *   AddcmulBackward0 / AddcdivBackward0: inputs {self, tensor1, tensor2};
 *     saved {tensor1, tensor2}; ctx AlphaCtx {value}.
 *   VarMeanBackward0 / StdMeanBackward0 (two outputs): ctx OpCtx args
 *     {correction, keepdim, has_dim, dims...}; saved {self} (+ {std} for
 *     StdMean, the output as an alias).
 *   LinalgCrossBackward0: inputs {self, other}; saved {self, other}; ctx
 *     OpCtx args {dim}.
 *   NotImplemented (aminmax): PyTorch 1.13 has no derivative for it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_sort.h"
#include "error.h"
#include "ops.h"
#include "op_errors.h"
#include "operands.h"

Tensor *op_host_result_to_steal(Tensor *r, Device dev) {
    if (!r || dev.type != DEV_CUDA) return r;
    Tensor *o = NULL;
    NO_GRAD(o = op_to(r, r->dtype, dev, false));
    tensor_release(r);
    return o;
}

/* ------------------------------------------------------ positive, sgn */

Tensor *op_positive(Tensor *a) {
    if (a->dtype == DT_BOOL) {
        tsr_raise(ERR_RuntimeError, "%s", "The `+` operator, on a bool tensor is not supported.");
        return NULL;
    }
    return tensor_retain(a);
}

Tensor *op_sgn(Tensor *a) {
    Tensor *r = NULL;
    NO_GRAD(r = op_unary(UN_SIGN, a));
    return ag_record_steal(r, "SgnBackward0", &a, 1, NULL, 0, NULL, 0);
}

Tensor *op_signbit(Tensor *a) {
    Tensor *h = op_host_contig(a);
    Tensor *out = h ? tensor_empty(DT_BOOL, a->ndim, a->shape, device_cpu()) : NULL;
    if (out) {
        int64_t n = tensor_numel(h);
        size_t es = dtype_size(h->dtype);
        const char *p = tensor_data(h);
        bool *o = (bool *)tensor_data(out);
        for (int64_t i = 0; i < n; i++) {
            if (dtype_is_float(h->dtype)) o[i] = signbit(dtype_load_f64(h->dtype, p + (size_t)i * es)) != 0;
            else if (h->dtype == DT_BOOL) o[i] = false;
            else o[i] = dtype_load_i64(h->dtype, p + (size_t)i * es) < 0;
        }
    }
    tensor_release(h);
    return op_host_result_to_steal(out, a->storage->device);
}

/* ---------------------------------------------------------- tensordot */

/* ATen's tensordot: permute and reshape both to matrices, mm, reshape. */
Tensor *op_tensordot(Tensor *a, Tensor *b, int n1, const int64_t *d1, int n2, const int64_t *d2) {
    if (n1 != n2) {
        tsr_raise(ERR_RuntimeError, "%s", "both dimension lists should have same length");
        return NULL;
    }
    int64_t w1[TSR_MAX_DIMS], w2[TSR_MAX_DIMS];
    if (n1 > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "%s", "tensordot: too many dimensions");
        return NULL;
    }
    if (!op_wrap_dims(n1, d1, a->ndim, w1) || !op_wrap_dims(n2, d2, b->ndim, w2)) return NULL;
    Tensor *t1 = tensor_retain(a), *t2 = tensor_retain(b);
    Tensor *p = NULL, *m1 = NULL, *m2 = NULL, *mm = NULL, *r = NULL;
    int64_t csize = 1;
    for (int i = 0; i < n1; i++) {
        int64_t s1 = a->shape[w1[i]], s2 = b->shape[w2[i]];
        if (s2 == 1) {
            Tensor *s = op_sum(t1, 1, &w1[i], true, DT_UNDEFINED);
            tensor_release(t1);
            if (!(t1 = s)) goto done;
        } else if (s1 == 1) {
            Tensor *s = op_sum(t2, 1, &w2[i], true, DT_UNDEFINED);
            tensor_release(t2);
            if (!(t2 = s)) goto done;
        } else if (s1 != s2) {
            tsr_raise(ERR_RuntimeError,
                      "contracted dimensions need to match, but first has size %lld in dim %lld and second "
                      "has size %lld in dim %lld",
                      (long long)s1, (long long)d1[i], (long long)s2, (long long)d2[i]);
            goto done;
        } else {
            csize *= s1;
        }
    }
    bool c1[TSR_MAX_DIMS] = {false}, c2[TSR_MAX_DIMS] = {false};
    for (int i = 0; i < n1; i++) {
        if (c1[w1[i]] || c2[w2[i]]) {
            tsr_raise(ERR_RuntimeError, "dim %lld appears multiple times in the list of dims",
                      (long long)(c1[w1[i]] ? w1[i] : w2[i]));
            goto done;
        }
        c1[w1[i]] = c2[w2[i]] = true;
    }
    int64_t p1[TSR_MAX_DIMS], p2[TSR_MAX_DIMS], rs[2 * TSR_MAX_DIMS];
    int k1 = 0, k2 = 0, nr = 0;
    int64_t size1 = 1, size2 = 1;
    for (int i = 0; i < a->ndim; i++)
        if (!c1[i]) {
            p1[k1++] = i;
            size1 *= t1->shape[i];
            rs[nr++] = t1->shape[i];
        }
    for (int i = 0; i < n1; i++) p1[k1++] = w1[i];
    for (int i = 0; i < n2; i++) p2[k2++] = w2[i];
    for (int i = 0; i < b->ndim; i++)
        if (!c2[i]) {
            p2[k2++] = i;
            size2 *= t2->shape[i];
            rs[nr++] = t2->shape[i];
        }
    if (nr > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, nr);
        goto done;
    }
    int64_t s1[2] = {size1, csize}, s2[2] = {csize, size2};
    p = op_permute(t1, k1, p1);
    m1 = p ? op_reshape(p, 2, s1) : NULL;
    tensor_release(p);
    p = m1 ? op_permute(t2, k2, p2) : NULL;
    m2 = p ? op_reshape(p, 2, s2) : NULL;
    mm = m2 ? op_mm(m1, m2) : NULL;
    r = mm ? op_reshape(mm, nr, rs) : NULL;
done:
    tensor_release(t1);
    tensor_release(t2);
    tensor_release(p);
    tensor_release(m1);
    tensor_release(m2);
    tensor_release(mm);
    return r;
}

/* --------------------------------------------------------------- vdot */

Tensor *op_vdot(Tensor *a, Tensor *b) {
    Tensor *r = NULL;
    NO_GRAD(r = op_dot(a, b));
    Tensor *ins[2] = {a, b};
    return ag_record_steal(r, "VdotBackward0", ins, 2, ins, 2, NULL, 0);
}

/* ---------------------------------------------------- addcmul, addcdiv */

/* self + value * t1 * t2 (div: self + value * t1 / t2), computed as
 * PyTorch's CPU kernel does: in the promoted type, value cast to it first,
 * (value * t1) first. */
Tensor *op_addcmul(Tensor *self, Tensor *t1, Tensor *t2, double value, bool div) {
    if (div && dtype_is_integral(t1->dtype, true) && dtype_is_integral(t2->dtype, true)) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
                  "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
                  "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                  "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
                  "addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
                  "for all dtypes.");
        return NULL;
    }
    int64_t sh[TSR_MAX_DIMS], sh2[TSR_MAX_DIMS];
    int nd = broadcast_shapes(self->ndim, self->shape, t1->ndim, t1->shape, sh);
    if (nd < 0 || broadcast_shapes(nd, sh, t2->ndim, t2->shape, sh2) < 0) return NULL;
    DType rt = dtype_promote(dtype_promote(self->dtype, t1->dtype), t2->dtype);
    Tensor *t[6] = {0}, *r = NULL;
    NO_GRAD({
        t[0] = op_to_dtype(t1, rt);
        t[1] = t[0] ? op_to_dtype(t2, rt) : NULL;
        t[2] = t[1] ? op_to_dtype(self, rt) : NULL;
        t[3] = !t[2] ? NULL
               : dtype_is_float(rt) ? tensor_wrapped_float(value)
               : rt == DT_BOOL      ? tensor_wrapped_bool(value != 0)
                                    : tensor_wrapped_int((int64_t)value);
        t[4] = t[3] ? op_binary(BIN_MUL, t[3], t[0]) : NULL;
        t[5] = t[4] ? op_binary(div ? BIN_DIV : BIN_MUL, t[4], t[1]) : NULL;
        r = t[5] ? op_binary(BIN_ADD, t[2], t[5]) : NULL;
    });
    for (int i = 0; i < 6; i++) tensor_release(t[i]);
    Tensor *ins[3] = {self, t1, t2};
    AlphaCtx c = {value};
    return ag_record_steal(r, div ? "AddcdivBackward0" : "AddcmulBackward0", ins, 3, (Tensor *[]){t1, t2}, 2, &c,
                           sizeof c);
}

Tensor *op_addcmul_(Tensor *self, Tensor *t1, Tensor *t2, double value, bool div) {
    DType rt = dtype_promote(dtype_promote(self->dtype, t1->dtype), t2->dtype);
    bool bad = (dtype_is_float(rt) && !dtype_is_float(self->dtype)) ||
               (!dtype_is_bool(rt) && dtype_is_bool(self->dtype));
    if (bad) {
        tsr_raise(ERR_RuntimeError, "result type %s can't be cast to the desired output type %s",
                  dtype_scalar_name(rt), dtype_scalar_name(self->dtype));
        return NULL;
    }
    int64_t sh[TSR_MAX_DIMS], sh2[TSR_MAX_DIMS];
    int nd = broadcast_shapes(self->ndim, self->shape, t1->ndim, t1->shape, sh);
    nd = nd < 0 ? -1 : broadcast_shapes(nd, sh, t2->ndim, t2->shape, sh2);
    if (nd < 0 || !op_check_inplace_shape(self, nd, sh2)) return NULL;
    Tensor *ins[3] = {self, t1, t2};
    bool rg = false;
    for (int i = 0; i < 3; i++) rg |= ag_requires_grad(ins[i]);
    if (!ag_check_inplace(self, rg)) return NULL;
    Tensor *s = op_inplace_standin(self, ag_any_requires_grad(ins, 3));
    Tensor *r = s ? op_addcmul(s, t1, t2, value, div) : NULL;
    tensor_release(s);
    return op_inplace_commit(self, r);
}

/* ------------------------------------------------------ round(decimals) */

Tensor *op_round_decimals(Tensor *a, int64_t decimals) {
    if (!dtype_is_float(a->dtype) || a->dtype == DT_FLOAT16) {
        op_raise_not_implemented(decimals != 0 ? "round_cpu" : "round_vml_cpu", a->dtype);
        return NULL;
    }
    Tensor *r = NULL;
    if (decimals == 0) {
        NO_GRAD(r = op_unary(UN_ROUND, a));
    } else {
        Tensor *h = op_host_contig(a);
        r = h ? tensor_empty(a->dtype, a->ndim, a->shape, device_cpu()) : NULL;
        if (r) {
            bool neg = decimals < 0;
            int64_t dd = neg ? -decimals : decimals;
            double p = pow(10, (double)dd);
            int64_t n = tensor_numel(h);
            if (a->dtype == DT_FLOAT64) {
                const double *x = (const double *)tensor_data(h);
                double *o = (double *)tensor_data(r);
                for (int64_t i = 0; i < n; i++) o[i] = neg ? nearbyint(x[i] / p) * p : nearbyint(x[i] * p) / p;
            } else if (a->dtype == DT_FLOAT32) {
                const float *x = (const float *)tensor_data(h);
                float *o = (float *)tensor_data(r), pf = (float)p;
                for (int64_t i = 0; i < n; i++)
                    o[i] = neg ? nearbyintf(x[i] / pf) * pf : nearbyintf(x[i] * pf) / pf;
            } else { /* bfloat16: each operation rounds to bfloat16 */
                size_t es = dtype_size(a->dtype);
                const char *x = tensor_data(h);
                char *o = tensor_data(r), tmp[8];
                dtype_store_f64(a->dtype, tmp, p);
                float pf = (float)dtype_load_f64(a->dtype, tmp);
                for (int64_t i = 0; i < n; i++) {
                    float xi = (float)dtype_load_f64(a->dtype, x + (size_t)i * es);
                    dtype_store_f64(a->dtype, tmp, neg ? xi / pf : xi * pf);
                    float t = nearbyintf((float)dtype_load_f64(a->dtype, tmp));
                    dtype_store_f64(a->dtype, o + (size_t)i * es, neg ? t * pf : t / pf);
                }
            }
        }
        tensor_release(h);
        r = op_host_result_to_steal(r, a->storage->device);
    }
    return ag_record_steal(r, "RoundBackward1", &a, 1, NULL, 0, NULL, 0);
}

/* -------------------------------------------------------------- cross */

/* linalg_cross(a, b, dim): r_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1} */
static Tensor *linalg_cross(Tensor *a, Tensor *b, int64_t dim) {
    if (a->ndim != b->ndim) {
        tsr_raise(ERR_RuntimeError, "%s", "linalg.cross: inputs must have the same number of dimensions.");
        return NULL;
    }
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    if (a->shape[d] != 3 || b->shape[d] != 3) {
        tsr_raise(ERR_RuntimeError, "linalg.cross: inputs dimension %lld must have length 3. Got %lld and %lld",
                  (long long)dim, (long long)a->shape[d], (long long)b->shape[d]);
        return NULL;
    }
    int64_t sh[TSR_MAX_DIMS];
    int nd = broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, sh);
    if (nd < 0) return NULL;
    DType rt = dtype_promote(a->dtype, b->dtype);
    Tensor *ac = NULL, *bc = NULL, *out = NULL;
    NO_GRAD(ac = op_to_dtype(a, rt); bc = ac ? op_to_dtype(b, rt) : NULL);
    Tensor *ae = ac ? tensor_empty(rt, nd, sh, device_cpu()) : NULL;
    Tensor *be = ae ? tensor_empty(rt, nd, sh, device_cpu()) : NULL;
    out = be ? tensor_empty(rt, nd, sh, device_cpu()) : NULL;
    if (!out || !tensor_copy_(ae, ac) || !tensor_copy_(be, bc)) {
        tensor_release(out);
        out = NULL;
        goto done;
    }
    int64_t inner = 1, n = tensor_numel(out);
    for (int k = d + 1; k < nd; k++) inner *= sh[k];
    size_t es = dtype_size(rt);
    const char *pa = tensor_data(ae), *pb = tensor_data(be);
    char *po = tensor_data(out);
    for (int64_t e = 0; e < n; e++) {
        int64_t i = (e / inner) % 3, base = e - i * inner;
        int64_t j1 = base + ((i + 1) % 3) * inner, j2 = base + ((i + 2) % 3) * inner;
        char *o = po + (size_t)e * es;
        if (rt == DT_FLOAT32) {
            const float *x = (const float *)pa, *y = (const float *)pb;
            *(float *)o = fmaf(x[j1], y[j2], -(x[j2] * y[j1])); /* PyTorch's build contracts it */
        } else if (rt == DT_FLOAT64) {
            const double *x = (const double *)pa, *y = (const double *)pb;
            *(double *)o = fma(x[j1], y[j2], -(x[j2] * y[j1]));
        } else if (dtype_is_float(rt)) {
            double x1 = dtype_load_f64(rt, pa + j1 * es), x2 = dtype_load_f64(rt, pa + j2 * es);
            double y1 = dtype_load_f64(rt, pb + j1 * es), y2 = dtype_load_f64(rt, pb + j2 * es);
            dtype_store_f64(rt, o, (float)((float)(x1 * y2) - (float)(x2 * y1)));
        } else {
            int64_t x1 = dtype_load_i64(rt, pa + j1 * es), x2 = dtype_load_i64(rt, pa + j2 * es);
            int64_t y1 = dtype_load_i64(rt, pb + j1 * es), y2 = dtype_load_i64(rt, pb + j2 * es);
            int64_t v = (int64_t)((uint64_t)x1 * (uint64_t)y2 - (uint64_t)x2 * (uint64_t)y1);
            if (rt == DT_BOOL) *(bool *)o = v != 0;
            else dtype_store_f64(rt, o, (double)v);
        }
    }
done:
    tensor_release(ac);
    tensor_release(bc);
    tensor_release(ae);
    tensor_release(be);
    out = op_host_result_to_steal(out, a->storage->device);
    Tensor *ins[2] = {a, b};
    int64_t arg = d;
    OpCtx ctx = op_ctx(a, 1, &arg);
    return ag_record_steal(out, "LinalgCrossBackward0", ins, 2, ins, 2, &ctx, sizeof ctx);
}

Tensor *op_cross(Tensor *a, Tensor *b, bool has_dim, int64_t dim) {
    if (!has_dim) {
        int k = 0;
        while (k < a->ndim && a->shape[k] != 3) k++;
        if (k == a->ndim) {
            tsr_raise(ERR_RuntimeError, "%s", "no dimension of size 3 in input");
            return NULL;
        }
        dim = k;
    }
    return linalg_cross(a, b, dim);
}

/* --------------------------------------------------------------- kron */

/* at::_unsafe_view: t's storage with shape (strides derived for the given
 * size-1 insertions), recorded as UnsafeViewBackward0. */
static Tensor *unsafe_view(Tensor *t, int nd, const int64_t *shape, const int64_t *stride) {
    OpCtx ctx = op_ctx(t, 0, NULL);
    return ag_record_steal(tensor_as_strided(t, nd, shape, stride, t->offset) /* offset: t's own */,
                           "UnsafeViewBackward0", &t, 1, NULL, 0, &ctx, sizeof ctx);
}

/* PyTorch's KronImpl: _unsafe_view(mul(a viewed [s0,1,s1,1,...],
 * b viewed [1,t0,1,t1,...]), [s0*t0, s1*t1, ...]) */
Tensor *op_kron(Tensor *a, Tensor *b) {
    int maxdim = a->ndim > b->ndim ? a->ndim : b->ndim;
    if (2 * maxdim > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, 2 * maxdim);
        return NULL;
    }
    int pa = maxdim - a->ndim, pb = maxdim - b->ndim;
    int64_t as[TSR_MAX_DIMS], ast[TSR_MAX_DIMS], bs[TSR_MAX_DIMS], bst[TSR_MAX_DIMS], rs[TSR_MAX_DIMS];
    for (int i = 0; i < maxdim; i++) {
        as[2 * i] = i >= pa ? a->shape[i - pa] : 1;
        ast[2 * i] = i >= pa ? a->stride[i - pa] : 1;
        as[2 * i + 1] = 1;
        ast[2 * i + 1] = 1;
        bs[2 * i] = 1;
        bst[2 * i] = 1;
        bs[2 * i + 1] = i >= pb ? b->shape[i - pb] : 1;
        bst[2 * i + 1] = i >= pb ? b->stride[i - pb] : 1;
        rs[i] = as[2 * i] * bs[2 * i + 1];
    }
    Tensor *av = unsafe_view(a, 2 * maxdim, as, ast);
    Tensor *bv = av ? unsafe_view(b, 2 * maxdim, bs, bst) : NULL;
    Tensor *m = bv ? op_binary(BIN_MUL, av, bv) : NULL;
    tensor_release(av);
    tensor_release(bv);
    if (!m) return NULL;
    /* _unsafe_view has view's stride rules (and error) on mul's output
     * layout, which follows the inputs' strides */
    Tensor *probe = NULL;
    NO_GRAD(probe = op_view(m, maxdim, rs));
    Tensor *r = probe ? unsafe_view(m, maxdim, rs, probe->stride) : NULL;
    tensor_release(probe);
    tensor_release(m);
    return r;
}
