/* exec.c: runs statements: blocks, loops, with, import, try/except/
 * finally, raise and class, over the expressions and assignments of
 * eval.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "class.h"
#include "generator.h"
#include "error.h"
#include "interp_internal.h"
#include "iterators.h"
#include "teach.h"

/* ------------------------------------------------------------ statements */

static ExecStatus exec_stmt(struct Interp *in, Frame *f, Node *n);

ExecStatus exec_block(struct Interp *in, Frame *f, NodeList *body) {
    for (int i = 0; i < body->len; i++) {
        ExecStatus st = exec_stmt(in, f, body->items[i]);
        if (st != EXEC_OK) return st;
    }
    return EXEC_OK;
}

/* The console's echo, sys.displayhook's: repr(v) unless None, and `_`
 * (a builtin) holds v afterwards. */
static bool echo_value(struct Interp *in, Node *expr, Value *v) {
    if (v->kind == VK_NONE) return true;
    Value *r = val_repr(v);
    if (!r) return false;
    bool ok = tsr_write_stdout(r->str.s, r->str.len) && tsr_write_stdout("\n", 1);
    val_release(r);
    if (ok) teach_echo(in, expr, v);
    return ok && dict_set(tsr_interp->builtins->dict, "_", v);
}

/* `target: annotation [= value]`: the value assigned; at module and class
 * level the annotation is evaluated and, for a bare name, kept in the
 * namespace's __annotations__ (functions evaluate neither, as CPython);
 * without a value an attribute's or subscript's object is still evaluated */
static bool exec_annassign(struct Interp *in, Frame *f, Node *n) {
    if (n->b) {
        Value *v = eval_expr(in, f, n->b);
        bool ok = v && assign_target(in, f, n->a, v);
        val_release(v);
        if (!ok) return false;
    } else if (n->a->kind == N_ATTR || n->a->kind == N_SUBSCRIPT) {
        Value *obj = eval_expr(in, f, n->a->a);
        Value *idx = obj && n->a->kind == N_SUBSCRIPT ? eval_expr(in, f, n->a->b) : NULL;
        bool ok = obj && (n->a->kind == N_ATTR || idx);
        val_release(obj);
        val_release(idx);
        if (!ok) return false;
    }
    bool module_level = !f->locals, class_level = f->class_body;
    if (!module_level && !class_level) return true;
    Value *ann = eval_expr(in, f, n->c);
    if (!ann) return false;
    bool ok = true;
    if (n->op) {
        Dict *ns = class_level ? f->locals->dict : frame_globals(in, f);
        Value *anns = dict_get(ns, "__annotations__");
        if (!anns) {
            Value *d = val_dict_new();
            ok = d && dict_set(ns, "__annotations__", d);
            val_release(d);
            anns = ok ? dict_get(ns, "__annotations__") : NULL;
        }
        Value *key = ok ? val_cstr(n->a->name) : NULL;
        ok = key && set_item(anns, key, ann);
        val_release(key);
    }
    val_release(ann);
    return ok;
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
    } else { /* one item at a time */
        Value *it = iter_of(src);
        if (!it) { /* CPython places the loop's own errors at the whole statement */
            eval_note_pos(n);
            st = EXEC_ERROR;
        }
        while (it && st == EXEC_OK) {
            if (tsr_check_interrupt()) {
                st = EXEC_ERROR;
                break;
            }
            bool done;
            Value *x = iter_next(it, &done);
            if (!x) {
                if (!done) {
                    eval_note_pos(n);
                    st = EXEC_ERROR;
                }
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
            eval_note_pos(n->a);
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
        bool saved_inference = tsr_inference_mode;
        ag_grad_enabled = ctx->ctx.kind == CTX_NO_GRAD ? false
                          : ctx->ctx.kind == CTX_ENABLE_GRAD ? true
                          : ctx->ctx.kind == CTX_INFERENCE ? !ctx->ctx.mode : ctx->ctx.mode;
        if (ctx->ctx.kind == CTX_INFERENCE) tsr_inference_mode = ctx->ctx.mode;
        Value *none = val_none();
        bool ok = !target || assign_target(in, f, target, none);
        val_release(none);
        if (ok) st = with_from(in, f, n, i + 1);
        ag_grad_enabled = saved;
        tsr_inference_mode = saved_inference;
    } else if (ctx->kind == VK_FILE) { /* with open(...) as f: closed at the end, whatever happens */
        bool ok = !target || assign_target(in, f, target, ctx);
        if (ok) st = with_from(in, f, n, i + 1);
        if (ctx->file->fp) fclose(ctx->file->fp);
        ctx->file->fp = NULL;
    } else if (ctx->kind == VK_INSTANCE && class_lookup(ctx->inst.cls, "__enter__") &&
               class_lookup(ctx->inst.cls, "__exit__")) {
        bool found;
        Value *entered = special_call(ctx, "__enter__", NULL, 0, &found);
        if (entered) {
            bool ok = !target || assign_target(in, f, target, entered);
            val_release(entered);
            if (ok) st = exit_context(in, f, ctx, with_from(in, f, n, i + 1));
        }
    } else {
        tsr_raise(ERR_TypeError, "'%s' object does not support the context manager protocol", val_type_name(ctx));
    }
    /* CPython places the protocol's errors (__enter__, __exit__) at the
     * whole statement; the body's have their own position */
    if (st == EXEC_ERROR) eval_note_pos(n);
    val_release(ctx);
    return st;
}

static ExecStatus exec_with(struct Interp *in, Frame *f, Node *n) {
    if (n->list.len > 16) {
        tsr_raise(ERR_SyntaxError, "%s", "too many statically nested blocks");
        return eval_fail_at(n), EXEC_ERROR;
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
        Dict *members = cur->kind == VK_MODULE ? module_members(cur) : NULL;
        if (cur->kind == VK_MODULE && !members) {
            val_release(cur);
            return NULL;
        }
        Value *next = members ? dict_get(members, part) : NULL;
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

/* from M import *: the names M's __all__ lists (a missing one is
 * AttributeError, as Python says), or else every name without a leading
 * underscore. */
static bool import_star(struct Interp *in, Frame *f, Value *module) {
    Value *all = dict_get(module->module.members, "__all__");
    if (all && (all->kind == VK_LIST || all->kind == VK_TUPLE)) {
        for (int64_t i = 0; i < all->seq.len; i++) {
            Value *name = all->seq.items[i];
            if (name->kind != VK_STR) {
                tsr_raise(ERR_TypeError, "Item in %s.__all__ must be str, not %s", module->module.name,
                          val_type_name(name));
                return false;
            }
            Value *v = dict_get(module->module.members, name->str.s);
            if (!v) {
                tsr_raise(ERR_AttributeError, "module '%s' has no attribute '%s'", module->module.name,
                          name->str.s);
                return false;
            }
            if (!store_name(in, f, name->str.s, v)) return false;
        }
        return true;
    }
    int64_t it = 0;
    const char *k;
    Value *v;
    while (dict_next(module->module.members, &it, &k, &v))
        if (k[0] != '_' && !store_name(in, f, k, v)) return false;
    return true;
}

static ExecStatus exec_import(struct Interp *in, Frame *f, Node *n) {
    const char *mod = n->name;
    Value *cur = resolve_module(in, mod);
    if (!cur) return eval_fail_at(n), EXEC_ERROR;
    if (!module_members(cur)) {
        val_release(cur);
        return eval_fail_at(n), EXEC_ERROR;
    }
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
        ok = import_star(in, f, cur);
        if (!ok) eval_fail_at(n);
    } else {
        ok = true;
        for (int i = 0; ok && i < n->list.len; i++) {
            Node *nm = n->list.items[i];
            Value *v = dict_get(cur->module.members, nm->name);
            if (!v) {
                tsr_raise(ERR_ImportError, "cannot import name '%s' from '%s'", nm->name, mod);
                eval_note_pos(n);
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
            return eval_fail_at(n), EXEC_ERROR;
        }
        exc_raise_value(in, in->handling, NULL);
        /* its traceback stays as it was when caught: no entry for this line */
        if (in->handling->kind == VK_INSTANCE && in->handling->inst.tb) tb_resume_outer(in);
        return eval_fail_at(n), EXEC_ERROR;
    }
    Value *e = eval_expr(in, f, n->a);
    if (!e) return EXEC_ERROR;
    Value *cause = n->b ? eval_expr(in, f, n->b) : NULL;
    if (!n->b || cause) exc_raise_value(in, e, cause);
    val_release(cause);
    val_release(e);
    return eval_fail_at(n), EXEC_ERROR;
}

static void unbind_name(struct Interp *in, Frame *f, const char *name) {
    if (f->locals && !is_global_name(f, name)) dict_del(f->locals->dict, name);
    else dict_del(frame_globals(in, f), name);
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
                eval_fail_at(h->a);
                exc_discard(&saved);
                val_release(exc);
                return EXEC_ERROR;
            }
        }
        if (!match) continue;
        exc_caught(in, exc, &saved, f);
        exc_discard(&saved);
        val_release(in->exc); /* the error is handled: `exc` and the name hold it now */
        in->exc = NULL;
        if (h->name && !store_name(in, f, h->name, exc)) {
            val_release(exc);
            return EXEC_ERROR;
        }
        Value *outer = in->handling;
        in->handling = exc;
        ExecStatus st = exec_block(in, f, &h->body);
        if (st == EXEC_ERROR) exc_set_context(in, exc);
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
    Value *exc = NULL; /* the error in flight, the context of one the block raises */
    if (st == EXEC_ERROR && (!(exc = exc_current(in)) || !exc_save(in, &saved))) {
        val_release(exc);
        return EXEC_ERROR;
    }
    tsr_err_clear();
    Value *retval = NULL;
    if (st == EXEC_RETURN) {
        retval = f->retval;
        f->retval = NULL;
    }
    ExecStatus fs = exec_block(in, f, &n->list2);
    if (fs != EXEC_OK) {
        if (st == EXEC_ERROR && fs == EXEC_ERROR) {
            exc_caught(in, exc, &saved, f);
            exc_set_context(in, exc);
        }
        if (st == EXEC_ERROR) exc_discard(&saved);
        val_release(exc);
        val_release(retval);
        return fs;
    }
    val_release(exc);
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

/* The class statement's base expression i, evaluated: a subclassable
 * built-in type (dict, list, ...) gives its base class */
static Value *class_base_value(struct Interp *in, Frame *f, Node *n, int i) {
    Value *base = eval_expr(in, f, n->list.items[i]);
    if (!base) return NULL;
    Value *builtin_base = base->kind == VK_TYPE ? class_builtin_base(base->type) : NULL;
    if (builtin_base) {
        val_release(base);
        return val_retain(builtin_base);
    }
    if (base->kind == VK_TYPE) {
        tsr_raise(ERR_TypeError, "subclassing the built-in type '%s' is not supported by tsr",
                  type_object_name(base->type));
    } else if (base->kind != VK_CLASS && n->list.len == 1) {
        tsr_raise(ERR_TypeError, "%s", "bases must be types");
    } else {
        return base;
    }
    eval_fail_at(n->list.items[i]);
    val_release(base);
    return NULL;
}

static ExecStatus exec_class(struct Interp *in, Frame *f, Node *n) {
    Value *base = NULL, *ns = NULL, *cls = NULL;
    ExecStatus st = EXEC_ERROR;
    if (n->list.len > 1) { /* several bases: their tuple */
        if (!(base = val_tuple_new(n->list.len))) return EXEC_ERROR;
        for (int i = 0; i < n->list.len; i++)
            if (!(base->seq.items[i] = class_base_value(in, f, n, i))) goto done;
    } else if (n->list.len) {
        if (!(base = class_base_value(in, f, n, 0))) return EXEC_ERROR;
    } else {
        base = val_retain(class_object);
    }
    if (!(ns = val_dict_new())) goto done;
    Value *modname = dict_get(frame_globals(in, f), "__name__");
    Value *mod = modname ? val_retain(modname) : val_cstr("__main__"), *qual = val_cstr(n->name);
    bool ok = mod && qual && dict_set(ns->dict, "__module__", mod) && dict_set(ns->dict, "__qualname__", qual);
    val_release(mod);
    val_release(qual);
    if (!ok) goto done;
    /* the docstring is the body's first assignment, as CPython compiles it */
    const Node *first = n->body.len ? n->body.items[0] : NULL;
    if (first && first->kind == N_EXPR_STMT && first->a && first->a->kind == N_STR) {
        Value *doc = val_str(first->a->str, first->a->str_len);
        ok = doc && dict_set(ns->dict, "__doc__", doc);
        val_release(doc);
        if (!ok) goto done;
    }
    Frame body = {.locals = ns, .outer = f->locals, .class_body = true, .class_name = n->name, .fn = f->fn, .fn_value = f->fn_value,
                  .globals = f->globals, .src = f->src, .back = f};
    Frame *caller = in->frame;
    in->frame = &body; /* locals() and vars() in the body see its namespace */
    ExecStatus bs = exec_block(in, &body, &n->body);
    in->frame = caller;
    val_release(body.global_names);
    if (bs == EXEC_ERROR) {
        tb_leave_frame(in, n->name);
        eval_note_pos(n);
        goto done;
    }
    if (!dict_get(ns->dict, "__doc__") && !dict_set(ns->dict, "__doc__", val_none())) goto done;
    /* __new__ is an implicit staticmethod, __init_subclass__ and
     * __class_getitem__ implicit classmethods, as in CPython */
    static const struct { const char *name; WrapperKind kind; } implicit[] = {
        {"__new__", WRAP_STATICMETHOD}, {"__init_subclass__", WRAP_CLASSMETHOD}, {"__class_getitem__", WRAP_CLASSMETHOD}};
    for (size_t i = 0; i < sizeof implicit / sizeof *implicit; i++) {
        Value *fn = dict_get(ns->dict, implicit[i].name);
        if (!fn || fn->kind != VK_FUNCTION) continue;
        Value *w = wrapper_new(implicit[i].kind, fn, NULL);
        ok = w && dict_set(ns->dict, implicit[i].name, w);
        val_release(w);
        if (!ok) goto done;
    }
    cls = base->kind == VK_TUPLE ? class_new_bases(n->name, "__main__", base, ns)
                                 : class_new(n->name, "__main__", base, ns);
    if (!cls) {
        eval_note_pos(n);
        goto done;
    }
    if (!class_set_names(cls) || !class_init_subclass(cls)) {
        eval_note_pos(n);
        goto done;
    }
    for (int i = n->list2.len - 1; i >= 0; i--) { /* decorators, bottom-up */
        Value *dec = eval_expr(in, f, n->list2.items[i]);
        if (!dec) goto done;
        Value *args[1] = {cls};
        CallArgs a = {args, 1, NULL, NULL, 0};
        Value *r = call_function(in, dec, &a);
        val_release(dec);
        if (!r) {
            eval_fail_at(n->list2.items[i]);
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

static bool is_constant(const Node *n) {
    switch (n->kind) {
    case N_INT: case N_FLOAT: case N_STR: case N_BYTES: case N_NONE: case N_TRUE: case N_FALSE: case N_ELLIPSIS:
        return true;
    default: return false;
    }
}

static ExecStatus exec_stmt(struct Interp *in, Frame *f, Node *n) {
    if (tsr_check_interrupt()) return eval_fail_at(n), EXEC_ERROR;
    f->stmt = n;
    switch (n->kind) {
    case N_EXPR_STMT: {
        Value *v = eval_expr(in, f, n->a);
        if (!v) return EXEC_ERROR;
        bool ok = !f->echo || echo_value(in, n->a, v);
        val_release(v);
        return ok ? EXEC_OK : (eval_fail_at(n), EXEC_ERROR);
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
    case N_ANNASSIGN: return exec_annassign(in, f, n) ? EXEC_OK : EXEC_ERROR;
    case N_IF: {
        Value *c = eval_expr(in, f, n->a);
        if (!c) return EXEC_ERROR;
        int t = val_truthy(c);
        val_release(c);
        if (t < 0) return eval_fail_at(n->a), EXEC_ERROR;
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
            return eval_fail_at(n), EXEC_ERROR;
        }
        Value *v = n->a ? eval_expr(in, f, n->a) : val_none();
        if (!v) return EXEC_ERROR;
        val_release(f->retval);
        f->retval = v;
        return EXEC_RETURN;
    }
    case N_DEF: {
        Value *fv = make_function(in, f, n, false);
        if (!fv) return eval_fail_at(n), EXEC_ERROR;
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
            if (!r) return eval_fail_at(n->list.items[i]), EXEC_ERROR;
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
        if (t < 0) return eval_fail_at(n->a), EXEC_ERROR;
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
        /* CPython places a failed assert at its test, or at the statement
         * when the test is a constant */
        return eval_fail_at(is_constant(n->a) ? n : n->a), EXEC_ERROR;
    }
    case N_DEL:
        for (int i = 0; i < n->list.len; i++)
            if (!exec_del(in, f, n->list.items[i])) return EXEC_ERROR;
        return EXEC_OK;
    case N_GLOBAL:
    case N_NONLOCAL: /* global_names: None for `global`, True for `nonlocal` */
        if (!f->locals) return EXEC_OK;
        if (!f->global_names && !(f->global_names = val_dict_new())) return EXEC_ERROR;
        for (int i = 0; i < n->list.len; i++) {
            Value *mark = n->kind == N_GLOBAL ? val_none() : val_bool(true);
            bool ok = dict_set(f->global_names->dict, n->list.items[i]->name, mark);
            val_release(mark);
            if (!ok) return EXEC_ERROR;
        }
        return EXEC_OK;
    case N_IMPORT:
    case N_IMPORT_FROM: return exec_import(in, f, n);
    case N_RAISE: return exec_raise(in, f, n);
    case N_TRY: return exec_try(in, f, n);
    case N_CLASS: return exec_class(in, f, n);
    default:
        tsr_raise(ERR_SyntaxError, "unsupported statement (%s)", ast_kind_names[n->kind]);
        return eval_fail_at(n), EXEC_ERROR;
    }
}
