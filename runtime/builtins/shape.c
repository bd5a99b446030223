/* shape.c: shape and view functions: view, reshape, permute, transpose,
 * movedim, squeeze(_), unsqueeze(_), flatten, unflatten, select, narrow,
 * expand, repeat, tile, roll, flip, cat, stack, hstack, split, chunk,
 * tensor_split, unbind, broadcast_shapes, ... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

Value *same_or_wrap(Value *self, Tensor *r) {
    if (!r) return NULL;
    if (self && self->kind == VK_TENSOR && self->tensor == r) {
        tensor_release(r);
        return val_retain(self);
    }
    return wrap_tensor(r);
}

/* A shape or dims list given as varargs after position `start`
 * (x.view(2, 3)), as one sequence (x.view((2, 3))), or as keyword kw. */
static bool varargs_shape(const CallArgs *a, int start, const char *fn, const char *kw,
                          int64_t *shape, int *ndim) {
    Value *v[1];
    char spec[40];
    snprintf(spec, sizeof spec, "%s=", kw);
    if (!args_parse(a, a->nargs, fn, spec, v)) return false;
    int n = a->nargs - start;
    if (n > 0 && v[0]) {
        tsr_raise(ERR_TypeError, "%s() got multiple values for argument '%s'", fn, kw);
        return false;
    }
    if (v[0]) return val_as_shape(v, 1, shape, ndim, fn);
    if (n <= 0) {
        tsr_raise(ERR_TypeError, "%s() missing 1 required positional argument: '%s'", fn, kw);
        return false;
    }
    return val_as_shape(a->args + start, n, shape, ndim, fn);
}

typedef Tensor *(*ShapeFn)(Tensor *, int, const int64_t *);

static Value *shape_common(const char *fn, const char *kw, ShapeFn op, Value *self,
                           const CallArgs *a) {
    WITH_SELF(a);
    if (a->nargs < 1) {
        tsr_raise(ERR_TypeError, "%s() missing 1 required positional argument: 'input'", fn);
        return NULL;
    }
    Tensor *x = arg_tensor(a->args[0], fn, "input");
    if (!x) return NULL;
    int64_t shape[TSR_MAX_DIMS];
    int ndim;
    Tensor *r = NULL;
    bool dtype_kw = a->nargs == 1 && a->nkw == 1 && !strcmp(a->kwnames[0], "dtype") && a->kwvals[0]->kind == VK_DTYPE;
    if (!strcmp(fn, "view") && ((a->nargs == 2 && a->args[1]->kind == VK_DTYPE) || dtype_kw))
        r = op_view_dtype(x, dtype_kw ? a->kwvals[0]->dtype : a->args[1]->dtype);
    else if (varargs_shape(a, 1, fn, kw, shape, &ndim))
        r = op(x, ndim, shape);
    tensor_release(x);
    return wrap_tensor(r);
}

static Tensor *op_flip_dims(Tensor *x, int n, const int64_t *d) { return op_flip(x, n, d); }

static Value *bi_view(Value *self, const CallArgs *a) { return shape_common("view", "size", op_view, self, a); }
static Value *bi_reshape(Value *self, const CallArgs *a) { return shape_common("reshape", "shape", op_reshape, self, a); }
static Value *bi_permute(Value *self, const CallArgs *a) { return shape_common("permute", "dims", op_permute, self, a); }
static Value *bi_expand(Value *self, const CallArgs *a) { return shape_common("expand", "size", op_expand, self, a); }
static Value *bi_repeat(Value *self, const CallArgs *a) { return shape_common("repeat", "repeats", op_repeat, self, a); }
static Value *bi_flip(Value *self, const CallArgs *a) { return shape_common("flip", "dims", op_flip_dims, self, a); }

/* x.view_as(y), x.reshape_as(y), x.expand_as(y) */
static Value *as_common(const char *fn, ShapeFn op, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, fn, "input, other", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *y = x ? arg_tensor(v[1], fn, "other") : NULL;
    Tensor *r = y ? op(x, y->ndim, y->shape) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}
static Value *bi_view_as(Value *self, const CallArgs *a) { return as_common("view_as", op_view, self, a); }
static Value *bi_reshape_as(Value *self, const CallArgs *a) { return as_common("reshape_as", op_reshape, self, a); }
static Value *bi_expand_as(Value *self, const CallArgs *a) { return as_common("expand_as", op_expand, self, a); }

static Value *bi_transpose_named(const char *fn, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, dim0, dim1", v)) return NULL;
    int64_t d0, d1;
    if (v[1]->kind != VK_INT || v[2]->kind != VK_INT) {
        raise_invalid_args(fn, a);
        return NULL;
    }
    d0 = v[1]->i;
    d1 = v[2]->i;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = op_transpose(x, d0, d1);
    tensor_release(x);
    return wrap_tensor(r);
}
static Value *bi_transpose(Value *self, const CallArgs *a) { return bi_transpose_named("transpose", self, a); }
static Value *bi_swapaxes(Value *self, const CallArgs *a) { return bi_transpose_named("swapaxes", self, a); }
static Value *bi_swapdims(Value *self, const CallArgs *a) { return bi_transpose_named("swapdims", self, a); }

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

/* One-tensor functions without options: t, contiguous, clone, detach. */
Value *simple_common(const char *fn, Tensor *(*op)(Tensor *), Value *self, const CallArgs *a,
                            const char *spec) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = op(x);
    tensor_release(x);
    return same_or_wrap(self, r);
}
static Value *bi_t(Value *self, const CallArgs *a) { return simple_common("t", op_t, self, a, "input"); }

static Value *bi_squeeze(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, "squeeze", "input, dim=", v)) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    if (!arg_dims(v[1], "squeeze", dims, &nd)) return NULL;
    Tensor *x = arg_tensor(v[0], "squeeze", "input");
    if (!x) return NULL;
    Tensor *r = op_squeeze(x, nd, dims);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_unsqueeze(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    int64_t dim;
    if (!args_parse(a, 0, "unsqueeze", "input, dim", v) || !arg_int(v[1], "unsqueeze", "dim", 0, &dim))
        return NULL;
    Tensor *x = arg_tensor(v[0], "unsqueeze", "input");
    if (!x) return NULL;
    Tensor *r = op_unsqueeze(x, dim);
    tensor_release(x);
    return wrap_tensor(r);
}

/* x.squeeze_(dim=None) / unsqueeze_(dim) / t_() / transpose_(d0, d1) */
static Value *bi_squeeze_(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "squeeze_", "dim=", v)) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd = 0;
    if (v[0] && v[0]->kind != VK_NONE && !arg_dims(v[0], "squeeze_", dims, &nd)) return NULL;
    return inplace_result(self, op_squeeze_(self->tensor, nd, dims));
}

static Value *bi_unsqueeze_(Value *self, const CallArgs *a) {
    Value *v[1];
    int64_t dim;
    if (!args_parse(a, 0, "unsqueeze_", "dim", v) || !arg_int(v[0], "unsqueeze_", "dim", 0, &dim))
        return NULL;
    return inplace_result(self, op_unsqueeze_(self->tensor, dim));
}

static Value *bi_t_(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "t_", "", NULL)) return NULL;
    return inplace_result(self, op_t_(self->tensor));
}

static Value *bi_transpose_(Value *self, const CallArgs *a) {
    Value *v[2];
    int64_t d0, d1;
    if (!args_parse(a, 0, "transpose_", "dim0, dim1", v) ||
        !arg_int(v[0], "transpose_", "dim0", 0, &d0) || !arg_int(v[1], "transpose_", "dim1", 0, &d1))
        return NULL;
    return inplace_result(self, op_transpose_(self->tensor, d0, d1));
}

static Value *bi_flatten(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    int64_t s, e;
    if (!args_parse(a, 0, "flatten", "input, start_dim=, end_dim=", v) ||
        !arg_int(v[1], "flatten", "start_dim", 0, &s) || !arg_int(v[2], "flatten", "end_dim", -1, &e))
        return NULL;
    Tensor *x = arg_tensor(v[0], "flatten", "input");
    if (!x) return NULL;
    Tensor *r = op_flatten(x, s, e);
    tensor_release(x);
    return wrap_tensor(r);
}

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

static Value *bi_ravel(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, "ravel", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "ravel", "input");
    if (!x) return NULL;
    int64_t n = -1;
    Tensor *r = op_reshape(x, 1, &n);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_select(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    int64_t dim, idx;
    if (!args_parse(a, 0, "select", "input, dim, index", v) || !arg_int(v[1], "select", "dim", 0, &dim) ||
        !arg_int(v[2], "select", "index", 0, &idx))
        return NULL;
    Tensor *x = arg_tensor(v[0], "select", "input");
    if (!x) return NULL;
    Tensor *r = op_select(x, dim, idx);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_narrow(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    int64_t dim, start, len;
    if (!args_parse(a, 0, "narrow", "input, dim, start, length", v) ||
        !arg_int(v[1], "narrow", "dim", 0, &dim) || !arg_int(v[2], "narrow", "start", 0, &start) ||
        !arg_int(v[3], "narrow", "length", 0, &len))
        return NULL;
    Tensor *x = arg_tensor(v[0], "narrow", "input");
    if (!x) return NULL;
    Tensor *r = op_narrow(x, dim, start, len);
    tensor_release(x);
    return wrap_tensor(r);
}

/* cat/stack(tensors, dim=0) */
static Value *join_common(const char *fn, bool stack, const CallArgs *a) {
    Value *v[3];
    if (!args_parse(a, 0, fn, "tensors, dim=", v)) return NULL; /* out=: out_arg.c */
    int64_t dim;
    if (!arg_int(v[1], fn, "dim", 0, &dim)) return NULL;
    Value *seq = v[0];
    if (seq->kind != VK_LIST && seq->kind != VK_TUPLE) {
        tsr_raise(ERR_TypeError, "%s(): argument 'tensors' (position 1) must be tuple of Tensors, not %s",
                  fn, val_type_name(seq));
        return NULL;
    }
    int n = (int)seq->seq.len;
    Tensor **ts = tsr_malloc(sizeof(Tensor *) * (size_t)(n ? n : 1));
    if (!ts) return NULL;
    for (int i = 0; i < n; i++) {
        Value *e = seq->seq.items[i];
        if (e->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "expected Tensor as element %d in argument 0, but got %s", i,
                      val_type_name(e));
            free(ts);
            return NULL;
        }
        ts[i] = e->tensor;
    }
    Tensor *r = stack ? op_stack(ts, n, dim) : op_cat(ts, n, dim);
    free(ts);
    return wrap_tensor(r);
}
static Value *bi_cat(Value *self, const CallArgs *a) { return join_common("cat", false, a); }
static Value *bi_concat(Value *self, const CallArgs *a) { return join_common("concat", false, a); }
static Value *bi_concatenate(Value *self, const CallArgs *a) { return join_common("concatenate", false, a); }
static Value *bi_stack(Value *self, const CallArgs *a) { return join_common("stack", true, a); }

/* hstack/vstack/column_stack: atleast_Nd then cat */
static Value *stack_common(const char *fn, int kind, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, fn, "tensors", v)) return NULL; /* out=: out_arg.c */
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

/* A tuple from n new references (always released). */
static Value *tuple_of(Tensor **ts, int n) {
    if (n < 0) return NULL;
    Value *tup = val_tuple_new(n);
    for (int i = 0; i < n; i++) {
        if (tup) {
            tup->seq.items[i] = val_tensor_steal(ts[i]);
            if (!tup->seq.items[i]) {
                val_release(tup);
                tup = NULL;
            }
        } else {
            tensor_release(ts[i]);
        }
    }
    free(ts);
    return tup;
}

/* The sizes of split_with_sizes (a list/tuple/Size of ints): a malloc'd
 * array of *n, or NULL with a TypeError. */
static int64_t *split_sizes_arg(Value *s, const char *fn, int *n) {
    int ns = (int)s->seq.len;
    int64_t *sizes = tsr_malloc(sizeof(int64_t) * (size_t)(ns ? ns : 1));
    for (int i = 0; sizes && i < ns; i++) {
        Value *e = s->seq.items[i];
        if (e->kind != VK_INT) {
            tsr_raise(ERR_TypeError, "%s(): argument 'split_sizes' must be tuple of ints, but found element of type %s at pos %d",
                      fn, val_type_name(e), i + 1);
            free(sizes);
            return NULL;
        }
        sizes[i] = e->i;
    }
    *n = ns;
    return sizes;
}

static bool is_int_seq(Value *s) { return s->kind == VK_LIST || s->kind == VK_TUPLE || s->kind == VK_SIZE; }

/* split (int or sizes), split_with_sizes (sizes only, with_sizes) and
 * their unsafe_ forms */
static Value *split_common(Value *self, const CallArgs *a, const char *fn, const char *spec, bool with_sizes,
                           bool unsafe) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    int64_t dim;
    if (!arg_int(v[2], fn, "dim", 0, &dim)) return NULL;
    Value *s = v[1];
    bool by_int = s->kind == VK_INT && !with_sizes;
    if (!by_int && (!is_int_seq(s) || (unsafe && !with_sizes))) {
        if (with_sizes)
            tsr_raise(ERR_TypeError, "%s(): argument 'split_sizes' (position 2) must be tuple of ints, not %s", fn,
                      val_type_name(s));
        else
            tsr_raise(ERR_TypeError, "%s(): argument 'split_size' %smust be int, not %s", fn,
                      unsafe ? "(position 2) " : "", val_type_name(s));
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, unsafe || with_sizes ? "input" : "tensor");
    if (!x) return NULL;
    Tensor **out = NULL;
    int n = -1;
    if (by_int) {
        n = unsafe ? op_unsafe_split(x, s->i, dim, &out) : op_split(x, s->i, dim, &out);
    } else {
        int ns;
        int64_t *sizes = split_sizes_arg(s, with_sizes ? fn : "split_with_sizes", &ns);
        if (sizes)
            n = unsafe ? op_unsafe_split_sizes(x, ns, sizes, dim, &out) : op_split_sizes(x, ns, sizes, dim, &out);
        free(sizes);
    }
    tensor_release(x);
    return tuple_of(out, n);
}

static Value *bi_split(Value *self, const CallArgs *a) {
    return split_common(self, a, "split", "tensor, split_size_or_sections, dim=", false, false);
}
static Value *bi_split_with_sizes(Value *self, const CallArgs *a) {
    return split_common(self, a, "split_with_sizes", "input, split_sizes, dim=", true, false);
}
static Value *bi_unsafe_split(Value *self, const CallArgs *a) {
    return split_common(self, a, "unsafe_split", "input, split_size, dim=", false, true);
}
static Value *bi_unsafe_split_with_sizes(Value *self, const CallArgs *a) {
    return split_common(self, a, "unsafe_split_with_sizes", "input, split_sizes, dim=", true, true);
}

static Value *chunk_common(Value *self, const CallArgs *a, const char *fn, bool unsafe) {
    WITH_SELF(a);
    Value *v[3];
    int64_t chunks, dim;
    if (!args_parse(a, 0, fn, "input, chunks, dim=", v) ||
        !arg_int(v[1], fn, "chunks", 0, &chunks) || !arg_int(v[2], fn, "dim", 0, &dim))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor **out = NULL;
    int n = unsafe ? op_unsafe_chunk(x, chunks, dim, &out) : op_chunk(x, chunks, dim, &out);
    tensor_release(x);
    return tuple_of(out, n);
}
static Value *bi_chunk(Value *self, const CallArgs *a) { return chunk_common(self, a, "chunk", false); }
static Value *bi_unsafe_chunk(Value *self, const CallArgs *a) { return chunk_common(self, a, "unsafe_chunk", true); }

static Value *bi_unbind(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    int64_t dim;
    if (!args_parse(a, 0, "unbind", "input, dim=", v) || !arg_int(v[1], "unbind", "dim", 0, &dim))
        return NULL;
    Tensor *x = arg_tensor(v[0], "unbind", "input");
    if (!x) return NULL;
    Tensor **out = NULL;
    int n = op_unbind(x, dim, &out);
    tensor_release(x);
    return tuple_of(out, n);
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

static Value *flip_lr_ud(const char *fn, int64_t dim, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, fn, "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    if (x->ndim < dim + 1)
        tsr_raise(ERR_RuntimeError, "Input must be >= %d-d.", (int)dim + 1);
    else
        r = op_flip(x, 1, &dim);
    tensor_release(x);
    return wrap_tensor(r);
}
static Value *bi_fliplr(Value *self, const CallArgs *a) { return flip_lr_ud("fliplr", 1, self, a); }
static Value *bi_flipud(Value *self, const CallArgs *a) { return flip_lr_ud("flipud", 0, self, a); }

static Value *bi_rot90(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "rot90", "input, k=, dims=", v)) return NULL;
    int64_t k, dims[TSR_MAX_DIMS] = {0, 1};
    int nd = 2;
    if (!arg_int(v[1], "rot90", "k", 1, &k) || (!is_none(v[2]) && !arg_dims(v[2], "rot90", dims, &nd))) return NULL;
    if (nd != 2) {
        tsr_raise(ERR_RuntimeError, "expected total rotation dims == 2, but got dims = %d", nd);
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "rot90", "input");
    Tensor *r = x ? op_rot90(x, k, dims[0], dims[1]) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

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

#define SHAPE_ENTRIES                                                          \
    {"reshape", bi_reshape}, {"permute", bi_permute}, {"flip", bi_flip},       \
    {"fliplr", bi_fliplr}, {"flipud", bi_flipud}, {"transpose", bi_transpose}, \
    {"swapaxes", bi_swapaxes}, {"swapdims", bi_swapdims}, {"t", bi_t},         \
    {"rot90", bi_rot90},                                                       \
    {"movedim", bi_movedim}, {"moveaxis", bi_moveaxis},                        \
    {"squeeze", bi_squeeze}, {"unsqueeze", bi_unsqueeze},                      \
    {"flatten", bi_flatten}, {"unflatten", bi_unflatten}, {"ravel", bi_ravel}, \
    {"select", bi_select}, {"narrow", bi_narrow}, {"split", bi_split},         \
    {"tensor_split", bi_tensor_split}, {"chunk", bi_chunk},                    \
    {"unbind", bi_unbind}, {"roll", bi_roll}, {"tile", bi_tile},               \
    {"split_with_sizes", bi_split_with_sizes}, {"unsafe_split", bi_unsafe_split}, \
    {"unsafe_split_with_sizes", bi_unsafe_split_with_sizes}, {"unsafe_chunk", bi_unsafe_chunk},

const Builtin shape_functions[] = {
    SHAPE_ENTRIES
    {"cat", bi_cat},
    {"concat", bi_concat},
    {"concatenate", bi_concatenate},
    {"stack", bi_stack},
    {"hstack", bi_hstack},
    {"vstack", bi_vstack},
    {"row_stack", bi_row_stack},
    {"column_stack", bi_column_stack},
    {"broadcast_shapes", bi_broadcast_shapes},
    {NULL, NULL},
};

const Builtin shape_methods[] = {
    SHAPE_ENTRIES
    {"view", bi_view},
    {"expand", bi_expand},
    {"repeat", bi_repeat},
    {"view_as", bi_view_as},
    {"reshape_as", bi_reshape_as},
    {"expand_as", bi_expand_as},
    {"squeeze_", bi_squeeze_},
    {"unsqueeze_", bi_unsqueeze_},
    {"t_", bi_t_},
    {"transpose_", bi_transpose_},
    {"swapaxes_", bi_transpose_},
    {"swapdims_", bi_transpose_},
    {NULL, NULL},
};
