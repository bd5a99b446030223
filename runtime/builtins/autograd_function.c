/* autograd_function.c: the C half of torch.autograd.Function (PyTorch's
 * python_function.cpp and custom_function.cpp; the classes are
 * torch/autograd_function.py).
 *
 * Function.apply runs the user's forward with grad mode off and, when some
 * tensor argument requires grad, records a FunctionBackward node
 * (autograd/custom_function.c) on the outputs. The ctx object forward
 * received (an XBackward instance) is that node as Python sees it:
 * y.grad_fn is ctx. The node holds ctx; ctx points back at its node weakly
 * (inst.native, cleared when the node dies). The engine runs the node by
 * calling ctx.apply(*grads) (BackwardCFunction.apply: the user's backward)
 * and checks what it returns as PyNode::apply does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"
#include "ops.h"

/* ctx->inst.native: the node a ctx object stands for (weak); freed once
 * that node is gone (its saved tensors with it, as PyTorch's
 * has_freed_buffers). */
typedef struct {
    GradNode *node;
    bool freed;
    int n_inputs;
    bool needs_input_grad[]; /* ctx.needs_input_grad, one per forward argument */
} CtxLink;

static GradNode *ctx_node(Value *ctx) {
    if (!ctx || ctx->kind != VK_INSTANCE || !ctx->inst.native) return NULL;
    return ((CtxLink *)ctx->inst.native)->node;
}

static void function_free(GradNode *node, void *obj) {
    Value *ctx = obj;
    if (ctx->kind == VK_INSTANCE && ctx->inst.native && ((CtxLink *)ctx->inst.native)->node == node)
        ((CtxLink *)ctx->inst.native)->node = NULL, ((CtxLink *)ctx->inst.native)->freed = true;
    val_release(ctx);
}

/* ctx.NAME from the instance's own dict (borrowed; NULL when unset). */
static Value *ctx_field(Value *ctx, const char *name) {
    if (ctx->kind != VK_INSTANCE || !ctx->inst.dict) return NULL;
    return dict_get(ctx->inst.dict->dict, name);
}

static void ctx_clear(Value *ctx, const char *name) {
    if (ctx_field(ctx, name)) dict_del(ctx->inst.dict->dict, name);
}

static bool find_tensor(Tensor *t, Tensor *const *set, int n) {
    for (int i = 0; i < n; i++)
        if (set[i] == t) return true;
    return false;
}

/* The tensors of ctx.NAME (a tuple set by mark_dirty/mark_non_differentiable),
 * PyTorch's TypeError for anything else: *out (malloc'd) and *n. */
static bool ctx_tensors(Value *ctx, const char *name, const char *what, Tensor ***out, int *n) {
    *out = NULL;
    *n = 0;
    Value *v = ctx_field(ctx, name);
    if (!v || v->kind != VK_TUPLE) return true;
    *out = tsr_calloc((size_t)v->seq.len + 1, sizeof **out);
    if (!*out) return false;
    for (int64_t i = 0; i < v->seq.len; i++) {
        Value *e = v->seq.items[i];
        if (e->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "%s can only accept variables, but argument %lld is of type %s", what,
                      (long long)i, val_type_name(e));
            free(*out);
            *out = NULL;
            return false;
        }
        (*out)[(*n)++] = e->tensor;
    }
    return true;
}

/* Gives var the gradient edge (node, nr), as impl::set_gradient_edge. */
static void set_edge(Tensor *var, GradNode *node, int nr) {
    ag_node_retain(node);
    ag_node_release(var->grad_fn);
    var->grad_fn = node;
    var->output_nr = nr;
    var->requires_grad = true;
    if (var->view_base) var->view_version = var->storage->version;
}

/* A view that forward returned (or an input returned as-is) carries the
 * node: an in-place op on it must not rebase it (CreationMeta
 * IN_CUSTOM_FUNCTION). */
static void set_output_edge(Tensor *var, GradNode *node, int nr) {
    set_edge(var, node, nr);
    if (var->view_base) var->view_meta = AG_VIEW_IN_CUSTOM_FUNCTION;
}

static const char DIRTY_NOT_OUTPUT[] =
    "Some elements marked as dirty during the forward method were not returned as output. The inputs that are "
    "modified inplace must all be outputs of the Function.";

/* One output of forward (custom_function.cpp's set_history): a new
 * reference to what apply returns in its place. */
static Value *wrap_output(Value *out, int nr, int n_outputs, GradNode *node, Tensor *const *inputs, int n_in,
                          Tensor *const *dirty, int n_dirty, Tensor *const *nondiff, int n_nondiff) {
    Tensor *var = out->tensor;
    bool is_input = find_tensor(var, inputs, n_in);
    bool is_modified = find_tensor(var, dirty, n_dirty);
    bool differentiable = node && !find_tensor(var, nondiff, n_nondiff) &&
                          (dtype_is_float(var->dtype) || dtype_is_complex(var->dtype));
    if (!differentiable) {
        if (!ag_requires_grad(var)) {
            if (is_input && !is_modified) {
                Tensor *v = NULL;
                NO_GRAD(v = op_view(var, var->ndim, var->shape));
                return val_tensor_steal(v);
            }
            return val_retain(out);
        }
        if (is_input) return val_tensor_steal(op_detach(var));
        if (!var->view_base) {
            ag_node_release(var->grad_fn);
            var->grad_fn = NULL;
            var->requires_grad = false;
        }
        return val_retain(out);
    }
    if (is_modified) {
        if (!var->grad_fn && var->requires_grad) {
            tsr_raise(ERR_RuntimeError, "%s", "a leaf Variable that requires grad has been used in an in-place operation.");
            return NULL;
        }
        if (!is_input &&
            !tsr_warn(ERR_UserWarning, "Only input Tensors should be given to ctx.mark_dirty(). If a Tensor is not an "
                                       "input, there is no need to pass it to mark_dirty()."))
            return NULL;
        if (var->view_base && n_outputs > 1) {
            tsr_raise(ERR_RuntimeError, "%s",
                      "If your Function modifies inplace an input that is a view of another Tensor, your Function "
                      "cannot return more than one Tensor. This is not supported by the current autograd engine. "
                      "You should either make sure the input is not a view (using .clone() for example) or make "
                      "your Function only return one Tensor (potentially splitting it into two Functions: one "
                      "doing the inplace that returns that input and one doing the view that returns the view).");
            return NULL;
        }
        set_edge(var, node, nr);
        if (var->view_base && !ag_rebase_view(var)) return NULL;
        return val_retain(out);
    }
    if (is_input) { /* returned unchanged: a view of it carries the node */
        Tensor *v = NULL;
        NO_GRAD(v = op_view(var, var->ndim, var->shape));
        if (!v) return NULL;
        set_output_edge(v, node, nr);
        return val_tensor_steal(v);
    }
    set_output_edge(var, node, nr);
    return val_retain(out);
}

/* ctx.to_save: saved on node (an output of the node as its output). */
static bool save_variables(Value *ctx, GradNode *node) {
    Value *v = ctx_field(ctx, "to_save");
    if (!v || v->kind != VK_TUPLE) return true;
    for (int64_t i = 0; i < v->seq.len; i++) {
        Value *e = v->seq.items[i];
        bool ok;
        if (e->kind == VK_TENSOR)
            ok = e->tensor->grad_fn == node ? ag_save_result(node, e->tensor, e->tensor->output_nr)
                                            : ag_save(node, e->tensor);
        else if (e->kind == VK_NONE)
            ok = ag_save(node, NULL);
        else {
            tsr_raise(ERR_TypeError, "save_for_backward can only save variables, but argument %lld is of type %s",
                      (long long)i, val_type_name(e));
            ok = false;
        }
        if (!ok) return false;
    }
    return true;
}

static bool function_call(GradNode *node, Tensor *const *grads, Tensor **gi);

/* Function.apply(*args): a classmethod, so a->args[0] is the class. */
static Value *f_function_apply(Value *self, const CallArgs *a) {
    (void)self;
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "apply() takes no keyword arguments");
        return NULL;
    }
    if (a->nargs < 1) {
        tsr_raise(ERR_TypeError, "%s", "apply() needs the Function class");
        return NULL;
    }
    Value *cls = a->args[0];
    Value *const *args = a->args + 1;
    int n = (int)a->nargs - 1;
    Value *ctx = NULL, *fwd = NULL, *raw = NULL, *outs = NULL, *result = NULL;
    Tensor **inputs = tsr_calloc((size_t)n + 1, sizeof *inputs), **dirty = NULL, **nondiff = NULL;
    int n_dirty = 0, n_nondiff = 0;
    GradNode *node = NULL;
    if (!inputs) return NULL;

    Value *bcls = get_attr(cls, "_backward_cls");
    if (!bcls) goto done;
    CallArgs none = {NULL, 0, NULL, NULL, 0};
    ctx = call_value(bcls, &none);
    val_release(bcls);
    if (!ctx) goto done;
    if (ctx->kind != VK_INSTANCE || ctx->inst.native) {
        tsr_raise(ERR_TypeError, "%s", "_backward_cls must make a new instance");
        goto done;
    }
    CtxLink *link = tsr_calloc(1, sizeof(CtxLink) + sizeof(bool) * (size_t)(n + 1));
    if (!(ctx->inst.native = link)) goto done;
    link->n_inputs = n;
    bool executable = false;
    for (int i = 0; i < n; i++) {
        bool needs = false;
        if (args[i]->kind == VK_TENSOR) {
            inputs[i] = args[i]->tensor;
            needs = ag_grad_enabled && ag_requires_grad(inputs[i]);
        }
        executable |= needs;
        link->needs_input_grad[i] = needs;
    }

    if (!(fwd = get_attr(cls, "forward"))) goto done;
    Value **fargs = tsr_calloc((size_t)n + 2, sizeof *fargs);
    if (!fargs) goto done;
    fargs[0] = ctx;
    for (int i = 0; i < n; i++) fargs[i + 1] = args[i];
    CallArgs fa = {fargs, n + 1, NULL, NULL, 0};
    NO_GRAD(raw = call_value(fwd, &fa));
    free(fargs);
    if (!raw) goto done;

    bool unpack = raw->kind != VK_TUPLE;
    int n_out = unpack ? 1 : (int)raw->seq.len;
    Value *const *items = unpack ? &raw : raw->seq.items;
    if (!ctx_tensors(ctx, "non_differentiable", "mark_non_differentiable", &nondiff, &n_nondiff)) goto done;
    if (!ctx_tensors(ctx, "dirty_tensors", "mark_dirty", &dirty, &n_dirty)) goto done;
    for (int i = 0; i < n_dirty; i++) dirty[i]->storage->version++; /* bump_version */
    ctx_clear(ctx, "dirty_tensors");
    if (executable) {
        ag_function_call = function_call;
        ag_function_free = function_free; /* before the node, which may fail and free ctx */
        node = ag_function_node(ctx->inst.cls->cls->name, val_retain(ctx), inputs, n, n_out);
        if (!node) goto done;
        link->node = node;
    }
    if (!(outs = val_tuple_new(n_out))) goto done;
    AgFunctionCtx *fc = node ? node->ctx : NULL;
    for (int i = 0; i < n_out; i++) {
        Value *o = items[i];
        Value *w = o->kind == VK_TENSOR
                       ? wrap_output(o, i, n_out, node, inputs, n, dirty, n_dirty, nondiff, n_nondiff)
                       : val_retain(o);
        if (!w) goto done;
        outs->seq.items[i] = w;
        if (fc && w->kind == VK_TENSOR) {
            Tensor *t = w->tensor;
            AgOutputInfo *info = &fc->outputs[i];
            info->defined = true;
            info->dtype = t->dtype;
            info->device = t->storage->device;
            info->ndim = t->ndim;
            memcpy(info->shape, t->shape, sizeof(int64_t) * (size_t)t->ndim);
        }
    }
    for (int i = 0; i < n_dirty; i++) {
        bool returned = false;
        for (int k = 0; k < n_out; k++) returned |= items[k]->kind == VK_TENSOR && items[k]->tensor == dirty[i];
        if (!returned) {
            tsr_raise(ERR_RuntimeError, "%s", DIRTY_NOT_OUTPUT);
            goto done;
        }
    }
    if (node) {
        if (!save_variables(ctx, node)) goto done;
        Value *m = ctx_field(ctx, "materialize_grads");
        if (m) {
            int tr = val_truthy(m);
            if (tr < 0) goto done;
            fc->materialize_grads = tr;
        }
    }
    ctx_clear(ctx, "to_save");
    ctx_clear(ctx, "non_differentiable");
    result = unpack ? val_retain(outs->seq.items[0]) : val_retain(outs);
done:
    ag_node_release(node); /* the outputs hold it */
    free(inputs);
    free(dirty);
    free(nondiff);
    val_release(ctx);
    val_release(fwd);
    val_release(raw);
    val_release(outs);
    return result;
}

/* The engine's call (PyNode::apply): ctx.apply(*grads), one gradient per
 * forward argument back. */
static bool function_call(GradNode *node, Tensor *const *grads, Tensor **gi) {
    AgFunctionCtx *c = node->ctx;
    Value *ctx = c->obj;
    Value **args = tsr_calloc((size_t)c->n_outputs + 1, sizeof *args);
    Value *apply = NULL, *r = NULL;
    bool ok = false;
    if (!args) return false;
    for (int i = 0; i < c->n_outputs; i++) {
        const AgOutputInfo *info = &c->outputs[i];
        if (grads[i])
            args[i] = val_tensor_steal(tensor_retain(grads[i]));
        else if (c->materialize_grads && info->defined)
            args[i] = val_tensor_steal(tensor_zeros(info->dtype, info->ndim, info->shape, info->device));
        else
            args[i] = val_none();
        if (!args[i]) goto done;
    }
    if (!(apply = get_attr(ctx, "apply"))) goto done;
    CallArgs ca = {args, c->n_outputs, NULL, NULL, 0};
    if (!(r = call_value(apply, &ca))) goto done;
    Value *const *items = r->kind == VK_TUPLE ? r->seq.items : &r;
    int got = r->kind == VK_TUPLE ? (int)r->seq.len : 1;
    if (got > c->n_inputs) { /* too many is fine when the extra ones are None */
        bool all_none = true;
        for (int i = c->n_inputs; i < got; i++) all_none &= items[i]->kind == VK_NONE;
        if (all_none) got = c->n_inputs;
    }
    if (got != c->n_inputs) {
        tsr_raise(ERR_RuntimeError, "function %s returned an incorrect number of gradients (expected %d, got %d)",
                  c->name, c->n_inputs, got);
        goto done;
    }
    for (int i = 0, k = 0; i < got; i++) {
        Value *g = items[i];
        if (!c->is_tensor_input[i]) {
            if (g->kind != VK_NONE) {
                tsr_raise(ERR_RuntimeError,
                          "function %s returned a gradient different than None at position %d, but the "
                          "corresponding forward input was not a Variable",
                          c->name, i + 1);
                goto done;
            }
            continue;
        }
        if (g->kind == VK_TENSOR)
            gi[k] = tensor_retain(g->tensor);
        else if (g->kind != VK_NONE) {
            tsr_raise(ERR_RuntimeError, "expected Variable or None (got %s)", val_type_name(g));
            goto done;
        }
        k++;
    }
    ok = true;
done:
    if (!ok)
        for (int i = 0; i < node->n_next; i++) {
            tensor_release(gi[i]);
            gi[i] = NULL;
        }
    for (int i = 0; i < c->n_outputs; i++) val_release(args[i]);
    free(args);
    val_release(apply);
    val_release(r);
    return ok;
}

/* ctx.saved_tensors (also the node's, y.grad_fn.saved_tensors) */
static Value *f_saved_tensors(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "_function_saved_tensors", "ctx", v)) return NULL;
    GradNode *node = ctx_node(v[0]);
    CtxLink *link = v[0]->kind == VK_INSTANCE ? v[0]->inst.native : NULL;
    if ((!node && link && link->freed) || (node && node->released)) {
        tsr_raise(ERR_RuntimeError, "%s", ag_err_backward_twice);
        return NULL;
    }
    if (!node) return val_tuple_new(0);
    Value *out = val_tuple_new(node->n_saved);
    for (int i = 0; out && i < node->n_saved; i++) {
        Tensor *t = ag_saved(node, i);
        if (!t && tsr_err_occurred()) {
            val_release(out);
            return NULL;
        }
        if (!t) {
            out->seq.items[i] = val_none();
            continue;
        }
        int nr = node->saved_meta[i].output_nr;
        if (nr >= 0) { /* an output: it comes back as the node's output */
            Tensor *al = tensor_alias(t);
            if (al) set_edge(al, node, nr);
            t = al;
        } else {
            tensor_retain(t);
        }
        if (!(out->seq.items[i] = val_tensor_steal(t))) {
            val_release(out);
            return NULL;
        }
    }
    return out;
}

/* ctx.needs_input_grad: None for a ctx that no apply made */
static Value *f_needs_input_grad(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "_function_needs_input_grad", "ctx", v)) return NULL;
    CtxLink *link = v[0]->kind == VK_INSTANCE ? v[0]->inst.native : NULL;
    if (!link) return val_none();
    Value *t = val_tuple_new(link->n_inputs);
    for (int i = 0; t && i < link->n_inputs; i++) t->seq.items[i] = val_bool(link->needs_input_grad[i]);
    return t;
}

/* ctx.next_functions */
static Value *f_next_functions(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "_function_next_functions", "ctx", v)) return NULL;
    GradNode *node = ctx_node(v[0]);
    return node ? gradfn_next_functions(node) : val_tuple_new(0);
}

/* The XBackward class of a Function subclass (FunctionMeta.__init__):
 * _function_backward_cls(cls, BackwardCFunction). */
static Value *f_backward_cls(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, "_function_backward_cls", "cls, base", v)) return NULL;
    if (v[0]->kind != VK_CLASS || v[1]->kind != VK_CLASS) {
        tsr_raise(ERR_TypeError, "%s", "_function_backward_cls() needs two classes");
        return NULL;
    }
    size_t len = strlen(v[0]->cls->name) + sizeof "Backward";
    char *name = tsr_malloc(len);
    Value *dict = val_dict_new(), *mod = val_cstr("torch.autograd.function"), *qual = NULL, *cls = NULL;
    if (name) {
        snprintf(name, len, "%sBackward", v[0]->cls->name);
        qual = val_cstr(name);
    }
    if (dict && mod && qual && dict_set(dict->dict, "_forward_cls", v[0]) && dict_set(dict->dict, "__module__", mod) &&
        dict_set(dict->dict, "__qualname__", qual) && dict_set(dict->dict, "__doc__", val_none()))
        cls = class_new(name, "torch.autograd.function", v[1], dict);
    free(name);
    val_release(dict);
    val_release(mod);
    val_release(qual);
    return cls;
}

/* _functions.DelayedError(msg, n)(*tensors) of @once_differentiable: each
 * tensor's data behind an Error node whose backward raises msg. */
static Value *f_delayed_error(Value *self, const CallArgs *a) {
    if (a->nargs < 1 || a->args[0]->kind != VK_STR || a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "_delayed_error(msg, *tensors)");
        return NULL;
    }
    int n = (int)a->nargs - 1;
    Value *out = val_tuple_new(n);
    Tensor **ins = tsr_calloc((size_t)n + 1, sizeof *ins), **outs = tsr_calloc((size_t)n + 1, sizeof *outs);
    int k = 0;
    bool any = false;
    if (!out || !ins || !outs) goto fail;
    for (int i = 0; i < n; i++) {
        Value *e = a->args[i + 1];
        if (e->kind == VK_NONE) {
            out->seq.items[i] = val_none();
            continue;
        }
        if (e->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "expected Variable or None (got %s)", val_type_name(e));
            goto fail;
        }
        Tensor *t = tensor_alias(e->tensor);
        if (!t) goto fail;
        ins[k] = e->tensor;
        outs[k++] = t;
        any |= ag_requires_grad(e->tensor);
        out->seq.items[i] = val_tensor_steal(tensor_retain(t));
    }
    if (any && ag_grad_enabled && k && !ag_record_error(outs, k, ins, a->args[0]->str.s)) goto fail;
    for (int i = 0; i < k; i++) tensor_release(outs[i]);
    free(ins);
    free(outs);
    return out;
fail:
    for (int i = 0; outs && i < k; i++) tensor_release(outs[i]);
    free(ins);
    free(outs);
    val_release(out);
    return NULL;
}

const Builtin autograd_function_functions[] = {
    {"_function_apply", f_function_apply},
    {"_function_saved_tensors", f_saved_tensors},
    {"_function_next_functions", f_next_functions},
    {"_function_needs_input_grad", f_needs_input_grad},
    {"_function_backward_cls", f_backward_cls},
    {"_delayed_error", f_delayed_error},
    {NULL, NULL},
};
