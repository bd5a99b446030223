/* eval.c: walks the expressions of the AST (new references, NULL on
 * error), calls (user functions, builtins, classes, bound methods) and
 * assignment targets; exec.c runs the statements. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "class.h"
#include "generator.h"
#include "device.h"
#include "error.h"
#include "bytes.h"
#include "interp_internal.h"
#include "iterators.h"
#include "ndarray.h"
#include "scope.h"


/* Records the position of the innermost failing node (once). */
void eval_note_pos(Node *n) {
    int l, c, el, ec;
    tsr_err_get_pos(&l, &c, &el, &ec);
    if (l == 0 && n && n->line > 0) {
        tsr_err_set_pos(n->line, n->col, n->end_line, n->end_col);
        tsr_interp->err_source = tsr_interp->running;
        tsr_interp->err_node = n;
    }
}

Value *eval_fail_at(Node *n) {
    eval_note_pos(n);
    return NULL;
}

/* The current error says that obj has no attribute `name` (and not an
 * AttributeError a property's code raised): CPython's AttributeError
 * then carries name and obj, which its "Did you mean" reads. */
static bool is_missing_attribute(const char *name) {
    if (tsr_err_kind() != ERR_AttributeError) return false;
    const char *msg = tsr_err_msg(), *at = strstr(msg, " has no attribute '");
    if (!at) return false;
    at += strlen(" has no attribute '");
    size_t n = strlen(name);
    return !strncmp(at, name, n) && at[n] == '\'' && at[n + 1] == 0;
}

/* ------------------------------------------------------------ names */

Value *lookup_name(struct Interp *in, Frame *f, const char *name) {
    Value *v;
    StrKey k = str_key(name);
    if (f->locals && (v = dict_get_hashed(f->locals->dict, &k))) return v;
    if (f->fn && scope_unbound_local(in, f, name, &k)) return NULL;
    if (f->class_body && f->outer && (v = dict_get_hashed(f->outer->dict, &k))) return v;
    /* the enclosing functions' frames, innermost first */
    for (Function *fn = f->fn; fn && fn->closure; fn = fn->outer ? fn->outer->fn : NULL)
        if ((v = dict_get_hashed(fn->closure, &k))) return v;
    if ((v = dict_get_hashed(frame_globals(in, f), &k))) return v;
    if ((v = dict_get_hashed(in->prelude->dict, &k))) return v;
    if ((v = dict_get_hashed(in->builtins->dict, &k))) return v;
    /* a torch function written in Python: bound in the prelude on first use */
    if (!in->hooks.prelude_lazy || !(v = in->hooks.prelude_lazy(name))) return NULL;
    bool ok = dict_set(in->prelude->dict, name, v);
    val_release(v);
    return ok ? dict_get(in->prelude->dict, name) : NULL;
}

bool is_global_name(Frame *f, const char *name) {
    Value *m = f->global_names ? dict_get(f->global_names->dict, name) : NULL;
    return m && m->kind == VK_NONE;
}

/* declared `nonlocal`: the name lives in the enclosing function's frame */
static bool is_nonlocal_name(Frame *f, const char *name) {
    Value *m = f->global_names ? dict_get(f->global_names->dict, name) : NULL;
    return m && m->kind == VK_BOOL && f->fn && f->fn->closure;
}

bool store_name(struct Interp *in, Frame *f, const char *name, Value *v) {
    if (is_nonlocal_name(f, name)) { /* the nearest enclosing frame that has it */
        for (Function *fn = f->fn; fn && fn->closure; fn = fn->outer ? fn->outer->fn : NULL)
            if (dict_get(fn->closure, name)) return dict_set(fn->closure, name, v);
        return dict_set(f->fn->closure, name, v);
    }
    if (f->locals && !is_global_name(f, name)) return dict_set(f->locals->dict, name, v);
    return dict_set(frame_globals(in, f), name, v);
}

/* `name := v` binds in the scope that contains the comprehensions it is
 * in (PEP 572), and in each comprehension's own frame on the way, which
 * the rest of the comprehension reads */
static bool store_named_expr(struct Interp *in, Frame *f, const char *name, Value *v) {
    while (f->scope_name && f->back) { /* a list/set/dict comprehension's child frame */
        if (!dict_set(f->locals->dict, name, v)) return false;
        f = f->back;
    }
    if (!(f->fn && f->fn->is_genexp)) return store_name(in, f, name, v);
    if (f->locals && !dict_set(f->locals->dict, name, v)) return false;
    Function *fn = f->fn;
    while (fn->is_genexp && fn->closure) { /* a generator expression's enclosing function */
        if (!dict_set(fn->closure, name, v)) return false;
        if (!fn->outer || !fn->outer->fn->is_genexp) return true;
        fn = fn->outer->fn;
    }
    return fn->closure ? true : dict_set(fn->globals ? fn->globals : in->globals->dict, name, v);
}

/* ------------------------------------------------------------ calls */

/* Evaluates call arguments (with *args / **kw expansion) into a. */
typedef struct {
    Value **args;
    int nargs, cap;
    const char **kwnames;
    Value **kwvals;
    int nkw, kwcap;
    Value *keep; /* strings backing kwnames from **kw */
} ArgBuf;

static bool argbuf_push(ArgBuf *b, Value *v) {
    if (b->nargs == b->cap) {
        int cap = b->cap ? b->cap * 2 : 8;
        Value **a = tsr_realloc(b->args, sizeof(Value *) * (size_t)cap);
        if (!a) {
            val_release(v);
            return false;
        }
        b->args = a;
        b->cap = cap;
    }
    b->args[b->nargs++] = v;
    return true;
}

/* CPython's _PyObject_FunctionStr: "module.qualname()" for a function */
static void function_str(StrBuf *s, Value *callee) {
    Value *mod = get_attr(callee, "__module__"), *qn = mod ? get_attr(callee, "__qualname__") : NULL;
    if (!qn) {
        tsr_err_clear();
        qn = get_attr(callee, "__name__");
    }
    tsr_err_clear();
    if (mod && mod->kind == VK_STR && strcmp(mod->str.s, "builtins")) sb_printf(s, "%s.", mod->str.s);
    if (qn && qn->kind == VK_STR) sb_printf(s, "%s()", qn->str.s);
    else sb_printf(s, "%s object", val_type_name(callee));
    val_release(mod);
    val_release(qn);
}

/* TypeError "<callee's function_str> <what, formatted with arg>" */
static void raise_call_type_error(Value *callee, const char *what, const char *arg) {
    StrBuf fs = {0}, msg = {0};
    function_str(&fs, callee);
    if (sb_printf(&msg, what, arg)) tsr_raise(ERR_TypeError, "%s %s", fs.data ? fs.data : "", msg.data);
    free(fs.data);
    free(msg.data);
}

static bool argbuf_push_kw(ArgBuf *b, const char *name, Value *v, Value *callee) {
    if (b->nkw == b->kwcap) {
        int cap = b->kwcap ? b->kwcap * 2 : 4;
        const char **n = tsr_realloc(b->kwnames, sizeof(char *) * (size_t)cap);
        if (!n) {
            val_release(v);
            return false;
        }
        b->kwnames = n;
        Value **vv = tsr_realloc(b->kwvals, sizeof(Value *) * (size_t)cap);
        if (!vv) {
            val_release(v);
            return false;
        }
        b->kwvals = vv;
        b->kwcap = cap;
    }
    for (int i = 0; i < b->nkw; i++) {
        if (!strcmp(b->kwnames[i], name)) {
            raise_call_type_error(callee, "got multiple values for keyword argument '%s'", name);
            val_release(v);
            return false;
        }
    }
    b->kwnames[b->nkw] = name;
    b->kwvals[b->nkw++] = v;
    return true;
}

static void argbuf_free(ArgBuf *b) {
    for (int i = 0; i < b->nargs; i++) val_release(b->args[i]);
    for (int i = 0; i < b->nkw; i++) val_release(b->kwvals[i]);
    free(b->args);
    free(b->kwnames);
    free(b->kwvals);
    val_release(b->keep);
}

/* the dict a **v argument spreads: v's own dict, or a mapping's keys()
 * read through __getitem__ into a new one */
static Value *kwargs_mapping(Value *v, Value *callee) {
    Value *u = val_unwrap(v);
    if (u->kind == VK_DICT) return val_retain(u);
    Value *keys_fn = v->kind == VK_INSTANCE ? object_getattr(v, "keys") : NULL;
    if (!keys_fn) {
        tsr_err_clear();
        raise_call_type_error(callee, "argument after ** must be a mapping, not %s", val_type_name(v));
        return NULL;
    }
    CallArgs none = {0};
    Value *keys = call_value(keys_fn, &none), *list = keys ? iterate_to_list(keys) : NULL;
    val_release(keys_fn);
    val_release(keys);
    Value *d = list ? val_dict_new() : NULL;
    for (int64_t i = 0; d && i < list->seq.len; i++) {
        Value *k = list->seq.items[i], *x = get_item(v, k);
        if (!x || !dict_setv(d->dict, k, x)) {
            val_release(x);
            val_release(d);
            d = NULL;
            break;
        }
        val_release(x);
    }
    val_release(list);
    return d;
}

static bool eval_args(struct Interp *in, Frame *f, Node *call, ArgBuf *b, Value *callee) {
    memset(b, 0, sizeof *b);
    for (int i = 0; i < call->list.len; i++) {
        Node *arg = call->list.items[i];
        if (arg->kind == N_STARRED) {
            Value *seq = eval_expr(in, f, arg->a);
            if (!seq) return false;
            Value *items = iterate_to_list(seq);
            val_release(seq);
            if (!items) return eval_fail_at(arg), false;
            for (int64_t k = 0; k < items->seq.len; k++)
                if (!argbuf_push(b, val_retain(items->seq.items[k]))) {
                    val_release(items);
                    return false;
                }
            val_release(items);
            continue;
        }
        Value *v = eval_expr(in, f, arg);
        if (!v || !argbuf_push(b, v)) return false;
    }
    for (int i = 0; i < call->list2.len; i++) {
        Value *v = eval_expr(in, f, call->list2.items[i]);
        if (!v) return false;
        if (call->kwnames[i]) {
            if (!argbuf_push_kw(b, call->kwnames[i], v, callee)) return false;
            continue;
        }
        /* **kw: a dict, or a mapping (keys() and __getitem__) read into one */
        Value *d = kwargs_mapping(v, callee);
        val_release(v);
        if (!d) return eval_fail_at(call->list2.items[i]), false;
        if (!b->keep && !(b->keep = val_list_new(0))) {
            val_release(d);
            return false;
        }
        if (!val_list_append_steal(b->keep, d)) return false; /* keeps the key strings alive */
        int64_t it = 0;
        Value *key, *val;
        while (dict_next_item(d->dict, &it, &key, &val)) {
            if (key->kind != VK_STR) {
                tsr_raise(ERR_TypeError, "%s", "keywords must be strings");
                return eval_fail_at(call->list2.items[i]), false;
            }
            if (!argbuf_push_kw(b, key->str.s, val_retain(val), callee)) return eval_fail_at(call->list2.items[i]), false;
        }
    }
    return true;
}

static bool bind_params(Function *fn, const CallArgs *a, Dict *locals) {
    Params *p = fn->params;
    const char *name = fn->qualname;
    int n = p->n;
    Value **slots = tsr_calloc((unsigned long long)(n + p->n_kwonly + 1), sizeof(Value *));
    if (!slots) return false;
    bool ok = false;
    Value *star = NULL, *starstar = NULL;
    StrBuf posonly = {0}; /* positional-only names passed by keyword */
    if (a->nargs > n && !p->star) {
        int nd = p->n_defaults;
        if (nd)
            tsr_raise(ERR_TypeError, "%s() takes from %d to %d positional arguments but %d %s given",
                      name, n - nd, n, a->nargs, a->nargs == 1 ? "was" : "were");
        else
            tsr_raise(ERR_TypeError, "%s() takes %d positional argument%s but %d %s given", name, n,
                      n == 1 ? "" : "s", a->nargs, a->nargs == 1 ? "was" : "were");
        goto done;
    }
    for (int i = 0; i < a->nargs && i < n; i++) slots[i] = a->args[i];
    if (p->star) {
        int extra = a->nargs > n ? a->nargs - n : 0;
        star = val_tuple_new(extra);
        if (!star) goto done;
        for (int i = 0; i < extra; i++) star->seq.items[i] = val_retain(a->args[n + i]);
    }
    if (p->starstar && !(starstar = val_dict_new())) goto done;
    for (int k = 0; k < a->nkw; k++) {
        const char *kw = a->kwnames[k];
        int idx = -1;
        for (int i = 0; i < n; i++)
            if (!strcmp(p->names[i], kw)) idx = i;
        if (idx >= 0 && idx < p->n_posonly) {
            if (starstar) {
                if (!dict_set(starstar->dict, kw, a->kwvals[k])) goto done;
            } else {
                sb_printf(&posonly, "%s'%s'", posonly.len ? ", " : "", kw);
            }
            continue;
        }
        for (int i = 0; i < p->n_kwonly && idx < 0; i++)
            if (!strcmp(p->kwonly_names[i], kw)) idx = n + i;
        if (idx < 0) {
            if (starstar) {
                if (!dict_set(starstar->dict, kw, a->kwvals[k])) goto done;
                continue;
            }
            tsr_raise(ERR_TypeError, "%s() got an unexpected keyword argument '%s'", name, kw);
            goto done;
        }
        if (slots[idx]) {
            tsr_raise(ERR_TypeError, "%s() got multiple values for argument '%s'", name, kw);
            goto done;
        }
        slots[idx] = a->kwvals[k];
    }
    if (posonly.len) {
        tsr_raise(ERR_TypeError, "%s() got some positional-only arguments passed as keyword arguments: %s", name,
                  posonly.data);
        goto done;
    }
    int first_default = n - p->n_defaults;
    int missing = 0;
    for (int i = 0; i < n; i++) {
        if (!slots[i] && i >= first_default) slots[i] = fn->defaults[i - first_default];
        if (!slots[i]) missing++;
    }
    if (missing) {
        StrBuf names = {0};
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (slots[i]) continue;
            if (k) sb_appends(&names, k == missing - 1 ? (missing > 2 ? ", and " : " and ") : ", ");
            sb_printf(&names, "'%s'", p->names[i]);
            k++;
        }
        tsr_raise(ERR_TypeError, "%s() missing %d required positional argument%s: %s", name, missing,
                  missing == 1 ? "" : "s", names.data ? names.data : "");
        free(names.data);
        goto done;
    }
    for (int i = 0; i < p->n_kwonly; i++) {
        if (!slots[n + i]) slots[n + i] = fn->kwonly_defaults[i];
        if (!slots[n + i]) {
            tsr_raise(ERR_TypeError, "%s() missing 1 required keyword-only argument: '%s'", name,
                      p->kwonly_names[i]);
            goto done;
        }
    }
    for (int i = 0; i < n; i++)
        if (!dict_set(locals, p->names[i], slots[i])) goto done;
    for (int i = 0; i < p->n_kwonly; i++)
        if (!dict_set(locals, p->kwonly_names[i], slots[n + i])) goto done;
    if (star && !dict_set(locals, p->star, star)) goto done;
    if (starstar && !dict_set(locals, p->starstar, starstar)) goto done;
    ok = true;
done:
    val_release(star);
    val_release(starstar);
    free(posonly.data);
    free(slots);
    return ok;
}

static Value *call_user_function(struct Interp *in, Value *callee, const CallArgs *a) {
    Function *fn = callee->fn;
    /* the module's frame counts in Python's limit */
    if (in->depth >= in->depth_limit || in->depth >= in->recursion_limit - 1) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded");
        return NULL;
    }
    Value *locals = val_dict_new();
    if (!locals) return NULL;
    if (!bind_params(fn, a, locals->dict)) {
        val_release(locals);
        return NULL;
    }
    if (fn->is_generator) { /* the body runs when the generator is iterated */
        Value *g = gen_new(callee, locals);
        val_release(locals);
        return g;
    }
    Frame frame = {.locals = locals, .fn = fn, .fn_value = callee, .globals = fn->globals,
                   .back = in->frame, .src = fn->source};
    Frame *caller = in->frame;
    in->frame = &frame;
    bool prev_grad = ag_grad_enabled, prev_inference = tsr_inference_mode;
    if (fn->grad_decorator == 1) ag_grad_enabled = false;
    if (fn->grad_decorator == 2) ag_grad_enabled = true;
    if (fn->grad_decorator >= 3) { /* inference_mode(mode) also sets grad mode to !mode */
        tsr_inference_mode = fn->grad_decorator == 3;
        ag_grad_enabled = !tsr_inference_mode;
    }
    in->depth++;
    const Source *caller_source = in->running;
    in->running = fn->source;
    Value *result = NULL;
    if (fn->is_lambda) {
        result = eval_expr(in, &frame, fn->body);
    } else {
        ExecStatus st = exec_block(in, &frame, &fn->body->body);
        if (st == EXEC_ERROR) {
            val_release(frame.retval);
        } else {
            result = frame.retval ? frame.retval : val_none();
        }
    }
    if (!result) tb_leave_frame(in, fn->name);
    in->depth--;
    in->frame = caller;
    in->running = caller_source;
    if (fn->grad_decorator) {
        ag_grad_enabled = prev_grad;
        tsr_inference_mode = prev_inference;
    }
    val_release(frame.global_names);
    if (locals->rc > 1) gc_register_frame(locals); /* a closure kept the frame */
    val_release(locals);
    return result;
}

/* Calling a grad-mode context object: as a decorator on a function. */
static Value *call_context(Value *ctx, const CallArgs *a) {
    if (a->nargs != 1 || a->nkw || a->args[0]->kind != VK_FUNCTION) {
        tsr_raise(ERR_TypeError, "'%s' object is not callable", val_type_name(ctx));
        return NULL;
    }
    Value *fv = a->args[0];
    if (ctx->ctx.kind == CTX_NO_GRAD) fv->fn->grad_decorator = 1;
    else if (ctx->ctx.kind == CTX_ENABLE_GRAD) fv->fn->grad_decorator = 2;
    else if (ctx->ctx.kind == CTX_INFERENCE) fv->fn->grad_decorator = ctx->ctx.mode ? 3 : 4;
    else fv->fn->grad_decorator = ctx->ctx.mode ? 2 : 1;
    return val_retain(fv);
}


/* ---- the same-device rule for torch functions and tensor methods ----
 * Once a CUDA tensor exists, a torch call whose tensor arguments (and
 * those in list arguments: cat, stack) sit on two devices fails with
 * PyTorch's error before the op runs. Copies between devices are exempt. */
static bool device_exempt(const char *name) {
    static const char *const names[] = {"to", "cuda", "cpu", "copy_", "type_as", "new_tensor",
                                        "tensor", "as_tensor", "set_", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i])) return true;
    return false;
}

static void collect_tensors(Value *v, Tensor **ts, int *n, int depth) {
    if (!v || *n >= 64) return;
    if (v->kind == VK_TENSOR) ts[(*n)++] = v->tensor;
    else if (depth == 0 && (v->kind == VK_LIST || v->kind == VK_TUPLE))
        for (int64_t i = 0; i < v->seq.len; i++) collect_tensors(v->seq.items[i], ts, n, 1);
}

static bool check_call_devices(const Builtin *b, Value *self, const CallArgs *a) {
    const LangHooks *h = &tsr_interp->hooks;
    if (b >= h->python_builtins && b < h->python_builtins + h->n_python_builtins) return true;
    if (device_exempt(b->name)) return true;
    Tensor *ts[64];
    int n = 0;
    collect_tensors(self, ts, &n, 1);
    for (int i = 0; i < a->nargs; i++) collect_tensors(a->args[i], ts, &n, 0);
    for (int i = 0; i < a->nkw; i++) collect_tensors(a->kwvals[i], ts, &n, 0);
    return n < 2 || device_check_same(ts, n);
}

/* ---- complex tensors ----
 * Once a complex tensor exists, a torch function or tensor method given
 * one must be among those that take complex operands; every other op
 * refuses it with PyTorch's "not implemented" error before it runs. */
static bool complex_capable(const char *name) {
    static const char *const names[] = {
        /* creation, conversion, inspection */
        "tensor", "as_tensor", "zeros", "ones", "full", "empty", "zeros_like", "ones_like", "full_like",
        "empty_like", "new_zeros", "new_ones", "new_full", "new_empty", "new_tensor", "complex", "polar",
        "view_as_real", "view_as_complex", "is_complex", "is_floating_point", "is_tensor", "numel", "to",
        "type", "type_as", "cpu", "cuda", "cfloat", "cdouble", "item", "tolist", "size", "dim", "ndimension", "nelement",
        "element_size", "stride", "storage_offset", "is_contiguous", "data_ptr", "clone", "detach", "detach_",
        "contiguous", "copy_", "fill_", "zero_", "requires_grad_", "equal", "storage", "untyped_storage",
        "is_conj", "resolve_conj", "resolve_neg", "is_neg", "real", "imag", "conj", "conj_physical", "conj_physical_",
        "_storage_view", "float", "double", "half", "bfloat16", "long", "int", "short", "char", "byte", "bool",
        "numpy", "retain_grad", "register_hook", "backward", "grad", "gradcheck", "_function_apply",
        /* shapes and views */
        "view", "view_as", "reshape", "reshape_as", "flatten", "unflatten", "squeeze", "unsqueeze", "t",
        "transpose", "permute", "movedim", "moveaxis", "swapaxes", "swapdims", "expand", "expand_as", "narrow",
        "select", "unbind", "split", "chunk", "tensor_split", "cat", "concat", "stack", "hstack", "vstack",
        "repeat", "tile", "diagonal", "broadcast_to", "broadcast_tensors", "atleast_1d", "atleast_2d", "atleast_3d",
        "flip", "fliplr", "flipud", "roll", "rot90", "tril", "triu", "tril_", "triu_", "diag", "diag_embed",
        "diagflat", "unfold", "repeat_interleave", "column_stack", "row_stack", "dstack", "adjoint", "mT", "mH",
        "transpose_", "squeeze_", "unsqueeze_", "t_",
        /* gathers and scatters */
        "index_select", "gather", "scatter", "scatter_", "where", "masked_fill", "masked_fill_", "masked_select",
        "masked_scatter", "masked_scatter_", "take", "put", "put_", "index_fill", "index_fill_", "index_copy",
        "index_copy_", "index_put", "index_put_",
        /* arithmetic */
        "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "neg", "negative",
        "add_", "sub_", "mul_", "div_", "neg_", "abs", "absolute", "angle", "reciprocal", "reciprocal_",
        /* math */
        "exp", "log", "log2", "log10", "sqrt", "rsqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos",
        "atan", "asinh", "acosh", "atanh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "sigmoid",
        "square", "pow", "float_power", "exp_", "log_", "sqrt_", "sin_", "cos_", "tanh_", "sigmoid_", "pow_",
        /* products (the CPU's BLAS) */
        "mm", "matmul", "bmm", "mv", "dot", "vdot", "outer", "ger", "inner", "kron", "tensordot", "einsum",
        "__matmul__", "__rmatmul__",
        /* convolutions (three real ones, ATen's complex_convolution) */
        "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "convolution",
        /* reductions */
        "sum", "mean", "prod", "cumsum", "cumprod", "cumsum_", "cumprod_", "nonzero", "count_nonzero",
        "any", "all", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "isreal", "allclose", "isclose", "sgn", "var", "std",
        /* random fills (through the real view) */
        "normal_", "uniform_", "randn_like", "rand_like", "normal", "exponential_", "random_", "bernoulli_",
        "cauchy_", "log_normal_", "geometric_", "bernoulli", "multinomial", "poisson", "randint_like",
        /* torch.fft (runtime/ops/fft.c) and stft/istft */
        "fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2", "hfft2", "ihfft2",
        "fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn", "fftshift", "ifftshift", "stft", "istft",
        /* the kernel-name refusals of the composites (runtime/ops/reduced_float.h) */
        "_reduced_float_check",
        /* ops that refuse complex with their kernel's name themselves */
        "mish", "hardswish", "hardsigmoid", "softshrink", "glu",
        NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i])) return true;
    return false;
}

/* PyTorch's own refusals of complex operands: X(op, kernel name for
 * "\"K\" not implemented for 'ComplexFloat'", or NULL and a message) */
#define COMPLEX_REFUSALS(X)                                                                              \
    X("sort", "sorting_kernel_method_name", NULL) X("argsort", "sorting_kernel_method_name", NULL)       \
    X("msort", "sorting_kernel_method_name", NULL) X("argmax", "argmax_cpu", NULL)                       \
    X("argmin", "argmin_cpu", NULL) X("amax", "max_values_cpu", NULL) X("amin", "min_values_cpu", NULL)  \
    X("aminmax", "aminmax_cpu", NULL) X("cummax", "cummax_cpu", NULL) X("cummin", "cummin_cpu", NULL)    \
    X("lt", "lt_cpu", NULL) X("gt", "gt_cpu", NULL) X("le", "le_cpu", NULL) X("ge", "ge_cpu", NULL)      \
    X("less", "lt_cpu", NULL) X("greater", "gt_cpu", NULL) X("less_equal", "le_cpu", NULL)             \
    X("greater_equal", "ge_cpu", NULL) X("kthvalue", "kthvalue_cpu", NULL) X("topk", "topk_cpu", NULL)  \
    X("unique", "unique", NULL) X("median", "median_cpu", NULL) X("nanmedian", "median_cpu", NULL)      \
    X("round", "round_vml_cpu", NULL) X("frac", "frac_cpu", NULL) X("remainder", "remainder_cpu", NULL) \
    X("atan2", "atan2_cpu", NULL) X("erf", "erf_vml_cpu", NULL) X("bitwise_and", "bitwise_and_cpu", NULL) \
    X("log1p", "log1p_vml_cpu", NULL) X("expm1", "expm1_vml_cpu", NULL) X("exp2", "exp2", NULL)           \
    X("bitwise_or", "bitwise_or_cpu", NULL) X("bitwise_xor", "bitwise_xor_cpu", NULL)                   \
    X("maximum", NULL, "maximum not implemented for complex tensors.")                                  \
    X("minimum", NULL, "minimum not implemented for complex tensors.")                                  \
    X("fmax", NULL, "fmax not implemented for complex tensors.")                                        \
    X("fmin", NULL, "fmin not implemented for complex tensors.")                                        \
    X("clamp", NULL, "clamp is not supported for complex types")                                        \
    X("clamp_min", NULL, "clamp is not supported for complex types")                                    \
    X("clamp_max", NULL, "clamp is not supported for complex types")                                    \
    X("clip", NULL, "clamp is not supported for complex types")                                         \
    X("relu", NULL, "clamp is not supported for complex types")                                         \
    X("floor", NULL, "floor is not supported for complex inputs")                                       \
    X("ceil", NULL, "ceil is not supported for complex inputs")                                         \
    X("trunc", NULL, "trunc is not supported for complex inputs")                                       \
    X("nansum", NULL, "nansum does not support complex inputs")                                         \
    X("heaviside", NULL, "heaviside is not yet implemented for complex tensors.")                       \
    X("signbit", NULL, "signbit is not implemented for complex tensors.")                               \
    X("sign", NULL, "Unlike NumPy, torch.sign is not intended to support complex numbers. Please use torch.sgn instead.")

static void raise_complex_refusal(const Builtin *b, const CallArgs *a, DType dt, bool self_given) {
    const char *dn = dtype_scalar_name(dt);
    if (!strcmp(b->name, "max") || !strcmp(b->name, "min")) { /* max(): all elements; max(dim): by dim */
        Value *other = a->nargs > 0 ? a->args[a->nargs > 1 || !self_given ? a->nargs - 1 : 0] : NULL;
        if (other && other->kind == VK_TENSOR && (a->nargs > 1 || self_given))
            tsr_raise(ERR_RuntimeError, "%s not implemented for complex tensors.", b->name[1] == 'a' ? "maximum" : "minimum");
        else if (a->nargs > 0 || a->nkw > 0)
            tsr_raise(ERR_RuntimeError, "%s(): does not support complex input", b->name);
        else
            tsr_raise(ERR_RuntimeError, "\"%s_all\" not implemented for '%s'", b->name, dn);
        return;
    }
    if (!strcmp(b->name, "nanmean")) {
        tsr_raise(ERR_RuntimeError, "nanmean(): expected input to have floating point dtype but got %s", dn);
        return;
    }
    if (!strcmp(b->name, "logsumexp")) {
        tsr_raise(ERR_RuntimeError, "logsumexp(): Expected floating point type for result tensor, but got: %s", dn);
        return;
    }
#define REFUSAL(N, K, M)                                                            \
    if (!strcmp(b->name, N)) {                                                      \
        if (K) tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", (const char *)(K), dn); \
        else tsr_raise(ERR_RuntimeError, "%s", (const char *)(M));                  \
        return;                                                                     \
    }
    COMPLEX_REFUSALS(REFUSAL)
#undef REFUSAL
    tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", b->name, dn);
}

static bool check_call_complex(const Builtin *b, Value *self, const CallArgs *a) {
    const LangHooks *h = &tsr_interp->hooks;
    if (b >= h->python_builtins && b < h->python_builtins + h->n_python_builtins) return true;
    if (complex_capable(b->name)) return true;
    Tensor *ts[64];
    int n = 0;
    collect_tensors(self, ts, &n, 1);
    for (int i = 0; i < a->nargs; i++) collect_tensors(a->args[i], ts, &n, 0);
    for (int i = 0; i < a->nkw; i++) collect_tensors(a->kwvals[i], ts, &n, 0);
    for (int i = 0; i < n; i++)
        if (dtype_is_complex(ts[i]->dtype)) {
            if (ts[i]->numpy) { /* numpy's functions over complex arrays: those tsr has loops for */
                if (ndarray_complex_capable(b->name)) return true;
                tsr_raise(ERR_TypeError, "tsr's numpy has no complex loop for '%s' yet (dtype('%s'))", b->name,
                          dtype_name(ts[i]->dtype));
                return false;
            }
            raise_complex_refusal(b, a, ts[i]->dtype, self != NULL);
            return false;
        }
    return true;
}

/* PyTorch's argument parser's check of a call of a torch function or Tensor
 * method (builtins/torch_argparse.c) */
static inline bool check_call_args(struct Interp *in, const Builtin *b, Value *self, const CallArgs *a) {
    return !in->hooks.check_call_args || in->hooks.check_call_args(b, self, a);
}

/* The kind of value a method descriptor of type t (list.append) applies to */
static bool descriptor_applies(TypeId t, const Value *v) {
    switch (t) {
    case T_LIST: return v->kind == VK_LIST;
    case T_TUPLE: return v->kind == VK_TUPLE || v->kind == VK_SIZE || v->kind == VK_NAMEDTUPLE;
    case T_STR: return v->kind == VK_STR;
    case T_BYTES: return v->kind == VK_BYTES;
    case T_BYTEARRAY: return v->kind == VK_BYTEARRAY;
    case T_DICT: return v->kind == VK_DICT;
    case T_SET: return v->kind == VK_SET;
    case T_FROZENSET: return v->kind == VK_FROZENSET;
    case T_FLOAT: return v->kind == VK_FLOAT;
    case T_COMPLEX: return v->kind == VK_COMPLEX;
    case T_INT: return v->kind == VK_INT || v->kind == VK_BOOL;
    case T_BOOL: return v->kind == VK_BOOL;
    default: return false;
    }
}

/* The first instance of a tensor subclass among a call's arguments (one
 * level into lists and tuples), or NULL: PyTorch hands such a call to its
 * class's __torch_function__ */
static Value *tensor_subclass_arg(const CallArgs *a) {
    for (int i = 0; i < a->nargs + a->nkw; i++) {
        Value *v = i < a->nargs ? a->args[i] : a->kwvals[i - a->nargs];
        int64_t n = v->kind == VK_LIST || v->kind == VK_TUPLE ? v->seq.len : 1;
        for (int64_t k = 0; k < n; k++) {
            Value *x = v->kind == VK_LIST || v->kind == VK_TUPLE ? v->seq.items[k] : v;
            if (x->kind == VK_INSTANCE && x->inst.payload && x->inst.payload->kind == VK_TENSOR) return x;
        }
    }
    return NULL;
}

/* a builtin the protocol leaves alone: Python's own functions, and the
 * special methods of the tensor base classes (__torch_function__, __new__) */
static bool torch_function_exempt(const Builtin *b) {
    const LangHooks *h = &tsr_interp->hooks;
    return (b >= h->python_builtins && b < h->python_builtins + h->n_python_builtins) || !strncmp(b->name, "__", 2) ||
           !strcmp(b->name, "is_tensor") || !strcmp(b->name, "is_storage"); /* Python in PyTorch: isinstance */
}

/* t.method(args) with a tensor-subclass instance among args: the class's
 * __torch_function__ with torch.Tensor.method and (t, *args) */
static Value *method_torch_function(Value *callee, Value *obj, const CallArgs *a) {
    Value *d = tensor_method_descriptor(callee->method.builtin);
    Value *r = d ? tensor_torch_function_self(d, obj, callee->method.self, a) : NULL;
    val_release(d);
    return r;
}

/* list.append(l, x): the method of the type, called on its first argument
 * (or the list, str, ... a subclass instance holds) */
static Value *call_descriptor(Value *callee, const CallArgs *a) {
    const char *name = callee->method.builtin->name, *type = type_object_name(callee->method.self->type);
    if (callee->method.self->type == T_TENSOR) { /* torch.Tensor.sum(x): x.sum() */
        if (a->nargs == 0) {
            tsr_raise(ERR_TypeError, "unbound method _TensorBase.%s() needs an argument", name);
            return NULL;
        }
        if (a->args[0]->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "descriptor '%s' for 'torch._C._TensorBase' objects doesn't apply to a '%s' object",
                      name, val_type_name(a->args[0]));
            return NULL;
        }
        Value *m = val_method(a->args[0], callee->method.builtin);
        if (!m) return NULL;
        CallArgs rest = {a->args + 1, a->nargs - 1, a->kwnames, a->kwvals, a->nkw};
        Value *r = call_value(m, &rest);
        val_release(m);
        return r;
    }
    if (a->nargs == 0) {
        tsr_raise(ERR_TypeError, "unbound method %s.%s() needs an argument", type, name);
        return NULL;
    }
    Value *self = val_unwrap(a->args[0]);
    if (!descriptor_applies(callee->method.self->type, self)) {
        tsr_raise(ERR_TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object", name, type,
                  val_type_name(a->args[0]));
        return NULL;
    }
    CallArgs rest = {a->args + 1, a->nargs - 1, a->kwnames, a->kwvals, a->nkw};
    return callee->method.builtin->fn(self, &rest);
}

Value *call_function(struct Interp *in, Value *callee, const CallArgs *a) {
    switch (callee->kind) {
    case VK_FUNCTION:
        if (tsr_complex_used && ndarray_call_name) { /* Python code inside a builtin is no numpy conversion of it */
            const char *outer = ndarray_call_name;
            ndarray_call_name = NULL;
            Value *r = call_user_function(in, callee, a);
            ndarray_call_name = outer;
            return r;
        }
        return call_user_function(in, callee, a);
    case VK_BUILTIN:
        if (!check_call_args(in, callee->builtin, NULL, a)) return NULL;
        if (tsr_tensor_subclass_used && !torch_function_exempt(callee->builtin)) {
            Value *obj = tensor_subclass_arg(a);
            if (obj) return tensor_torch_function_call(callee, obj, a);
        }
        if (device_cuda_used && !check_call_devices(callee->builtin, NULL, a)) return NULL;
        if (tsr_complex_used && !check_call_complex(callee->builtin, NULL, a)) return NULL;
        if (a->nkw && in->hooks.call_with_out) {
            bool handled;
            Value *r = in->hooks.call_with_out(callee, a, &handled);
            if (handled) return r;
        }
        if (tsr_complex_used) { /* the name numpy's conversions of Python data check */
            const char *outer = ndarray_call_name;
            ndarray_call_name = callee->builtin->name;
            Value *r = callee->builtin->fn(NULL, a);
            ndarray_call_name = outer;
            return r;
        }
        return callee->builtin->fn(NULL, a);
    case VK_METHOD:
        if (callee->method.self->kind == VK_TYPE) return call_descriptor(callee, a);
        if (callee->method.self->kind == VK_TENSOR && !check_call_args(in, callee->method.builtin, callee->method.self, a))
            return NULL;
        if (tsr_tensor_subclass_used && callee->method.self->kind == VK_TENSOR) {
            Value *obj = tensor_subclass_arg(a);
            if (obj) return method_torch_function(callee, obj, a);
        }
        if (device_cuda_used && callee->method.self->kind == VK_TENSOR &&
            !check_call_devices(callee->method.builtin, callee->method.self, a))
            return NULL;
        if (tsr_complex_used && callee->method.self->kind == VK_TENSOR &&
            !check_call_complex(callee->method.builtin, callee->method.self, a))
            return NULL;
        if (tsr_complex_used) {
            const char *outer = ndarray_call_name;
            ndarray_call_name = callee->method.builtin->name;
            Value *r = callee->method.builtin->fn(callee->method.self, a);
            ndarray_call_name = outer;
            return r;
        }
        return callee->method.builtin->fn(callee->method.self, a);
    case VK_TYPE: return in->hooks.type_call(callee->type, a);
    case VK_CONTEXT: return call_context(callee, a);
    case VK_CLASS: return class_call(callee, a);
    case VK_BOUND: return call_with_self(callee->bound.fn, callee->bound.self, a);
    case VK_WRAPPER:
        if (callee->wrap.kind == WRAP_STATICMETHOD) return call_function(in, callee->wrap.fn, a);
        break;
    case VK_INSTANCE:
        if (class_lookup(callee->inst.cls, "__call__")) {
            Value *m = object_getattr(callee, "__call__");
            Value *r = m ? call_function(in, m, a) : NULL;
            val_release(m);
            return r;
        }
        break;
    default: break;
    }
    tsr_raise(ERR_TypeError, "'%s' object is not callable", val_type_name(callee));
    return NULL;
}
Value *call_value(Value *callee, const CallArgs *a) { return call_function(tsr_interp, callee, a); }

static Value *eval_call(struct Interp *in, Frame *f, Node *n) {
    Value *callee = eval_expr(in, f, n->a);
    if (!callee) return NULL;
    ArgBuf b;
    Value *result = NULL;
    if (eval_args(in, f, n, &b, callee)) {
        CallArgs a = {b.args, b.nargs, b.kwnames, b.kwvals, b.nkw};
        result = call_function(in, callee, &a);
        if (!result) eval_note_pos(n);
    }
    argbuf_free(&b);
    val_release(callee);
    return result;
}

/* ------------------------------------------------------------ functions */

static Value *new_function_value(void) {
    void *box;
    Value *v = val_boxed_new(VK_FUNCTION, sizeof(Function), &box);
    if (v) v->fn = box;
    return v;
}

/* fn sees the names of the frame it is made in (a class body: those around
 * the class; methods do not see the class namespace). */
static void close_over(Function *fn, Frame *f) {
    Value *scope = f->class_body ? f->outer : f->locals;
    if (scope) {
        fn->closure = scope->dict;
        fn->closure_owner = val_retain(scope);
        fn->outer = val_retain(f->fn_value);
    }
}

Value *make_function(struct Interp *in, Frame *f, Node *n, bool is_lambda) {
    Params *p = n->params;
    Value *v = new_function_value();
    if (!v) return NULL;
    Function *fn = v->fn;
    fn->params = p;
    fn->source = in->running;
    fn->globals = f->globals;
    fn->is_lambda = is_lambda;
    fn->is_generator = !is_lambda && n->op == DEF_GENERATOR;
    fn->body = is_lambda ? n->a : n;
    fn->name = tsr_strdup(is_lambda ? "<lambda>" : n->name);
    if (!fn->name) goto fail;
    fn->qualname = fn->name;
    if (f->class_body) {
        size_t len = strlen(f->class_name) + strlen(fn->name) + 2;
        if (!(fn->qualname = tsr_malloc(len))) {
            fn->qualname = fn->name;
            goto fail;
        }
        snprintf(fn->qualname, len, "%s.%s", f->class_name, fn->name);
    }
    if (p->n_defaults) {
        fn->defaults = tsr_calloc((unsigned long long)p->n_defaults, sizeof(Value *));
        if (!fn->defaults) goto fail;
        for (int i = 0; i < p->n_defaults; i++)
            if (!(fn->defaults[i] = eval_expr(in, f, p->defaults[i]))) goto fail;
    }
    if (p->n_kwonly) {
        fn->kwonly_defaults = tsr_calloc((unsigned long long)p->n_kwonly, sizeof(Value *));
        if (!fn->kwonly_defaults) goto fail;
        for (int i = 0; i < p->n_kwonly; i++)
            if (p->kwonly_defaults[i] &&
                !(fn->kwonly_defaults[i] = eval_expr(in, f, p->kwonly_defaults[i])))
                goto fail;
    }
    if (p->n_ann) { /* {param: annotation, ..., 'return': annotation} */
        if (!(fn->annotations = val_dict_new())) goto fail;
        for (int i = 0; i < p->n_ann; i++) {
            Value *ann = eval_expr(in, f, p->ann_exprs[i]);
            bool ok = ann && dict_set(fn->annotations->dict, p->ann_names[i], ann);
            val_release(ann);
            if (!ok) goto fail;
        }
    }
    close_over(fn, f);
    return v;
fail:
    val_release(v);
    return NULL;
}

static Params no_params;

static Value *make_genexp_function(struct Interp *in, Frame *f, Node *n) {
    Value *v = new_function_value();
    if (!v) return NULL;
    Function *fn = v->fn;
    fn->params = &no_params;
    fn->source = in->running;
    fn->globals = f->globals;
    fn->is_generator = fn->is_genexp = true;
    fn->body = n;
    fn->name = tsr_strdup("<genexpr>");
    fn->qualname = fn->name;
    const char *outer = f->class_body ? f->class_name : f->fn ? f->fn->qualname : NULL;
    if (fn->name && outer) {
        const char *sep = f->class_body ? "." : ".<locals>.";
        size_t len = strlen(outer) + strlen(sep) + strlen(fn->name) + 1;
        if ((fn->qualname = tsr_malloc(len))) snprintf(fn->qualname, len, "%s%s%s", outer, sep, fn->name);
    }
    if (!fn->name || !fn->qualname) {
        if (!fn->qualname) fn->qualname = fn->name;
        val_release(v);
        return NULL;
    }
    close_over(fn, f);
    return v;
}

/* ------------------------------------------------------------ expressions */

static Value *eval_fstring(struct Interp *in, Frame *f, Node *n) {
    StrBuf b = {0};
    for (int i = 0; i < n->list.len; i++) {
        Node *part = n->list.items[i];
        if (part->kind == N_STR) {
            if (!sb_append(&b, part->str, part->str_len)) goto fail;
            continue;
        }
        Value *v = eval_expr(in, f, part->a);
        if (!v) goto fail;
        if (part->op == 'r' || part->op == 'a') {
            Value *r = val_repr(v);
            val_release(v);
            v = r;
        } else if (part->op == 's') {
            Value *r = val_str_of(v);
            val_release(v);
            v = r;
        }
        if (!v) goto fail;
        Value *spec = part->b ? eval_expr(in, f, part->b) : val_cstr("");
        if (!spec) {
            val_release(v);
            goto fail;
        }
        Value *s = format_value(v, spec->str.s);
        val_release(v);
        val_release(spec);
        if (!s) {
            eval_note_pos(part);
            goto fail;
        }
        bool ok = sb_append(&b, s->str.s, s->str.len);
        val_release(s);
        if (!ok) goto fail;
    }
    if (!b.data) return val_str("", 0);
    return val_str_steal(b.data, b.len);
fail:
    free(b.data);
    return NULL;
}

static Value *eval_seq(struct Interp *in, Frame *f, Node *n, bool tuple) {
    Value *out = tuple ? val_tuple_new(0) : val_list_new(n->list.len);
    if (!out) return NULL;
    for (int i = 0; i < n->list.len; i++) {
        Node *e = n->list.items[i];
        if (e->kind == N_STARRED) {
            Value *src = eval_expr(in, f, e->a);
            Value *items = src ? iterate_to_list(src) : NULL;
            val_release(src);
            if (!items) goto fail;
            for (int64_t k = 0; k < items->seq.len; k++)
                if (!val_list_append(out, items->seq.items[k])) {
                    val_release(items);
                    goto fail;
                }
            val_release(items);
            continue;
        }
        Value *v = eval_expr(in, f, e);
        if (!v || !val_list_append_steal(out, v)) goto fail;
    }
    return out;
fail:
    val_release(out);
    return NULL;
}


/* Runs the clauses of comprehension n from the k-th on: each element
 * goes into out (a list, set or dict) or, in a generator expression, to
 * the generator's caller. */
static bool comp_clause(struct Interp *in, Frame *f, Node *n, int k, Value *out) {
    if (k == n->list.len) {
        Value *v = eval_expr(in, f, n->a);
        if (!v) return false;
        if (n->op == COMP_GEN && f->sink) {
            int r = f->sink(v, f->sink_ctx);
            f->sink_stopped = r == 0;
            f->sink_failed = r < 0;
            return r > 0;
        }
        if (n->op == COMP_GEN) {
            Value *sent = gen_yield(in, f, v);
            val_release(sent);
            return sent != NULL;
        }
        if (n->op == COMP_SET) {
            bool ok = set_add(out, v);
            val_release(v);
            return ok || (eval_fail_at(n->a), false);
        }
        if (n->op == COMP_DICT) {
            Value *x = eval_expr(in, f, n->b);
            bool ok = x && dict_setv(out->dict, v, x);
            val_release(x);
            val_release(v);
            return ok;
        }
        return val_list_append_steal(out, v);
    }
    Node *clause = n->list.items[k];
    Value *it;
    if (k == 0) { /* evaluated in the enclosing frame, before the comprehension's */
        if (!(it = val_retain(dict_get(f->locals->dict, ".0")))) return true;
    } else {
        Value *src = eval_expr(in, f, clause->b);
        if (!src) return false;
        it = iter_of(src);
        val_release(src);
        if (!it) return eval_fail_at(clause->b), false;
    }
    bool ok = true;
    while (ok) {
        bool done;
        Value *x = iter_step(it, &done);
        if (!x) {
            if (!(ok = done)) eval_note_pos(clause->b);
            break;
        }
        ok = assign_target(in, f, clause->a, x);
        val_release(x);
        bool keep = true;
        for (int c = 0; ok && keep && c < clause->list.len; c++) {
            Value *cond = eval_expr(in, f, clause->list.items[c]);
            int t = cond ? val_truthy(cond) : -1;
            val_release(cond);
            ok = t >= 0;
            keep = t > 0;
        }
        if (ok && keep) ok = comp_clause(in, f, n, k + 1, out);
    }
    val_release(it);
    return ok;
}

bool eval_genexp_body(struct Interp *in, Frame *f) { return comp_clause(in, f, f->fn->body, 0, NULL); }

/* Python 3 comprehensions have their own scope: the loop variables do not
 * leak. We run them in a child frame whose locals start empty and whose
 * lookups fall back to the enclosing frame's names. */
static Value *eval_listcomp(struct Interp *in, Frame *f, Node *n) {
    /* the first iterable is the enclosing frame's, as in CPython */
    Node *first = n->list.items[0];
    Value *src = eval_expr(in, f, first->b);
    if (!src) return NULL;
    Value *it = iter_of(src);
    val_release(src);
    if (!it) return eval_fail_at(n); /* CPython places it at the comprehension */
    Value *out = n->op == COMP_SET ? val_set_new(false) : n->op == COMP_DICT ? val_dict_new() : val_list_new(0);
    Value *locals = val_dict_new();
    if (!out || !locals) goto fail;
    /* copy the enclosing locals so reads work; writes stay in the copy */
    if (f->locals) {
        int64_t it = 0;
        const char *k;
        Value *v;
        while (dict_next(f->locals->dict, &it, &k, &v))
            if (!dict_set(locals->dict, k, v)) goto fail;
    }
    if (!dict_set(locals->dict, ".0", it)) goto fail;
    Frame child = {.locals = locals, .fn = f->fn, .fn_value = f->fn_value, .globals = f->globals,
                   .back = f, .src = f->src, .stmt = f->stmt,
                   .scope_name = n->op == COMP_SET ? "<setcomp>" : n->op == COMP_DICT ? "<dictcomp>" : "<listcomp>"};
    if (!comp_clause(in, &child, n, 0, out)) {
        tb_leave_frame(in, child.scope_name);
        eval_note_pos(n);
        goto fail;
    }
    val_release(it);
    val_release(locals);
    return out;
fail:
    val_release(it);
    val_release(locals);
    val_release(out);
    return NULL;
}

/* A generator expression is a generator whose body is the comprehension's
 * loop (eval_genexp_body), run by a function of its own, <genexpr>, that
 * sees the enclosing names as a closure does. The first iterable is
 * evaluated now, as CPython does; the rest as the generator runs. */
static Value *eval_genexp(struct Interp *in, Frame *f, Node *n) {
    Node *first = n->list.items[0];
    Value *src = eval_expr(in, f, first->b);
    Value *it = src ? iter_of(src) : NULL;
    val_release(src);
    if (!it) return eval_fail_at(n); /* CPython places it at the generator expression */
    Value *fn = make_genexp_function(in, f, n);
    Value *locals = fn ? val_dict_new() : NULL;
    Value *g = locals && dict_set(locals->dict, ".0", it) ? gen_new(fn, locals) : NULL;
    val_release(locals);
    val_release(fn);
    val_release(it);
    return g;
}

static Value *eval_slice_node(struct Interp *in, Frame *f, Node *n) {
    Value *parts[3] = {NULL, NULL, NULL};
    Node *nodes[3] = {n->a, n->b, n->c};
    for (int i = 0; i < 3; i++) {
        parts[i] = nodes[i] ? eval_expr(in, f, nodes[i]) : val_none();
        if (!parts[i]) {
            for (int j = 0; j < i; j++) val_release(parts[j]);
            return NULL;
        }
    }
    Value *s = val_slice(parts[0], parts[1], parts[2]);
    for (int i = 0; i < 3; i++) val_release(parts[i]);
    return s;
}

static Value *eval_compare(struct Interp *in, Frame *f, Node *n) {
    Value *left = eval_expr(in, f, n->list.items[0]);
    if (!left) return NULL;
    Value *result = NULL;
    for (int i = 1; i < n->list.len; i++) {
        Value *right = eval_expr(in, f, n->list.items[i]);
        if (!right) {
            val_release(left);
            val_release(result);
            return NULL;
        }
        val_release(result);
        result = compare_op((CmpKind)n->ops[i - 1], left, right);
        val_release(left);
        left = right;
        if (!result) {
            val_release(left);
            return eval_fail_at(n);
        }
        if (i < n->list.len - 1) {
            int t = val_truthy(result);
            if (t < 0) {
                val_release(left);
                val_release(result);
                return eval_fail_at(n);
            }
            if (!t) break;
        }
    }
    val_release(left);
    return result;
}

/* obj.name(arg), or obj.name() when arg is NULL */
static Value *call_method_1(Value *obj, const char *name, Value *arg) {
    Value *m = get_attr(obj, name);
    CallArgs ca = {&arg, arg ? 1 : 0, NULL, NULL, 0};
    Value *r = m ? call_value(m, &ca) : NULL;
    val_release(m);
    return r;
}

/* it.close() if it has one, with the GeneratorExit being raised kept */
static void close_iterator(struct Interp *in, Value *it) {
    SavedError saved;
    if (!exc_save(in, &saved)) return;
    tsr_err_clear();
    val_release(call_method_1(it, "close", NULL));
    tsr_err_clear();
    exc_restore(in, &saved);
}

/* `yield from src`: src's items go to our caller one by one; a generator
 * also gets what our caller sends, and its return value is the result. */
static Value *eval_yield_from(struct Interp *in, Frame *f, Node *n) {
    Value *src = eval_expr(in, f, n->a);
    if (!src) return NULL;
    Value *result = NULL;
    if (src->kind == VK_PYGEN) {
        Value *sent = NULL, *thrown = NULL;
        for (;;) {
            bool done;
            Value *r = thrown ? gen_throw(src, thrown, &done) : gen_send(src, sent, &done);
            val_release(sent);
            val_release(thrown);
            sent = thrown = NULL;
            if (!r) {
                if (done) result = gen_take_return_value(src);
                if (done && !result) result = val_none();
                break;
            }
            if (!(sent = gen_yield(in, f, r))) {
                if (tsr_err_kind() == ERR_GeneratorExit) { /* closing us closes it */
                    SavedError saved;
                    if (exc_save(in, &saved)) {
                        tsr_err_clear();
                        gen_close(src);
                        exc_restore(in, &saved);
                    }
                    break;
                }
                if (!(thrown = exc_current(in))) break; /* thrown into us: the delegate gets it */
                tsr_err_clear();
            }
        }
    } else { /* any iterator, lazily; a StopIteration it raises ends it with its value */
        Value *it = iter_of(src), *sent = NULL;
        for (bool done; it;) {
            /* a value sent goes to its send(); an object's own __next__ is called directly, so
               that the StopIteration it raises (and its value) reaches us */
            Value *x;
            done = false;
            if (sent && sent->kind != VK_NONE) x = call_method_1(it, "send", sent);
            else if (it->kind == VK_INSTANCE) x = call_method_1(it, "__next__", NULL);
            else x = iter_step(it, &done);
            val_release(sent);
            sent = NULL;
            if (!x) {
                if (done) result = val_none();
                else if (tsr_err_kind() == ERR_StopIteration) {
                    Value *exc = exc_current(in);
                    result = exc ? get_attr(exc, "value") : NULL;
                    val_release(exc);
                    if (result) tsr_err_clear();
                }
                break;
            }
            if (!(sent = gen_yield(in, f, x))) {
                if (tsr_err_kind() == ERR_GeneratorExit) close_iterator(in, it); /* closing us closes it */
                break;
            }
        }
        val_release(sent);
        val_release(it);
    }
    val_release(src);
    return result ? result : eval_fail_at(n);
}

static Value *eval_yield(struct Interp *in, Frame *f, Node *n) {
    if (!f->gen) {
        tsr_raise(ERR_SyntaxError, "%s", "'yield' inside a comprehension or class body");
        return eval_fail_at(n);
    }
    if (n->op == 1) return eval_yield_from(in, f, n);
    Value *v = n->a ? eval_expr(in, f, n->a) : val_none();
    if (!v) return NULL;
    return gen_yield(in, f, v);
}

Value *eval_expr(struct Interp *in, Frame *f, Node *n) {
    switch (n->kind) {
    case N_INT: return val_int(n->ival);
    case N_FLOAT: return val_float(n->fval);
    case N_IMAG: return val_complex(0.0, n->fval);
    case N_STR: return val_str(n->str, n->str_len);
    case N_BYTES: return val_bytes(n->str, n->str_len);
    case N_FSTRING: return eval_fstring(in, f, n);
    case N_NONE: return val_none();
    case N_TRUE: return val_bool(true);
    case N_FALSE: return val_bool(false);
    case N_ELLIPSIS: return val_ellipsis();
    case N_NAME: {
        Value *v = lookup_name(in, f, n->name);
        if (!v) {
            if (tsr_err_occurred()) return eval_fail_at(n); /* UnboundLocalError */
            tsr_raise(ERR_NameError, "name '%s' is not defined", n->name);
            suggest_name_error(in, f, n->name);
            return eval_fail_at(n);
        }
        return val_retain(v);
    }
    case N_TUPLE: return eval_seq(in, f, n, true);
    case N_SET: {
        Value *items = eval_seq(in, f, n, false), *set = items ? val_set_new(false) : NULL;
        for (int64_t i = 0; set && i < items->seq.len; i++)
            if (!set_add(set, items->seq.items[i])) {
                eval_note_pos(n->list.items[i < n->list.len ? i : n->list.len - 1]);
                val_release(set);
                set = NULL;
            }
        val_release(items);
        return set;
    }
    case N_LIST: return eval_seq(in, f, n, false);
    case N_DICT: {
        Value *d = val_dict_new();
        if (!d) return NULL;
        for (int i = 0; i < n->list.len; i++) {
            if (!n->list.items[i]) { /* {**m} */
                Value *m = eval_expr(in, f, n->list2.items[i]);
                bool ok = m && val_unwrap(m)->kind == VK_DICT && dict_update_from(d, m);
                if (m && val_unwrap(m)->kind != VK_DICT) {
                    tsr_raise(ERR_TypeError, "'%s' object is not a mapping", val_type_name(m));
                    eval_note_pos(n->list2.items[i]);
                }
                val_release(m);
                if (!ok) goto dict_fail;
                continue;
            }
            Value *k = eval_expr(in, f, n->list.items[i]);
            if (!k) goto dict_fail;
            Value *v = eval_expr(in, f, n->list2.items[i]);
            bool ok = v && dict_setv(d->dict, k, v);
            if (v && !ok) eval_note_pos(n->list.items[i]);
            val_release(k);
            val_release(v);
            if (!ok) goto dict_fail;
        }
        return d;
    dict_fail:
        val_release(d);
        return NULL;
    }
    case N_UNARY: {
        Value *a = eval_expr(in, f, n->a);
        if (!a) return NULL;
        Value *r = unary_op((UnaryKind)n->op, a);
        val_release(a);
        return r ? r : eval_fail_at(n);
    }
    case N_BINARY: {
        Value *a = eval_expr(in, f, n->a);
        if (!a) return NULL;
        Value *b = eval_expr(in, f, n->b);
        if (!b) {
            val_release(a);
            return NULL;
        }
        Value *r = binary_op((BinKind)n->op, a, b);
        val_release(a);
        val_release(b);
        return r ? r : eval_fail_at(n);
    }
    case N_BOOLOP: {
        Value *v = NULL;
        for (int i = 0; i < n->list.len; i++) {
            val_release(v);
            v = eval_expr(in, f, n->list.items[i]);
            if (!v) return NULL;
            if (i == n->list.len - 1) break;
            int t = val_truthy(v);
            if (t < 0) {
                val_release(v);
                return eval_fail_at(n->list.items[i]);
            }
            if ((n->op == BOOL_AND && !t) || (n->op == BOOL_OR && t)) break;
        }
        return v;
    }
    case N_COMPARE: return eval_compare(in, f, n);
    case N_IFEXP: {
        Value *c = eval_expr(in, f, n->b);
        if (!c) return NULL;
        int t = val_truthy(c);
        val_release(c);
        if (t < 0) return eval_fail_at(n->b);
        return eval_expr(in, f, t ? n->a : n->c);
    }
    case N_CALL: return eval_call(in, f, n);
    case N_ATTR: {
        Value *obj = eval_expr(in, f, n->a);
        if (!obj) return NULL;
        Value *r = get_attr(obj, n->name);
        if (!r && is_missing_attribute(n->name)) suggest_attribute_error(in, obj, n->name);
        val_release(obj);
        return r ? r : eval_fail_at(n);
    }
    case N_SUBSCRIPT: {
        Value *obj = eval_expr(in, f, n->a);
        if (!obj) return NULL;
        Value *idx = eval_expr(in, f, n->b);
        if (!idx) {
            val_release(obj);
            return NULL;
        }
        Value *r = get_item(obj, idx);
        val_release(obj);
        val_release(idx);
        return r ? r : eval_fail_at(n);
    }
    case N_SLICE: return eval_slice_node(in, f, n);
    case N_LAMBDA: return make_function(in, f, n, true);
    case N_YIELD: return eval_yield(in, f, n);
    case N_NAMEDEXPR: {
        Value *v = eval_expr(in, f, n->b);
        if (v && !store_named_expr(in, f, n->name, v)) {
            val_release(v);
            return eval_fail_at(n);
        }
        return v;
    }
    case N_LISTCOMP: return n->op == COMP_GEN ? eval_genexp(in, f, n) : eval_listcomp(in, f, n);
    case N_STARRED:
        tsr_raise(ERR_SyntaxError, "%s", "can't use starred expression here");
        return eval_fail_at(n);
    default:
        tsr_raise(ERR_SyntaxError, "unsupported expression (%s)", ast_kind_names[n->kind]);
        return eval_fail_at(n);
    }
}

/* ------------------------------------------------------------ assignment */

static bool unpack_into(struct Interp *in, Frame *f, Node *t, Value *v) {
    Value *items = iterate_to_list(v);
    if (!items) {
        if (tsr_err_kind() == ERR_TypeError && v->kind != VK_TENSOR)
            tsr_raise(ERR_TypeError, "cannot unpack non-iterable %s object", val_type_name(v));
        return eval_fail_at(t), false;
    }
    int n = t->list.len, star = -1;
    for (int i = 0; i < n; i++)
        if (t->list.items[i]->kind == N_STARRED) star = i;
    int64_t have = items->seq.len;
    bool ok = false;
    if (star < 0 && have != n) {
        if (have > n)
            tsr_raise(ERR_ValueError, "too many values to unpack (expected %d)", n);
        else
            tsr_raise(ERR_ValueError, "not enough values to unpack (expected %d, got %lld)", n,
                      (long long)have);
        eval_note_pos(t);
        goto done;
    }
    if (star >= 0 && have < n - 1) {
        tsr_raise(ERR_ValueError, "not enough values to unpack (expected at least %d, got %lld)",
                  n - 1, (long long)have);
        eval_note_pos(t);
        goto done;
    }
    int64_t k = 0;
    for (int i = 0; i < n; i++) {
        Node *sub = t->list.items[i];
        if (i == star) {
            int64_t count = have - (n - 1);
            Value *rest = val_list_new(count);
            if (!rest) goto done;
            for (int64_t j = 0; j < count; j++) val_list_append(rest, items->seq.items[k++]);
            bool r = assign_target(in, f, sub->a, rest);
            val_release(rest);
            if (!r) goto done;
        } else if (!assign_target(in, f, sub, items->seq.items[k++])) {
            goto done;
        }
    }
    ok = true;
done:
    val_release(items);
    return ok;
}

bool assign_target(struct Interp *in, Frame *f, Node *t, Value *v) {
    switch (t->kind) {
    case N_NAME: return store_name(in, f, t->name, v);
    case N_TUPLE:
    case N_LIST: return unpack_into(in, f, t, v);
    case N_ATTR: {
        Value *obj = eval_expr(in, f, t->a);
        if (!obj) return false;
        bool ok = set_attr(obj, t->name, v);
        val_release(obj);
        return ok ? true : (eval_fail_at(t), false);
    }
    case N_SUBSCRIPT: {
        Value *obj = eval_expr(in, f, t->a);
        if (!obj) return false;
        Value *idx = eval_expr(in, f, t->b);
        if (!idx) {
            val_release(obj);
            return false;
        }
        bool ok = set_item(obj, idx, v);
        val_release(obj);
        val_release(idx);
        return ok ? true : (eval_fail_at(t), false);
    }
    default:
        tsr_raise(ERR_SyntaxError, "%s", "cannot assign to expression");
        return eval_fail_at(t), false;
    }
}

bool exec_augassign(struct Interp *in, Frame *f, Node *n) {
    Node *t = n->a;
    Value *obj = NULL, *idx = NULL, *cur = NULL, *rhs = NULL, *res = NULL;
    bool ok = false;
    switch (t->kind) {
    case N_NAME:
        cur = lookup_name(in, f, t->name);
        if (!cur) {
            if (tsr_err_occurred()) return eval_note_pos(t), false; /* UnboundLocalError */
            tsr_raise(ERR_NameError, "name '%s' is not defined", t->name);
            suggest_name_error(in, f, t->name);
            eval_note_pos(t);
            return false;
        }
        val_retain(cur);
        break;
    case N_ATTR:
        if (!(obj = eval_expr(in, f, t->a))) goto done;
        if (!(cur = get_attr(obj, t->name))) {
            if (is_missing_attribute(t->name)) suggest_attribute_error(in, obj, t->name);
            goto fail_pos;
        }
        break;
    case N_SUBSCRIPT:
        if (!(obj = eval_expr(in, f, t->a))) goto done;
        if (!(idx = eval_expr(in, f, t->b))) goto done;
        if (!(cur = get_item(obj, idx))) goto fail_pos;
        break;
    default:
        tsr_raise(ERR_SyntaxError, "%s", "'expression' is an illegal expression for augmented assignment");
        goto fail_pos;
    }
    if (!(rhs = eval_expr(in, f, n->b))) goto done;
    if (!(res = inplace_op((BinKind)n->op, cur, rhs))) {
        eval_note_pos(n);
        goto done;
    }
    switch (t->kind) {
    case N_NAME: ok = store_name(in, f, t->name, res); break;
    case N_ATTR: ok = set_attr(obj, t->name, res); break;
    default:
        /* Python: obj[idx] = obj[idx].__iop__(v), also when the item is a
         * view that was already updated in place */
        ok = set_item(obj, idx, res);
        break;
    }
    if (!ok) eval_note_pos(n);
    goto done;
fail_pos:
    eval_note_pos(t);
done:
    val_release(obj);
    val_release(idx);
    val_release(cur);
    val_release(rhs);
    val_release(res);
    return ok;
}

bool exec_del(struct Interp *in, Frame *f, Node *t) {
    switch (t->kind) {
    case N_NAME: {
        Dict *d = (f->locals && !is_global_name(f, t->name)) ? f->locals->dict : frame_globals(in, f);
        if (!dict_del(d, t->name)) {
            tsr_raise(ERR_NameError, "name '%s' is not defined", t->name);
            return eval_fail_at(t), false;
        }
        return true;
    }
    case N_TUPLE:
    case N_LIST:
        for (int i = 0; i < t->list.len; i++)
            if (!exec_del(in, f, t->list.items[i])) return false;
        return true;
    case N_SUBSCRIPT: {
        Value *obj = eval_expr(in, f, t->a);
        if (!obj) return false;
        Value *idx = eval_expr(in, f, t->b);
        bool ok = idx && del_item(obj, idx);
        val_release(obj);
        val_release(idx);
        return ok ? true : (eval_fail_at(t), false);
    }
    case N_ATTR: {
        Value *obj = eval_expr(in, f, t->a);
        if (!obj) return false;
        bool ok;
        if (obj->kind == VK_INSTANCE || obj->kind == VK_CLASS) {
            ok = object_delattr(obj, t->name);
        } else {
            Dict *d = obj->kind == VK_MODULE ? module_members(obj) : NULL;
            ok = d && dict_del(d, t->name);
            if (!ok && (!d || obj->kind != VK_MODULE || !tsr_err_occurred()))
                tsr_raise(ERR_AttributeError, "'%s' object has no attribute '%s'", val_type_name(obj), t->name);
        }
        val_release(obj);
        return ok || (eval_fail_at(t), false);
    }
    default:
        tsr_raise(ERR_SyntaxError, "%s", "cannot delete expression");
        return eval_fail_at(t), false;
    }
}
