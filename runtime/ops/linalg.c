/* linalg.c: matrix products (mm, bmm, mv, dot and torch.matmul's dispatch
 * over them, addmm, inner, outer, tensordot, vdot, kron, cross), matrix
 * parts (trace, diag, tril/triu) and norms (linalg.vector_norm, norm):
 * PyTorch's LinearAlgebra.cpp.
 *
 * matmul follows PyTorch 1.13's at::matmul: folding and batched paths end
 * in _unsafe_view, recorded as UnsafeViewBackward0. inner, outer,
 * tensordot and kron are compositions of exactly the ops PyTorch's
 * implementations run, so their graphs match. The other nodes (node->ctx
 * an OpCtx of the first input where args are listed):
 *   MmBackward0 / BmmBackward0 / MvBackward0 / DotBackward0 /
 *     VdotBackward0: inputs {self, other}; saved {self, other}.
 *   AddmmBackward0: inputs {self, mat1, mat2}; saved {mat1, mat2}; ctx an
 *     AddmmCtx {beta, alpha}.
 *   LinalgCrossBackward0: inputs {self, other}; saved {self, other}; args
 *     {dim}.
 *   TraceBackward0: no args. DiagBackward0, TrilBackward0 / TriuBackward0:
 *     args {diagonal}.
 *   LinalgVectorNormBackward0: args {ord as IEEE bits (memcpy), keepdim,
 *     dims...}; saved {self, result}. torch.norm records the same node as
 *     NormBackward1 (its formula is shared). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "linalg_blas.h"
#include "matmul.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"
#include "reduce_norm.h"
#include "reduce_plan.h"
#include "shape_note.h"

static bool check_same_dtype(Tensor *a, Tensor *b) {
    if (a->dtype == b->dtype) return true;
    tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", dtype_scalar_name(a->dtype),
              dtype_scalar_name(b->dtype));
    return false;
}

static bool check_impl(DType dt, const char *kernel, bool half_ok) {
    /* half_ok: a CUDA operand; complex products run only on the CPU's BLAS in tsr */
    if (dt == DT_BOOL || (dt == DT_FLOAT16 && !half_ok) || (dtype_is_complex(dt) && half_ok)) {
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
    if (!dtype_is_float(t->dtype) || tsr_cuda->gemm_strides_ok(t->shape[1], t->shape[2], t->stride[1], t->stride[2]))
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
    KernelStatus st = tsr_cuda->gemm(a->dtype, B, m, n, k, tensor_ptr(ac), ac->stride[0], ac->stride[1], ac->stride[2],
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

/* ---- float32/float64 on the CPU: the BLAS interface as ATen calls it ----
 *
 * Debian's PyTorch computes these products with sgemm_/dgemm_/sgemv_/
 * sdot_ of the same BLIS tsr links, and BLIS's kernels (gemm, gemv, its
 * small-matrix paths) each sum in their own order: the same bits need
 * the same call. So the op layer chooses transpositions, m, n, k and the
 * leading dimensions from the operands' strides exactly as ATen 1.13's
 * addmm_impl_cpu_, addmv_out_cpu and bmm_out_or_baddbmm_ do, and copies
 * an operand contiguous where they copy it. */

static bool blas_dtype(DType dt) {
    return dt == DT_FLOAT32 || dt == DT_FLOAT64 || dt == DT_COMPLEX64 || dt == DT_COMPLEX128;
}

/* both on the CPU, one dtype, float32, float64 or complex */
bool blas_pair(const Tensor *a, const Tensor *b) {
    return !tensor_is_cuda(a) && !tensor_is_cuda(b) && a->dtype == b->dtype && blas_dtype(a->dtype);
}

static int64_t max1(int64_t v) { return v > 1 ? v : 1; }

/* One operand of addmm_impl_cpu_ (t, 2-D): used in place when one of its
 * dims is unit-stride with the other a valid leading dimension ('n' when
 * dim `lead` is the unit one, 't' when the other is), else a contiguous
 * clone (stored in *copy), transposed when the result is not. Sets *trans
 * and *ld; returns the data or NULL with an error raised. */
static const char *blas_operand(Tensor *t, bool tc, int64_t rows, int64_t cols, bool *trans, int64_t *ld,
                                Tensor **copy) {
    const int64_t *st = t->stride;
    int lead = tc ? 1 : 0, other = tc ? 0 : 1;
    Tensor *u = t;
    if (st[lead] == 1 && st[other] >= max1(rows)) {
        *trans = false;
    } else if (st[other] == 1 && st[lead] >= max1(cols)) {
        *trans = true;
    } else {
        *trans = !tc;
        u = *copy = tensor_clone(t, DT_UNDEFINED);
        if (!u) return NULL;
    }
    *ld = u->stride[*trans == tc ? 1 : 0];
    return tensor_data(u);
}

/* ATen's addmm_impl_cpu_ into r, rm x rn at rp with strides (rs0, rs1):
 * a fresh contiguous result or one batch of one, holding self already
 * when beta != 0. m1 (rm x k) and m2 (k x rn) are 2-D, k > 0. */
bool blas_addmm(char *rp, int64_t rm, int64_t rn, int64_t rs0, int64_t rs1, Tensor *m1, Tensor *m2,
                       double beta, double alpha) {
    /* the result as BLAS's column-major C: itself, or transposed with the
     * operands swapped (a fresh result always fits one of the two) */
    bool tc = !(rs0 == 1 && (rn == 1 || rs1 >= max1(rm)));
    if (tc) {
        Tensor *t = m1;
        m1 = m2, m2 = t;
    }
    int64_t m = tc ? rn : rm, n = tc ? rm : rn, k = m1->shape[tc ? 0 : 1];
    Tensor *ac = NULL, *bc = NULL;
    bool ta, tb;
    int64_t lda, ldb;
    const char *a = blas_operand(m1, tc, m, k, &ta, &lda, &ac);
    const char *b = a ? blas_operand(m2, tc, k, n, &tb, &ldb, &bc) : NULL;
    if (b) kernel_blas_gemm(m1->dtype, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, rp, tc ? rs0 : rs1);
    tensor_release(ac);
    tensor_release(bc);
    return b != NULL;
}

static Tensor *view2(Tensor *t, int64_t r, int64_t c, int64_t rs, int64_t cs, int64_t off) {
    int64_t sh[2] = {r, c}, st[2] = {rs, cs};
    return tensor_as_strided(t, 2, sh, st, off);
}

/* mm (beta 0) or addmm into a fresh contiguous (m, n) result; self
 * (expanded to (m, n)) only read when beta != 0 */
static Tensor *blas_mm(Tensor *self, Tensor *a, Tensor *b, double beta, double alpha) {
    int64_t sh[2] = {a->shape[0], b->shape[1]}, st[2];
    Tensor *out = tensor_empty(a->dtype, 2, sh, a->storage->device);
    if (!out || tensor_numel(out) == 0) return out;
    contiguous_strides(2, sh, st);
    if (beta != 0 && !tensor_copy_(out, self)) goto fail;
    if (!blas_addmm(tensor_data(out), sh[0], sh[1], st[0], st[1], a, b, beta, alpha)) goto fail;
    return out;
fail:
    tensor_release(out);
    return NULL;
}

/* ATen's bmm_out_or_baddbmm_ for bmm: its own loops when k * m * n < 400,
 * else addmm_impl_cpu_ batch by batch. k > 0. */
static Tensor *blas_bmm(Tensor *a, Tensor *b) {
    int64_t B = a->shape[0], m = a->shape[1], k = a->shape[2], n = b->shape[2];
    int64_t sh[3] = {B, m, n}, st[3];
    Tensor *out = tensor_empty(a->dtype, 3, sh, a->storage->device);
    if (!out || tensor_numel(out) == 0) return out;
    contiguous_strides(3, sh, st);
    char *o = tensor_data(out);
    if (k * m * n < 400) {
        kernel_bmm_small(a->dtype, B, m, n, k, tensor_data(a), a->stride, tensor_data(b), b->stride, o, st, true, 0,
                         1);
        return out;
    }
    int64_t es = (int64_t)dtype_size(a->dtype);
    for (int64_t i = 0; i < B; i++) {
        Tensor *av = view2(a, m, k, a->stride[1], a->stride[2], a->offset + i * a->stride[0]);
        Tensor *bv = av ? view2(b, k, n, b->stride[1], b->stride[2], b->offset + i * b->stride[0]) : NULL;
        bool ok = bv && blas_addmm(o + i * st[0] * es, m, n, st[1], st[2], av, bv, 0, 1);
        tensor_release(av);
        tensor_release(bv);
        if (!ok || tsr_check_interrupt()) {
            tensor_release(out);
            return NULL;
        }
    }
    return out;
}

/* ATen's addmv_out_cpu for mv (beta 0, alpha 1): gemv 'n' on a
 * column-major matrix, 't' on a row-major one, else on a contiguous copy;
 * a zero-stride vector is made contiguous. k > 0. */
static Tensor *blas_mv(Tensor *mat, Tensor *vec) {
    int64_t m = mat->shape[0], k = mat->shape[1];
    Tensor *out = tensor_empty(mat->dtype, 1, &m, mat->storage->device);
    if (!out || m == 0) return out;
    Tensor *mc = NULL;
    int64_t incx = vec->stride[0];
    const char *x = tensor_data(vec);
    const int64_t *ms = mat->stride;
    if (ms[0] == 1 && (k == 1 || ms[1] >= max1(m))) {
        kernel_blas_gemv(mat->dtype, false, m, k, 1, tensor_data(mat), ms[1], x, incx, 0, tensor_data(out), 1);
    } else if (ms[1] == 1 && (m == 1 || ms[0] >= max1(k))) {
        kernel_blas_gemv(mat->dtype, true, k, m, 1, tensor_data(mat), ms[0], x, incx, 0, tensor_data(out), 1);
    } else {
        if (!(mc = tensor_clone(mat, DT_UNDEFINED))) goto fail;
        kernel_blas_gemv(mat->dtype, true, k, m, 1, tensor_data(mc), mc->stride[0], x, incx, 0, tensor_data(out), 1);
    }
    tensor_release(mc);
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

/* both on one device (the device check of the op itself raises otherwise) */
static bool device_same_quiet(const Tensor *a, const Tensor *b) {
    return a->storage->device.type == b->storage->device.type && a->storage->device.index == b->storage->device.index;
}

/* Complex products of CUDA tensors: tsr has no GPU complex kernel, so
 * they run on CPU copies (the BLAS path below) and the result moves back */
/* f(a, b) over host copies, the result on the device, recorded as the
 * node kind that f records on the host (saving a, b) */
static Tensor *complex_on_host(Tensor *(*f)(Tensor *, Tensor *), GradNodeKind kind, Tensor *a, Tensor *b) {
    Tensor *ca = NULL, *cb = NULL, *r = NULL;
    NO_GRAD({
        ca = op_to(a, a->dtype, device_cpu(), false);
        cb = ca ? op_to(b, b->dtype, device_cpu(), false) : NULL;
        r = cb ? f(ca, cb) : NULL;
    });
    Device dev = tensor_is_cuda(a) ? a->storage->device : b->storage->device;
    tensor_release(ca);
    tensor_release(cb);
    Tensor *ins[2] = {a, b};
    return r ? ag_record_steal(op_host_result_to_steal(r, dev), kind, ins, 2, ins, 2, NULL, 0) : NULL;
}
static bool complex_cuda_pair(const Tensor *a, const Tensor *b) {
    return (dtype_is_complex(a->dtype) || dtype_is_complex(b->dtype)) && (tensor_is_cuda(a) || tensor_is_cuda(b));
}

Tensor *op_mm(Tensor *a, Tensor *b) {
    if (complex_cuda_pair(a, b) && device_same_quiet(a, b)) return complex_on_host(op_mm, NODE_MmBackward0, a, b);
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
        shape_note_set(SHAPE_NOTE_MATMUL, 2, a->shape, 2, b->shape);
        return NULL;
    }
    /* PyTorch's kernels check dtypes only when there is work: an empty product
     * of mixed dtypes is zeros of a's dtype */
    if (has_work(a, b) && (!check_same_dtype(a, b) || !check_impl(a->dtype, "addmm_impl_cpu_", tensor_is_cuda(a))))
        return NULL;
    int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
    int64_t sh[2] = {m, n};
    Tensor *ins[2] = {a, b};
    if (has_work(a, b) && blas_pair(a, b))
        return ag_record_steal(blas_mm(NULL, a, b, 0, 1), NODE_MmBackward0, ins, 2, ins, 2, NULL, 0);
    Tensor *o = gemm2(a, m, k, a->stride[0], a->stride[1], b, n, b->stride[0], b->stride[1]);
    return ag_record_steal(drop_batch(o, 2, sh), NODE_MmBackward0, ins, 2, ins, 2, NULL, 0);
}

static Tensor *mv(Tensor *a, Tensor *v) {
    if (complex_cuda_pair(a, v) && device_same_quiet(a, v)) return complex_on_host(mv, NODE_MvBackward0, a, v);
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
    Tensor *ins[2] = {a, v};
    if (has_work(a, v) && blas_pair(a, v))
        return ag_record_steal(blas_mv(a, v), NODE_MvBackward0, ins, 2, ins, 2, NULL, 0);
    Tensor *o = gemm2(a, m, k, a->stride[0], a->stride[1], v, 1, v->stride[0], 1);
    return ag_record_steal(drop_batch(o, 1, &m), NODE_MvBackward0, ins, 2, ins, 2, NULL, 0);
}

Tensor *op_dot(Tensor *a, Tensor *b) {
    if (complex_cuda_pair(a, b) && device_same_quiet(a, b)) return complex_on_host(op_dot, NODE_DotBackward0, a, b);
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
    Tensor *ins[2] = {a, b};
    if (blas_pair(a, b)) {
        Tensor *o = tensor_empty(a->dtype, 0, NULL, a->storage->device);
        if (o)
            kernel_blas_dot(a->dtype, k, tensor_data(a), a->stride[0], tensor_data(b), b->stride[0], tensor_data(o));
        return ag_record_steal(o, NODE_DotBackward0, ins, 2, ins, 2, NULL, 0);
    }
    Tensor *o = gemm2(a, 1, k, k, a->stride[0], b, 1, b->stride[0], 1);
    return ag_record_steal(drop_batch(o, 0, NULL), NODE_DotBackward0, ins, 2, ins, 2, NULL, 0);
}

Tensor *op_bmm(Tensor *a, Tensor *b) {
    if (complex_cuda_pair(a, b) && device_same_quiet(a, b)) return complex_on_host(op_bmm, NODE_BmmBackward0, a, b);
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
    if (has_work(a, b) && blas_pair(a, b))
        return ag_record_steal(blas_bmm(a, b), NODE_BmmBackward0, ins, 2, ins, 2, NULL, 0);
    return ag_record_steal(batched_gemm(a, b), NODE_BmmBackward0, ins, 2, ins, 2, NULL, 0);
}

/* at::_unsafe_view: t's storage with shape (strides derived for the given
 * size-1 insertions), recorded as UnsafeViewBackward0. */
static Tensor *unsafe_view(Tensor *t, int nd, const int64_t *shape, const int64_t *stride) {
    OpCtx ctx = op_ctx(t, 0, NULL);
    return ag_record_steal(tensor_as_strided(t, nd, shape, stride, t->offset) /* offset: t's own */,
                           NODE_UnsafeViewBackward0, &t, 1, NULL, 0, &ctx, sizeof ctx);
}

/* _unsafe_view of t (contiguous, fresh; stolen) to shape. */
static Tensor *unsafe_view_steal(Tensor *t, int ndim, const int64_t *shape) {
    if (!t) return NULL;
    int64_t st[TSR_MAX_DIMS];
    contiguous_strides(ndim, shape, st);
    Tensor *r = unsafe_view(t, ndim, shape, st);
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
            shape_note_set(SHAPE_NOTE_BROADCAST, na, a, nb, b);
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
        Tensor *s = ag_record_steal(tensor_as_strided(r, 1, r->shape + 1, r->stride + 1, r->offset), NODE_SqueezeBackward3,
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

/* ---- addmm ---- */

/* addmm as ATen's addmm_out_cpu runs it: self expanded into the result,
 * then one gemm with alpha and beta (for float32/float64 on the CPU with
 * work to do), so a bias joins the sum where BLAS adds it. */
static Tensor *blas_addmm_op(Tensor *self, Tensor *m1, Tensor *m2, double beta, double alpha) {
    Tensor *out = NULL;
    NO_GRAD({
        int64_t sh[2] = {m1->shape[0], m2->shape[1]};
        Tensor *e = op_expand(self, 2, sh);
        if (e) out = blas_mm(e, m1, m2, beta, alpha);
        tensor_release(e);
    });
    if (!out) return NULL;
    Tensor *in[3] = {self, m1, m2};
    AddmmCtx c = {beta, alpha};
    return ag_record_steal(out, NODE_AddmmBackward0, in, 3, (Tensor *[]){m1, m2}, 2, &c, sizeof c);
}

Tensor *op_addmm(Tensor *self, Tensor *m1, Tensor *m2, double beta, double alpha) {
    if (m1->ndim == 2 && m2->ndim == 2 && m1->shape[1] == m2->shape[0] && has_work(m1, m2) &&
        blas_pair(m1, m2) && blas_pair(self, m1))
        return blas_addmm_op(self, m1, m2, beta, alpha);
    Tensor *mm = NULL, *out = NULL;
    /* bfloat16: one oneDNN gemm, beta * self + alpha * m1 @ m2 in float32
     * and rounded to bfloat16 once */
    bool bf16 = m1->dtype == DT_BFLOAT16 && m2->dtype == DT_BFLOAT16 && self->dtype == DT_BFLOAT16;
    NO_GRAD({
        Tensor *f1 = bf16 ? op_to_dtype(m1, DT_FLOAT32) : tensor_retain(m1);
        Tensor *f2 = bf16 ? op_to_dtype(m2, DT_FLOAT32) : tensor_retain(m2);
        Tensor *fs = bf16 ? op_to_dtype(self, DT_FLOAT32) : tensor_retain(self);
        Tensor *keep = self;
        self = fs;
        mm = f1 && f2 && fs ? op_mm(f1, f2) : NULL;
        tensor_release(f1);
        tensor_release(f2);
        if (mm) { /* PyTorch expands self to the product's shape first (expand's errors) */
            Tensor *e = op_expand(self, mm->ndim, mm->shape);
            if (!e) tensor_release(mm), mm = NULL;
            tensor_release(e);
        }
        if (mm && alpha != 1) {
            Tensor *al = tensor_wrapped_float(alpha), *t = al ? op_binary(BIN_MUL, mm, al) : NULL;
            tensor_release(al);
            tensor_release(mm);
            mm = t;
        }
        if (mm && beta == 0) {
            out = tensor_retain(mm);
        } else if (mm) {
            out = op_add_alpha(mm, self, beta, false);
        }
        self = keep;
        tensor_release(fs);
        if (out && bf16) {
            Tensor *r = op_to_dtype(out, DT_BFLOAT16);
            tensor_release(out);
            out = r;
        }
    });
    tensor_release(mm);
    if (!out) return NULL;
    Tensor *in[3] = {self, m1, m2};
    AddmmCtx c = {beta, alpha};
    return ag_record_steal(out, NODE_AddmmBackward0, in, 3, (Tensor *[]){m1, m2}, 2, &c, sizeof c);
}

/* ---- products: inner, outer, tensordot, vdot, kron, cross ---- */

/* PyTorch's inner: self * other for a 0-dim operand, else
 * tensordot(self, other, [-1], [-1]): permute, reshape to matrices, mm,
 * reshape to the result. */
Tensor *op_inner(Tensor *a, Tensor *b) {
    if (a->ndim == 0 || b->ndim == 0) return op_binary(BIN_MUL, a, b);
    if (a->shape[a->ndim - 1] != b->shape[b->ndim - 1]) {
        char s1[256], s2[256];
        op_shape_text(s1, sizeof s1, a->ndim, a->shape);
        op_shape_text(s2, sizeof s2, b->ndim, b->shape);
        tsr_raise(ERR_RuntimeError,
                  "inner() the last dimension must match on both input tensors but got shapes %s and %s", s1,
                  s2);
        return NULL;
    }
    if (a->ndim + b->ndim - 2 > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions", TSR_MAX_DIMS);
        return NULL;
    }
    int64_t k = a->shape[a->ndim - 1], m = 1, n = 1;
    int64_t p1[TSR_MAX_DIMS], p2[TSR_MAX_DIMS], rs[TSR_MAX_DIMS];
    int nr = 0;
    for (int d = 0; d < a->ndim; d++) p1[d] = d;
    for (int d = 0; d < a->ndim - 1; d++) m *= a->shape[d], rs[nr++] = a->shape[d];
    p2[0] = b->ndim - 1;
    for (int d = 0; d < b->ndim - 1; d++) p2[d + 1] = d, n *= b->shape[d], rs[nr++] = b->shape[d];
    Tensor *t[5] = {0}, *r = NULL;
    int64_t s1[2] = {m, k}, s2[2] = {k, n};
    if ((t[0] = op_permute(a, a->ndim, p1)) && (t[1] = op_reshape(t[0], 2, s1)) &&
        (t[2] = op_permute(b, b->ndim, p2)) && (t[3] = op_reshape(t[2], 2, s2)) &&
        (t[4] = op_mm(t[1], t[3])))
        r = op_reshape(t[4], nr, rs);
    op_release_all(t, 5);
    return r;
}

/* PyTorch's outer: self.reshape({n, 1}) * vec2 */
Tensor *op_outer(Tensor *a, Tensor *b) {
    if (a->ndim != 1 || b->ndim != 1) {
        tsr_raise(ERR_RuntimeError, "outer: Expected 1-D argument %s, but got %d-D",
                  a->ndim != 1 ? "self" : "vec2", a->ndim != 1 ? a->ndim : b->ndim);
        return NULL;
    }
    int64_t s[2] = {a->shape[0], 1};
    Tensor *c = op_reshape(a, 2, s);
    Tensor *r = c ? op_binary(BIN_MUL, c, b) : NULL;
    tensor_release(c);
    return r;
}

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

Tensor *op_vdot(Tensor *a, Tensor *b) {
    if (complex_cuda_pair(a, b) && device_same_quiet(a, b)) return complex_on_host(op_vdot, NODE_VdotBackward0, a, b);
    Tensor *r = NULL;
    if (dtype_is_complex(a->dtype) && a->ndim == 1 && b->ndim == 1 && a->shape[0] == b->shape[0] && blas_pair(a, b)) {
        r = tensor_empty(a->dtype, 0, NULL, a->storage->device); /* conj(a) . b: cdotc */
        if (r)
            kernel_blas_vdot(a->dtype, a->shape[0], tensor_data(a), a->stride[0], tensor_data(b), b->stride[0],
                             tensor_data(r));
    } else
        NO_GRAD(r = op_dot(a, b));
    Tensor *ins[2] = {a, b};
    return ag_record_steal(r, NODE_VdotBackward0, ins, 2, ins, 2, NULL, 0);
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
    if (a->dtype == DT_FLOAT16 || a->dtype == DT_BOOL) { /* the kernel's dispatch, then its data_ptr<T> */
        op_raise_not_implemented("cross", a->dtype);
        return NULL;
    }
    if (a->dtype != b->dtype) {
        tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", dtype_scalar_name(a->dtype),
                  dtype_scalar_name(b->dtype));
        return NULL;
    }
    DType rt = a->dtype;
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
    return ag_record_steal(out, NODE_LinalgCrossBackward0, ins, 2, ins, 2, &ctx, sizeof ctx);
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

/* ---- matrix parts: trace, diag, tril/triu ---- */

Tensor *op_diag(Tensor *a, int64_t diagonal) {
    Tensor *out = NULL;
    if (!op_kernel_supports("diag", a->dtype, false, true)) return NULL;
    if (a->ndim == 1) {
        int64_t n = a->shape[0], k = diagonal < 0 ? -diagonal : diagonal, sz[2] = {n + k, n + k};
        out = tensor_zeros(a->dtype, 2, sz, a->storage->device);
        if (!out) return NULL;
        Tensor *dg = op_diagonal(out, diagonal, 0, 1);
        bool ok = dg && tensor_copy_(dg, a);
        tensor_release(dg);
        if (!ok) {
            tensor_release(out);
            return NULL;
        }
    } else if (a->ndim == 2) {
        Tensor *dg = NULL;
        NO_GRAD(dg = op_diagonal(a, diagonal, 0, 1));
        out = dg ? tensor_clone(dg, DT_UNDEFINED) : NULL;
        tensor_release(dg);
        if (!out) return NULL;
    } else {
        tsr_raise(ERR_RuntimeError, "%s", "matrix or a vector expected");
        return NULL;
    }
    int64_t args[1] = {diagonal};
    OpCtx ctx = op_ctx(a, 1, args);
    return ag_record_steal(out, NODE_DiagBackward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
}

/* diag_embed: a zeros tensor with a's last dim on the diagonal (offset,
 * dim1, dim2) of two new dims, as ATen's diag_embed; args {offset, dim1,
 * dim2} (wrapped). */
Tensor *op_diag_embed(Tensor *a, int64_t offset, int64_t dim1, int64_t dim2) {
    int nd = a->ndim + 1;
    int d1 = wrap_dim(dim1, nd);
    if (d1 < 0) return NULL;
    int d2 = wrap_dim(dim2, nd);
    if (d2 < 0) return NULL;
    if (d1 == d2) {
        tsr_raise(ERR_RuntimeError, "diagonal dimensions cannot be identical %lld, %lld", (long long)dim1,
                  (long long)dim2);
        return NULL;
    }
    int64_t n = (offset < 0 ? -offset : offset) + a->shape[a->ndim - 1], sizes[TSR_MAX_DIMS];
    int lo = d1 < d2 ? d1 : d2, hi = d1 < d2 ? d2 : d1, k = 0;
    for (int i = 0; i < nd; i++) sizes[i] = (i == lo || i == hi) ? n : a->shape[k++];
    Tensor *out = tensor_zeros(a->dtype, nd, sizes, a->storage->device);
    if (!out) return NULL;
    Tensor *dg = NULL;
    NO_GRAD(dg = op_diagonal(out, offset, d1, d2));
    bool ok = dg && tensor_copy_(dg, a);
    tensor_release(dg);
    if (!ok) {
        tensor_release(out);
        return NULL;
    }
    int64_t args[3] = {offset, d1, d2};
    OpCtx ctx = op_ctx(a, 3, args);
    return ag_record_steal(out, NODE_DiagEmbedBackward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
}

/* block_diag: the inputs (0-D as 1x1, 1-D as a row) down the diagonal of
 * a zeros matrix of their promoted dtype; the node reads each input's
 * shape from its edge. */
Tensor *op_block_diag(Tensor *const *ts, int n) {
    if (n == 0) {
        int64_t sz[2] = {1, 0};
        return tensor_empty(DT_FLOAT32, 2, sz, device_cpu());
    }
    DType dt = ts[0]->dtype;
    int64_t rows = 0, cols = 0;
    for (int i = 0; i < n; i++) {
        if (ts[i]->ndim > 2) {
            tsr_raise(ERR_RuntimeError,
                      "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input %d has %d dimensions",
                      i, ts[i]->ndim);
            return NULL;
        }
        if (!device_equal(ts[i]->storage->device, ts[0]->storage->device)) {
            char d0[32], di[32];
            device_str(ts[0]->storage->device, d0, sizeof d0);
            device_str(ts[i]->storage->device, di, sizeof di);
            tsr_raise(ERR_RuntimeError,
                      "torch.block_diag: input tensors must all be on the same device. Input 0 is on device %s "
                      "and input %d is on device %s", d0, i, di);
            return NULL;
        }
        dt = dtype_promote(dt, ts[i]->dtype);
        rows += ts[i]->ndim == 2 ? ts[i]->shape[0] : 1;
        cols += ts[i]->ndim == 0 ? 1 : ts[i]->shape[ts[i]->ndim - 1];
    }
    int64_t sz[2] = {rows, cols}, r = 0, c = 0;
    Tensor *out = tensor_zeros(dt, 2, sz, ts[0]->storage->device);
    if (!out) return NULL;
    for (int i = 0; i < n; i++) {
        int64_t h = ts[i]->ndim == 2 ? ts[i]->shape[0] : 1, w = ts[i]->ndim == 0 ? 1 : ts[i]->shape[ts[i]->ndim - 1];
        int64_t bs[2] = {h, w}, st[2] = {cols, 1};
        Tensor *block = tensor_as_strided(out, 2, bs, st, r * cols + c);
        Tensor *src = NULL;
        if (block) NO_GRAD(src = op_reshape(ts[i], 2, bs));
        bool ok = src && tensor_copy_(block, src);
        tensor_release(src);
        tensor_release(block);
        if (!ok) {
            tensor_release(out);
            return NULL;
        }
        r += h;
        c += w;
    }
    return ag_record_steal(out, NODE_BlockDiagBackward0, ts, n, NULL, 0, NULL, 0);
}

Tensor *op_trace(Tensor *a) {
    if (a->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "trace: expected a matrix, but got tensor with dim %d", a->ndim);
        return NULL;
    }
    if (!op_reduced_float_ok(RF_TRACE, a)) return NULL;
    Tensor *dg = NULL, *s = NULL;
    NO_GRAD(dg = op_diagonal(a, 0, 0, 1); s = dg ? op_sum(dg, 0, NULL, false, DT_UNDEFINED) : NULL);
    tensor_release(dg);
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(s, NODE_TraceBackward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
}

Tensor *op_tril(Tensor *a, int64_t diagonal, bool upper) {
    if (wrap_dim(-2, a->ndim) < 0) return NULL;
    Tensor *out = tensor_clone(a, DT_UNDEFINED);
    if (!out) return NULL;
    int64_t r = a->shape[a->ndim - 2], c = a->shape[a->ndim - 1], es = (int64_t)dtype_size(a->dtype);
    int64_t mats = (r && c) ? tensor_numel(a) / (r * c) : 0;
    KernelStatus st;
    DEVICE_RUN(st, out->storage->device, tril, (int)es, out->storage->data, mats, r, c, diagonal, upper);
    (void)st; /* a loop for every element size on the CPU */
    int64_t args[1] = {diagonal};
    OpCtx ctx = op_ctx(a, 1, args);
    return ag_record_steal(out, upper ? NODE_TriuBackward0 : NODE_TrilBackward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
}

/* ---- norms: linalg.vector_norm, torch.norm ---- */

/* ATen's norm kernel over x's dims (x a non-empty float32/float64 CPU
 * tensor): its order of accumulation, so the bits match PyTorch's. */
static Tensor *norm_on_cpu(Tensor *x, double ord, int ndims, const int64_t *dims, bool keepdim) {
    ReduceGeom g;
    int ond;
    int64_t osh[TSR_MAX_DIMS];
    if (!op_reduce_plan(x, ndims, dims, keepdim, &g, &ond, osh)) return NULL;
    Tensor *out = tensor_empty(x->dtype, ond, osh, x->storage->device);
    if (out) kernel_norm(x->dtype, &g, tensor_ptr(x), tensor_ptr(out), ord);
    return out;
}

Tensor *op_vector_norm(Tensor *a, double ord, int ndims, const int64_t *dims, bool keepdim, DType dtype) {
    if (!dtype_is_float(a->dtype)) {
        tsr_raise(ERR_RuntimeError,
                  "linalg.vector_norm: Expected a floating point or complex tensor as input. Got %s",
                  dtype_scalar_name(a->dtype));
        return NULL;
    }
    if (ord < 0 && tensor_numel(a) == 0) {
        tsr_raise(ERR_RuntimeError,
                  "linalg.vector_norm cannot compute the %g norm on an empty tensor because the operation "
                  "does not have an identity", ord);
        return NULL;
    }
    Tensor *x = NULL, *ax = NULL, *r = NULL, *t = NULL, *e = NULL;
    NO_GRAD({
        x = dtype != DT_UNDEFINED ? op_to_dtype(a, dtype) : tensor_retain(a);
        bool cpu_kernel = x && !tensor_is_cuda(x) && (x->dtype == DT_FLOAT32 || x->dtype == DT_FLOAT64) &&
                          tensor_numel(x) > 0;
        ax = x && !cpu_kernel ? op_unary(UN_ABS, x) : NULL;
        if (cpu_kernel) {
            r = norm_on_cpu(x, ord, ndims, dims, keepdim);
        } else if (!ax) {
        } else if (isinf(ord)) {
            r = ord > 0 ? op_amax(ax, ndims, dims, keepdim) : op_amin(ax, ndims, dims, keepdim);
        } else if (ord == 0) {
            Tensor *zero = tensor_wrapped_int(0);
            t = zero ? op_binary(BIN_NE, ax, zero) : NULL;
            r = t ? op_sum(t, ndims, dims, keepdim, x->dtype) : NULL;
            tensor_release(zero);
        } else if (ord == 1) {
            r = op_sum(ax, ndims, dims, keepdim, DT_UNDEFINED);
        } else if (ord == 2) {
            t = op_binary(BIN_MUL, ax, ax);
            e = t ? op_sum(t, ndims, dims, keepdim, DT_UNDEFINED) : NULL;
            r = e ? op_unary(UN_SQRT, e) : NULL;
        } else {
            Tensor *pt = tensor_wrapped_float(ord), *inv = tensor_wrapped_float(1.0 / ord);
            t = pt && inv ? op_binary(BIN_POW, ax, pt) : NULL;
            e = t ? op_sum(t, ndims, dims, keepdim, DT_UNDEFINED) : NULL;
            r = e ? op_binary(BIN_POW, e, inv) : NULL;
            tensor_release(pt);
            tensor_release(inv);
        }
    });
    tensor_release(x);
    tensor_release(ax);
    tensor_release(t);
    tensor_release(e);
    if (!r) return NULL;
    int64_t args[TSR_MAX_DIMS + 4];
    memcpy(&args[0], &ord, sizeof ord);
    args[1] = keepdim;
    int nargs = 2;
    for (int i = 0; i < ndims && nargs < TSR_MAX_DIMS + 4; i++) args[nargs++] = dims[i];
    OpCtx ctx = op_ctx(a, nargs, args);
    return ag_record_steal(r, NODE_LinalgVectorNormBackward0, &a, 1, (Tensor *[]){a, r}, 2, &ctx, sizeof ctx);
}

Tensor *op_norm(Tensor *a, double p, bool fro, int nd, const int64_t *dims, bool keepdim) {
    if (fro && nd > 2) {
        tsr_raise(ERR_RuntimeError, "Expected at most 2 dimensions, but got %d dimensions instead.", nd);
        return NULL;
    }
    if (fro && nd == 2) { /* frobenius_norm over two dims: sqrt(sum(self * self)) */
        int w0 = wrap_dim(dims[0], a->ndim), w1 = w0 < 0 ? -1 : wrap_dim(dims[1], a->ndim);
        if (w1 < 0) return NULL;
        if (w0 == w1) {
            tsr_raise(ERR_RuntimeError, "Expected dims to be different, got (%lld, %lld) instead",
                      (long long)dims[0], (long long)dims[1]);
            return NULL;
        }
        Tensor *sq = op_binary(BIN_MUL, a, a);
        Tensor *s = sq ? op_sum(sq, nd, dims, keepdim, DT_UNDEFINED) : NULL;
        Tensor *r = s ? op_unary(UN_SQRT, s) : NULL;
        tensor_release(sq);
        tensor_release(s);
        return r;
    }
    /* no dims (all of them) stays an empty dim list: its backward then
     * unsqueezes nothing, as PyTorch's */
    Tensor *r = op_vector_norm(a, fro ? 2.0 : p, nd, dims, keepdim, DT_UNDEFINED);
    if (r && r->grad_fn && r->grad_fn->kind == NODE_LinalgVectorNormBackward0)
        ag_node_set_kind(r->grad_fn, NODE_NormBackward1);
    return r;
}
