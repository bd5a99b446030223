/* inplace.c: the in-place machinery and the in-place ops written with it.
 *
 * Most in-place ops are "compute out of place, write back": the
 * out-of-place op reads a stand-in for self (op_inplace_standin: a copy of
 * self carrying its history when a graph is recorded), so the node it
 * records saves the values before the write, and op_inplace_commit writes
 * the result into self, moves the node onto self and rebases views
 * (CopySlices on the base). Written so here: masked_fill_, clamp_,
 * clamp_min_/clamp_max_, div_(rounding_mode=), add_/sub_(alpha=),
 * addcmul_/addcdiv_ (their nodes are the out-of-place ops'); copy_
 * (convert.c) and the in-place activations (nn.c) use the same two steps.
 * fill_/zero_ write directly and record ZeroBackward0 or FillBackward2
 * (input {self}) or FillBackward3 (inputs {self, value}).
 * op_check_inplace_shape is PyTorch's check that an in-place result keeps
 * self's shape. */
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "elementwise_iter.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

bool op_check_inplace_shape(const Tensor *self, int nd, const int64_t *shape) {
    if (nd == self->ndim && !memcmp(shape, self->shape, sizeof(int64_t) * (size_t)nd)) return true;
    char a[256], b[256];
    op_shape_text(a, sizeof a, self->ndim, self->shape);
    op_shape_text(b, sizeof b, nd, shape);
    tsr_raise(ERR_RuntimeError, "output with shape %s doesn't match the broadcast shape %s", a, b);
    return false;
}

bool op_inplace_allowed(Tensor *a) { return ag_check_inplace(a, ag_requires_grad(a)); }

/* op_inplace_allowed when other inputs may require grad (PyTorch checks
 * whenever any input of the op does). */
static bool inplace_allowed_with(Tensor *a, Tensor *const *ins, int n) {
    bool rg = ag_requires_grad(a);
    for (int i = 0; i < n; i++) rg |= ins[i] && ag_requires_grad(ins[i]);
    return ag_check_inplace(a, rg);
}

/* What an out-of-place op reads in place of a when its result is written
 * back into a: a itself when no graph is recorded, else a copy of a's
 * values carrying a's history. */
Tensor *op_inplace_standin(Tensor *a, bool grad) {
    if (!grad) return tensor_retain(a);
    Tensor *c = tensor_clone(a, DT_UNDEFINED);
    if (!c) return NULL;
    c->requires_grad = a->requires_grad;
    if (a->grad_fn) {
        ag_node_retain(a->grad_fn);
        c->grad_fn = a->grad_fn;
        c->output_nr = a->output_nr;
    }
    return c;
}

Tensor *op_inplace_begin(Tensor *a) {
    return op_inplace_allowed(a) ? op_inplace_standin(a, ag_any_requires_grad(&a, 1)) : NULL;
}

/* Writes r into a and moves r's node onto a; steals r. */
Tensor *op_inplace_commit(Tensor *a, Tensor *r) {
    if (!r) return NULL;
    if (!tensor_copy_(a, r)) {
        tensor_release(r);
        return NULL;
    }
    a->storage->version++;
    if (r->grad_fn) {
        ag_node_release(a->grad_fn);
        a->grad_fn = r->grad_fn;
        a->output_nr = r->output_nr;
        a->requires_grad = true;
        r->grad_fn = NULL;
        if (!ag_rebase_view(a)) {
            tensor_release(r);
            return NULL;
        }
    }
    tensor_release(r);
    return tensor_retain(a);
}

typedef Tensor *(*Op3)(Tensor *, Tensor *, Tensor *);

/* a = fn(a, b, c) in place, with fn's node. */
static Tensor *inplace3(Op3 fn, Tensor *a, Tensor *b, Tensor *c) {
    Tensor *ins[3] = {a, b, c};
    if (!inplace_allowed_with(a, ins, 3)) return NULL;
    Tensor *s = op_inplace_standin(a, ag_any_requires_grad(ins, 3));
    if (!s) return NULL;
    Tensor *r = fn(s, b, c);
    tensor_release(s);
    return op_inplace_commit(a, r);
}

/* ---- the in-place forms ---- */

static Tensor *masked_fill3(Tensor *a, Tensor *m, Tensor *v) { return op_masked_fill(a, m, v); }
/* In place, PyTorch broadcasts (self, mask): its error names them in that
 * order (out of place, (mask, self)). */
Tensor *op_masked_fill_(Tensor *a, Tensor *mask, Tensor *value) {
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(a->ndim, a->shape, mask->ndim, mask->shape, shape);
    if (nd < 0 || !op_check_inplace_shape(a, nd, shape)) return NULL;
    return inplace3(masked_fill3, a, mask, value);
}

Tensor *op_clamp_(Tensor *a, Tensor *min, Tensor *max) { return inplace3(op_clamp, a, min, max); }

static Tensor *clamp_min3(Tensor *a, Tensor *b, Tensor *c) { return op_clamp_bound(a, b, false); }
static Tensor *clamp_max3(Tensor *a, Tensor *b, Tensor *c) { return op_clamp_bound(a, b, true); }
Tensor *op_clamp_bound_(Tensor *a, Tensor *bound, bool is_max) {
    return inplace3(is_max ? clamp_max3 : clamp_min3, a, bound, NULL);
}

static Tensor *div_floor3(Tensor *a, Tensor *b, Tensor *c) { return op_div_mode(a, b, true); }
static Tensor *div_trunc3(Tensor *a, Tensor *b, Tensor *c) { return op_div_mode(a, b, false); }
Tensor *op_div_mode_(Tensor *a, Tensor *b, bool floor) {
    return inplace3(floor ? div_floor3 : div_trunc3, a, b, NULL);
}

static Tensor *add_alpha3(Tensor *a, Tensor *b, Tensor *alpha) {
    return op_add_alpha(a, b, dtype_load_f64(DT_FLOAT64, tensor_data(alpha)), false);
}
static Tensor *sub_alpha3(Tensor *a, Tensor *b, Tensor *alpha) {
    return op_add_alpha(a, b, dtype_load_f64(DT_FLOAT64, tensor_data(alpha)), true);
}
/* a = fma(x, y, a) written into a itself, as PyTorch's in-place kernel
 * writes self, where the two steps above would give the same bits: a is
 * float32/float64 and the compute dtype, nothing is recorded, a has no
 * broadcast dims and shares no storage with x or y (those cases keep the
 * two steps, and their checks). False with no error when it does not
 * apply; *done says it ran (or raised, returning NULL). */
static Tensor *fma_into_self(Tensor *a, Tensor *x, Tensor *y, DType rt, bool *done) {
    Tensor *ins[3] = {a, x, y};
    *done = false;
    if ((rt != DT_FLOAT32 && rt != DT_FLOAT64) || a->dtype != rt || ag_any_requires_grad(ins, 3)) return NULL;
    for (int d = 0; d < a->ndim; d++)
        if (a->stride[d] == 0 && a->shape[d] > 1) return NULL;
    if (x->storage == a->storage || y->storage == a->storage) return NULL;
    /* the shape errors first, whatever the devices: PyTorch's order */
    int64_t s1[TSR_MAX_DIMS], s2[TSR_MAX_DIMS];
    int nd = broadcast_shapes(a->ndim, a->shape, x->ndim, x->shape, s1);
    if (nd < 0 || (nd = broadcast_shapes(nd, s1, y->ndim, y->shape, s2)) < 0 || !op_check_inplace_shape(a, nd, s2)) {
        *done = true;
        return NULL;
    }
    for (int k = 1; k < 3; k++)
        if (!device_equal(ins[k]->storage->device, a->storage->device)) return NULL;
    if (!op_inplace_allowed(a)) {
        *done = true;
        return NULL;
    }
    *done = true;
    if (!ew_fma_into(a, x, y, a)) return NULL;
    a->storage->version++;
    return tensor_retain(a);
}

Tensor *op_add_alpha_(Tensor *a, Tensor *b, double alpha, bool subtract) {
    if (!b->wrapped_number && ew_result_type2(a, b) == a->dtype) {
        Tensor *al = tensor_scalar_f64(a->dtype, subtract ? -alpha : alpha);
        bool done = false;
        Tensor *r = al ? fma_into_self(a, b, al, a->dtype, &done) : NULL;
        tensor_release(al);
        if (done || !al) return r;
    }
    Tensor *al = tensor_wrapped_float(alpha);
    Tensor *r = al ? inplace3(subtract ? sub_alpha3 : add_alpha3, a, b, al) : NULL;
    tensor_release(al);
    return r;
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
    Tensor *ins3[3] = {self, t1, t2};
    if (!div && self->dtype == rt && (rt == DT_FLOAT32 || rt == DT_FLOAT64) && !ag_any_requires_grad(ins3, 3)) {
        /* self + (value * t1) * t2 as one fma, into self (op_addcmul's
         * rounding of value * t1 first) */
        Tensor *v = tensor_wrapped_float(value), *c1 = v ? op_to_dtype(t1, rt) : NULL;
        Tensor *vt = c1 ? op_binary(BIN_MUL, v, c1) : NULL;
        tensor_release(v);
        tensor_release(c1);
        bool done = false;
        Tensor *r = vt ? fma_into_self(self, vt, t2, rt, &done) : NULL;
        tensor_release(vt);
        if (done || !vt) return r;
    }
    Tensor *ins[3] = {self, t1, t2};
    bool rg = false;
    for (int i = 0; i < 3; i++) rg |= ag_requires_grad(ins[i]);
    if (!ag_check_inplace(self, rg)) return NULL;
    Tensor *s = op_inplace_standin(self, ag_any_requires_grad(ins, 3));
    Tensor *r = s ? op_addcmul(s, t1, t2, value, div) : NULL;
    tensor_release(s);
    return op_inplace_commit(self, r);
}

/* fill_ / zero_: value NULL = zero_. */
Tensor *op_fill_(Tensor *a, Tensor *value) {
    if (value && value->ndim != 0) {
        tsr_raise(ERR_RuntimeError,
                  "fill_ only supports 0-dimension value tensor but got tensor with %d dimensions.",
                  value->ndim);
        return NULL;
    }
    if (!inplace_allowed_with(a, &value, 1) || (value && !scalar_fits(a->dtype, value))) return NULL;
    Tensor *zero = value ? NULL : tensor_wrapped_int(0);
    Tensor *v = value ? value : zero;
    if (!v || !tensor_copy_(a, v)) {
        tensor_release(zero);
        return NULL;
    }
    tensor_release(zero);
    a->storage->version++;
    bool tensor_value = value && !value->wrapped_number;
    Tensor *ins[2] = {a, tensor_value ? value : NULL};
    if (ag_any_requires_grad(ins, 2) && dtype_is_differentiable(a->dtype)) {
        GradNodeKind kind = !value ? NODE_ZeroBackward0 : tensor_value ? NODE_FillBackward3 : NODE_FillBackward2;
        if (!ag_record(a, kind, ins, tensor_value ? 2 : 1) || !ag_rebase_view(a)) return NULL;
    }
    return tensor_retain(a);
}

/* torch.fill(a, value): a new tensor like a full of value (FillBackward0
 * over a, or FillBackward1 over a and a tensor value) */
Tensor *op_fill(Tensor *a, Tensor *value) {
    Tensor *out = tensor_empty(a->dtype, a->ndim, a->shape, a->storage->device);
    if (!out) return NULL;
    Tensor *r = NULL;
    NO_GRAD(r = op_fill_(out, value));
    tensor_release(r);
    if (!r) {
        tensor_release(out);
        return NULL;
    }
    bool tensor_value = !value->wrapped_number;
    Tensor *ins[2] = {a, value};
    if (!dtype_is_float(a->dtype)) return out;
    return ag_record_steal(out, tensor_value ? NODE_FillBackward1 : NODE_FillBackward0, ins, tensor_value ? 2 : 1,
                           NULL, 0, NULL, 0);
}
