/* elementwise.c: the elementwise machinery (broadcasting, type promotion,
 * operand conversion, kernel dispatch by device; elementwise_iter.h shares
 * it) and the unary and binary elementwise ops: the op rows of
 * elementwise_ops.h (op_binary, op_unary and their in-place forms), add/sub
 * with alpha, the Scalar overloads that formulas record, pow(number,
 * tensor), and the ops with arguments or loops of their own: positive,
 * sgn, signbit, round(decimals=), nan_to_num, div(rounding_mode=), isclose
 * (PyTorch's UnaryOps.cpp, BinaryOps.cpp). The ops of three operands are in
 * elementwise_ternary.c.
 *
 * Each op: PyTorch's dtype checks and promotion, broadcasting, inputs
 * converted to the compute dtype, one kernel call over a TsrIter, then the
 * autograd node. Saved tensors (ag_save order) per node:
 *   Mul/Div/Atan2/Maximum/Minimum/Remainder/Fmod/PowBackward0: a, b
 *   PowBackward1, HypotBackward0: a, b, result
 *   unary nodes: the result for exp/exp2/expm1/sigmoid/tanh/relu/sqrt/rsqrt/
 *   reciprocal, nothing for neg/sign/floor/ceil/round/trunc/frac, else input
 *   Add/SubBackward0 with alpha != 1: ctx AlphaCtx {alpha} (none: alpha 1).
 *   SgnBackward0, RoundBackward1: nothing (gradient zero).
 *   NanToNumBackward0: saved {self}; ctx an OpCtx of self, no args.
 *   DivBackward2 (rounding_mode): inputs {self, other}; nothing saved (the
 *     gradients are zero); ctx an OpCtx of self, no args.
 * In-place ops whose backward needs the old value of a save a clone of it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "elementwise_iter.h"
#include "error.h"
#include "iter.h"
#include "kernels.h"
#include "layout.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"
#include "shape_note.h"

const char *const binary_op_names[BIN_COUNT] = {
#define X(e, n, k, ...) n,
    TSR_BINARY_OPS(X)
#undef X
};
const char *const unary_op_names[UN_COUNT] = {
#define X(e, n, k, ...) n,
    TSR_UNARY_OPS(X)
#undef X
};

/* The op rows of elementwise_ops.h, as one struct per op. SAME and SWAP are
 * the rows' markers in the snode/rnode columns. */
enum { NODE_SAME = NODE_COUNT + 1, NODE_SWAP };
typedef struct {
    char kind, loops, half, saves;
    const char *kernel;
    int node, snode, rnode;
} BinaryRow;
typedef struct {
    char kind, loops, half, saves;
    const char *kernel;
    GradNodeKind node;
} UnaryRow;

static const BinaryRow binary_rows[BIN_COUNT] = {
#define X(e, n, k, other, inplace, loops, kernel, half, node, snode, rnode, saves) \
    {k, loops, half, saves, kernel, NODE_##node, NODE_##snode, NODE_##rnode},
    TSR_BINARY_OPS(X)
#undef X
};
static const UnaryRow unary_rows[UN_COUNT] = {
#define X(e, n, k, loops, kernel, half, node, saves) {k, loops, half, saves, kernel, NODE_##node},
    TSR_UNARY_OPS(X)
#undef X
};

void op_raise_not_implemented(const char *kernel, DType t) {
    tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", kernel, dtype_scalar_name(t));
}

/* PyTorch 1.13's CPU kernels that have no version for some dtypes:
 * '"diag" not implemented for 'Half''. Returns false with that error. */
bool op_kernel_supports(const char *kernel, DType t, bool half_ok, bool bool_ok) {
    if ((t == DT_FLOAT16 && !half_ok) || (t == DT_BOOL && !bool_ok)) {
        op_raise_not_implemented(kernel, t);
        return false;
    }
    return true;
}

int broadcast_shapes(int na, const int64_t *a, int nb, const int64_t *b, int64_t *out) {
    int nd = na > nb ? na : nb;
    if (nd > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, nd);
        return -1;
    }
    int64_t res[TSR_MAX_DIMS];
    for (int i = nd - 1; i >= 0; i--) {
        int ia = i - (nd - na), ib = i - (nd - nb);
        int64_t sa = ia >= 0 ? a[ia] : 1, sb = ib >= 0 ? b[ib] : 1;
        if (sa != sb && sa != 1 && sb != 1) {
            tsr_raise(ERR_RuntimeError,
                      "The size of tensor a (%lld) must match the size of tensor b (%lld) at "
                      "non-singleton dimension %d",
                      (long long)sa, (long long)sb, i);
            shape_note_set(SHAPE_NOTE_BROADCAST, na, a, nb, b);
            return -1;
        }
        res[i] = sa == 1 ? sb : sa;
    }
    memcpy(out, res, sizeof(int64_t) * nd);
    return nd;
}

/* Byte strides of t viewed with the broadcast shape (nd, shape). */
static void bcast_strides(const Tensor *t, int nd, const int64_t *shape, int64_t *out) {
    int64_t es = (int64_t)dtype_size(t->dtype);
    for (int d = 0; d < nd; d++) {
        int td = d - (nd - t->ndim);
        out[d] = (td < 0 || t->shape[td] == 1 || shape[d] == 1) ? 0 : t->stride[td] * es;
    }
}

/* Builds the iterator over out and inputs (all broadcast to out's shape).
 * The addresses are raw (tensor_ptr): the kernel runs on out's device, and
 * a CPU fallback for a CUDA tensor waits first (the run_* helpers). */
/* TensorIterator's reorder_dimensions: dims sorted so that the innermost
 * has the smallest strides (broadcast dims skipped; equal strides: the
 * smaller size inner), an insertion sort as ATen's. perm[0] is the
 * innermost dim. */
static int reorder_cmp(int nops, const int64_t (*st)[ITER_MAX_DIMS], const int64_t *shape, int d0, int d1) {
    for (int k = 0; k < nops; k++) {
        int64_t s0 = st[k][d0], s1 = st[k][d1];
        if (s0 == 0 || s1 == 0) continue;
        if (s0 < s1) return -1;
        if (s0 > s1) return 1;
        if (shape[d0] > shape[d1]) return 1;
    }
    return 0;
}

static void memory_order(int nops, int ndim, int64_t *shape, int64_t (*st)[ITER_MAX_DIMS]) {
    int perm[ITER_MAX_DIMS];
    for (int i = 0; i < ndim; i++) perm[i] = ndim - 1 - i;
    for (int i = 1; i < ndim; i++) {
        int d1 = i;
        for (int d0 = i - 1; d0 >= 0; d0--) {
            int c = reorder_cmp(nops, st, shape, perm[d0], perm[d1]);
            if (c > 0) {
                int t = perm[d0];
                perm[d0] = perm[d1], perm[d1] = t;
                d1 = d0;
            } else if (c < 0) {
                break;
            }
        }
    }
    int64_t sh[ITER_MAX_DIMS], ts[ITER_MAX_OPS][ITER_MAX_DIMS];
    for (int i = 0; i < ndim; i++) { /* row-major again: the innermost last */
        sh[ndim - 1 - i] = shape[perm[i]];
        for (int k = 0; k < nops; k++) ts[k][ndim - 1 - i] = st[k][perm[i]];
    }
    memcpy(shape, sh, sizeof(int64_t) * ndim);
    for (int k = 0; k < nops; k++) memcpy(st[k], ts[k], sizeof(int64_t) * ndim);
}

void ew_make_iter(TsrIter *it, Tensor *out, Tensor *const *ins, int nin) {
    int64_t strides[ITER_MAX_OPS][ITER_MAX_DIMS], shape[ITER_MAX_DIMS];
    char *data[ITER_MAX_OPS];
    bool cplx = dtype_is_complex(out->dtype);
    bcast_strides(out, out->ndim, out->shape, strides[0]);
    data[0] = tensor_ptr(out);
    for (int k = 0; k < nin; k++) {
        bcast_strides(ins[k], out->ndim, out->shape, strides[k + 1]);
        data[k + 1] = tensor_ptr(ins[k]);
        cplx = cplx || dtype_is_complex(ins[k]->dtype);
    }
    memcpy(shape, out->shape, sizeof(int64_t) * out->ndim);
    /* complex kernels split vectors from a scalar tail as ATen does, so
     * they walk memory in ATen's order (real dtypes keep row-major) */
    if (cplx) memory_order(nin + 1, out->ndim, shape, strides);
    iter_init(it, nin + 1, out->ndim, shape, data, strides);
}

/* ---- kernel dispatch by device: the device's kernel (the output's
 * device); if it has no loop for the op and dtype, the CPU kernel over the
 * managed memory after the pending kernels finish (DEVICE_RUN). */
static KernelStatus run_cast(Device dev, DType to, DType from, const TsrIter *it) {
    KernelStatus st;
    DEVICE_RUN(st, dev, cast, to, from, it);
    return st;
}
static KernelStatus run_binary(Device dev, BinaryOp op, DType dt, const TsrIter *it) {
    KernelStatus st;
    DEVICE_RUN(st, dev, binary, op, dt, it);
    return st;
}
static KernelStatus run_unary(Device dev, UnaryOp op, DType dt, const TsrIter *it) {
    KernelStatus st;
    DEVICE_RUN(st, dev, unary, op, dt, it);
    return st;
}
KernelStatus ew_run_where(Device dev, size_t es, const TsrIter *it) {
    KernelStatus st;
    DEVICE_RUN(st, dev, where, es, it);
    return st;
}

/* t converted to dtype (t itself retained when it already has it). */
Tensor *ew_to_dtype(Tensor *t, DType dtype) {
    if (t->dtype == dtype) return tensor_retain(t);
    Tensor *c = tensor_empty(dtype, t->ndim, t->shape, t->storage->device);
    if (!c) return NULL;
    TsrIter it;
    ew_make_iter(&it, c, &t, 1);
    run_cast(c->storage->device, dtype, t->dtype, &it);
    return c;
}

/* t as a kernel operand on dev in dtype. A CPU zero-dim tensor (a Python
 * scalar, or one PyTorch lets mix with CUDA tensors) goes to the GPU as a
 * fill, which needs no wait; anything else is already on dev. */
Tensor *ew_operand(Tensor *t, DType dtype, Device dev) {
    if (dev.type != DEV_CUDA || tensor_is_cuda(t)) return ew_to_dtype(t, dtype);
    Tensor *c = tensor_empty(dtype, 0, NULL, dev);
    if (!c) return NULL;
    char one[16];
    const char *p = tensor_data(t);
    if (dtype_is_complex(dtype) || dtype_is_complex(t->dtype)) dtype_convert_complex(dtype, one, t->dtype, p);
    else if (dtype == DT_BOOL) *(bool *)one = dtype_load_f64(t->dtype, p) != 0;
    else if (dtype_is_float(dtype) || dtype_is_float(t->dtype))
        dtype_store_f64(dtype, one, dtype_load_f64(t->dtype, p));
    else dtype_store_i64(dtype, one, dtype_load_i64(t->dtype, p));
    if (tsr_cuda->fill((int)dtype_size(dtype), tensor_ptr(c), 1, one) != KERNEL_OK)
        memcpy(storage_host(c->storage), one, dtype_size(dtype));
    return c;
}

DType ew_result_type2(Tensor *a, Tensor *b) {
    ResultTypeState s;
    result_type_init(&s);
    result_type_add(&s, a->dtype, a->ndim, a->wrapped_number);
    result_type_add(&s, b->dtype, b->ndim, b->wrapped_number);
    return result_type_finish(&s);
}

bool op_check_cast(DType from, DType to) {
    if (dtype_can_cast(from, to)) return true;
    tsr_raise(ERR_RuntimeError, "result type %s can't be cast to the desired output type %s",
              dtype_scalar_name(from), dtype_scalar_name(to));
    return false;
}

/* ---------------------------------------------------------------- binary */

/* The dtypes of a OP b: the promoted result type, the compute dtype and
 * the output dtype. */
typedef struct {
    DType result, compute, out;
} BinaryTypes;

/* Whether PyTorch's kernel has a loop for t (the rows' loops column). */
static bool loop_exists(char loops, DType t) {
    switch (loops) {
    case 'n': return t != DT_BOOL;
    case 'f': return dtype_is_float(t);
    case 'i': return dtype_is_int(t);
    case 'b': return dtype_is_integral(t, true);
    default: return true;
    }
}

/* The binary ops with complex loops (binary.c's COMPLEX_BINARY) */
static bool complex_loop_exists(BinaryOp op) {
    return op == BIN_ADD || op == BIN_SUB || op == BIN_MUL || op == BIN_DIV || op == BIN_EQ || op == BIN_NE ||
           op == BIN_POW;
}

/* Fills t after sub's bool check (which PyTorch makes before
 * TensorIterator). */
static bool binary_types(BinaryOp op, Tensor *a, Tensor *b, BinaryTypes *t) {
    const BinaryRow *row = &binary_rows[op];
    DType rt = ew_result_type2(a, b);
    if (op == BIN_SUB && (a->dtype == DT_BOOL || b->dtype == DT_BOOL)) {
        if (a->dtype == DT_BOOL && b->dtype == DT_BOOL)
            tsr_raise(ERR_RuntimeError, "%s",
                      "Subtraction, the `-` operator, with two bool tensors is not supported. "
                      "Use the `^` or `logical_xor()` operator instead.");
        else
            tsr_raise(ERR_RuntimeError, "%s",
                      "Subtraction, the `-` operator, with a bool tensor is not supported. If "
                      "you are trying to invert a mask, use the `~` or `logical_not()` operator "
                      "instead.");
        return false;
    }
    if (op == BIN_HEAVISIDE && a->dtype != b->dtype) {
        tsr_raise(ERR_RuntimeError, "%s", "heaviside is not yet implemented for tensors with different dtypes.");
        return false;
    }
    DType ct = rt;
    if (row->kind == 'f' && row->loops != 'f' && !dtype_is_float(rt) && !dtype_is_complex(rt)) ct = tsr_default_float;
    t->result = rt;
    t->compute = ct;
    t->out = (row->kind == 'c' || row->kind == 'l') ? DT_BOOL : ct;
    return true;
}

/* The kernel's own checks, after TensorIterator's shape and cast checks:
 * dtypes without a loop, integer division by zero, negative int powers. */
static bool binary_kernel_check(BinaryOp op, Tensor *a, Tensor *b, const BinaryTypes *t) {
    const BinaryRow *row = &binary_rows[op];
    DType rt = t->result, ct = t->compute;
    if (!loop_exists(row->loops, rt)) {
        op_raise_not_implemented(row->kernel, rt);
        return false;
    }
    if (dtype_is_complex(rt) && !complex_loop_exists(op)) { /* ATen's "<op>_cpu" */
        char k[64];
        snprintf(k, sizeof k, "%s_cpu", binary_op_names[op]);
        op_raise_not_implemented(row->kernel ? row->kernel : k, rt);
        return false;
    }
    /* PyTorch's CPU build lacks some float16 loops; its CUDA build has them */
    if (((ct == DT_FLOAT16 && row->half != '-') || (ct == DT_BFLOAT16 && row->half == 'x')) && !tensor_is_cuda(a) &&
        !tensor_is_cuda(b)) {
        op_raise_not_implemented(row->kernel, ct);
        return false;
    }
    /* an integer division by a Python 0 fails before touching the output */
    if ((op == BIN_FLOOR_DIVIDE || op == BIN_REMAINDER) && !dtype_is_float(ct) && b->wrapped_number &&
        !dtype_is_float(b->dtype) && tensor_get_i64(b, 0) == 0 && tensor_numel(a) > 0) {
        tsr_raise(ERR_RuntimeError, "%s", "ZeroDivisionError");
        return false;
    }
    if (op == BIN_POW && dtype_is_int(rt) && b->wrapped_number && !dtype_is_float(b->dtype) &&
        tensor_get_i64(b, 0) < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "Integers to negative integer powers are not allowed.");
        return false;
    }
    /* pow(tensor, number): the exponent converts to the compute type (float
     * and double kernels take it as a double) */
    if (op == BIN_POW && b->wrapped_number && !a->wrapped_number && ct != DT_FLOAT32 && ct != DT_FLOAT64 &&
        !scalar_fits(ct, b))
        return false;
    return true;
}

/* Runs op into out (already allocated with the broadcast shape). */
static bool binary_run(BinaryOp op, DType ct, Tensor *out, Tensor *a, Tensor *b) {
    Device dev = out->storage->device;
    Tensor *ca = ew_operand(a, ct, dev), *cb = ca ? ew_operand(b, ct, dev) : NULL;
    bool ok = false;
    if (!cb) goto fail;
    Tensor *ins[2] = {ca, cb};
    TsrIter it;
    ew_make_iter(&it, out, ins, 2);
    KernelStatus st = KERNEL_UNSUPPORTED;
    /* pow(tensor, number): ATen's kernel takes the number as a double */
    if (op == BIN_POW && b->wrapped_number && !a->wrapped_number && dev.type != DEV_CUDA &&
        (ct == DT_FLOAT32 || ct == DT_FLOAT64 || ct == DT_BFLOAT16))
        st = kernel_pow_scalar(ct, &it, tensor_get_f64(b, 0));
    if (st == KERNEL_UNSUPPORTED) st = run_binary(dev, op, ct, &it);
    if (st == KERNEL_ZERO_DIVISION) {
        tsr_raise(ERR_RuntimeError, "%s", "ZeroDivisionError");
        goto fail;
    }
    if (st != KERNEL_OK) {
        op_raise_not_implemented(binary_op_names[op], ct);
        goto fail;
    }
    ok = true;
fail:
    tensor_release(ca);
    tensor_release(cb);
    return ok;
}

/* The node out = a OP b records (NODE_NONE: none) and its edges: the ATen
 * overload Python picks. `2 * x` and `2 + x` are x.mul(2) / x.add(2)
 * (edges x, None: *swap); `3 - x` is rsub.Scalar and `x ** 3`, `x % 2`,
 * `x.fmod(2)`, `x // 2` are Scalar overloads: one edge. */
static GradNodeKind binary_node(BinaryOp op, const Tensor *a, const Tensor *b, int *edges, bool *swap) {
    const BinaryRow *row = &binary_rows[op];
    *edges = 2;
    *swap = false;
    if (b->wrapped_number && !a->wrapped_number && row->snode != NODE_SAME) {
        *edges = 1;
        return (GradNodeKind)row->snode;
    }
    if (a->wrapped_number && !b->wrapped_number && row->rnode != NODE_SAME) {
        if (row->rnode == NODE_SWAP) {
            *swap = true;
            return (GradNodeKind)row->node;
        }
        *edges = 1;
        return (GradNodeKind)row->rnode;
    }
    return (GradNodeKind)row->node;
}

static bool binary_differentiable(BinaryOp op, const Tensor *a, const Tensor *b) {
    int edges;
    bool swap;
    return binary_node(op, a, b, &edges, &swap) != NODE_NONE;
}

/* Records the node for out = a OP b and its saves (the row's saves
 * column); self_saved is what to save for a (a itself, or a clone of its
 * old value for in-place ops). */
static bool binary_record(BinaryOp op, Tensor *out, Tensor *a, Tensor *b, Tensor *self_saved) {
    int n;
    bool swap;
    GradNodeKind kind = binary_node(op, a, b, &n, &swap);
    Tensor *ins[2] = {a, b};
    if (!kind || !dtype_is_differentiable(out->dtype) || !ag_any_requires_grad(ins, 2)) return true;
    if (swap) {
        ins[0] = self_saved = b;
        ins[1] = b = a;
    } else if (n == 1 && a->wrapped_number) {
        ins[0] = b;
    }
    GradNode *node = ag_record(out, kind, ins, n);
    if (!node) return false;
    if (kind == NODE_NotImplemented) /* "derivative for aten::NAME is not implemented" */
        return (node->ctx = tsr_strndup(binary_op_names[op], strlen(binary_op_names[op]))) != NULL;
    char saves = binary_rows[op].saves;
    if (saves == '-') return true;
    return ag_save(node, self_saved) && ag_save(node, b) && (saves != 'r' || n == 1 || ag_save_result(node, out, 0));
}

bool op_record_not_implemented_multi(Tensor **outs, int nout, Tensor *const *ins, int n, const char *name) {
    if (!ag_any_requires_grad(ins, n)) return true;
    GradNode *node = ag_record_multi(outs, nout, NODE_NotImplemented, ins, n);
    return node && (node->ctx = tsr_strndup(name, strlen(name))) != NULL;
}

Tensor *op_record_not_implemented(Tensor *r, Tensor *const *ins, int n, const char *name) {
    if (!r || !ag_any_requires_grad(ins, n)) return r;
    GradNode *node = ag_record(r, NODE_NotImplemented, ins, n);
    if (!node || !(node->ctx = tsr_strndup(name, strlen(name)))) {
        tensor_release(r);
        return NULL;
    }
    return r;
}

/* pow_tensor_scalar_kernel's special exponents of a complex base: 0.5,
 * -0.5, -1 run sqrt, rsqrt, reciprocal; 2, 3, -2 are products. NULL with
 * no error when b is another exponent. */
static Tensor *complex_pow_special(Tensor *a, Tensor *b, bool *done) {
    double re, im;
    tensor_get_complex(b, 0, &re, &im);
    *done = true;
    if (im == 0 && re == 1) return op_clone(a);                /* copy_(base) */
    if (im == 0 && re == 0.5) return op_unary(UN_SQRT, a);
    if (im == 0 && re == -0.5) return op_unary(UN_RSQRT, a);
    if (im == 0 && re == -1) return op_unary(UN_RECIPROCAL, a);
    if (im == 0 && (re == 2 || re == 3 || re == -2)) {
        Tensor *sq = op_binary(BIN_MUL, a, a), *r = NULL;
        if (!sq || re == 2) return sq;
        r = re == 3 ? op_binary(BIN_MUL, sq, a) : op_unary(UN_RECIPROCAL, sq);
        tensor_release(sq);
        return r;
    }
    *done = false;
    return NULL;
}

Tensor *op_binary(BinaryOp op, Tensor *a, Tensor *b) {
    BinaryTypes ty;
    int64_t shape[TSR_MAX_DIMS];
    if ((unsigned)op >= BIN_COUNT) {
        tsr_raise(ERR_RuntimeError, "%s", "invalid binary op");
        return NULL;
    }
    if (op == BIN_POW && dtype_is_complex(a->dtype) && b->wrapped_number && !a->wrapped_number &&
        !tensor_is_cuda(b)) {
        bool done;
        Tensor *r = NULL;
        NO_GRAD(r = complex_pow_special(a, b, &done));
        if (done && r && !binary_record(op, r, a, b, a)) { /* PowBackward0, as ATen's pow */
            tensor_release(r);
            return NULL;
        }
        if (done) return r;
    }
    Tensor *ab[2] = {a, b};
    if (!device_check_same(ab, 2) || !binary_types(op, a, b, &ty)) return NULL;
    int nd = broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, shape);
    if (nd < 0 || !binary_kernel_check(op, a, b, &ty)) return NULL;
    Tensor *out = layout_empty_elementwise(ty.out, nd, shape, device_of_operands(ab, 2), ab, 2);
    if (!out) return NULL;
    if (!binary_run(op, ty.compute, out, a, b) || !binary_record(op, out, a, b, a)) {
        tensor_release(out);
        return NULL;
    }
    return out;
}

/* ---- in-place checks shared by the `_` ops ---- */

static bool check_inplace_autograd(Tensor *a, Tensor *b) {
    return ag_check_inplace(a, ag_requires_grad(a) || (b && ag_requires_grad(b)));
}

/* The logical ops have no derivative entry at all (gen_variable_type's
 * DONT_REQUIRE_DERIVATIVE): their in-place forms skip autograd's checks
 * and record nothing, so a leaf that requires grad may be written (and a
 * view's grad_fn is regenerated from its base when next read). */
static bool check_inplace_no_derivative(Tensor *a) {
    return ag_check_inference_write(a);
}

static bool has_internal_overlap(const Tensor *t) {
    for (int d = 0; d < t->ndim; d++)
        if (t->shape[d] > 1 && t->stride[d] == 0) return true;
    return false;
}

/* Byte range [lo, hi) that a contiguous tensor covers. */
static void byte_range(const Tensor *t, char **lo, char **hi) {
    *lo = tensor_ptr(t);
    *hi = *lo + tensor_numel(t) * (int64_t)dtype_size(t->dtype);
}

/* PyTorch's assert_no_internal_overlap / assert_no_partial_overlap. */
static bool check_overlap(Tensor *out, Tensor *const *ins, int n) {
    if (has_internal_overlap(out)) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "unsupported operation: more than one element of the written-to tensor refers "
                  "to a single memory location. Please clone() the tensor before performing the "
                  "operation.");
        return false;
    }
    if (!tensor_is_contiguous(out) || tensor_numel(out) == 0) return true;
    for (int k = 0; k < n; k++) {
        Tensor *t = ins[k];
        if (!t || t->storage != out->storage || !tensor_is_contiguous(t) || tensor_numel(t) == 0)
            continue;
        char *lo1, *hi1, *lo2, *hi2;
        byte_range(out, &lo1, &hi1);
        byte_range(t, &lo2, &hi2);
        if (lo1 == lo2 && hi1 == hi2) continue;
        if (lo1 < hi2 && lo2 < hi1) {
            tsr_raise(ERR_RuntimeError, "%s",
                      "unsupported operation: some elements of the input tensor and the "
                      "written-to tensor refer to a single memory location. Please clone() the "
                      "tensor before performing the operation.");
            return false;
        }
    }
    return true;
}

/* Writes tmp (same shape as a) into a. */
static bool write_back(Tensor *a, Tensor *tmp) {
    TsrIter it;
    ew_make_iter(&it, a, &tmp, 1);
    return run_cast(a->storage->device, a->dtype, tmp->dtype, &it) == KERNEL_OK;
}

Tensor *op_binary_(BinaryOp op, Tensor *a, Tensor *b) {
    BinaryTypes ty;
    int64_t shape[TSR_MAX_DIMS];
    Tensor *tmp = NULL, *old = NULL;
    if ((unsigned)op >= BIN_COUNT) {
        tsr_raise(ERR_RuntimeError, "%s", "invalid binary op");
        return NULL;
    }
    Tensor *ab[2] = {a, b};
    /* PyTorch's order: autograd's in-place check, then TensorIterator's
     * overlap, shape and cast checks, then the kernel's */
    if (!device_check_same(ab, 2) ||
        !(binary_rows[op].kind == 'l' ? check_inplace_no_derivative(a) : check_inplace_autograd(a, b)) ||
        !binary_types(op, a, b, &ty) ||
        !check_overlap(a, &b, 1))
        return NULL;
    int nd = broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, shape);
    if (nd < 0 || !op_check_inplace_shape(a, nd, shape)) return NULL;
    /* pow_(number) runs a unary iterator from a.to(result type) into a
     * (after its negative-power check) */
    if (op == BIN_POW && b->wrapped_number && dtype_is_integral(a->dtype, true) && !dtype_is_float(b->dtype) &&
        tensor_get_i64(b, 0) < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "Integers to negative integer powers are not allowed.");
        return NULL;
    }
    if (op == BIN_POW && b->wrapped_number && ty.out != a->dtype) {
        tsr_raise(ERR_RuntimeError, "Found dtype %s but expected %s", dtype_scalar_name(a->dtype),
                  dtype_scalar_name(ty.out));
        return NULL;
    }
    if (!op_check_cast(ty.out, a->dtype) || !binary_kernel_check(op, a, b, &ty)) return NULL;
    if (op == BIN_POW && dtype_is_complex(a->dtype) && b->wrapped_number && !tensor_is_cuda(b)) {
        bool done; /* the special exponents' kernels, written back */
        Tensor *r = complex_pow_special(a, b, &done);
        if (done) {
            bool ok = r && tensor_copy_(a, r);
            tensor_release(r);
            if (!ok) return NULL;
            a->storage->version++;
            return tensor_retain(a);
        }
    }
    Tensor *ins[2] = {a, b};
    bool grad = binary_differentiable(op, a, b) && dtype_is_differentiable(a->dtype) && ag_any_requires_grad(ins, 2);
    if (grad && binary_rows[op].saves != '-') { /* the backward needs the old self */
        old = op_clone(a); /* self.clone() as ATen's in-place codegen: recorded (CloneBackward0) */
        if (!old) return NULL;
    }
    if (ty.out == a->dtype) {
        if (!binary_run(op, ty.compute, a, a, b)) goto fail;
    } else {
        tmp = tensor_empty(ty.out, a->ndim, a->shape, a->storage->device);
        if (!tmp || !binary_run(op, ty.compute, tmp, a, b) || !write_back(a, tmp)) goto fail;
    }
    a->storage->version++;
    if (grad && (!binary_record(op, a, a, b, old ? old : a) || !ag_rebase_view(a))) goto fail;
    tensor_release(tmp);
    tensor_release(old);
    return tensor_retain(a);
fail:
    tensor_release(tmp);
    tensor_release(old);
    return NULL;
}

/* ----------------------------------------------------------------- unary */

bool op_unary_half_ok(UnaryOp op, const Tensor *a) {
    const UnaryRow *row = &unary_rows[op];
    DType ct = row->kind == 'f' && !dtype_is_float(a->dtype) ? tsr_default_float : a->dtype;
    if (((ct == DT_FLOAT16 && row->half != '-') || (ct == DT_BFLOAT16 && row->half == 'x')) && !tensor_is_cuda(a)) {
        op_raise_not_implemented(row->kernel, ct);
        return false;
    }
    return true;
}

static bool unary_plan(UnaryOp op, Tensor *a, DType *compute, DType *out) {
    const UnaryRow *row = &unary_rows[op];
    DType t = a->dtype;
    DType ct = t;
    if (t == DT_BOOL && op == UN_NEG) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                  "trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        return false;
    }
    if (t == DT_BOOL && op == UN_RELU) {
        tsr_raise(ERR_RuntimeError, "%s", "Boolean inputs not supported for relu");
        return false;
    }
    if (!loop_exists(row->loops, t)) {
        op_raise_not_implemented(row->kernel, t);
        return false;
    }
    if (t == DT_BOOL && op == UN_SQUARE) ct = DT_INT64; /* pow(x, 2) promotes bool */
    if (row->kind == 'f' && !dtype_is_float(t) && !dtype_is_complex(t)) ct = tsr_default_float;
    if ((row->half == 'h' || row->half == 'x') && !op_unary_half_ok(op, a)) return false;
    *compute = ct;
    *out = (row->kind == 'p' || row->kind == 'n') ? DT_BOOL : ct;
    return true;
}

static bool unary_run(UnaryOp op, DType ct, Tensor *out, Tensor *a) {
    Tensor *ca = ew_to_dtype(a, ct);
    if (!ca) return false;
    TsrIter it;
    ew_make_iter(&it, out, &ca, 1);
    KernelStatus st = run_unary(out->storage->device, op, ct, &it);
    tensor_release(ca);
    if (st != KERNEL_OK) {
        op_raise_not_implemented(unary_op_names[op], ct);
        return false;
    }
    return true;
}

static bool unary_record(UnaryOp op, Tensor *out, Tensor *a, Tensor *input_saved) {
    GradNodeKind kind = unary_rows[op].node;
    if (!kind || !dtype_is_differentiable(out->dtype) || !ag_any_requires_grad(&a, 1)) return true;
    GradNode *node = ag_record(out, kind, &a, 1);
    if (!node) return false;
    if (unary_rows[op].saves == 'r') return ag_save_result(node, out, 0);
    if (unary_rows[op].saves == 'i') return ag_save(node, input_saved);
    return true;
}

Tensor *op_unary(UnaryOp op, Tensor *a) {
    DType ct, odt;
    if ((unsigned)op >= UN_COUNT) {
        tsr_raise(ERR_RuntimeError, "%s", "invalid unary op");
        return NULL;
    }
    if (op == UN_ABS && dtype_is_complex(a->dtype)) return op_complex_abs(a);
    if (op == UN_SQUARE && dtype_is_complex(a->dtype)) return op_scalar_binary(BIN_POW, a, 2.0, false); /* pow(a, 2) */
    if (!unary_plan(op, a, &ct, &odt)) return NULL;
    Tensor *out = layout_empty_elementwise(odt, a->ndim, a->shape, a->storage->device, &a, 1);
    if (!out) return NULL;
    if (!unary_run(op, ct, out, a) || !unary_record(op, out, a, a)) {
        tensor_release(out);
        return NULL;
    }
    return out;
}

Tensor *op_unary_(UnaryOp op, Tensor *a) {
    DType ct, odt;
    Tensor *tmp = NULL, *old = NULL;
    if ((unsigned)op >= UN_COUNT) {
        tsr_raise(ERR_RuntimeError, "%s", "invalid unary op");
        return NULL;
    }
    bool checked = unary_rows[op].kind == 'n' ? check_inplace_no_derivative(a) : check_inplace_autograd(a, NULL);
    if (!checked || !unary_plan(op, a, &ct, &odt)) return NULL;
    if (!op_check_cast(odt, a->dtype) || !check_overlap(a, NULL, 0)) return NULL;
    bool grad = unary_rows[op].node && dtype_is_differentiable(a->dtype) && ag_any_requires_grad(&a, 1);
    if (grad && unary_rows[op].saves == 'i') {
        old = op_clone(a); /* self.clone() as ATen's in-place codegen: recorded (CloneBackward0) */
        if (!old) return NULL;
    }
    if (odt == a->dtype) {
        if (!unary_run(op, ct, a, a)) goto fail;
    } else {
        tmp = tensor_empty(odt, a->ndim, a->shape, a->storage->device);
        if (!tmp || !unary_run(op, ct, tmp, a) || !write_back(a, tmp)) goto fail;
    }
    a->storage->version++;
    if (grad && (!unary_record(op, a, a, old) || !ag_rebase_view(a))) goto fail;
    tensor_release(tmp);
    tensor_release(old);
    return tensor_retain(a);
fail:
    tensor_release(tmp);
    tensor_release(old);
    return NULL;
}

/* ---- ops over op_binary that record one node of their own: pow(number,
 * tensor), add/sub with alpha ---- */

/* op_binary with grad mode off: the parts of a composite op record
 * nothing; the composite records one node itself. */
bool ew_fma_into(Tensor *out, Tensor *a, Tensor *b, Tensor *c) {
    Device dev = out->storage->device;
    Tensor *abc[3] = {a, b, c}, *ins[3] = {0};
    bool ok = false;
    for (int k = 0; k < 3; k++)
        if (!(ins[k] = ew_operand(abc[k], out->dtype, dev))) goto done;
    TsrIter it;
    ew_make_iter(&it, out, ins, 3);
    KernelStatus st;
    DEVICE_RUN(st, dev, fma, out->dtype, &it);
    if (st != KERNEL_OK) op_raise_not_implemented("fma", out->dtype);
    else ok = true;
done:
    for (int k = 0; k < 3; k++) tensor_release(ins[k]);
    return ok;
}

Tensor *ew_fma(Tensor *a, Tensor *b, Tensor *c, DType dtype) {
    Tensor *abc[3] = {a, b, c};
    int64_t s1[TSR_MAX_DIMS], shape[TSR_MAX_DIMS];
    if (!device_check_same(abc, 3)) return NULL;
    int nd = broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, s1);
    if (nd < 0 || (nd = broadcast_shapes(nd, s1, c->ndim, c->shape, shape)) < 0) return NULL;
    Tensor *out = layout_empty_elementwise(dtype, nd, shape, device_of_operands(abc, 3), abc, 3);
    if (out && !ew_fma_into(out, a, b, c)) {
        tensor_release(out);
        return NULL;
    }
    return out;
}

Tensor *ew_binary_nograd(BinaryOp op, Tensor *a, Tensor *b) {
    bool mode = ag_grad_enabled;
    ag_grad_enabled = false;
    Tensor *r = op_binary(op, a, b);
    ag_grad_enabled = mode;
    return r;
}

/* torch.pow(number, tensor) is aten's pow.Scalar: PowBackward2 on the
 * exponent alone, saving the base (a wrapped number), the exponent and the
 * result. (`2 ** x` is Tensor.__rpow__, torch.tensor(2) ** x: PowBackward1.) */
Tensor *op_pow_scalar_base(Tensor *base, Tensor *exponent) {
    Tensor *out = ew_binary_nograd(BIN_POW, base, exponent);
    if (!out || !dtype_is_differentiable(out->dtype) || !ag_any_requires_grad(&exponent, 1)) return out;
    GradNode *node = ag_record(out, NODE_PowBackward2, &exponent, 1);
    if (!node || !ag_save(node, base) || !ag_save(node, exponent) || !ag_save_result(node, out, 0)) {
        tensor_release(out);
        return NULL;
    }
    return out;
}

/* a + alpha * b as PyTorch's CUDA kernels compute half and bfloat16: in
 * float32, rounded once (its CPU kernels round alpha * b first). */
/* AddBackward0/SubBackward0 over (a, b); for rsub(self=b, other=a):
 * RsubBackward0 over (b, a), or RsubBackward1 over b when a is a number */
static Tensor *record_add_alpha(Tensor *out, Tensor *a, Tensor *b, bool subtract, bool rsub, const AlphaCtx *c) {
    const AlphaCtx *ctx = c->alpha != 1 ? c : NULL;
    if (!rsub)
        return ag_record_steal(out, subtract ? NODE_SubBackward0 : NODE_AddBackward0, (Tensor *[]){a, b}, 2, NULL, 0,
                               ctx, sizeof *c);
    if (a->wrapped_number) return ag_record_steal(out, NODE_RsubBackward1, &b, 1, NULL, 0, ctx, sizeof *c);
    return ag_record_steal(out, NODE_RsubBackward0, (Tensor *[]){b, a}, 2, NULL, 0, ctx, sizeof *c);
}

static Tensor *add_alpha_opmath(Tensor *a, Tensor *b, double alpha, bool subtract, bool rsub, DType rt) {
    Tensor *ab[2] = {a, b};
    if (!device_check_same(ab, 2)) return NULL;
    Device dev = device_of_operands(ab, 2);
    Tensor *fa = ew_operand(a, DT_FLOAT32, dev), *fb = fa ? ew_operand(b, DT_FLOAT32, dev) : NULL;
    Tensor *alpha_t = tensor_wrapped_float(alpha);
    Tensor *al = fb && alpha_t ? ew_operand(alpha_t, DT_FLOAT32, dev) : NULL, *sb = NULL, *sum = NULL, *out = NULL;
    tensor_release(alpha_t);
    if (!al) goto done;
    sb = ew_binary_nograd(BIN_MUL, fb, al);
    sum = sb ? ew_binary_nograd(subtract ? BIN_SUB : BIN_ADD, fa, sb) : NULL;
    out = sum ? ew_to_dtype(sum, rt) : NULL;
    if (out && dtype_is_differentiable(out->dtype)) { /* the backward scales b's grad by alpha (no ctx: 1) */
        AlphaCtx c = {alpha};
        out = record_add_alpha(out, a, b, subtract, rsub, &c);
    }
done:
    tensor_release(fa);
    tensor_release(fb);
    tensor_release(al);
    tensor_release(sb);
    tensor_release(sum);
    return out;
}

static Tensor *add_alpha(Tensor *a, Tensor *b, double alpha, bool subtract, bool rsub) {
    if (subtract && (a->dtype == DT_BOOL || b->dtype == DT_BOOL)) {
        BinaryTypes ty;
        binary_types(BIN_SUB, a, b, &ty); /* raises PyTorch's bool error */
        return NULL;
    }
    DType rt = ew_result_type2(a, b);
    Tensor *sb = NULL, *out = NULL, *alpha_t = NULL;
    /* NaN, an infinity or past int64 is no integer (and no C cast) */
    bool alpha_is_int = alpha == trunc(alpha) && fabs(alpha) < 9.2e18;
    int64_t alpha_i = alpha_is_int ? (int64_t)alpha : 0;
    if (dtype_is_integral(rt, true) && !alpha_is_int) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "For integral input tensors, argument alpha must not be a floating point number.");
        return NULL;
    }
    /* the kernel converts alpha to its type: float on the GPU for float16/bfloat16 */
    bool cuda_reduced = (rt == DT_FLOAT16 || rt == DT_BFLOAT16) && (tensor_is_cuda(a) || tensor_is_cuda(b));
    if (!scalar_fits_number(cuda_reduced ? DT_FLOAT32 : rt, dtype_is_int(rt) && alpha_is_int, alpha_i, alpha))
        return NULL;
    if ((rt == DT_FLOAT16 || rt == DT_BFLOAT16) && (tensor_is_cuda(a) || tensor_is_cuda(b)) && alpha != 1)
        return add_alpha_opmath(a, b, alpha, subtract, rsub, rt);
    Tensor *cb = ew_to_dtype(b, rt);
    if (!cb) return NULL;
    cb->wrapped_number = false;
    if (rt == DT_FLOAT32 || rt == DT_FLOAT64) {
        /* PyTorch's kernel: a + alpha * b, fused into one fma (sub: -alpha) */
        alpha_t = tensor_scalar_f64(rt, subtract ? -alpha : alpha);
        out = alpha_t ? ew_fma(cb, alpha_t, a, rt) : NULL;
        goto recorded;
    }
    alpha_t = dtype_is_float(rt) ? tensor_scalar_f64(rt, alpha) : tensor_scalar_i64(rt, alpha_i);
    if (!alpha_t) goto fail;
    sb = ew_binary_nograd(BIN_MUL, cb, alpha_t);
    if (!sb) goto fail;
    sb->wrapped_number = b->wrapped_number;
    out = ew_binary_nograd(subtract ? BIN_SUB : BIN_ADD, a, sb);
recorded:
    if (out && out->dtype != rt) { /* keep a's and b's promotion */
        Tensor *c = ew_to_dtype(out, rt);
        tensor_release(out);
        out = c;
    }
    if (out && dtype_is_differentiable(out->dtype)) { /* the backward scales b's grad by alpha (no ctx: 1) */
        AlphaCtx c = {alpha};
        out = record_add_alpha(out, a, b, subtract, rsub, &c);
    }
fail:
    tensor_release(cb);
    tensor_release(alpha_t);
    tensor_release(sb);
    return out;
}

Tensor *op_add_alpha(Tensor *a, Tensor *b, double alpha, bool subtract) { return add_alpha(a, b, alpha, subtract, false); }

Tensor *op_rsub(Tensor *self, Tensor *other, double alpha) { return add_alpha(other, self, alpha, true, true); }

/* ---- the Scalar overloads formulas record (op_scalar_binary): one edge
 * (self); saved: the scalar as a wrapped number for mul/div, self and the
 * exponent for PowBackward0. */

static GradNodeKind scalar_node(BinaryOp op, bool reversed) {
    switch (op) {
    case BIN_MUL: return NODE_MulBackward1;
    case BIN_DIV: return reversed ? NODE_NONE : NODE_DivBackward1;
    case BIN_ADD: return NODE_AddBackward1;
    case BIN_SUB: return reversed ? NODE_RsubBackward1 : NODE_SubBackward1;
    case BIN_POW: return reversed ? NODE_NONE : NODE_PowBackward0;
    default: return NODE_NONE;
    }
}

Tensor *op_scalar_binary(BinaryOp op, Tensor *a, double v, bool reversed) {
    if (op == BIN_DIV && reversed) { /* ATen: Scalar / Tensor = reciprocal() * Scalar */
        Tensor *r = op_unary(UN_RECIPROCAL, a);
        Tensor *out = r ? op_scalar_binary(BIN_MUL, r, v, false) : NULL;
        tensor_release(r);
        return out;
    }
    Tensor *w = tensor_wrapped_float(v);
    if (!w) return NULL;
    GradNodeKind kind = scalar_node(op, reversed);
    bool rec = kind && ag_any_requires_grad(&a, 1);
    bool mode = ag_grad_enabled;
    if (rec) ag_grad_enabled = false;
    Tensor *out = reversed ? op_binary(op, w, a) : op_binary(op, a, w);
    ag_grad_enabled = mode;
    if (out && rec && dtype_is_differentiable(out->dtype)) {
        GradNode *node = ag_record(out, kind, &a, 1);
        bool ok = node != NULL;
        if (ok && op == BIN_POW) ok = ag_save(node, a);
        if (ok && (op == BIN_MUL || op == BIN_DIV || op == BIN_POW)) ok = ag_save(node, w);
        if (!ok) {
            tensor_release(out);
            out = NULL;
        }
    }
    tensor_release(w);
    return out;
}

/* ---- unary ops with arguments or loops of their own: positive, sgn,
 * signbit, round(decimals=), nan_to_num ---- */

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
    if (!dtype_is_complex(a->dtype)) return ag_record_steal(r, NODE_SgnBackward0, &a, 1, NULL, 0, NULL, 0);
    Tensor *saved[2] = {a, r}; /* sgn_backward(result, grad, self) */
    return ag_record_steal(r, NODE_SgnBackward0, &a, 1, saved, 2, NULL, 0);
}

/* torch.angle of a real tensor (ATen's angle_impl): pi where x < 0, NaN
 * where x is NaN, else 0, in x's floating dtype (integers and bool in the
 * default one, so never below 0 for uint8 and bool); AngleBackward0 */
Tensor *op_angle(Tensor *a) {
    if (dtype_is_complex(a->dtype)) return op_complex_angle(a); /* arg(z) */
    DType dt = dtype_is_float(a->dtype) ? a->dtype : tsr_default_float;
    Tensor *r = NULL;
    NO_GRAD({
        Tensor *x = op_to_dtype(a, dt);
        Tensor *zero = x ? tensor_wrapped_int(0) : NULL;
        Tensor *neg = zero ? op_binary(BIN_LT, x, zero) : NULL;
        Tensor *pi = neg ? tensor_full_f64(dt, 0, NULL, M_PI, a->storage->device) : NULL;
        Tensor *z = pi ? tensor_full_f64(dt, 0, NULL, 0.0, a->storage->device) : NULL;
        Tensor *sel = z ? op_where(neg, pi, z) : NULL;
        Tensor *nan = sel ? op_unary(UN_ISNAN, x) : NULL;
        r = nan ? op_where(nan, x, sel) : NULL;
        Tensor *tmp[] = {x, zero, neg, pi, z, sel, nan};
        for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
    });
    return ag_record_steal(r, NODE_AngleBackward0, &a, 1, NULL, 0, NULL, 0);
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
    return ag_record_steal(r, NODE_RoundBackward1, &a, 1, NULL, 0, NULL, 0);
}

Tensor *op_nan_to_num(Tensor *a, bool has_nan, double nan, bool has_pos, double posinf, bool has_neg,
                      double neginf) {
    OpCtx ctx = op_ctx(a, 0, NULL);
    Tensor *out = tensor_clone(a, DT_UNDEFINED);
    if (!out || !dtype_is_float(a->dtype))
        return ag_record_steal(out, NODE_NanToNumBackward0, &a, 1, &a, 1, &ctx, sizeof ctx);
    double big, small;
    switch (a->dtype) {
    case DT_FLOAT32: big = 3.4028234663852886e38; break;
    case DT_FLOAT16: big = 65504.0; break;
    case DT_BFLOAT16: big = 3.3895313892515355e38; break;
    default: big = 1.7976931348623157e308; break;
    }
    small = -big;
    if (!has_nan) nan = 0;
    if (has_pos) big = posinf;
    if (has_neg) small = neginf;
    /* the clone is dense from its storage's start */
    KernelStatus st;
    DEVICE_RUN(st, out->storage->device, nan_to_num, a->dtype, out->storage->data, tensor_numel(out), nan, big, small);
    (void)st; /* a loop for every float dtype on the CPU */
    return ag_record_steal(out, NODE_NanToNumBackward0, &a, 1, &a, 1, &ctx, sizeof ctx);
}

/* ---- binary ops with arguments: div(rounding_mode=), isclose ---- */

/* div(a, b, rounding_mode='floor' / 'trunc') */
Tensor *op_div_mode(Tensor *a, Tensor *b, bool floor) {
    Tensor *r = NULL;
    bool prev = ag_grad_enabled;
    ag_grad_enabled = false;
    if (floor) {
        r = op_binary(BIN_FLOOR_DIVIDE, a, b);
    } else {
        ResultTypeState s;
        result_type_init(&s);
        result_type_add(&s, a->dtype, a->ndim, a->wrapped_number);
        result_type_add(&s, b->dtype, b->ndim, b->wrapped_number);
        DType rt = result_type_finish(&s);
        Tensor *q = op_binary(BIN_DIV, a, b);
        Tensor *t = q ? op_unary(UN_TRUNC, q) : NULL;
        r = t && !dtype_is_float(rt) ? op_to_dtype(t, rt) : tensor_retain(t);
        tensor_release(q);
        tensor_release(t);
    }
    ag_grad_enabled = prev;
    if (!r || !dtype_is_float(r->dtype)) return r;
    Tensor *ins[2] = {a, b->wrapped_number ? NULL : b};
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(r, NODE_DivBackward2, ins, 2, NULL, 0, &ctx, sizeof ctx);
}

/* |a - b| <= atol + rtol * |b|, or a == b (infinities), NaNs equal if asked */
Tensor *op_isclose(Tensor *a, Tensor *b, double rtol, double atol, bool equal_nan) {
    if (a->dtype != b->dtype) {
        tsr_raise(ERR_RuntimeError, "%s did not match %s", dtype_scalar_name(a->dtype), dtype_scalar_name(b->dtype));
        return NULL;
    }
    Tensor *r = NULL;
    NO_GRAD({
        Tensor *eq = op_binary(BIN_EQ, a, b);
        if (equal_nan && eq && dtype_is_float(a->dtype)) {
            Tensor *na = op_unary(UN_ISNAN, a), *nb = na ? op_unary(UN_ISNAN, b) : NULL;
            Tensor *both = nb ? op_binary(BIN_LOGICAL_AND, na, nb) : NULL;
            Tensor *e2 = both ? op_binary(BIN_LOGICAL_OR, eq, both) : NULL;
            tensor_release(na);
            tensor_release(nb);
            tensor_release(both);
            tensor_release(eq);
            eq = e2;
        }
        if (eq && dtype_is_integral(a->dtype, true) && rtol == 0 && atol == 0) {
            r = tensor_retain(eq);
        } else if (eq) {
            Tensor *af = dtype_is_float(a->dtype) ? tensor_retain(a) : op_to_dtype(a, tsr_default_float);
            Tensor *bf = af ? (dtype_is_float(b->dtype) ? tensor_retain(b) : op_to_dtype(b, tsr_default_float)) : NULL;
            Tensor *d = bf ? op_binary(BIN_SUB, af, bf) : NULL;
            Tensor *ad = d ? op_unary(UN_ABS, d) : NULL;
            Tensor *ab = ad ? op_unary(UN_ABS, bf) : NULL;
            Tensor *rt = tensor_wrapped_float(rtol), *at = tensor_wrapped_float(atol);
            Tensor *tol = ab && rt ? op_binary(BIN_MUL, ab, rt) : NULL;
            Tensor *tol2 = tol && at ? op_binary(BIN_ADD, tol, at) : NULL;
            Tensor *le = tol2 ? op_binary(BIN_LE, ad, tol2) : NULL;
            Tensor *fin = le ? op_unary(UN_ISFINITE, ad) : NULL;
            Tensor *lef = fin ? op_binary(BIN_LOGICAL_AND, le, fin) : NULL;
            r = lef ? op_binary(BIN_LOGICAL_OR, eq, lef) : NULL;
            Tensor *tmp[] = {af, bf, d, ad, ab, rt, at, tol, tol2, le, fin, lef};
            for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
        }
        tensor_release(eq);
    });
    return r;
}
