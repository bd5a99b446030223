/* ops_linalg.c: mm, bmm, mv, dot and torch.matmul's dispatch over them
 * (PyTorch 1.13's at::matmul: folding and batched paths end in
 * _unsafe_view, recorded as UnsafeViewBackward0). mm/bmm/mv/dot save
 * both inputs on their nodes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_matmul.h"
#include "error.h"
#include "matmul.h"
#include "ops.h"

static bool check_same_dtype(Tensor *a, Tensor *b) {
    if (a->dtype == b->dtype) return true;
    tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", dtype_scalar_name(a->dtype),
              dtype_scalar_name(b->dtype));
    return false;
}

static bool check_impl(DType dt, const char *kernel, bool half_ok) {
    if (dt == DT_BOOL || (dt == DT_FLOAT16 && !half_ok)) {
        tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", kernel, dtype_scalar_name(dt));
        return false;
    }
    return true;
}

/* mm/mv/bmm with an empty operand only zero-fill: PyTorch checks no kernel */
static bool has_work(const Tensor *a, const Tensor *b) { return tensor_numel(a) > 0 && tensor_numel(b) > 0; }

/* A 2-D view usable by BLIS (a unit stride in one dim, the other at least
 * the extent; size-1 dims get consistent strides), else a contiguous copy
 * in the compute dtype. */
static Tensor *gemm_operand(Tensor *t, int64_t r, int64_t c, int64_t rs, int64_t cs, int64_t off,
                            DType compute, int64_t *ors, int64_t *ocs) {
    int64_t shape[2] = {r, c}, st[2] = {rs, cs};
    if (r == 1) rs = cs == 1 ? (c > 1 ? c : 1) : 1;
    if (c == 1) cs = rs == 1 ? (r > 1 ? r : 1) : 1;
    bool ok = compute == t->dtype &&
              ((cs == 1 && rs >= (c > 1 ? c : 1)) || (rs == 1 && cs >= (r > 1 ? r : 1)));
    if (compute == t->dtype && !dtype_is_float(compute)) ok = true; /* the integer loop takes any strides */
    Tensor *v = tensor_as_strided(t, 2, shape, st, off);
    if (!v) return NULL;
    if (ok) {
        *ors = rs, *ocs = cs;
        return v;
    }
    Tensor *cpy = tensor_clone(v, compute);
    tensor_release(v);
    if (cpy) *ors = c > 1 ? c : 1, *ocs = 1;
    return cpy;
}

/* A 3-D GEMM operand for the GPU: t itself when cuBLAS reads its matrices
 * in place (or the dtype goes to the simple kernel, which takes any
 * strides), else a contiguous copy. */
static Tensor *cuda_operand(Tensor *t) {
    if (!dtype_is_float(t->dtype) || cuda_gemm_strides_ok(t->shape[1], t->shape[2], t->stride[1], t->stride[2]))
        return tensor_retain(t);
    return tensor_contiguous(t);
}

/* The whole batch in one launch on the GPU; false: run the CPU path. */
static bool cuda_batched(Tensor *a, Tensor *b, Tensor *out, bool *failed) {
    Tensor *ac = cuda_operand(a), *bc = ac ? cuda_operand(b) : NULL;
    if (!ac || !bc) {
        tensor_release(ac);
        *failed = true;
        return false;
    }
    int64_t B = a->shape[0], m = a->shape[1], k = a->shape[2], n = b->shape[2];
    KernelStatus st = cuda_gemm(a->dtype, B, m, n, k, tensor_ptr(ac), ac->stride[0], ac->stride[1], ac->stride[2],
                                tensor_ptr(bc), bc->stride[0], bc->stride[1], bc->stride[2], tensor_ptr(out), m * n,
                                n, 1);
    tensor_release(ac);
    tensor_release(bc);
    return st == KERNEL_OK;
}

/* out[b] = a[b] @ b[b] for 3-D a (B,m,k), b (B,k,n); out contiguous (B,m,n) of a->dtype. */
static Tensor *batched_gemm(Tensor *a, Tensor *b) {
    int64_t B = a->shape[0], m = a->shape[1], k = a->shape[2], n = b->shape[2];
    int64_t osh[3] = {B, m, n};
    Tensor *out = tensor_empty(a->dtype, 3, osh, a->storage->device);
    if (!out) return NULL;
    if (tensor_is_cuda(out) && tensor_is_cuda(a) && tensor_is_cuda(b)) {
        bool failed = false;
        if (cuda_batched(a, b, out, &failed)) return out;
        if (failed) goto fail;
    }
    bool low = a->dtype == DT_FLOAT16 || a->dtype == DT_BFLOAT16;
    DType compute = low ? DT_FLOAT32 : a->dtype;
    Tensor *cout = low ? tensor_empty(DT_FLOAT32, 3, osh, a->storage->device) : tensor_retain(out);
    if (!cout) goto fail;
    int64_t es = (int64_t)dtype_size(compute);
    for (int64_t i = 0; i < B; i++) {
        int64_t ars, acs, brs, bcs;
        Tensor *av = gemm_operand(a, m, k, a->stride[1], a->stride[2], a->offset + i * a->stride[0], compute, &ars, &acs);
        Tensor *bv = gemm_operand(b, k, n, b->stride[1], b->stride[2], b->offset + i * b->stride[0], compute, &brs, &bcs);
        if (!av || !bv) {
            tensor_release(av);
            tensor_release(bv);
            tensor_release(cout);
            goto fail;
        }
        kernel_gemm(compute, m, n, k, tensor_data(av), ars, acs, tensor_data(bv), brs, bcs,
                    (char *)storage_host(cout->storage) + i * m * n * es, n == 1 ? 1 : n,
                    n == 1 ? (m > 1 ? m : 1) : 1);
        tensor_release(av);
        tensor_release(bv);
        if (tsr_check_interrupt()) {
            tensor_release(cout);
            goto fail;
        }
    }
    if (low && !tensor_copy_(out, cout)) {
        tensor_release(cout);
        goto fail;
    }
    tensor_release(cout);
    return out;
fail:
    tensor_release(out);
    return NULL;
}

/* a 3-D geometry view of a 2-D tensor (batch 1), no autograd */
static Tensor *as3(Tensor *t, int64_t r, int64_t c, int64_t rs, int64_t cs) {
    int64_t sh[3] = {1, r, c}, st[3] = {r * c, rs, cs};
    return tensor_as_strided(t, 3, sh, st, t->offset);
}

static Tensor *gemm2(Tensor *a, int64_t m, int64_t k, int64_t ars, int64_t acs, Tensor *b, int64_t n,
                     int64_t brs, int64_t bcs) {
    Tensor *a3 = as3(a, m, k, ars, acs), *b3 = as3(b, k, n, brs, bcs), *out = NULL;
    if (a3 && b3) out = batched_gemm(a3, b3);
    tensor_release(a3);
    tensor_release(b3);
    return out;
}

static Tensor *drop_batch(Tensor *o, int ndim, const int64_t *shape) {
    if (!o) return NULL;
    int64_t st[2];
    contiguous_strides(ndim, shape, st);
    Tensor *r = tensor_as_strided(o, ndim, shape, st, 0);
    tensor_release(o);
    return r;
}

Tensor *op_mm(Tensor *a, Tensor *b) {
    if (a->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "%s", "self must be a matrix");
        return NULL;
    }
    if (b->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "%s", "mat2 must be a matrix");
        return NULL;
    }
    if (a->shape[1] != b->shape[0]) {
        tsr_raise(ERR_RuntimeError, "mat1 and mat2 shapes cannot be multiplied (%lldx%lld and %lldx%lld)",
                  (long long)a->shape[0], (long long)a->shape[1], (long long)b->shape[0], (long long)b->shape[1]);
        return NULL;
    }
    /* PyTorch's kernels check dtypes only when there is work: an empty product
     * of mixed dtypes is zeros of a's dtype */
    if (has_work(a, b) && (!check_same_dtype(a, b) || !check_impl(a->dtype, "addmm_impl_cpu_", tensor_is_cuda(a))))
        return NULL;
    int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
    Tensor *o = gemm2(a, m, k, a->stride[0], a->stride[1], b, n, b->stride[0], b->stride[1]);
    int64_t sh[2] = {m, n};
    Tensor *ins[2] = {a, b};
    return ag_record_steal(drop_batch(o, 2, sh), "MmBackward0", ins, 2, ins, 2, NULL, 0);
}

static Tensor *mv(Tensor *a, Tensor *v) {
    if (a->ndim != 2 || v->ndim != 1) {
        tsr_raise(ERR_RuntimeError, "vector + matrix @ vector expected, got 1, %d, %d", a->ndim, v->ndim);
        return NULL;
    }
    if (a->shape[1] != v->shape[0]) {
        tsr_raise(ERR_RuntimeError, "size mismatch, got %lld, %lldx%lld,%lld", (long long)a->shape[0],
                  (long long)a->shape[0], (long long)a->shape[1], (long long)v->shape[0]);
        return NULL;
    }
    if (has_work(a, v) && (!check_same_dtype(a, v) || !check_impl(a->dtype, "addmv_impl_cpu", tensor_is_cuda(a))))
        return NULL;
    int64_t m = a->shape[0], k = a->shape[1];
    if (a->dtype != v->dtype) /* no work: PyTorch's result takes the vector's dtype */
        return tensor_zeros(v->dtype, 1, &m, v->storage->device);
    Tensor *o = gemm2(a, m, k, a->stride[0], a->stride[1], v, 1, v->stride[0], 1);
    Tensor *ins[2] = {a, v};
    return ag_record_steal(drop_batch(o, 1, &m), "MvBackward0", ins, 2, ins, 2, NULL, 0);
}

Tensor *op_dot(Tensor *a, Tensor *b) {
    if (a->ndim != 1 || b->ndim != 1) {
        tsr_raise(ERR_RuntimeError, "1D tensors expected, but got %dD and %dD tensors", a->ndim, b->ndim);
        return NULL;
    }
    if (a->shape[0] != b->shape[0]) {
        tsr_raise(ERR_RuntimeError,
                  "inconsistent tensor size, expected tensor [%lld] and src [%lld] to have the same "
                  "number of elements, but got %lld and %lld elements respectively",
                  (long long)a->shape[0], (long long)b->shape[0], (long long)a->shape[0], (long long)b->shape[0]);
        return NULL;
    }
    if (a->dtype != b->dtype) {
        tsr_raise(ERR_RuntimeError, "dot : expected both vectors to have same dtype, but found %s and %s",
                  dtype_scalar_name(a->dtype), dtype_scalar_name(b->dtype));
        return NULL;
    }
    if (!check_impl(a->dtype, "dot", tensor_is_cuda(a))) return NULL;
    int64_t k = a->shape[0];
    Tensor *o = gemm2(a, 1, k, k, a->stride[0], b, 1, b->stride[0], 1);
    Tensor *ins[2] = {a, b};
    return ag_record_steal(drop_batch(o, 0, NULL), "DotBackward0", ins, 2, ins, 2, NULL, 0);
}

Tensor *op_bmm(Tensor *a, Tensor *b) {
    if (a->ndim != 3) {
        tsr_raise(ERR_RuntimeError, "%s", "batch1 must be a 3D tensor");
        return NULL;
    }
    if (b->ndim != 3) {
        tsr_raise(ERR_RuntimeError, "%s", "batch2 must be a 3D tensor");
        return NULL;
    }
    if (b->shape[0] != a->shape[0] || b->shape[1] != a->shape[2]) {
        tsr_raise(ERR_RuntimeError,
                  "Expected size for first two dimensions of batch2 tensor to be: [%lld, %lld] but got: [%lld, %lld].",
                  (long long)a->shape[0], (long long)a->shape[2], (long long)b->shape[0], (long long)b->shape[1]);
        return NULL;
    }
    if (has_work(a, b) && (!check_same_dtype(a, b) || !check_impl(a->dtype, "bmm", tensor_is_cuda(a)))) return NULL;
    if (a->dtype != b->dtype) { /* no work: PyTorch's result takes batch2's dtype */
        int64_t sh[3] = {a->shape[0], a->shape[1], b->shape[2]};
        return tensor_zeros(b->dtype, 3, sh, b->storage->device);
    }
    Tensor *ins[2] = {a, b};
    return ag_record_steal(batched_gemm(a, b), "BmmBackward0", ins, 2, ins, 2, NULL, 0);
}

/* _unsafe_view of t (contiguous, fresh) to shape, recorded as UnsafeViewBackward0. */
static Tensor *unsafe_view_steal(Tensor *t, int ndim, const int64_t *shape) {
    if (!t) return NULL;
    int64_t st[TSR_MAX_DIMS];
    contiguous_strides(ndim, shape, st);
    OpCtx ctx = op_ctx(t, 0, NULL);
    Tensor *r = ag_record_steal(tensor_as_strided(t, ndim, shape, st, t->offset), "UnsafeViewBackward0", &t, 1, NULL,
                                0, &ctx, sizeof ctx);
    tensor_release(t);
    return r;
}

static bool bcast(int na, const int64_t *a, int nb, const int64_t *b, int64_t *out, int *nout) {
    int n = na > nb ? na : nb;
    for (int i = 0; i < n; i++) {
        int ia = i - (n - na), ib = i - (n - nb);
        int64_t sa = ia >= 0 ? a[ia] : 1, sb = ib >= 0 ? b[ib] : 1;
        if (sa != sb && sa != 1 && sb != 1) {
            tsr_raise(ERR_RuntimeError,
                      "The size of tensor a (%lld) must match the size of tensor b (%lld) at non-singleton dimension %d",
                      (long long)sa, (long long)sb, i);
            return false;
        }
        out[i] = sa == 1 ? sb : sa;
    }
    *nout = n;
    return true;
}

/* PyTorch 1.13's should_fold: a >= 3-D t1 times a 1-D or 2-D operand folds
 * into one mm/mv, except a 3-D t1 whose last two dims are transposed
 * (permute(0, 2, 1)): bmm handles that without a copy. */
static bool should_fold(const Tensor *t1, int d2) {
    if (t1->ndim < 3 || (d2 != 1 && d2 != 2)) return false;
    return !(t1->ndim == 3 && d2 == 2 && t1->stride[2] != 1 && t1->stride[0] == t1->shape[1] * t1->shape[2]);
}

Tensor *op_matmul(Tensor *a, Tensor *b) {
    int d1 = a->ndim, d2 = b->ndim;
    if (d1 == 0 || d2 == 0) {
        tsr_raise(ERR_RuntimeError, "both arguments to matmul need to be at least 1D, but they are %dD and %dD", d1, d2);
        return NULL;
    }
    if (d1 == 1 && d2 == 1) return op_dot(a, b);
    if (d1 == 2 && d2 == 1) return mv(a, b);
    if (d1 == 2 && d2 == 2) return op_mm(a, b);
    if (d1 == 1 && d2 == 2) {
        Tensor *u = op_unsqueeze(a, 0);
        if (!u) return NULL;
        Tensor *r = op_mm(u, b);
        tensor_release(u);
        if (!r) return NULL;
        /* squeeze_(0) on the fresh result */
        int64_t arg = 0;
        OpCtx ctx = op_ctx(r, 1, &arg);
        Tensor *s = ag_record_steal(tensor_as_strided(r, 1, r->shape + 1, r->stride + 1, r->offset), "SqueezeBackward3",
                                    &r, 1, NULL, 0, &ctx, sizeof ctx);
        tensor_release(r);
        return s;
    }
    if (should_fold(a, d2) || should_fold(b, d1)) {
        /* fold the larger operand's batch dims into its rows and use mm/mv;
         * a >= 3-D right operand is transposed first: a @ b = (b^T @ a^T)^T */
        bool transpose = d2 > d1;
        Tensor *t1 = transpose ? op_transpose(b, -2, -1) : tensor_retain(a);
        Tensor *t2 = !transpose ? tensor_retain(b) : d1 == 2 ? op_t(a) : tensor_retain(a);
        Tensor *f = NULL, *r = NULL, *out = NULL;
        if (!t1 || !t2) goto fold_done;
        int n1 = t1->ndim;
        int64_t k = t1->shape[n1 - 1];
        int64_t rows = 1; /* not -1: reshape can't infer it when k == 0 */
        int64_t oshape[TSR_MAX_DIMS];
        int on = 0;
        for (int i = 0; i < n1 - 1; i++) rows *= oshape[on++] = t1->shape[i];
        if (t2->ndim == 2) oshape[on++] = t2->shape[1];
        int64_t fshape[2] = {rows, k};
        f = op_reshape(t1, 2, fshape);
        if (!f) goto fold_done;
        r = unsafe_view_steal(t2->ndim == 2 ? op_mm(f, t2) : mv(f, t2), on, oshape);
        if (r && transpose && t2->ndim == 2) {
            Tensor *rt = op_transpose(r, -2, -1);
            out = rt ? op_contiguous(rt) : NULL;
            tensor_release(rt);
        } else {
            out = tensor_retain(r);
        }
    fold_done:
        tensor_release(t1);
        tensor_release(t2);
        tensor_release(f);
        tensor_release(r);
        return out;
    }
    /* batched: broadcast the batch dims, then bmm */
    int64_t n = d1 > 1 ? a->shape[d1 - 2] : 1, m1 = a->shape[d1 - 1];
    int64_t m2 = d2 > 1 ? b->shape[d2 - 2] : b->shape[0], p = d2 > 1 ? b->shape[d2 - 1] : 1;
    int nb1 = d1 > 2 ? d1 - 2 : 0, nb2 = d2 > 2 ? d2 - 2 : 0;
    int64_t batch[TSR_MAX_DIMS];
    int nbatch;
    if (!bcast(nb1, a->shape, nb2, b->shape, batch, &nbatch)) return NULL;
    if (nbatch + 2 > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions", TSR_MAX_DIMS);
        return NULL;
    }
    int64_t bp = 1;
    for (int i = 0; i < nbatch; i++) bp *= batch[i];
    int64_t e1[TSR_MAX_DIMS], e2[TSR_MAX_DIMS], oshape[TSR_MAX_DIMS];
    memcpy(e1, batch, sizeof(int64_t) * nbatch);
    memcpy(e2, batch, sizeof(int64_t) * nbatch);
    memcpy(oshape, batch, sizeof(int64_t) * nbatch);
    e1[nbatch] = n, e1[nbatch + 1] = m1;
    e2[nbatch] = m2, e2[nbatch + 1] = p;
    int on = nbatch;
    if (d1 > 1) oshape[on++] = n;
    if (d2 > 1) oshape[on++] = p;
    int64_t r1[3] = {bp, n, m1}, r2[3] = {bp, m2, p};
    Tensor *x1 = NULL, *x2 = NULL, *y1 = NULL, *y2 = NULL, *r = NULL;
    x1 = op_expand(a, nbatch + 2, e1);
    if (!x1) goto done;
    x2 = op_expand(b, nbatch + 2, e2);
    if (!x2) goto done;
    y1 = op_reshape(x1, 3, r1);
    if (!y1) goto done;
    y2 = op_reshape(x2, 3, r2);
    if (!y2) goto done;
    r = unsafe_view_steal(op_bmm(y1, y2), on, oshape);
done:
    tensor_release(x1);
    tensor_release(x2);
    tensor_release(y1);
    tensor_release(y2);
    return r;
}
