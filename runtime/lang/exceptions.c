/* exceptions.c: exception objects over the one error state of error.h.
 * A raise of an object keeps it in the interpreter while the error it set
 * is current; an error raised by the runtime (a torch op, a builtin) is
 * made an instance of its built-in class when a handler asks for it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "interp_internal.h"

static void keep(struct Interp *in, Value *inst) {
    val_retain(inst);
    val_release(in->exc);
    in->exc = inst;
    in->exc_serial = tsr_err_serial();
}

bool exc_raise_value(struct Interp *in, Value *v, Value *cause) {
    Value *inst = NULL;
    if (cause && cause->kind != VK_NONE && !(cause->kind == VK_CLASS && cause->cls->err) &&
        !(cause->kind == VK_INSTANCE && cause->inst.cls->cls->err)) {
        tsr_raise(ERR_TypeError, "%s", "exception causes must derive from BaseException");
        return false;
    }
    if (v->kind == VK_CLASS && v->cls->err) {
        CallArgs none = {0};
        if (!(inst = class_call(v, &none))) return false;
        if (!(inst->kind == VK_INSTANCE && inst->inst.cls->cls->err)) { /* a __new__ gave something else */
            StrBuf b = {0}, t = {0};
            bool ok = class_repr_into(&b, v) &&
                      (inst->kind == VK_INSTANCE ? class_repr_into(&t, inst->inst.cls)
                                                 : sb_printf(&t, "<class '%s'>", val_type_name(inst)));
            if (ok)
                tsr_raise(ERR_TypeError, "calling %s should have returned an instance of BaseException, not %s",
                          b.data, t.data);
            free(b.data);
            free(t.data);
            val_release(inst);
            return false;
        }
    } else if (v->kind == VK_INSTANCE && v->inst.cls->cls->err) {
        inst = val_retain(v);
    } else {
        tsr_raise(ERR_TypeError, "%s", "exceptions must derive from BaseException");
        return false;
    }
    /* raise X from Y: __cause__; raised while handling E: __context__ */
    Value *cause_inst = NULL;
    if (cause && cause->kind == VK_CLASS) {
        CallArgs none = {0};
        if (!(cause_inst = class_call(cause, &none))) {
            val_release(inst);
            return false;
        }
        if (!(cause_inst->kind == VK_INSTANCE && cause_inst->inst.cls->cls->err)) {
            tsr_raise(ERR_TypeError, "%s", "exception causes must derive from BaseException");
            val_release(cause_inst);
            val_release(inst);
            return false;
        }
    } else if (cause) {
        cause_inst = val_retain(cause);
    }
    Dict *d = inst->inst.dict->dict;
    bool ok = true;
    if (cause_inst) {
        Value *t = val_bool(true);
        ok = dict_set(d, "__cause__", cause_inst) && dict_set(d, "__suppress_context__", t);
        val_release(t);
    }
    if (ok && in->handling && in->handling != inst && !dict_get(d, "__context__"))
        ok = dict_set(d, "__context__", in->handling);
    val_release(cause_inst);
    if (!ok) {
        val_release(inst);
        return false;
    }
    StrBuf b = {0};
    if (!instance_str_into(&b, inst)) {
        free(b.data);
        val_release(inst);
        return false;
    }
    char name[160];
    tsr_raise_class(inst->inst.cls->cls->err, class_display_name(inst->inst.cls, name, sizeof name),
                    b.data ? b.data : "");
    free(b.data);
    keep(in, inst);
    /* raised again: its traceback goes on from the frames it had */
    if (inst->inst.tb) tb_copy(tb_current(in), inst->inst.tb);
    val_release(inst);
    return false;
}

Value *exc_current(struct Interp *in) {
    if (in->exc && in->exc_serial == tsr_err_serial()) return val_retain(in->exc);
    Value *cls = class_of_error(tsr_err_kind());
    if (!cls) cls = class_of_error(ERR_Exception);
    const char *msg = tsr_err_msg();
    size_t len = strlen(msg);
    Value *m;
    /* a missing key's error text is repr(key): the key is the argument */
    if (tsr_err_kind() == ERR_KeyError && len >= 2 && msg[0] == '\'' && msg[len - 1] == '\'' &&
        !memchr(msg + 1, '\'', len - 2) && !memchr(msg + 1, '\\', len - 2))
        m = val_str(msg + 1, (int64_t)len - 2);
    else
        m = msg[0] ? val_cstr(msg) : NULL;
    if (msg[0] && !m) return NULL;
    Value *args[1] = {m};
    CallArgs a = {args, m ? 1 : 0, NULL, NULL, 0};
    unsigned long serial = tsr_err_serial();
    Value *inst = class_call(cls, &a);
    val_release(m);
    if (inst && serial == tsr_err_serial()) {
        keep(in, inst);
        /* raised while handling another: its __context__, as a raise sets */
        if (in->handling && in->handling != inst && !dict_set(inst->inst.dict->dict, "__context__", in->handling)) {
            val_release(inst);
            return NULL;
        }
    }
    return inst;
}

int exc_matches(Value *exc, Value *spec) {
    if (spec->kind == VK_TUPLE) {
        for (int64_t i = 0; i < spec->seq.len; i++) {
            int r = exc_matches(exc, spec->seq.items[i]);
            if (r) return r;
        }
        return 0;
    }
    if (spec->kind != VK_CLASS || !spec->cls->err) {
        tsr_raise(ERR_TypeError, "%s", "catching classes that do not inherit from BaseException is not allowed");
        return -1;
    }
    return class_is_subclass(exc->inst.cls, spec);
}

Value *exc_exit_code(Value *exc) {
    Value *args = exc->inst.args;
    if (!args || args->seq.len == 0) return val_none();
    return val_retain(args->seq.len == 1 ? args->seq.items[0] : args);
}

bool exc_save(struct Interp *in, SavedError *s) {
    memset(s, 0, sizeof *s);
    s->kind = tsr_err_kind();
    s->class_name = strdup(tsr_err_class_name());
    s->msg = strdup(tsr_err_msg());
    tsr_err_get_pos(&s->line, &s->col, &s->end_line, &s->end_col);
    s->source = in->err_source;
    s->node = in->err_node;
    tb_move(&s->tb, tb_current(in));
    s->hint = suggest_take(in);
    if (in->exc && in->exc_serial == tsr_err_serial()) s->exc = val_retain(in->exc);
    if (!s->class_name || !s->msg) {
        free(s->class_name);
        free(s->msg);
        val_release(s->exc);
        tb_clear(&s->tb);
        free(s->hint);
        tsr_raise_memory_error();
        return false;
    }
    return true;
}

void exc_restore(struct Interp *in, SavedError *s) {
    tsr_raise_class(s->kind, s->class_name, s->msg);
    tsr_err_set_pos(s->line, s->col, s->end_line, s->end_col);
    in->err_source = s->source;
    in->err_node = s->node;
    tb_move(tb_current(in), &s->tb);
    suggest_restore(in, s->hint);
    s->hint = NULL;
    if (s->exc) keep(in, s->exc);
    exc_discard(s);
}

void exc_drop(struct Interp *in) {
    tsr_err_clear();
    val_release(in->exc);
    in->exc = NULL;
}

void exc_discard(SavedError *s) {
    free(s->class_name);
    free(s->msg);
    val_release(s->exc);
    tb_clear(&s->tb);
    free(s->hint);
    memset(s, 0, sizeof *s);
}

ErrKind os_error_kind(int e) {
    switch (e) {
    case EEXIST: return ERR_FileExistsError;
    case ENOENT: return ERR_FileNotFoundError;
    case EISDIR: return ERR_IsADirectoryError;
    case ENOTDIR: return ERR_NotADirectoryError;
    case EACCES: case EPERM: return ERR_PermissionError;
    case ETIMEDOUT: return ERR_TimeoutError;
    case EPIPE: return ERR_BrokenPipeError;
    default: return ERR_OSError;
    }
}

Value *raise_os_error(int e, const char *path, const char *path2) {
    Value *args[5] = {val_int(e), val_cstr(strerror(e)), path ? val_cstr(path) : NULL, val_none(),
                      path2 ? val_cstr(path2) : NULL};
    int n = path2 ? 5 : path ? 3 : 2;
    bool ok = true;
    for (int i = 0; i < n; i++) ok = ok && args[i];
    Value *cls = class_of_error(os_error_kind(e));
    CallArgs a = {args, n, NULL, NULL, 0};
    Value *inst = ok && cls ? class_call(cls, &a) : NULL;
    if (inst) exc_raise_value(tsr_interp, inst, NULL);
    val_release(inst);
    for (int i = 0; i < 5; i++) val_release(args[i]);
    return NULL;
}

void raise_key_error(Value *key) {
    Value *args[1] = {key};
    CallArgs a = {args, 1, NULL, NULL, 0};
    Value *e = class_call(class_of_error(ERR_KeyError), &a);
    if (e) exc_raise_value(tsr_interp, e, NULL);
    val_release(e);
}

void exc_caught(struct Interp *in, Value *exc, const SavedError *s, const Frame *f) {
    if (exc->kind != VK_INSTANCE) return;
    /* its traceback: the frames it left, and the one that caught it */
    bool pending = tsr_err_occurred(); /* an error the finally block raised */
    Traceback *tb = calloc(1, sizeof *tb);
    TbEntry e = {.source = s->source ? s->source : in->running, .node = s->node, .name = (char *)frame_code_name(f),
                 .line = s->line, .col = s->col, .end_line = s->end_line, .end_col = s->end_col};
    char *r = tb && tb_copy(tb, &s->tb) && tb_push(tb, &e) ? exc_render_report(tb, s->class_name, s->msg, s->hint) : NULL;
    if (!r) { /* the traceback loses a line: not worth failing the handler */
        if (tb) tb_clear(tb);
        free(tb);
        if (!pending) tsr_err_clear();
        return;
    }
    free(exc->inst.report);
    exc->inst.report = r;
    if (exc->inst.tb) tb_clear(exc->inst.tb);
    free(exc->inst.tb);
    exc->inst.tb = tb;
}

void exc_set_context(struct Interp *in, Value *exc) {
    if (!tsr_err_occurred()) return;
    Value *cur = exc_current(in); /* keeps the error current */
    if (!cur || cur == exc || dict_get(cur->inst.dict->dict, "__context__")) {
        val_release(cur);
        return;
    }
    /* no cycle: exc's own chain must not lead back to cur */
    int n = 0;
    Value *e = exc;
    while (e && e->kind == VK_INSTANCE && e != cur && n++ < 1000) e = dict_get(e->inst.dict->dict, "__context__");
    if (e != cur) dict_set(cur->inst.dict->dict, "__context__", exc);
    val_release(cur);
}
