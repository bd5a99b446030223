/* eval.c: walks the AST. Expressions return new references (NULL on
 * error); statements return an ExecStatus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "class.h"
#include "device.h"
#include "error.h"
#include "interp_internal.h"

#define MAX_DEPTH 900

/* Records the position of the innermost failing node (once). */
static void note_pos(Node *n) {
    int l, c, el, ec;
    tsr_err_get_pos(&l, &c, &el, &ec);
    if (l == 0 && n && n->line > 0) {
        tsr_err_set_pos(n->line, n->col, n->end_line, n->end_col);
        tsr_interp->err_source = tsr_interp->running;
    }
}

static Value *fail_at(Node *n) {
    note_pos(n);
    return NULL;
}

/* ------------------------------------------------------------ names */

Value *lookup_name(struct Interp *in, Frame *f, const char *name) {
    Value *v;
    if (f->locals && (v = dict_get(f->locals->dict, name))) return v;
    if (f->class_body && f->outer && (v = dict_get(f->outer->dict, name))) return v;
    if (f->fn && f->fn->closure && (v = dict_get(f->fn->closure, name))) return v;
    if ((v = dict_get(in->globals->dict, name))) return v;
    if ((v = dict_get(in->prelude->dict, name))) return v;
    return dict_get(in->builtins->dict, name);
}

static bool is_global_name(Frame *f, const char *name) {
    return f->global_names && dict_get(f->global_names->dict, name);
}

static bool store_name(struct Interp *in, Frame *f, const char *name, Value *v) {
    if (f->locals && !is_global_name(f, name)) return dict_set(f->locals->dict, name, v);
    return dict_set(in->globals->dict, name, v);
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

static bool argbuf_push_kw(ArgBuf *b, const char *name, Value *v) {
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
            tsr_raise(ERR_TypeError, "keyword argument repeated: %s", name);
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

static bool eval_args(struct Interp *in, Frame *f, Node *call, ArgBuf *b) {
    memset(b, 0, sizeof *b);
    for (int i = 0; i < call->list.len; i++) {
        Node *arg = call->list.items[i];
        if (arg->kind == N_STARRED) {
            Value *seq = eval_expr(in, f, arg->a);
            if (!seq) return false;
            Value *items = iterate_to_list(seq);
            val_release(seq);
            if (!items) return fail_at(arg), false;
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
            if (!argbuf_push_kw(b, call->kwnames[i], v)) return false;
            continue;
        }
        /* **kw: a dict value */
        if (v->kind != VK_DICT) {
            tsr_raise(ERR_TypeError, "argument after ** must be a mapping, not %s", val_type_name(v));
            val_release(v);
            return fail_at(call->list2.items[i]), false;
        }
        val_release(b->keep);
        b->keep = v; /* keeps the key strings alive */
        int64_t it = 0;
        Value *key, *val;
        while (dict_next_item(v->dict, &it, &key, &val)) {
            if (key->kind != VK_STR) {
                tsr_raise(ERR_TypeError, "%s", "keywords must be strings");
                return fail_at(call->list2.items[i]), false;
            }
            if (!argbuf_push_kw(b, key->str.s, val_retain(val))) return false;
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
    free(slots);
    return ok;
}

static Value *call_user_function(struct Interp *in, Value *callee, const CallArgs *a) {
    Function *fn = callee->fn;
    if (in->depth >= MAX_DEPTH) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded");
        return NULL;
    }
    Value *locals = val_dict_new();
    if (!locals) return NULL;
    if (!bind_params(fn, a, locals->dict)) {
        val_release(locals);
        return NULL;
    }
    Frame frame = {.locals = locals, .fn = fn};
    Frame *caller = in->frame;
    in->frame = &frame;
    bool prev_grad = ag_grad_enabled;
    if (fn->grad_decorator == 1) ag_grad_enabled = false;
    if (fn->grad_decorator == 2) ag_grad_enabled = true;
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
    in->depth--;
    in->frame = caller;
    in->running = caller_source;
    if (fn->grad_decorator) ag_grad_enabled = prev_grad;
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

Value *call_function(struct Interp *in, Value *callee, const CallArgs *a) {
    switch (callee->kind) {
    case VK_FUNCTION: return call_user_function(in, callee, a);
    case VK_BUILTIN:
        if (device_cuda_used && !check_call_devices(callee->builtin, NULL, a)) return NULL;
        return callee->builtin->fn(NULL, a);
    case VK_METHOD:
        if (device_cuda_used && callee->method.self->kind == VK_TENSOR &&
            !check_call_devices(callee->method.builtin, callee->method.self, a))
            return NULL;
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
    if (eval_args(in, f, n, &b)) {
        CallArgs a = {b.args, b.nargs, b.kwnames, b.kwvals, b.nkw};
        result = call_function(in, callee, &a);
        if (!result) note_pos(n);
    }
    argbuf_free(&b);
    val_release(callee);
    return result;
}

/* ------------------------------------------------------------ functions */

static Value *make_function(struct Interp *in, Frame *f, Node *n, bool is_lambda) {
    Params *p = n->params;
    Function *fn = tsr_calloc(1, sizeof *fn);
    if (!fn) return NULL;
    Value *v = tsr_calloc(1, sizeof *v);
    if (!v) {
        free(fn);
        return NULL;
    }
    v->kind = VK_FUNCTION;
    v->rc = 1;
    v->fn = fn;
    fn->params = p;
    fn->source = in->running;
    fn->is_lambda = is_lambda;
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
    Value *scope = f->class_body ? f->outer : f->locals; /* methods do not see the class namespace */
    if (scope) {
        fn->closure = scope->dict;
        fn->closure_owner = val_retain(scope);
    }
    return v;
fail:
    val_release(v);
    return NULL;
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
            note_pos(part);
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

static bool assign_target(struct Interp *in, Frame *f, Node *t, Value *v);

static bool listcomp_clause(struct Interp *in, Frame *f, Node *n, int k, Value *out) {
    if (k == n->list.len) {
        Value *v = eval_expr(in, f, n->a);
        if (!v) return false;
        if (n->op == COMP_SET) {
            bool ok = set_add(out, v);
            val_release(v);
            return ok || (fail_at(n->a), false);
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
    Value *src = eval_expr(in, f, clause->b);
    if (!src) return false;
    Value *items = iterate_to_list(src);
    val_release(src);
    if (!items) return fail_at(clause->b), false;
    bool ok = true;
    for (int64_t i = 0; ok && i < items->seq.len; i++) {
        if (tsr_check_interrupt()) {
            ok = false;
            break;
        }
        if (!assign_target(in, f, clause->a, items->seq.items[i])) {
            ok = false;
            break;
        }
        bool keep = true;
        for (int c = 0; c < clause->list.len; c++) {
            Value *cond = eval_expr(in, f, clause->list.items[c]);
            if (!cond) {
                ok = false;
                break;
            }
            int t = val_truthy(cond);
            val_release(cond);
            if (t < 0) {
                ok = false;
                break;
            }
            if (!t) {
                keep = false;
                break;
            }
        }
        if (ok && keep) ok = listcomp_clause(in, f, n, k + 1, out);
    }
    val_release(items);
    return ok;
}

/* Python 3 comprehensions have their own scope: the loop variables do not
 * leak. We run them in a child frame whose locals start empty and whose
 * lookups fall back to the enclosing frame's names. */
static Value *eval_listcomp(struct Interp *in, Frame *f, Node *n) {
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
    Frame child = {.locals = locals, .fn = f->fn, .global_names = NULL};
    if (!listcomp_clause(in, &child, n, 0, out)) goto fail;
    val_release(locals);
    return out;
fail:
    val_release(locals);
    val_release(out);
    return NULL;
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
            return fail_at(n);
        }
        if (i < n->list.len - 1) {
            int t = val_truthy(result);
            if (t < 0) {
                val_release(left);
                val_release(result);
                return fail_at(n);
            }
            if (!t) break;
        }
    }
    val_release(left);
    return result;
}

Value *eval_expr(struct Interp *in, Frame *f, Node *n) {
    switch (n->kind) {
    case N_INT: return val_int(n->ival);
    case N_FLOAT: return val_float(n->fval);
    case N_STR: return val_str(n->str, n->str_len);
    case N_FSTRING: return eval_fstring(in, f, n);
    case N_NONE: return val_none();
    case N_TRUE: return val_bool(true);
    case N_FALSE: return val_bool(false);
    case N_ELLIPSIS: return val_ellipsis();
    case N_NAME: {
        Value *v = lookup_name(in, f, n->name);
        if (!v) {
            tsr_raise(ERR_NameError, "name '%s' is not defined", n->name);
            return fail_at(n);
        }
        return val_retain(v);
    }
    case N_TUPLE: return eval_seq(in, f, n, true);
    case N_SET: {
        Value *items = eval_seq(in, f, n, false), *set = items ? val_set_new(false) : NULL;
        for (int64_t i = 0; set && i < items->seq.len; i++)
            if (!set_add(set, items->seq.items[i])) {
                note_pos(n->list.items[i < n->list.len ? i : n->list.len - 1]);
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
                bool ok = m && m->kind == VK_DICT && dict_update_from(d, m);
                if (m && m->kind != VK_DICT) {
                    tsr_raise(ERR_TypeError, "'%s' object is not a mapping", val_type_name(m));
                    note_pos(n->list2.items[i]);
                }
                val_release(m);
                if (!ok) goto dict_fail;
                continue;
            }
            Value *k = eval_expr(in, f, n->list.items[i]);
            if (!k) goto dict_fail;
            Value *v = eval_expr(in, f, n->list2.items[i]);
            bool ok = v && dict_setv(d->dict, k, v);
            if (v && !ok) note_pos(n->list.items[i]);
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
        return r ? r : fail_at(n);
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
        return r ? r : fail_at(n);
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
                return fail_at(n->list.items[i]);
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
        if (t < 0) return fail_at(n->b);
        return eval_expr(in, f, t ? n->a : n->c);
    }
    case N_CALL: return eval_call(in, f, n);
    case N_ATTR: {
        Value *obj = eval_expr(in, f, n->a);
        if (!obj) return NULL;
        Value *r = get_attr(obj, n->name);
        val_release(obj);
        return r ? r : fail_at(n);
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
        return r ? r : fail_at(n);
    }
    case N_SLICE: return eval_slice_node(in, f, n);
    case N_LAMBDA: return make_function(in, f, n, true);
    case N_LISTCOMP: return eval_listcomp(in, f, n);
    case N_STARRED:
        tsr_raise(ERR_SyntaxError, "%s", "can't use starred expression here");
        return fail_at(n);
    default:
        tsr_raise(ERR_SyntaxError, "unsupported expression (%s)", ast_kind_names[n->kind]);
        return fail_at(n);
    }
}

/* ------------------------------------------------------------ assignment */

static bool unpack_into(struct Interp *in, Frame *f, Node *t, Value *v) {
    Value *items = iterate_to_list(v);
    if (!items) {
        if (tsr_err_kind() == ERR_TypeError && v->kind != VK_TENSOR)
            tsr_raise(ERR_TypeError, "cannot unpack non-iterable %s object", val_type_name(v));
        return fail_at(t), false;
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
        note_pos(t);
        goto done;
    }
    if (star >= 0 && have < n - 1) {
        tsr_raise(ERR_ValueError, "not enough values to unpack (expected at least %d, got %lld)",
                  n - 1, (long long)have);
        note_pos(t);
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

static bool assign_target(struct Interp *in, Frame *f, Node *t, Value *v) {
    switch (t->kind) {
    case N_NAME: return store_name(in, f, t->name, v);
    case N_TUPLE:
    case N_LIST: return unpack_into(in, f, t, v);
    case N_ATTR: {
        Value *obj = eval_expr(in, f, t->a);
        if (!obj) return false;
        bool ok = set_attr(obj, t->name, v);
        val_release(obj);
        return ok ? true : (fail_at(t), false);
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
        return ok ? true : (fail_at(t), false);
    }
    default:
        tsr_raise(ERR_SyntaxError, "%s", "cannot assign to expression");
        return fail_at(t), false;
    }
}

static bool exec_augassign(struct Interp *in, Frame *f, Node *n) {
    Node *t = n->a;
    Value *obj = NULL, *idx = NULL, *cur = NULL, *rhs = NULL, *res = NULL;
    bool ok = false;
    switch (t->kind) {
    case N_NAME:
        cur = lookup_name(in, f, t->name);
        if (!cur) {
            tsr_raise(ERR_NameError, "name '%s' is not defined", t->name);
            note_pos(t);
            return false;
        }
        val_retain(cur);
        break;
    case N_ATTR:
        if (!(obj = eval_expr(in, f, t->a))) goto done;
        if (!(cur = get_attr(obj, t->name))) goto fail_pos;
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
        note_pos(n);
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
    if (!ok) note_pos(n);
    goto done;
fail_pos:
    note_pos(t);
done:
    val_release(obj);
    val_release(idx);
    val_release(cur);
    val_release(rhs);
    val_release(res);
    return ok;
}

static bool exec_del(struct Interp *in, Frame *f, Node *t) {
    switch (t->kind) {
    case N_NAME: {
        Dict *d = (f->locals && !is_global_name(f, t->name)) ? f->locals->dict : in->globals->dict;
        if (!dict_del(d, t->name)) {
            tsr_raise(ERR_NameError, "name '%s' is not defined", t->name);
            return fail_at(t), false;
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
        bool ok = false;
        if (idx && obj->kind == VK_LIST && (idx->kind == VK_INT || idx->kind == VK_BOOL)) {
            int64_t i = idx->kind == VK_INT ? idx->i : idx->b, n = obj->seq.len;
            if (i < 0) i += n;
            if (i < 0 || i >= n) {
                tsr_raise(ERR_IndexError, "%s", "list assignment index out of range");
            } else {
                val_release(obj->seq.items[i]);
                memmove(obj->seq.items + i, obj->seq.items + i + 1, sizeof(Value *) * (size_t)(n - i - 1));
                obj->seq.len--;
                ok = true;
            }
        } else if (idx && obj->kind == VK_DICT) {
            int r = dict_delv(obj->dict, idx, NULL);
            if (r == 0) raise_key_error(idx);
            ok = r > 0;
        } else if (idx && obj->kind == VK_INSTANCE) {
            bool found;
            Value *r = special_call(obj, "__delitem__", &idx, 1, &found);
            if (!found) tsr_raise(ERR_TypeError, "'%s' object doesn't support item deletion", val_type_name(obj));
            ok = r != NULL;
            val_release(r);
        } else if (idx) {
            tsr_raise(ERR_TypeError, "'%s' object doesn't support item deletion", val_type_name(obj));
        }
        val_release(obj);
        val_release(idx);
        return ok ? true : (fail_at(t), false);
    }
    default:
        tsr_raise(ERR_SyntaxError, "%s", "cannot delete expression");
        return fail_at(t), false;
    }
}

/* ------------------------------------------------------------ statements */

static ExecStatus exec_stmt(struct Interp *in, Frame *f, Node *n);

ExecStatus exec_block(struct Interp *in, Frame *f, NodeList *body) {
    for (int i = 0; i < body->len; i++) {
        ExecStatus st = exec_stmt(in, f, body->items[i]);
        if (st != EXEC_OK) return st;
    }
    return EXEC_OK;
}

static void echo_value(Value *v) {
    if (v->kind == VK_NONE) return;
    Value *r = val_repr(v);
    if (!r) return;
    tsr_write_stdout(r->str.s, r->str.len);
    tsr_write_stdout("\n", 1);
    val_release(r);
}

static ExecStatus exec_loop_body(struct Interp *in, Frame *f, NodeList *body, bool *broke) {
    ExecStatus st = exec_block(in, f, body);
    if (st == EXEC_BREAK) {
        *broke = true;
        return EXEC_OK;
    }
    if (st == EXEC_CONTINUE) return EXEC_OK;
    return st;
}

static ExecStatus exec_for(struct Interp *in, Frame *f, Node *n) {
    Value *src = eval_expr(in, f, n->b);
    if (!src) return EXEC_ERROR;
    ExecStatus st = EXEC_OK;
    bool broke = false;
    if (src->kind == VK_RANGE) { /* no materialisation for range() */
        int64_t i = src->range.start, stop = src->range.stop, step = src->range.step;
        for (; step > 0 ? i < stop : i > stop; i += step) {
            if (tsr_check_interrupt()) {
                st = EXEC_ERROR;
                break;
            }
            Value *iv = val_int(i);
            bool ok = iv && assign_target(in, f, n->a, iv);
            val_release(iv);
            if (!ok) {
                st = EXEC_ERROR;
                break;
            }
            st = exec_loop_body(in, f, &n->body, &broke);
            if (st != EXEC_OK || broke) break;
        }
    } else if (src->kind == VK_INSTANCE) { /* __next__ one item at a time */
        bool by_index, done = false;
        Value *it = instance_iter(src, &by_index);
        if (!it) {
            note_pos(n->b);
            st = EXEC_ERROR;
        } else if (it->kind != VK_INSTANCE) {
            val_release(src);
            src = it;
            goto materialise;
        }
        for (int64_t i = 0; it && st == EXEC_OK; i++) {
            if (tsr_check_interrupt()) {
                st = EXEC_ERROR;
                break;
            }
            Value *x = instance_next(it, by_index, i, &done);
            if (!x) {
                if (!done) st = EXEC_ERROR;
                break;
            }
            bool ok = assign_target(in, f, n->a, x);
            val_release(x);
            if (!ok) {
                st = EXEC_ERROR;
                break;
            }
            st = exec_loop_body(in, f, &n->body, &broke);
            if (broke) break;
        }
        val_release(it);
    } else {
    materialise:;
        Value *items = iterate_to_list(src);
        if (!items) {
            note_pos(n->b);
            val_release(src);
            return EXEC_ERROR;
        }
        for (int64_t i = 0; i < items->seq.len; i++) {
            if (tsr_check_interrupt()) {
                st = EXEC_ERROR;
                break;
            }
            if (!assign_target(in, f, n->a, items->seq.items[i])) {
                st = EXEC_ERROR;
                break;
            }
            st = exec_loop_body(in, f, &n->body, &broke);
            if (st != EXEC_OK || broke) break;
        }
        val_release(items);
    }
    val_release(src);
    if (st == EXEC_OK && !broke && n->orelse.len) st = exec_block(in, f, &n->orelse);
    return st;
}

static ExecStatus exec_while(struct Interp *in, Frame *f, Node *n) {
    bool broke = false;
    for (;;) {
        if (tsr_check_interrupt()) return EXEC_ERROR;
        Value *c = eval_expr(in, f, n->a);
        if (!c) return EXEC_ERROR;
        int t = val_truthy(c);
        val_release(c);
        if (t < 0) {
            note_pos(n->a);
            return EXEC_ERROR;
        }
        if (!t) break;
        ExecStatus st = exec_loop_body(in, f, &n->body, &broke);
        if (st != EXEC_OK) return st;
        if (broke) return EXEC_OK;
    }
    return n->orelse.len ? exec_block(in, f, &n->orelse) : EXEC_OK;
}

/* __exit__(type, value, traceback) after the body of a `with` ran with
 * status st: a true result swallows the body's error. */
static ExecStatus exit_context(struct Interp *in, Frame *f, Value *ctx, ExecStatus st) {
    Value *none = val_none();
    Value *args[3] = {none, none, none};
    SavedError saved;
    Value *exc = NULL;
    bool found;
    if (st == EXEC_ERROR) {
        if (!(exc = exc_current(in)) || !exc_save(in, &saved)) {
            val_release(exc);
            val_release(none);
            return EXEC_ERROR;
        }
        tsr_err_clear();
        args[0] = exc->inst.cls;
        args[1] = exc;
    }
    Value *r = special_call(ctx, "__exit__", args, 3, &found);
    int swallow = r ? val_truthy(r) : -1;
    val_release(r);
    val_release(none);
    if (st == EXEC_ERROR) {
        val_release(exc);
        if (swallow == 0) {
            exc_restore(in, &saved);
            return EXEC_ERROR;
        }
        exc_discard(&saved);
        return swallow > 0 ? EXEC_OK : EXEC_ERROR;
    }
    if (swallow < 0) {
        val_release(f->retval);
        f->retval = NULL;
        return EXEC_ERROR;
    }
    return st;
}

/* The context managers of a `with` from the i-th on, then the body: grad
 * modes (torch.no_grad() ...) and objects with __enter__/__exit__. */
static ExecStatus with_from(struct Interp *in, Frame *f, Node *n, int i) {
    if (i == n->list.len) return exec_block(in, f, &n->body);
    Value *ctx = eval_expr(in, f, n->list.items[i]);
    if (!ctx) return EXEC_ERROR;
    Node *target = n->list2.len > i ? n->list2.items[i] : NULL;
    ExecStatus st = EXEC_ERROR;
    if (ctx->kind == VK_CONTEXT) {
        /* set_grad_enabled(b) already switched the mode when called: restore
         * the mode from before that call */
        bool saved = ctx->ctx.kind == CTX_SET_GRAD ? ctx->ctx.prev : ag_grad_enabled;
        ag_grad_enabled = ctx->ctx.kind == CTX_NO_GRAD ? false
                          : ctx->ctx.kind == CTX_ENABLE_GRAD ? true : ctx->ctx.mode;
        Value *none = val_none();
        bool ok = !target || assign_target(in, f, target, none);
        val_release(none);
        if (ok) st = with_from(in, f, n, i + 1);
        ag_grad_enabled = saved;
    } else if (ctx->kind == VK_INSTANCE && class_lookup(ctx->inst.cls, "__enter__") &&
               class_lookup(ctx->inst.cls, "__exit__")) {
        bool found;
        Value *entered = special_call(ctx, "__enter__", NULL, 0, &found);
        if (!entered) {
            note_pos(n->list.items[i]);
        } else {
            bool ok = !target || assign_target(in, f, target, entered);
            val_release(entered);
            if (ok) st = exit_context(in, f, ctx, with_from(in, f, n, i + 1));
        }
    } else {
        tsr_raise(ERR_TypeError, "'%s' object does not support the context manager protocol", val_type_name(ctx));
        note_pos(n->list.items[i]);
    }
    val_release(ctx);
    return st;
}

static ExecStatus exec_with(struct Interp *in, Frame *f, Node *n) {
    if (n->list.len > 16) {
        tsr_raise(ERR_SyntaxError, "%s", "too many statically nested blocks");
        return fail_at(n), EXEC_ERROR;
    }
    return with_from(in, f, n, 0);
}

/* The module named by a dotted path: torch and its submodules, or one of
 * Python's modules the builtins layer provides. A new reference. */
static Value *resolve_module(struct Interp *in, const char *mod) {
    if (strcmp(mod, "torch") && strncmp(mod, "torch.", 6)) {
        if (!in->hooks.import_module) {
            tsr_raise(ERR_ModuleNotFoundError, "No module named '%s'", mod);
            return NULL;
        }
        return in->hooks.import_module(mod);
    }
    /* resolve the dotted path inside the torch module */
    Value *cur = val_retain(in->torch);
    const char *p = mod + 5;
    while (*p == '.') {
        const char *start = p + 1, *end = strchr(start, '.');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        char part[128];
        if (len >= sizeof part) len = sizeof part - 1;
        memcpy(part, start, len);
        part[len] = 0;
        Value *next = cur->kind == VK_MODULE ? dict_get(cur->module.members, part) : NULL;
        if (!next || next->kind != VK_MODULE) {
            tsr_raise(ERR_ModuleNotFoundError, "No module named '%s'", mod);
            val_release(cur);
            return NULL;
        }
        val_release(cur);
        cur = val_retain(next);
        p = start + len;
    }
    return cur;
}

static ExecStatus exec_import(struct Interp *in, Frame *f, Node *n) {
    const char *mod = n->name;
    Value *cur = resolve_module(in, mod);
    if (!cur) return fail_at(n), EXEC_ERROR;
    bool ok;
    if (n->kind == N_IMPORT) {
        const char *dot = strchr(mod, '.');
        if (n->name2 || !dot) {
            ok = store_name(in, f, n->name2 ? n->name2 : mod, cur);
        } else { /* `import torch.nn`, `import os.path` bind the top module */
            char top[128];
            snprintf(top, sizeof top, "%.*s", (int)(dot - mod), mod);
            Value *t = resolve_module(in, top);
            ok = t && store_name(in, f, top, t);
            val_release(t);
        }
    } else if (n->star) {
        int64_t it = 0;
        const char *k;
        Value *v;
        ok = true;
        while (ok && dict_next(cur->module.members, &it, &k, &v))
            if (k[0] != '_') ok = store_name(in, f, k, v);
    } else {
        ok = true;
        for (int i = 0; ok && i < n->list.len; i++) {
            Node *nm = n->list.items[i];
            Value *v = dict_get(cur->module.members, nm->name);
            if (!v) {
                tsr_raise(ERR_ImportError, "cannot import name '%s' from '%s'", nm->name, mod);
                note_pos(nm);
                ok = false;
                break;
            }
            ok = store_name(in, f, nm->name2 ? nm->name2 : nm->name, v);
        }
    }
    val_release(cur);
    return ok ? EXEC_OK : EXEC_ERROR;
}

/* ------------------------------------------------------------ exceptions */

static ExecStatus exec_raise(struct Interp *in, Frame *f, Node *n) {
    if (!n->a) {
        if (!in->handling) {
            tsr_raise(ERR_RuntimeError, "%s", "No active exception to reraise");
            return fail_at(n), EXEC_ERROR;
        }
        exc_raise_value(in, in->handling, NULL);
        return fail_at(n), EXEC_ERROR;
    }
    Value *e = eval_expr(in, f, n->a);
    if (!e) return EXEC_ERROR;
    Value *cause = n->b ? eval_expr(in, f, n->b) : NULL;
    if (!n->b || cause) exc_raise_value(in, e, cause);
    val_release(cause);
    val_release(e);
    return fail_at(n), EXEC_ERROR;
}

static void unbind_name(struct Interp *in, Frame *f, const char *name) {
    if (f->locals && !is_global_name(f, name)) dict_del(f->locals->dict, name);
    else dict_del(in->globals->dict, name);
}

/* The except clauses, with the body's error current: the first whose class
 * matches runs with the exception bound to its name; none matching leaves
 * the error as it was. */
static ExecStatus run_handlers(struct Interp *in, Frame *f, Node *n) {
    Value *exc = exc_current(in);
    if (!exc) return EXEC_ERROR;
    SavedError saved;
    if (!exc_save(in, &saved)) {
        val_release(exc);
        return EXEC_ERROR;
    }
    tsr_err_clear();
    for (int i = 0; i < n->list.len; i++) {
        Node *h = n->list.items[i];
        int match = 1;
        if (h->a) {
            Value *spec = eval_expr(in, f, h->a);
            match = spec ? exc_matches(exc, spec) : -1;
            val_release(spec);
            if (match < 0) {
                fail_at(h->a);
                exc_discard(&saved);
                val_release(exc);
                return EXEC_ERROR;
            }
        }
        if (!match) continue;
        exc_discard(&saved);
        if (h->name && !store_name(in, f, h->name, exc)) {
            val_release(exc);
            return EXEC_ERROR;
        }
        Value *outer = in->handling;
        in->handling = exc;
        ExecStatus st = exec_block(in, f, &h->body);
        in->handling = outer;
        if (h->name) unbind_name(in, f, h->name);
        val_release(exc);
        return st;
    }
    exc_restore(in, &saved);
    val_release(exc);
    return EXEC_ERROR;
}

/* finally: runs after any outcome; its own break, continue, return or
 * error replaces the outcome, else the outcome stands. */
static ExecStatus run_finally(struct Interp *in, Frame *f, Node *n, ExecStatus st) {
    SavedError saved = {0};
    if (st == EXEC_ERROR && !exc_save(in, &saved)) return EXEC_ERROR;
    tsr_err_clear();
    Value *retval = NULL;
    if (st == EXEC_RETURN) {
        retval = f->retval;
        f->retval = NULL;
    }
    ExecStatus fs = exec_block(in, f, &n->list2);
    if (fs != EXEC_OK) {
        if (st == EXEC_ERROR) exc_discard(&saved);
        val_release(retval);
        return fs;
    }
    if (st == EXEC_ERROR) exc_restore(in, &saved);
    if (st == EXEC_RETURN) f->retval = retval;
    return st;
}

static ExecStatus exec_try(struct Interp *in, Frame *f, Node *n) {
    ExecStatus st = exec_block(in, f, &n->body);
    if (st == EXEC_ERROR && n->list.len) st = run_handlers(in, f, n);
    else if (st == EXEC_OK && n->orelse.len) st = exec_block(in, f, &n->orelse);
    return n->list2.len ? run_finally(in, f, n, st) : st;
}

/* ------------------------------------------------------------ classes */

static ExecStatus exec_class(struct Interp *in, Frame *f, Node *n) {
    Value *base = NULL, *ns = NULL, *cls = NULL;
    ExecStatus st = EXEC_ERROR;
    if (n->list.len > 1) {
        tsr_raise(ERR_TypeError, "%s", "multiple inheritance is not supported by tsr");
        return fail_at(n->list.items[1]), EXEC_ERROR;
    }
    if (n->list.len) {
        if (!(base = eval_expr(in, f, n->list.items[0]))) return EXEC_ERROR;
        if (base->kind != VK_CLASS) {
            if (base->kind == VK_TYPE)
                tsr_raise(ERR_TypeError, "subclassing the built-in type '%s' is not supported by tsr",
                          type_object_name(base->type));
            else
                tsr_raise(ERR_TypeError, "%s", "bases must be types");
            fail_at(n->list.items[0]);
            goto done;
        }
    } else {
        base = val_retain(class_object);
    }
    if (!(ns = val_dict_new())) goto done;
    Value *mod = val_cstr("__main__"), *qual = val_cstr(n->name);
    bool ok = mod && qual && dict_set(ns->dict, "__module__", mod) && dict_set(ns->dict, "__qualname__", qual);
    val_release(mod);
    val_release(qual);
    if (!ok) goto done;
    Frame body = {.locals = ns, .outer = f->locals, .class_body = true, .class_name = n->name, .fn = f->fn};
    ExecStatus bs = exec_block(in, &body, &n->body);
    val_release(body.global_names);
    if (bs == EXEC_ERROR) goto done;
    if (!(cls = class_new(n->name, "__main__", base, ns))) goto done;
    for (int i = n->list2.len - 1; i >= 0; i--) { /* decorators, bottom-up */
        Value *dec = eval_expr(in, f, n->list2.items[i]);
        if (!dec) goto done;
        Value *args[1] = {cls};
        CallArgs a = {args, 1, NULL, NULL, 0};
        Value *r = call_function(in, dec, &a);
        val_release(dec);
        if (!r) {
            fail_at(n->list2.items[i]);
            goto done;
        }
        val_release(cls);
        cls = r;
    }
    if (store_name(in, f, n->name, cls)) st = EXEC_OK;
done:
    val_release(cls);
    val_release(ns);
    val_release(base);
    return st;
}

static ExecStatus exec_stmt(struct Interp *in, Frame *f, Node *n) {
    if (tsr_check_interrupt()) return fail_at(n), EXEC_ERROR;
    switch (n->kind) {
    case N_EXPR_STMT: {
        Value *v = eval_expr(in, f, n->a);
        if (!v) return EXEC_ERROR;
        if (f->echo) echo_value(v);
        val_release(v);
        return EXEC_OK;
    }
    case N_ASSIGN: {
        Value *v = eval_expr(in, f, n->b);
        if (!v) return EXEC_ERROR;
        bool ok = true;
        for (int i = 0; ok && i < n->list.len; i++) ok = assign_target(in, f, n->list.items[i], v);
        val_release(v);
        return ok ? EXEC_OK : EXEC_ERROR;
    }
    case N_AUGASSIGN: return exec_augassign(in, f, n) ? EXEC_OK : EXEC_ERROR;
    case N_IF: {
        Value *c = eval_expr(in, f, n->a);
        if (!c) return EXEC_ERROR;
        int t = val_truthy(c);
        val_release(c);
        if (t < 0) return fail_at(n->a), EXEC_ERROR;
        return exec_block(in, f, t ? &n->body : &n->orelse);
    }
    case N_WHILE: return exec_while(in, f, n);
    case N_FOR: return exec_for(in, f, n);
    case N_BREAK: return EXEC_BREAK;
    case N_CONTINUE: return EXEC_CONTINUE;
    case N_PASS: return EXEC_OK;
    case N_RETURN: {
        if (!f->fn) {
            tsr_raise(ERR_SyntaxError, "%s", "'return' outside function");
            return fail_at(n), EXEC_ERROR;
        }
        Value *v = n->a ? eval_expr(in, f, n->a) : val_none();
        if (!v) return EXEC_ERROR;
        val_release(f->retval);
        f->retval = v;
        return EXEC_RETURN;
    }
    case N_DEF: {
        Value *fv = make_function(in, f, n, false);
        if (!fv) return fail_at(n), EXEC_ERROR;
        /* decorators apply bottom-up */
        for (int i = n->list.len - 1; i >= 0; i--) {
            Value *dec = eval_expr(in, f, n->list.items[i]);
            if (!dec) {
                val_release(fv);
                return EXEC_ERROR;
            }
            Value *args[1] = {fv};
            CallArgs a = {args, 1, NULL, NULL, 0};
            Value *r = call_function(in, dec, &a);
            val_release(dec);
            val_release(fv);
            if (!r) return fail_at(n->list.items[i]), EXEC_ERROR;
            fv = r;
        }
        bool ok = store_name(in, f, n->name, fv);
        val_release(fv);
        return ok ? EXEC_OK : EXEC_ERROR;
    }
    case N_WITH: return exec_with(in, f, n);
    case N_ASSERT: {
        Value *c = eval_expr(in, f, n->a);
        if (!c) return EXEC_ERROR;
        int t = val_truthy(c);
        val_release(c);
        if (t < 0) return fail_at(n->a), EXEC_ERROR;
        if (t) return EXEC_OK;
        if (n->b) {
            Value *m = eval_expr(in, f, n->b);
            if (!m) return EXEC_ERROR;
            Value *s = val_str_of(m);
            val_release(m);
            if (!s) return EXEC_ERROR;
            tsr_raise(ERR_AssertionError, "%s", s->str.s);
            val_release(s);
        } else {
            tsr_raise(ERR_AssertionError, "%s", "");
        }
        return fail_at(n), EXEC_ERROR;
    }
    case N_DEL:
        for (int i = 0; i < n->list.len; i++)
            if (!exec_del(in, f, n->list.items[i])) return EXEC_ERROR;
        return EXEC_OK;
    case N_GLOBAL:
        if (!f->locals) return EXEC_OK;
        if (!f->global_names && !(f->global_names = val_dict_new())) return EXEC_ERROR;
        for (int i = 0; i < n->list.len; i++) {
            Value *none = val_none();
            bool ok = dict_set(f->global_names->dict, n->list.items[i]->name, none);
            val_release(none);
            if (!ok) return EXEC_ERROR;
        }
        return EXEC_OK;
    case N_NONLOCAL: return EXEC_OK; /* closures share the enclosing dict */
    case N_IMPORT:
    case N_IMPORT_FROM: return exec_import(in, f, n);
    case N_RAISE: return exec_raise(in, f, n);
    case N_TRY: return exec_try(in, f, n);
    case N_CLASS: return exec_class(in, f, n);
    default:
        tsr_raise(ERR_SyntaxError, "unsupported statement (%s)", ast_kind_names[n->kind]);
        return fail_at(n), EXEC_ERROR;
    }
}
