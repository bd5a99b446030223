/* linalg_add.c: the products that add into an input, beta * self +
 * alpha * (product): addmv (ATen's Blas.cpp), addr, addbmm and baddbmm
 * (LinearAlgebra.cpp). addmm is linalg.c's.
 *
 * float32/float64 on the CPU make the BLAS calls ATen makes (gemv for
 * addmv, one gemm per batch for addbmm and the large baddbmm, the small
 * baddbmm's own loop), so the sums keep PyTorch's order; addr is an
 * elementwise kernel (kernels/cpu/linalg_add.c) whose fused multiply-adds
 * follow PyTorch's AVX2 build. Other dtypes and the GPU compose mv/bmm
 * with the scaling, which for integers is the same arithmetic.
 *
 * Nodes: AddmvBackward0 {self, mat, vec}, saved {mat, vec};
 * AddrBackward0 {self, vec1, vec2}, saved {vec1, vec2};
 * AddbmmBackward0 / BaddbmmBackward0 {self, batch1, batch2}, saved
 * {batch1, batch2}; each with an AddmmCtx {beta, alpha}. */
#include <math.h>
#include <string.h>

#include "device.h"
#include "elementwise_iter.h"
#include "error.h"
#include "layout.h"
#include "linalg_add.h"
#include "linalg_blas.h"
#include "matmul.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"

/* a 0-dim tensor of dtype dt holding v as a C++ Scalar's to<T>() gives it */
static Tensor *scalar_of(DType dt, double v) {
    if (dtype_is_float(dt) || dt == DT_BOOL) return tensor_scalar_f64(dt, v);
    double t = trunc(v);
    if (!(fabs(t) < 9.2e18)) t = 0; /* NaN, infinities, past int64: no C cast */
    return tensor_scalar_i64(dt, (int64_t)t);
}

/* op_binary(MUL) of t by scalar v converted to dt, no grad (t retained
 * when v is 1) */
static Tensor *scaled(Tensor *t, double v, DType dt) {
    if (v == 1) return tensor_retain(t);
    Tensor *s = scalar_of(dt, v), *r = s ? ew_binary_nograd(BIN_MUL, t, s) : NULL;
    tensor_release(s);
    return r;
}

/* beta * self + alpha * prod in dtype dt (the composite path: integers,
 * bfloat16, the GPU); self (already at prod's shape) not read when beta
 * is 0 */
static Tensor *combine(Tensor *self, Tensor *prod, double beta, double alpha, DType dt) {
    Tensor *p = scaled(prod, alpha, dt), *r = NULL;
    if (!p) return NULL;
    if (beta == 0) {
        r = ew_to_dtype(p, dt);
    } else {
        Tensor *sb = scaled(self, beta, dt);
        Tensor *sum = sb ? ew_binary_nograd(BIN_ADD, sb, p) : NULL;
        r = sum ? ew_to_dtype(sum, dt) : NULL;
        tensor_release(sb);
        tensor_release(sum);
    }
    tensor_release(p);
    return r;
}

/* self * beta into a fresh tensor of dt (an empty product: ATen's
 * mul(self, beta) or zero_() when beta is 0) */
static Tensor *empty_product(Tensor *self_e, double beta, DType dt, int nd, const int64_t *shape, Device dev) {
    if (beta == 0) return tensor_zeros(dt, nd, shape, dev);
    Tensor *s = scalar_of(self_e->dtype, beta), *m = s ? ew_binary_nograd(BIN_MUL, self_e, s) : NULL;
    Tensor *r = m ? ew_to_dtype(m, dt) : NULL;
    tensor_release(s);
    tensor_release(m);
    return r;
}

/* a fresh contiguous result holding self_e (converted) when beta != 0 */
static Tensor *result_with_self(Tensor *self_e, double beta, DType dt, int nd, const int64_t *shape, Device dev) {
    Tensor *out = tensor_empty(dt, nd, shape, dev);
    if (out && beta != 0 && !tensor_copy_(out, self_e)) {
        tensor_release(out);
        return NULL;
    }
    return out;
}

static Tensor *record(Tensor *out, GradNodeKind kind, Tensor *self, Tensor *a, Tensor *b, double beta, double alpha) {
    Tensor *in[3] = {self, a, b};
    AddmmCtx c = {beta, alpha};
    return ag_record_steal(out, kind, in, 3, (Tensor *[]){a, b}, 2, &c, sizeof c);
}

/* ---- addmv ---- */

/* addmv_out_cpu's gemv: 'n' on a column-major matrix, 't' on a row-major
 * one, else on a contiguous copy; out holds self when beta != 0 */
static bool blas_addmv(Tensor *out, Tensor *mat, Tensor *vec, double beta, double alpha) {
    int64_t m = mat->shape[0], k = mat->shape[1];
    const int64_t *ms = mat->stride;
    const char *x = tensor_data(vec);
    if (ms[0] == 1 && (k == 1 || ms[1] >= (m > 1 ? m : 1))) {
        kernel_blas_gemv(mat->dtype, false, m, k, alpha, tensor_data(mat), ms[1], x, vec->stride[0], beta,
                         tensor_data(out), 1);
    } else if (ms[1] == 1 && (m == 1 || ms[0] >= (k > 1 ? k : 1))) {
        kernel_blas_gemv(mat->dtype, true, k, m, alpha, tensor_data(mat), ms[0], x, vec->stride[0], beta,
                         tensor_data(out), 1);
    } else {
        Tensor *mc = tensor_clone(mat, DT_UNDEFINED);
        if (!mc) return false;
        kernel_blas_gemv(mat->dtype, true, k, m, alpha, tensor_data(mc), mc->stride[0], x, vec->stride[0], beta,
                         tensor_data(out), 1);
        tensor_release(mc);
    }
    return true;
}

Tensor *op_addmv(Tensor *self, Tensor *mat, Tensor *vec, double beta, double alpha) {
    if (mat->ndim != 2 || vec->ndim != 1 || self->ndim > 1) {
        tsr_raise(ERR_RuntimeError, "vector + matrix @ vector expected, got %d, %d, %d", self->ndim, mat->ndim,
                  vec->ndim);
        return NULL;
    }
    int64_t m = mat->shape[0], k = mat->shape[1];
    if (k != vec->shape[0] || (m != tensor_numel(self) && tensor_numel(self) != 1)) {
        if (self->ndim == 0) {
            tsr_raise(ERR_IndexError, "%s", "Dimension specified as 0 but tensor has no dimensions");
            return NULL;
        }
        tsr_raise(ERR_RuntimeError, "size mismatch, got %lld, %lldx%lld,%lld", (long long)self->shape[0],
                  (long long)m, (long long)k, (long long)vec->shape[0]);
        return NULL;
    }
    Device dev = vec->storage->device;
    DType dt = vec->dtype;
    Tensor *se = NULL, *out = NULL;
    NO_GRAD({
        se = op_expand(self, 1, &m);
        if (!se) {
        } else if (m * k == 0) {
            out = empty_product(se, beta, dt, 1, &m, dev);
        } else if (mat->dtype != vec->dtype) {
            tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", dtype_scalar_name(mat->dtype),
                      dtype_scalar_name(vec->dtype));
        } else if (!op_kernel_supports("addmv_impl_cpu", dt, tensor_is_cuda(mat), false)) {
        } else if (blas_pair(mat, vec) && !tensor_is_cuda(se)) {
            out = result_with_self(se, beta, dt, 1, &m, dev);
            if (out && !blas_addmv(out, mat, vec, beta, alpha)) tensor_release(out), out = NULL;
        } else {
            Tensor *p = op_matmul(mat, vec);
            out = p ? combine(se, p, beta, alpha, dt) : NULL;
            tensor_release(p);
        }
    });
    tensor_release(se);
    return out ? record(out, NODE_AddmvBackward0, self, mat, vec, beta, alpha) : NULL;
}

/* ---- addr ---- */

static bool check_1d(Tensor *t, const char *name) {
    if (t->ndim == 1) return true;
    tsr_raise(ERR_RuntimeError, "addr: Expected 1-D argument %s, but got %d-D", name, t->ndim);
    return false;
}

/* check_addr_scalar */
static bool check_addr_scalar(DType dt, OpScalar s, const char *name) {
    if (s.kind == 'b' && dt != DT_BOOL) {
        tsr_raise(ERR_RuntimeError, "Boolean %s only supported for Boolean results.", name);
        return false;
    }
    if (!dtype_is_float(dt) && s.kind == 'f') {
        tsr_raise(ERR_RuntimeError, "For integral input tensors, argument %s must not be a floating point number.",
                  name);
        return false;
    }
    return true;
}

/* the float32/float64 kernel over out (out's memory order, as PyTorch's
 * iterator walks it) */
static bool addr_kernel_run(Tensor *out, Tensor *self, Tensor *v1, Tensor *v2, double beta, double alpha) {
    Tensor *ins[3] = {self, v1, v2}, *c[4] = {0};
    bool ok = false;
    bool swap = out->ndim == 2 && out->shape[1] > 1 && out->shape[0] > 1 && out->stride[0] == 1;
    Tensor *o = swap ? op_transpose(out, 0, 1) : tensor_retain(out);
    if (!o) return false;
    for (int k = 0; k < 3; k++) {
        Tensor *e = op_expand(ins[k], out->ndim, out->shape);
        c[k] = e && swap ? op_transpose(e, 0, 1) : tensor_retain(e);
        tensor_release(e);
        if (!c[k]) goto done;
        (void)tensor_data(c[k]); /* waits for the device */
    }
    (void)tensor_data(o);
    TsrIter it;
    ew_make_iter(&it, o, c, 3);
    ok = kernel_addr(out->dtype, &it, beta, alpha) == KERNEL_OK;
    if (!ok) op_raise_not_implemented("addr_cpu", out->dtype);
done:
    tensor_release(o);
    op_release_all(c, 4);
    return ok;
}

Tensor *op_addr(Tensor *self, Tensor *v1, Tensor *v2, OpScalar beta, OpScalar alpha, bool inplace) {
    if (!check_1d(v1, "vec1") || !check_1d(v2, "vec2")) return NULL;
    int64_t sh[2] = {v1->shape[0], v2->shape[0]};
    Tensor *self_e = inplace ? tensor_retain(self) : NULL, *out = NULL, *conv[3] = {0}, *v1r = NULL;
    if (!inplace) NO_GRAD(self_e = op_expand(self, 2, sh));
    if (!self_e) return NULL;
    if (self_e->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "2D tensor expected, got %dD tensor for input", self_e->ndim);
        goto done;
    }
    if (self_e->shape[0] != sh[0] || self_e->shape[1] != sh[1]) {
        char a[64], b[64], c[64];
        op_shape_text(a, sizeof a, self_e->ndim, self_e->shape);
        op_shape_text(b, sizeof b, 1, v1->shape);
        op_shape_text(c, sizeof c, 1, v2->shape);
        tsr_raise(ERR_RuntimeError, "size mismatch, input: %s, v1: %s, v2: %s", a, b, c);
        goto done;
    }
    Tensor *ops3[3] = {self_e, v1, v2};
    if (!device_check_same(ops3, 3)) goto done;
    ResultTypeState rs;
    result_type_init(&rs);
    for (int k = 0; k < 3; k++) result_type_add(&rs, ops3[k]->dtype, ops3[k]->ndim, false);
    DType dt = result_type_finish(&rs);
    if (inplace && ((dtype_is_float(dt) && !dtype_is_float(self->dtype)) || (dt != DT_BOOL && self->dtype == DT_BOOL))) {
        tsr_raise(ERR_RuntimeError, "result type %s can't be cast to the desired output type %s",
                  dtype_scalar_name(dt), dtype_scalar_name(self->dtype));
        goto done;
    }
    if (!check_addr_scalar(dt, beta, "beta") || !check_addr_scalar(dt, alpha, "alpha")) goto done;
    if (!op_kernel_supports("addr_cpu", dt, true, true)) goto done;
    Device dev = device_of_operands(ops3, 3);
    NO_GRAD({
        int64_t s1[2] = {sh[0], 1};
        v1r = op_reshape(v1, 2, s1);
        for (int k = 0; k < 3 && v1r; k++)
            if (!(conv[k] = ew_to_dtype(k == 1 ? v1r : ops3[k], dt))) break;
        if (!conv[2]) {
        } else if (dt == DT_FLOAT32 || dt == DT_FLOAT64) {
            Tensor *lay[3] = {conv[0], conv[1], conv[2]};
            out = layout_empty_elementwise(dt, 2, sh, dev, lay, 3);
            if (out && !addr_kernel_run(out, conv[0], conv[1], conv[2], beta.v, alpha.v))
                tensor_release(out), out = NULL;
        } else {
            /* (alpha * vec1) * vec2 and beta * self, each rounded to dt as
             * ATen's scalar_t arithmetic is; bool: and / or */
            Tensor *av = scaled(conv[1], alpha.v, dt);
            Tensor *p = av ? ew_binary_nograd(BIN_MUL, av, conv[2]) : NULL;
            if (p) out = combine(conv[0], p, beta.v, 1, dt);
            tensor_release(av);
            tensor_release(p);
        }
    });
    if (out) out = record(out, NODE_AddrBackward0, self, v1, v2, beta.v, alpha.v);
done:
    tensor_release(self_e);
    tensor_release(v1r);
    op_release_all(conv, 3);
    return out;
}

/* ---- baddbmm, addbmm ---- */

/* batch1.size(d) / batch2.size(d) with PyTorch's IndexError */
static bool size_at(Tensor *t, int d, int64_t *out) {
    if (d >= t->ndim) {
        int lo = t->ndim ? -t->ndim : -1, hi = t->ndim ? t->ndim - 1 : 0;
        tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [%d, %d], but got %d)", lo, hi,
                  d);
        return false;
    }
    *out = t->shape[d];
    return true;
}

static bool check_3d(Tensor *b1, Tensor *b2) {
    if (b1->ndim != 3) {
        tsr_raise(ERR_RuntimeError, "%s", "batch1 must be a 3D tensor");
        return false;
    }
    if (b2->ndim != 3) {
        tsr_raise(ERR_RuntimeError, "%s", "batch2 must be a 3D tensor");
        return false;
    }
    return true;
}

static Tensor *slice2(Tensor *t, int64_t i) { return tensor_as_strided(t, 2, t->shape + 1, t->stride + 1, t->offset + i * t->stride[0]); }

/* bmm_out_or_baddbmm_ for baddbmm on float32/float64: its own loop when
 * k * m * n < 400, else addmm_ (one gemm) batch by batch; out holds self
 * when beta != 0 */
static bool blas_baddbmm(Tensor *out, Tensor *b1, Tensor *b2, double beta, double alpha) {
    int64_t B = b1->shape[0], m = b1->shape[1], k = b1->shape[2], n = b2->shape[2];
    char *o = tensor_data(out);
    if (k * m * n < 400) {
        kernel_bmm_small(b1->dtype, B, m, n, k, tensor_data(b1), b1->stride, tensor_data(b2), b2->stride, o,
                         out->stride, false, beta, alpha);
        return true;
    }
    int64_t es = (int64_t)dtype_size(b1->dtype);
    for (int64_t i = 0; i < B; i++) {
        Tensor *av = slice2(b1, i), *bv = av ? slice2(b2, i) : NULL;
        bool ok = bv && blas_addmm(o + i * out->stride[0] * es, m, n, out->stride[1], out->stride[2], av, bv, beta,
                                   alpha);
        tensor_release(av);
        tensor_release(bv);
        if (!ok || tsr_check_interrupt()) return false;
    }
    return true;
}

Tensor *op_baddbmm(Tensor *self, Tensor *b1, Tensor *b2, double beta, double alpha) {
    int64_t sh[3];
    if (!size_at(b1, 0, &sh[0]) || !size_at(b1, 1, &sh[1]) || !size_at(b2, 2, &sh[2])) return NULL;
    Tensor *se = NULL, *out = NULL;
    NO_GRAD(se = op_expand(self, 3, sh));
    if (!se || !check_3d(b1, b2)) goto done;
    if (b2->shape[0] != b1->shape[0] || b2->shape[1] != b1->shape[2]) {
        tsr_raise(ERR_RuntimeError,
                  "Expected size for first two dimensions of batch2 tensor to be: [%lld, %lld] but got: [%lld, %lld].",
                  (long long)b1->shape[0], (long long)b1->shape[2], (long long)b2->shape[0], (long long)b2->shape[1]);
        goto done;
    }
    Device dev = b2->storage->device;
    DType dt = b2->dtype;
    int64_t k = b1->shape[2];
    bool small = k * sh[1] * sh[2] < 400;
    NO_GRAD({
        if (sh[0] * sh[1] * sh[2] == 0) {
            out = tensor_empty(dt, 3, sh, dev);
        } else if (k == 0) {
            out = empty_product(se, beta, dt, 3, sh, dev);
        } else if (b1->dtype != dt && small) {
            tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", dtype_scalar_name(b1->dtype),
                      dtype_scalar_name(dt));
        } else if (b1->dtype != dt) {
            tsr_raise(ERR_RuntimeError, "%s", "mat1 and mat2 must have the same dtype");
        } else if (!op_kernel_supports(small ? "baddbmm" : "addmm_impl_cpu_", dt, tensor_is_cuda(b1), false)) {
        } else if (blas_pair(b1, b2) && !tensor_is_cuda(se)) {
            out = result_with_self(se, beta, dt, 3, sh, dev);
            if (out && !blas_baddbmm(out, b1, b2, beta, alpha)) tensor_release(out), out = NULL;
        } else {
            Tensor *p = op_bmm(b1, b2);
            out = p ? combine(se, p, beta, alpha, dt) : NULL;
            tensor_release(p);
        }
    });
    if (out) out = record(out, NODE_BaddbmmBackward0, self, b1, b2, beta, alpha);
done:
    tensor_release(se);
    return out;
}

Tensor *op_addbmm(Tensor *self, Tensor *b1, Tensor *b2, double beta, double alpha) {
    int64_t sh[2];
    if (!size_at(b1, 1, &sh[0]) || !size_at(b2, 2, &sh[1])) return NULL;
    Tensor *se = NULL, *out = NULL;
    NO_GRAD(se = op_expand(self, 2, sh));
    if (!se || !check_3d(b1, b2)) goto done;
    if (b1->shape[0] != b2->shape[0]) {
        tsr_raise(ERR_RuntimeError, "batch1 and batch2 must have same number of batches, got %lld and %lld",
                  (long long)b1->shape[0], (long long)b2->shape[0]);
        goto done;
    }
    if (b1->shape[2] != b2->shape[1]) {
        tsr_raise(ERR_RuntimeError, "Incompatible matrix sizes for bmm (%lldx%lld and %lldx%lld)",
                  (long long)b1->shape[1], (long long)b1->shape[2], (long long)b2->shape[1], (long long)b2->shape[2]);
        goto done;
    }
    Device dev = se->storage->device;
    DType dt = self->dtype;
    int64_t B = b1->shape[0], k = b1->shape[2];
    NO_GRAD({
        if (B == 0) {
            out = empty_product(se, beta, dt, 2, sh, dev);
        } else if (dt != b2->dtype) { /* result.addmm_(batch1[b], batch2[b]): addmm's meta checks */
            tsr_raise(ERR_RuntimeError, "%s", "self and mat2 must have the same dtype");
        } else if (b1->dtype != b2->dtype) {
            tsr_raise(ERR_RuntimeError, "%s", "mat1 and mat2 must have the same dtype");
        } else if (sh[0] * sh[1] == 0) {
            out = tensor_empty(dt, 2, sh, dev);
        } else if (k == 0) {
            out = empty_product(se, beta, dt, 2, sh, dev);
        } else if (!op_kernel_supports("addmm_impl_cpu_", dt, tensor_is_cuda(b1), false)) {
        } else if (blas_pair(b1, b2) && !tensor_is_cuda(se)) {
            out = result_with_self(se, beta, dt, 2, sh, dev);
            char *o = out ? tensor_data(out) : NULL;
            for (int64_t i = 0; o && i < B; i++) {
                Tensor *av = slice2(b1, i), *bv = av ? slice2(b2, i) : NULL;
                bool ok = bv && blas_addmm(o, sh[0], sh[1], out->stride[0], out->stride[1], av, bv,
                                           i == 0 ? beta : 1, alpha);
                tensor_release(av);
                tensor_release(bv);
                if (!ok || tsr_check_interrupt()) tensor_release(out), out = NULL, o = NULL;
            }
        } else {
            Tensor *p = op_bmm(b1, b2);
            int64_t d0 = 0;
            Tensor *s = p ? op_sum(p, 1, &d0, false, dt) : NULL;
            out = s ? combine(se, s, beta, alpha, dt) : NULL;
            tensor_release(p);
            tensor_release(s);
        }
    });
    if (out) out = record(out, NODE_AddbmmBackward0, self, b1, b2, beta, alpha);
done:
    tensor_release(se);
    return out;
}
