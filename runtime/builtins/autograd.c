/* autograd.c: grad mode (torch.no_grad, enable_grad, set_grad_enabled,
 * is_grad_enabled), x.backward(), torch.autograd.* (backward, grad,
 * gradcheck), x.register_hook, and a tensor's place in the graph
 * (requires_grad_, retain_grad, detach, detach_). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "backward.h"
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* ---- grad mode: torch.no_grad(), enable_grad(), set_grad_enabled(mode) ---- */

static Value *make_context(ContextKind kind, bool mode, bool prev) {
    Value *v = tsr_calloc(1, sizeof *v);
    if (!v) return NULL;
    v->kind = VK_CONTEXT;
    v->rc = 1;
    v->ctx.kind = kind;
    v->ctx.mode = mode;
    v->ctx.prev = prev;
    return v;
}

static Value *t_no_grad(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("no_grad", "");
    return make_context(CTX_NO_GRAD, false, ag_grad_enabled);
}

static Value *t_enable_grad(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("enable_grad", "");
    return make_context(CTX_ENABLE_GRAD, true, ag_grad_enabled);
}

static Value *t_set_grad_enabled(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("set_grad_enabled", "mode");
    if (v_[0]->kind != VK_BOOL) {
        tsr_raise(ERR_TypeError, "set_grad_enabled(): argument 'mode' must be bool, not %s",
                  val_type_name(v_[0]));
        return NULL;
    }
    bool prev = ag_grad_enabled;
    ag_grad_enabled = v_[0]->b; /* takes effect at once, as in PyTorch */
    return make_context(CTX_SET_GRAD, v_[0]->b, prev);
}

/* torch.inference_mode(mode=True): grad mode off and new tensors are
 * inference tensors, as a context manager or a decorator */
static Value *t_inference_mode(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("inference_mode", "mode=");
    int mode = 1;
    if (v_[0] && (mode = val_truthy(v_[0])) < 0) return NULL;
    return make_context(CTX_INFERENCE, mode, ag_grad_enabled);
}

static Value *t_is_inference_mode_enabled(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("is_inference_mode_enabled", "");
    return val_bool(tsr_inference_mode);
}

static Value *m_is_inference(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("is_inference", "");
    return val_bool(self->tensor->storage->inference);
}

static Value *bi_is_inference(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("is_inference", "input");
    Tensor *t = arg_tensor(v_[0], "is_inference", "input");
    if (!t) return NULL;
    bool inference = t->storage->inference;
    tensor_release(t);
    return val_bool(inference);
}

static Value *t_is_grad_enabled(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("is_grad_enabled", "");
    return val_bool(ag_grad_enabled);
}

/* ---- backward, torch.autograd.backward/grad ---- */

#define MAX_TENSORS 256

/* An optional flag: absent/None -> dflt (-1 keeps "unset"), else truthiness. */
static bool opt_flag(Value *v, int dflt, int *out) {
    if (!v || v->kind == VK_NONE) {
        *out = dflt;
        return true;
    }
    int t = val_truthy(v);
    if (t < 0) return false;
    *out = t;
    return true;
}

/* A tensor or a sequence of tensors (borrowed into out). allow_none keeps
 * None entries as NULL (grad_tensors). */
static int tensor_list(Value *v, Tensor **out, const char *what, bool allow_none) {
    if (v->kind == VK_TENSOR) {
        out[0] = v->tensor;
        return 1;
    }
    if (allow_none && v->kind == VK_NONE) {
        out[0] = NULL;
        return 1;
    }
    if (v->kind != VK_LIST && v->kind != VK_TUPLE) {
        tsr_raise(ERR_TypeError, "%s must be a Tensor or a sequence of Tensors, not %s", what, val_type_name(v));
        return -1;
    }
    if (v->seq.len > MAX_TENSORS) {
        tsr_raise(ERR_RuntimeError, "%s: at most %d tensors", what, MAX_TENSORS);
        return -1;
    }
    for (int64_t i = 0; i < v->seq.len; i++) {
        Value *e = v->seq.items[i];
        if (e->kind == VK_TENSOR) {
            out[i] = e->tensor;
        } else if (allow_none && e->kind == VK_NONE) {
            out[i] = NULL;
        } else {
            if (allow_none)
                tsr_raise(ERR_TypeError, "gradients can be either Tensors or None, but got %s", val_type_name(e));
            else
                tsr_raise(ERR_TypeError, "%s must contain Tensors, not %s", what, val_type_name(e));
            return -1;
        }
    }
    return (int)v->seq.len;
}

/* The grad_tensors / grad_outputs argument for n roots: NULL entries where
 * None. */
static bool grads_arg(Value *v, int n, Tensor **out) {
    for (int i = 0; i < n; i++) out[i] = NULL;
    if (!v || v->kind == VK_NONE) return true;
    if (v->kind != VK_TENSOR && v->kind != VK_LIST && v->kind != VK_TUPLE) {
        tsr_raise(ERR_TypeError, "gradients can be either Tensors or None, but got %s", val_type_name(v));
        return false;
    }
    Tensor *tmp[MAX_TENSORS];
    int k = tensor_list(v, tmp, "grad_tensors", true);
    if (k < 0) return false;
    if (k != n) {
        tsr_raise(ERR_RuntimeError, "got %d tensors and %d gradients", n, k);
        return false;
    }
    for (int i = 0; i < n; i++) out[i] = tmp[i];
    return true;
}

/* x.backward(gradient=None, retain_graph=None, create_graph=False) */
static Value *m_backward(Value *self, const CallArgs *a) {
    Value *v[4];
    if (!args_parse(a, 0, "backward", "gradient=, retain_graph=, create_graph=, inputs=", v)) return NULL;
    if (v[3] && v[3]->kind != VK_NONE) {
        tsr_raise(ERR_NotImplementedError, "%s", "tsr: backward(inputs=...) is not supported");
        return NULL;
    }
    Tensor *g = NULL;
    if (v[0] && v[0]->kind != VK_NONE) {
        if (v[0]->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "'%s' object is not iterable", val_type_name(v[0]));
            return NULL;
        }
        g = v[0]->tensor;
    }
    int create, retain;
    if (!opt_flag(v[2], 0, &create) || !opt_flag(v[1], -1, &retain)) return NULL;
    if (retain < 0) retain = create;
    if (!ag_backward(self->tensor, g, retain, create)) return NULL;
    return val_none();
}

/* torch.autograd.backward(tensors, grad_tensors=None, retain_graph=None,
 * create_graph=False) */
static Value *f_backward(Value *self, const CallArgs *a) {
    Value *v[5];
    if (!args_parse(a, 0, "backward", "tensors, grad_tensors=, retain_graph=, create_graph=, grad_variables=", v))
        return NULL;
    Tensor *roots[MAX_TENSORS], *grads[MAX_TENSORS];
    int n = tensor_list(v[0], roots, "tensors", false);
    if (n < 0) return NULL;
    if (!grads_arg(v[1] ? v[1] : v[4], n, grads)) return NULL;
    int create, retain;
    if (!opt_flag(v[3], 0, &create) || !opt_flag(v[2], -1, &retain)) return NULL;
    if (retain < 0) retain = create;
    if (!ag_backward_multi(roots, grads, n, retain, create)) return NULL;
    return val_none();
}

/* torch.autograd.grad(outputs, inputs, grad_outputs=None, retain_graph=None,
 * create_graph=False, only_inputs=True, allow_unused=False) -> tuple */
static Value *f_grad(Value *self, const CallArgs *a) {
    Value *v[8];
    if (!args_parse(a, 0, "grad",
                    "outputs, inputs, grad_outputs=, retain_graph=, create_graph=, only_inputs=, "
                    "allow_unused=, is_grads_batched=",
                    v))
        return NULL;
    Tensor *outs[MAX_TENSORS], *ins[MAX_TENSORS], *gouts[MAX_TENSORS], *res[MAX_TENSORS];
    int n_out = tensor_list(v[0], outs, "outputs", false);
    if (n_out < 0) return NULL;
    int n_in = tensor_list(v[1], ins, "inputs", false);
    if (n_in < 0) return NULL;
    if (!grads_arg(v[2], n_out, gouts)) return NULL;
    int create, retain, unused, batched;
    if (!opt_flag(v[4], 0, &create) || !opt_flag(v[3], -1, &retain) || !opt_flag(v[6], 0, &unused) ||
        !opt_flag(v[7], 0, &batched))
        return NULL;
    if (batched) {
        tsr_raise(ERR_NotImplementedError, "%s", "tsr: grad(is_grads_batched=True) is not supported");
        return NULL;
    }
    if (!ag_grad(outs, gouts, n_out, ins, n_in, retain, create, unused, res)) return NULL;
    Value *t = val_tuple_new(n_in);
    if (!t) goto fail;
    for (int i = 0; i < n_in; i++) {
        t->seq.items[i] = res[i] ? val_tensor_steal(res[i]) : val_none();
        res[i] = NULL;
        if (!t->seq.items[i]) {
            val_release(t);
            goto fail;
        }
    }
    return t;
fail:
    for (int i = 0; i < n_in; i++) tensor_release(res[i]);
    return NULL;
}

/* ---- gradcheck: finite differences against the backward pass ---- */

/* Element k (row-major) of t as a 0-dim view. */
static Tensor *element_view(Tensor *t, int64_t k) {
    int64_t off = t->offset;
    for (int d = t->ndim - 1; d >= 0; d--) {
        off += (k % t->shape[d]) * t->stride[d];
        k /= t->shape[d];
    }
    return tensor_as_strided(t, 0, NULL, NULL, off);
}

static void release_all(Tensor **ts, int n) {
    for (int i = 0; i < n; i++) {
        tensor_release(ts[i]);
        ts[i] = NULL;
    }
}

/* Calls fn and collects its float outputs (new references) into outs;
 * returns their count or -1. */
static int call_outputs(Value *fn, const CallArgs *ca, Tensor **outs, bool only_requiring) {
    Value *r = call_value(fn, ca);
    if (!r) return -1;
    int n = 0;
    Value *one[1] = {r};
    Value **items = one;
    int64_t len = 1;
    if (r->kind == VK_LIST || r->kind == VK_TUPLE) {
        items = r->seq.items;
        len = r->seq.len;
    }
    for (int64_t i = 0; i < len && n < MAX_TENSORS; i++) {
        Tensor *t = items[i]->kind == VK_TENSOR ? items[i]->tensor : NULL;
        if (!t || !dtype_is_differentiable(t->dtype) || (only_requiring && !t->requires_grad)) continue;
        /* the numerical pass keeps a copy: an output that is a view of the
         * input would change with the next perturbation (PyTorch clones too) */
        outs[n] = only_requiring ? tensor_retain(t) : tensor_clone(t, DT_UNDEFINED);
        if (!outs[n]) {
            release_all(outs, n);
            val_release(r);
            return -1;
        }
        n++;
    }
    val_release(r);
    return n;
}


/* A complex tensor enters the Jacobians as its real and imaginary parts
 * (view_as_real): each part of a complex input is perturbed on its own,
 * each part of a complex output is a row of its own, as PyTorch's
 * gradcheck splits them (_real_and_imag_input/_output). */
static Tensor *real_parts(Tensor *t) {
    if (!dtype_is_complex(t->dtype)) return tensor_retain(t);
    Tensor *r = NULL;
    NO_GRAD(r = op_view_as_real(t));
    return r;
}
static int64_t real_numel(const Tensor *t) { return tensor_numel(t) * (dtype_is_complex(t->dtype) ? 2 : 1); }

/* The numerical Jacobians num[o * n_in + i] (input numel x output numel,
 * the output's real dtype; complex ones counted in parts), by central
 * differences as PyTorch computes them. */
static bool numerical_jacobians(Value *fn, const CallArgs *ca, Tensor **ins, int n_in, Tensor **outs,
                                int n_out, double eps, Tensor **num) {
    bool ok = false;
    Tensor *entry = NULL, *orig = NULL, *v = NULL, *tmp = NULL, *in = NULL;
    Tensor *oa[MAX_TENSORS] = {0}, *ob[MAX_TENSORS] = {0};
    for (int o = 0; o < n_out; o++)
        for (int i = 0; i < n_in; i++) {
            int64_t shape[2] = {real_numel(ins[i]), real_numel(outs[o])};
            DType dt = dtype_is_complex(outs[o]->dtype) ? dtype_to_real(outs[o]->dtype) : outs[o]->dtype;
            num[o * n_in + i] = tensor_zeros(dt, 2, shape, device_cpu());
            if (!num[o * n_in + i]) goto done;
        }
    v = tensor_wrapped_float(eps);
    if (!v) goto done;
    for (int i = 0; i < n_in; i++) {
        in = real_parts(ins[i]);
        if (!in) goto done;
        for (int64_t k = 0; k < tensor_numel(in); k++) {
            if (tsr_check_interrupt()) goto done;
            entry = element_view(in, k);
            orig = entry ? tensor_clone(entry, DT_UNDEFINED) : NULL;
            if (!orig) goto done;
            for (int side = 0; side < 2; side++) {
                tmp = op_binary(side ? BIN_ADD : BIN_SUB, orig, v);
                if (!tmp || !tensor_copy_(entry, tmp)) goto done;
                tensor_release(tmp);
                tmp = NULL;
                int n = call_outputs(fn, ca, side ? ob : oa, false);
                if (n < 0) goto done;
                if (n != n_out) {
                    tsr_raise(ERR_RuntimeError, "%s", "gradcheck: the function's outputs changed between calls");
                    goto done;
                }
            }
            if (!tensor_copy_(entry, orig)) goto done;
            for (int o = 0; o < n_out; o++) {
                Tensor *d = op_binary(BIN_SUB, ob[o], oa[o]);
                Tensor *two = tensor_wrapped_float(2 * eps);
                Tensor *q = d && two ? op_binary(BIN_DIV, d, two) : NULL;
                tmp = q ? real_parts(q) : NULL;
                tensor_release(q);
                tensor_release(d);
                tensor_release(two);
                if (!tmp) goto done;
                Tensor *dst = num[o * n_in + i];
                int64_t rs[1] = {dst->shape[1]}, st[1] = {1};
                Tensor *rowv = tensor_as_strided(dst, 1, rs, st, k * dst->shape[1]);
                int64_t flat[1] = {tensor_numel(tmp)};
                Tensor *src = rowv ? op_reshape(tmp, 1, flat) : NULL;
                bool c = src && tensor_copy_(rowv, src);
                tensor_release(rowv);
                tensor_release(src);
                tensor_release(tmp);
                tmp = NULL;
                if (!c) goto done;
            }
            release_all(oa, n_out);
            release_all(ob, n_out);
            tensor_release(entry);
            tensor_release(orig);
            entry = orig = NULL;
        }
        tensor_release(in);
        in = NULL;
    }
    ok = true;
done:
    if (entry && orig) tensor_copy_(entry, orig);
    release_all(oa, MAX_TENSORS);
    release_all(ob, MAX_TENSORS);
    tensor_release(entry);
    tensor_release(orig);
    tensor_release(v);
    tensor_release(tmp);
    tensor_release(in);
    return ok;
}

/* The analytical Jacobians ana[o * n_in + i] (input numel x output numel,
 * the input's real dtype, complex ones in parts), one backward pass per
 * output element (per part of a complex one: grad_output 1, then 1j). */
static bool analytical_jacobians(Tensor **ins, int n_in, Tensor **outs, int n_out, Tensor **ana) {
    Tensor *res[MAX_TENSORS] = {0};
    Tensor *go = NULL;
    for (int o = 0; o < n_out; o++) {
        int64_t m = real_numel(outs[o]);
        for (int i = 0; i < n_in; i++) {
            int64_t shape[2] = {real_numel(ins[i]), m};
            DType dt = dtype_is_complex(ins[i]->dtype) ? dtype_to_real(ins[i]->dtype) : ins[i]->dtype;
            ana[o * n_in + i] = tensor_zeros(dt, 2, shape, device_cpu());
            if (!ana[o * n_in + i]) return false;
        }
        for (int64_t j = 0; j < m; j++) {
            if (tsr_check_interrupt()) return false;
            go = tensor_zeros(outs[o]->dtype, outs[o]->ndim, outs[o]->shape, outs[o]->storage->device);
            if (!go) return false;
            DType pt = dtype_is_complex(go->dtype) ? dtype_to_real(go->dtype) : go->dtype;
            dtype_store_f64(pt, tensor_data(go) + j * (int64_t)dtype_size(pt), 1.0); /* part j: 1 or 1j */
            bool ok = ag_grad(&outs[o], &go, 1, ins, n_in, 1, false, true, res);
            tensor_release(go);
            go = NULL;
            if (!ok) return false;
            for (int i = 0; i < n_in; i++) {
                if (!res[i]) continue;
                Tensor *dst = ana[o * n_in + i];
                int64_t cs[1] = {dst->shape[0]}, st[1] = {dst->shape[1]};
                Tensor *col = tensor_as_strided(dst, 1, cs, st, j);
                Tensor *parts = col ? real_parts(res[i]) : NULL;
                int64_t flat[1] = {parts ? tensor_numel(parts) : 0};
                Tensor *src = parts ? op_reshape(parts, 1, flat) : NULL;
                tensor_release(parts);
                bool c = src && tensor_copy_(col, src);
                tensor_release(col);
                tensor_release(src);
                if (!c) {
                    release_all(res, n_in);
                    return false;
                }
            }
            release_all(res, n_in);
        }
    }
    return true;
}

static bool jacobians_close(Tensor *a, Tensor *n, double rtol, double atol) {
    int64_t len = tensor_numel(a);
    for (int64_t k = 0; k < len; k++) {
        double x = tensor_get_f64(a, k), y = tensor_get_f64(n, k);
        if (isnan(x) || isnan(y) || fabs(x - y) > atol + rtol * fabs(y)) return false;
    }
    return true;
}

static void raise_mismatch(int o, int i, Tensor *num, Tensor *ana) {
    Value *vn = val_tensor_steal(tensor_retain(num)), *va = val_tensor_steal(tensor_retain(ana));
    Value *rn = vn ? val_repr(vn) : NULL, *ra = va ? val_repr(va) : NULL;
    if (rn && ra)
        tsr_raise(ERR_GradcheckError, "Jacobian mismatch for output %d with respect to input %d,\nnumerical:%s\nanalytical:%s\n",
                  o, i, rn->str.s, ra->str.s);
    val_release(vn);
    val_release(va);
    val_release(rn);
    val_release(ra);
}

/* torch.autograd.gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3,
 * raise_exception=True) */
static Value *f_gradcheck(Value *self, const CallArgs *a) {
    Value *v[6];
    if (!args_parse(a, 0, "gradcheck", "func, inputs, *, eps=, atol=, rtol=, raise_exception=", v)) return NULL;
    double eps, atol, rtol;
    bool raise;
    if (!arg_double(v[2], "gradcheck", "eps", 1e-6, &eps) || !arg_double(v[3], "gradcheck", "atol", 1e-5, &atol) ||
        !arg_double(v[4], "gradcheck", "rtol", 1e-3, &rtol) ||
        !arg_bool(v[5], "gradcheck", "raise_exception", true, &raise))
        return NULL;
    /* the call arguments: inputs itself, or its items */
    Value *inputs = v[1];
    Value **cargs = &v[1];
    int nargs = 1;
    if (inputs->kind == VK_TUPLE || inputs->kind == VK_LIST) {
        cargs = inputs->seq.items;
        nargs = (int)inputs->seq.len;
    }
    if (nargs > MAX_TENSORS) {
        tsr_raise(ERR_RuntimeError, "gradcheck: at most %d inputs", MAX_TENSORS);
        return NULL;
    }
    CallArgs ca = {cargs, nargs, NULL, NULL, 0};
    Tensor *ins[MAX_TENSORS];
    int n_in = 0;
    for (int k = 0; k < nargs; k++)
        if (cargs[k]->kind == VK_TENSOR && cargs[k]->tensor->requires_grad) ins[n_in++] = cargs[k]->tensor;
    if (!n_in) {
        tsr_raise(ERR_ValueError, "%s",
                  "gradcheck expects at least one input tensor to require gradient, but none of the them "
                  "have requires_grad=True.");
        return NULL;
    }
    Tensor *outs[MAX_TENSORS] = {0};
    Tensor **num = NULL, **ana = NULL;
    Value *result = NULL;
    int n_out = call_outputs(v[0], &ca, outs, true);
    if (n_out < 0) goto done;
    num = tsr_calloc((size_t)n_out * n_in + 1, sizeof *num);
    ana = tsr_calloc((size_t)n_out * n_in + 1, sizeof *ana);
    if (!num || !ana) goto done;
    if (!numerical_jacobians(v[0], &ca, ins, n_in, outs, n_out, eps, num) ||
        !analytical_jacobians(ins, n_in, outs, n_out, ana))
        goto done;
    result = val_bool(true);
    for (int o = 0; o < n_out && result->b; o++)
        for (int i = 0; i < n_in; i++) {
            if (jacobians_close(ana[o * n_in + i], num[o * n_in + i], rtol, atol)) continue;
            val_release(result);
            result = NULL;
            if (!raise) {
                result = val_bool(false);
                break;
            }
            raise_mismatch(o, i, num[o * n_in + i], ana[o * n_in + i]);
            goto done;
        }
done:
    release_all(outs, n_out > 0 ? n_out : 0);
    if (num) release_all(num, n_out * n_in);
    if (ana) release_all(ana, n_out * n_in);
    free(num);
    free(ana);
    return result;
}

/* ---- Tensor.register_hook ---- */

static Tensor *hook_call(void *fn, Tensor *grad) {
    Value *g = val_tensor_steal(tensor_retain(grad));
    if (!g) return NULL;
    Value *args[1] = {g};
    CallArgs ca = {args, 1, NULL, NULL, 0};
    Value *r = call_value((Value *)fn, &ca);
    val_release(g);
    if (!r) return NULL;
    Tensor *out = NULL;
    if (r->kind == VK_TENSOR)
        out = tensor_retain(r->tensor);
    else if (r->kind != VK_NONE)
        tsr_raise(ERR_TypeError, "expected Variable, but hook returned '%s'", val_type_name(r));
    val_release(r);
    return out;
}

static void hook_free(void *fn) { val_release((Value *)fn); }

/* handle.remove(); self: the hook's id */
static Value *m_handle_remove(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "remove", "", NULL)) return NULL;
    ag_remove_hook(self->i);
    return val_none();
}
static const Builtin handle_remove = {"remove", m_handle_remove};

/* x.register_hook(hook) -> a handle with .remove() (PyTorch's
 * torch.utils.hooks.RemovableHandle, here a namespace object). */
static Value *m_register_hook(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "register_hook", "hook", v)) return NULL;
    ag_hook_call = hook_call;
    ag_hook_free = hook_free;
    int64_t id = ag_add_hook(self->tensor, val_retain(v[0]));
    if (id < 0) {
        val_release(v[0]);
        return NULL;
    }
    Value *h = val_module_new(HOOK_HANDLE_NAME);
    Value *idv = h ? val_int(id) : NULL;
    Value *rm = idv ? val_method(idv, &handle_remove) : NULL;
    bool ok = rm && dict_set(h->module.members, "id", idv) && dict_set(h->module.members, "remove", rm);
    val_release(idv);
    val_release(rm);
    if (!ok) {
        val_release(h);
        return NULL;
    }
    return h;
}

/* ---- a tensor in the graph: requires_grad_, retain_grad, detach(_) ---- */

static Value *bi_detach(Value *self, const CallArgs *a) { return simple_common("detach", op_detach, self, a, "input"); }

static Value *bi_detach_(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "detach_", "", NULL)) return NULL;
    Tensor *t = self->tensor;
    ag_node_release(t->grad_fn);
    t->grad_fn = NULL;
    t->requires_grad = false;
    tensor_release(t->view_base);
    t->view_base = NULL;
    return val_retain(self);
}

static Value *bi_requires_grad_(Value *self, const CallArgs *a) {
    Value *v[1];
    bool rg;
    if (!args_parse(a, 0, "requires_grad_", "requires_grad=", v)) return NULL;
    if (v[0] && v[0]->kind != VK_BOOL) {
        tsr_raise(ERR_TypeError,
                  "requires_grad_(): argument 'requires_grad' (position 1) must be bool, not %s",
                  val_type_name(v[0]));
        return NULL;
    }
    rg = v[0] ? v[0]->b : true;
    Tensor *t = self->tensor;
    if (t->grad_fn && !rg) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "you can only change requires_grad flags of leaf variables. If you want to use "
                  "a computed variable in a subgraph that doesn't require differentiation use "
                  "var_no_grad = var.detach().");
        return NULL;
    }
    if (rg && !dtype_is_float(t->dtype) && !dtype_is_complex(t->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "only Tensors of floating point dtype can require gradients");
        return NULL;
    }
    if (rg && t->storage->inference && !tsr_inference_mode) {
        tsr_raise(ERR_RuntimeError, "%s", "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
        return NULL;
    }
    if (!t->grad_fn) t->requires_grad = rg;
    return val_retain(self);
}

static Value *bi_retain_grad(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "retain_grad", "", NULL)) return NULL;
    Tensor *t = self->tensor;
    if (!t->requires_grad) {
        tsr_raise(ERR_RuntimeError, "%s", "can't retain_grad on Tensor that has requires_grad=False");
        return NULL;
    }
    return ag_retain_grad(t) ? val_none() : NULL;
}

const Builtin autograd_functions[] = { /* torch.NAME and bare NAME */
    {"no_grad", t_no_grad},
    {"enable_grad", t_enable_grad},
    {"set_grad_enabled", t_set_grad_enabled},
    {"is_grad_enabled", t_is_grad_enabled},
    {"inference_mode", t_inference_mode},
    {"is_inference_mode_enabled", t_is_inference_mode_enabled},
    {"is_inference", bi_is_inference},
    {"detach", bi_detach},
    {NULL, NULL},
};
const Builtin autograd_methods[] = {
    {"backward", m_backward},
    {"register_hook", m_register_hook},
    {"requires_grad_", bi_requires_grad_},
    {"retain_grad", bi_retain_grad},
    {"is_inference", m_is_inference},
    {"detach", bi_detach},
    {"detach_", bi_detach_},
    {NULL, NULL},
};
/* torch.autograd.variable: deprecated, only raises */
static Value *f_variable(Value *self, const CallArgs *a) {
    tsr_raise(ERR_RuntimeError, "%s", "torch.autograd.variable(...) is deprecated, use torch.tensor(...) instead");
    return NULL;
}

const Builtin autograd_module_functions[] = {
    {"backward", f_backward}, {"grad", f_grad}, {"gradcheck", f_gradcheck}, {"variable", f_variable}, {NULL, NULL}};
