/* builtins_extra.c: torch functions and tensor methods over ops_extra.c and
 * ops_einsum.c (gather/scatter, nonzero, einsum, topk, cumprod, median,
 * tril/triu, diag, roll, unique, linalg norms, ...). The function `where`
 * here replaces builtins_tensor_fns.c's to add where(condition). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* ---- broadcast_shapes, can_cast ---- */

static Value *bi_broadcast_shapes(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "broadcast_shapes() got an unexpected keyword argument '%s'", a->kwnames[0]);
        return NULL;
    }
    int64_t out[TSR_MAX_DIMS], sh[TSR_MAX_DIMS], tmp[TSR_MAX_DIMS];
    int nout = 0;
    for (int i = 0; i < a->nargs; i++) {
        Value *v = a->args[i];
        int n;
        if (v->kind == VK_INT) {
            sh[0] = v->i;
            n = 1;
        } else if (!val_as_dims(v, sh, &n)) {
            return NULL;
        }
        /* torch.broadcast_shapes is implemented in Python: one message for every mismatch */
        int m = nout > n ? nout : n;
        for (int k = 0; k < m; k++) {
            int64_t x = k < nout ? out[nout - 1 - k] : 1, y = k < n ? sh[n - 1 - k] : 1;
            if (x != y && x != 1 && y != 1) {
                tsr_raise(ERR_RuntimeError, "%s", "Shape mismatch: objects cannot be broadcast to a single shape");
                return NULL;
            }
            tmp[m - 1 - k] = x == 1 ? y : x;
        }
        memcpy(out, tmp, sizeof(int64_t) * (size_t)m);
        nout = m;
    }
    return val_size_new(nout, out);
}

static Value *bi_can_cast(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, "can_cast", "from, to", v)) return NULL;
    DType f, t;
    if (v[0]->kind != VK_DTYPE || v[1]->kind != VK_DTYPE) {
        tsr_raise(ERR_TypeError, "can_cast(): argument '%s' must be torch.dtype, not %s",
                  v[0]->kind != VK_DTYPE ? "from" : "to", val_type_name(v[0]->kind != VK_DTYPE ? v[0] : v[1]));
        return NULL;
    }
    f = v[0]->dtype;
    t = v[1]->dtype;
    /* c10::canCast: no float -> integral, no non-bool -> bool */
    bool ok = !(dtype_is_float(f) && dtype_is_integral(t, true)) && !(f != DT_BOOL && t == DT_BOOL);
    return val_bool(ok);
}

/* ---- topk / kthvalue / median / mode / cumprod ---- */

/* ---- creation ---- */

static Value *bi_logspace(Value *self, const CallArgs *a) {
    Value *v[9];
    if (!args_parse(a, 0, "logspace",
                    "start, end, steps, base=, *, out=, dtype=, layout=, device=, requires_grad=", v))
        return NULL;
    double start, end, base;
    int64_t steps;
    DType dt;
    Device dev;
    bool rg;
    if (!arg_double(v[0], "logspace", "start", 0, &start) || !arg_double(v[1], "logspace", "end", 0, &end) ||
        !arg_int(v[2], "logspace", "steps", 0, &steps) || !arg_double(v[3], "logspace", "base", 10, &base) ||
        !arg_dtype(v[5], "logspace", &dt) || !arg_device(v[7], "logspace", &dev) ||
        !arg_bool(v[8], "logspace", "requires_grad", false, &rg))
        return NULL;
    Tensor *r = op_logspace(start, end, steps, base, dt, dev);
    if (r && rg) r->requires_grad = true;
    return wrap_tensor(r);
}

/* ---- matrices: tril/triu/diag/diagonal/trace/addmm ---- */

/* ---- shape: roll/tile/movedim/unflatten/tensor_split/stacks ---- */

static Value *bi_roll(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "roll", "input, shifts, dims=", v)) return NULL;
    int64_t shifts[TSR_MAX_DIMS], dims[TSR_MAX_DIMS];
    int ns, nd = 0;
    if (!val_as_dims(v[1], shifts, &ns)) return NULL;
    if (!is_none(v[2]) && !val_as_dims(v[2], dims, &nd)) return NULL;
    if (nd == 0 && ns != 1) {
        tsr_raise(ERR_RuntimeError, "shifts and dimensions must align. shifts: %d, dims:%d", ns, nd);
        return NULL;
    }
    if (nd != 0 && ns != nd) {
        tsr_raise(ERR_RuntimeError, "shifts and dimensions must align. shifts: %d, dims:%d", ns, nd);
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "roll", "input");
    Tensor *r = x ? op_roll(x, nd, shifts, dims) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_tile(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    int64_t reps[TSR_MAX_DIMS], full[TSR_MAX_DIMS];
    int nr;
    if (self && a->nargs > 2) { /* x.tile(2, 3) */
        if (!val_as_shape(a->args + 1, a->nargs - 1, reps, &nr, "tile")) return NULL;
        v[0] = a->args[0];
    } else {
        if (!args_parse(a, 0, "tile", "input, dims", v)) return NULL;
        if (!val_as_dims(v[1], reps, &nr)) return NULL;
    }
    Tensor *x = arg_tensor(v[0], "tile", "input");
    if (!x) return NULL;
    int n = nr > x->ndim ? nr : x->ndim;
    for (int i = 0; i < n; i++) full[i] = i < n - nr ? 1 : reps[i - (n - nr)];
    Tensor *r = op_repeat(x, n, full);
    tensor_release(x);
    return wrap_tensor(r);
}

/* "[0, 1]" */
static void dims_list_text(char *buf, size_t n, const int64_t *d, int nd) {
    size_t k = (size_t)snprintf(buf, n, "[");
    for (int i = 0; i < nd && k < n; i++) k += (size_t)snprintf(buf + k, n - k, "%s%lld", i ? ", " : "", (long long)d[i]);
    if (k < n) snprintf(buf + k, n - k, "]");
}

static Value *movedim_common(const char *fn, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, source, destination", v)) return NULL;
    int64_t s[TSR_MAX_DIMS], d[TSR_MAX_DIMS];
    int ns, nd;
    if (!val_as_dims(v[1], s, &ns) || !val_as_dims(v[2], d, &nd)) return NULL;
    bool s_int = v[1]->kind == VK_INT, d_int = v[2]->kind == VK_INT;
    if (s_int != d_int) { /* movedim(int, int) or movedim(tuple, tuple) */
        tsr_raise(ERR_TypeError, "%s() received an invalid combination of arguments - got (%s, %s), but expected one of:",
                  fn, val_type_name(v[1]), val_type_name(v[2]));
        return NULL;
    }
    if (ns != nd) {
        char sl[256], dl[256];
        dims_list_text(sl, sizeof sl, s, ns);
        dims_list_text(dl, sizeof dl, d, nd);
        tsr_raise(ERR_RuntimeError,
                  "movedim: Invalid source or destination dims: source (%s dims) should contain the same "
                  "number of dims as destination (%s dims)",
                  sl, dl);
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *r = x ? op_movedim(x, ns, s, d) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_movedim(Value *self, const CallArgs *a) { return movedim_common("movedim", self, a); }
static Value *bi_moveaxis(Value *self, const CallArgs *a) { return movedim_common("moveaxis", self, a); }

static Value *bi_unflatten(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "unflatten", "input, dim, sizes", v)) return NULL;
    int64_t dim, sizes[TSR_MAX_DIMS], shape[TSR_MAX_DIMS];
    int ns;
    if (!arg_int(v[1], "unflatten", "dim", 0, &dim) || !val_as_dims(v[2], sizes, &ns)) return NULL;
    Tensor *x = arg_tensor(v[0], "unflatten", "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    int d = wrap_dim(dim, x->ndim);
    if (d < 0) goto done;
    if (ns == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "unflatten: sizes must be non-empty");
        goto done;
    }
    int64_t prod = 1;
    int infer = -1;
    for (int i = 0; i < ns; i++) {
        if (sizes[i] == -1) infer = i;
        else prod *= sizes[i];
    }
    if (infer >= 0 && prod > 0 && x->shape[d] % prod == 0) sizes[infer] = x->shape[d] / prod, prod = x->shape[d];
    if (prod != x->shape[d] || (infer >= 0 && sizes[infer] == -1)) {
        char buf[256];
        size_t k = (size_t)snprintf(buf, sizeof buf, "[");
        for (int i = 0; i < ns && k < sizeof buf; i++)
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%lld", i ? ", " : "", (long long)sizes[i]);
        if (k < sizeof buf) snprintf(buf + k, sizeof buf - k, "]");
        tsr_raise(ERR_RuntimeError,
                  "unflatten: Provided sizes %s don't multiply up to the size of dim %lld (%lld) in the input "
                  "tensor",
                  buf, (long long)dim, (long long)x->shape[d]);
        goto done;
    }
    int n = 0;
    for (int i = 0; i < x->ndim; i++) {
        if (i == d)
            for (int k = 0; k < ns; k++) shape[n++] = sizes[k];
        else shape[n++] = x->shape[i];
    }
    r = op_view(x, n, shape);
done:
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_tensor_split(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, "tensor_split", "input, indices_or_sections, dim=", v)) return NULL;
    Value *ios = v[1];
    int64_t dim;
    if (!arg_int(v[2], "tensor_split", "dim", 0, &dim)) return NULL;
    Tensor *x = arg_tensor(v[0], "tensor_split", "input");
    if (!x) return NULL;
    Value *res = NULL;
    Tensor **parts = NULL;
    int np = 0;
    int64_t *tbounds = NULL; /* indices from a 1-dim tensor */
    int d = wrap_dim(dim, x->ndim);
    if (d < 0) goto done;
    int64_t size = x->shape[d];
    int64_t bounds[TSR_MAX_DIMS * 4 + 2];
    if (ios && ios->kind == VK_TENSOR) {
        Tensor *it = ios->tensor;
        if (it->dtype != DT_INT64) {
            tsr_raise(ERR_RuntimeError,
                      "tensor_split expected tensor_indices_or_sections to have dtype of long, but got %s",
                      dtype_scalar_name(it->dtype));
            goto done;
        }
        if (it->ndim > 1) {
            tsr_raise(ERR_RuntimeError,
                      "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                      "one-dimensional tensor, but got a tensor with %d dims",
                      it->ndim);
            goto done;
        }
    }
    if (ios && (ios->kind == VK_INT || (ios->kind == VK_TENSOR && ios->tensor->ndim == 0))) {
        int64_t sections;
        if (!val_as_int(ios, &sections)) goto done;
        if (sections <= 0) {
            tsr_raise(ERR_RuntimeError, "number of sections must be larger than 0, got %lld", (long long)sections);
            goto done;
        }
        parts = tsr_calloc((size_t)sections, sizeof *parts);
        if (!parts) goto done;
        int64_t base = size / sections, extra = size % sections, start = 0;
        for (int64_t i = 0; i < sections; i++) {
            int64_t len = base + (i < extra);
            parts[np++] = op_slice(x, d, start, start + len, 1);
            if (!parts[np - 1]) goto done;
            start += len;
        }
    } else if (ios && (ios->kind == VK_LIST || ios->kind == VK_TUPLE || ios->kind == VK_TENSOR)) {
        int64_t nb;
        const int64_t *bv = bounds;
        if (ios->kind == VK_TENSOR) {
            nb = tensor_numel(ios->tensor);
            tbounds = tsr_malloc(sizeof(int64_t) * (size_t)(nb + 1));
            if (!tbounds) goto done;
            for (int64_t i = 0; i < nb; i++) tbounds[i] = (int64_t)tensor_get_f64(ios->tensor, i);
            bv = tbounds;
        } else {
            int nbi;
            if (!val_as_dims(ios, bounds, &nbi)) goto done;
            nb = nbi;
        }
        parts = tsr_calloc((size_t)nb + 1, sizeof *parts);
        if (!parts) goto done;
        int64_t start = 0;
        for (int64_t i = 0; i <= nb; i++) {
            int64_t end = i < nb ? bv[i] : size;
            parts[np++] = op_slice(x, d, start, end < start ? start : end, 1);
            if (!parts[np - 1]) goto done;
            start = end;
        }
    } else {
        raise_invalid_args("tensor_split", a);
        goto done;
    }
    res = tuple_steal(parts, np);
    np = 0;
done:
    for (int i = 0; parts && i < np; i++) tensor_release(parts[i]);
    free(parts);
    free(tbounds);
    tensor_release(x);
    return res;
}

/* hstack/vstack/column_stack: atleast_Nd then cat */
static Value *stack_common(const char *fn, int kind, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, fn, "tensors, *, out=", v)) return NULL;
    Tensor **ts;
    int n = arg_tensor_list(v[0], fn, &ts);
    if (n < 0) return NULL;
    Tensor *r = NULL;
    int64_t dim = 0;
    for (int i = 0; i < n; i++) {
        Tensor *t = ts[i], *u = NULL;
        if (kind == 'h' && t->ndim == 0) {
            int64_t one = 1;
            u = op_reshape(t, 1, &one);
        } else if (kind == 'v' && t->ndim < 2) {
            int64_t sh[2] = {1, t->ndim ? t->shape[0] : 1};
            u = op_reshape(t, 2, sh);
        } else if (kind == 'c' && t->ndim < 2) {
            int64_t sh[2] = {t->ndim ? t->shape[0] : 1, 1};
            u = op_reshape(t, 2, sh);
        } else {
            continue;
        }
        if (!u) goto done;
        tensor_release(ts[i]);
        ts[i] = u;
    }
    if (n == 0) {
        tsr_raise(ERR_RuntimeError, "%s expects a non-empty TensorList", fn);
        goto done;
    }
    dim = kind == 'v' ? 0 : kind == 'c' ? 1 : (ts[0]->ndim == 1 ? 0 : 1);
    r = op_cat(ts, n, dim);
done:
    tensor_list_release(ts, n);
    return wrap_tensor(r);
}

static Value *bi_hstack(Value *self, const CallArgs *a) { return stack_common("hstack", 'h', a); }
static Value *bi_vstack(Value *self, const CallArgs *a) { return stack_common("vstack", 'v', a); }
static Value *bi_row_stack(Value *self, const CallArgs *a) { return stack_common("row_stack", 'v', a); }
static Value *bi_column_stack(Value *self, const CallArgs *a) { return stack_common("column_stack", 'c', a); }

/* ---- unique / isclose / nan_to_num / type_as ---- */

static Value *bi_type_as(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "type_as", "other", v)) return NULL;
    Tensor *o = arg_tensor(v[0], "type_as", "other");
    if (!o) return NULL;
    Tensor *r = op_to_dtype(self->tensor, o->dtype);
    tensor_release(o);
    return wrap_tensor(r);
}

#define EXTRA_ENTRIES                                                                          \
    {"roll", bi_roll},    \
    {"tile", bi_tile}, {"movedim", bi_movedim}, {"moveaxis", bi_moveaxis},                      \
    {"tensor_split", bi_tensor_split},          \

const Builtin extra_functions[] = {
    EXTRA_ENTRIES
    {"broadcast_shapes", bi_broadcast_shapes},
    {"can_cast", bi_can_cast},
    {"logspace", bi_logspace},
    {"unflatten", bi_unflatten},
    {"hstack", bi_hstack},
    {"vstack", bi_vstack},
    {"row_stack", bi_row_stack},
    {"column_stack", bi_column_stack},
    {NULL, NULL},
};

const Builtin extra_methods[] = {
    EXTRA_ENTRIES
    {"unflatten", bi_unflatten},
    {"type_as", bi_type_as},
    {NULL, NULL},
};
