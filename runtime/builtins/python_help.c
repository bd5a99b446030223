/* python_help.c: help(), and the parameters of a builtin for completion
 * (param_names.h). The builtin calls pydoc.help (stdlib/pydoc.py:
 * pydoc's text rendering of functions, classes and modules); these are
 * what that module asks of the interpreter:
 *   tsr._help_entry(obj)   -> (name, signature, description, example) from
 *                             help_texts.h for tsr's builtins, modules and
 *                             PyTorch's classes; (name, None, None, None)
 *                             for one that has no text yet; None for the
 *                             program's own objects
 *   tsr._signature(fn, bound) -> a user function's signature as
 *                             inspect.signature prints it: "(a, b=2)" (bound:
 *                             without the first parameter) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "help_texts.h"
#include "param_names.h"
#include "interp_internal.h"

typedef struct {
    const char *name, *signature, *description, *example;
} HelpText;

static const HelpText help_texts[] = {
#define X(name, sig, desc, example) {name, sig, desc, example},
    HELP_TEXTS(X)
#undef X
};

static const HelpText *help_text(const char *name) {
    for (size_t i = 0; i < sizeof help_texts / sizeof *help_texts; i++)
        if (!strcmp(help_texts[i].name, name)) return &help_texts[i];
    return NULL;
}

static bool in_table(const Builtin *table, const Builtin *b) {
    for (const Builtin *p = table; p->name; p++)
        if (p == b) return true;
    return false;
}

/* "torch.cat", "Tensor.view", "torch.nn.functional.relu", "len": where a
 * builtin of the tables lives */
static bool builtin_name(const Builtin *b, char *buf, size_t size) {
    const char *prefix = NULL;
    if (in_table(python_builtins, b)) prefix = "";
#define X(stem) \
    if (!prefix && in_table(stem##_functions, b)) prefix = "torch.";
    BUILTIN_TABLES(X)
#undef X
#define X(stem) \
    if (!prefix && in_table(stem##_functional_functions, b)) prefix = "torch.nn.functional.";
    NN_FUNCTIONAL_TABLES(X)
#undef X
    if (!prefix && in_table(nn_functional_functions, b)) prefix = "torch.nn.functional.";
#define X(stem) \
    if (!prefix && in_table(stem##_module_functions, b)) prefix = "torch.linalg.";
    LINALG_MODULE_TABLES(X)
#undef X
    if (!prefix && in_table(autograd_module_functions, b)) prefix = "torch.autograd.";
    if (!prefix && in_table(fft_module_functions, b)) prefix = "torch.fft.";
    for (const Builtin *const *t = tensor_method_tables; !prefix && *t; t++)
        if (in_table(*t, b)) prefix = "Tensor.";
    if (!prefix) prefix = "";
    snprintf(buf, size, "%s%s", prefix, b->name);
    return true;
}

/* a module name as users type it: torch.nn.modules.linear -> torch.nn */
static const char *public_module(const char *module) {
    static const char *const publics[] = {"torch.nn.functional", "torch.nn.init", "torch.nn.utils", "torch.nn",
                                          "torch.optim.lr_scheduler", "torch.optim", "torch.utils.data", NULL};
    for (int i = 0; publics[i]; i++)
        if (!strncmp(module, publics[i], strlen(publics[i]))) return publics[i];
    if (!strcmp(module, "torch.functional")) return "torch";
    return module;
}

static bool object_name(Value *obj, char *buf, size_t size) {
    switch (obj->kind) {
    case VK_BUILTIN: return builtin_name(obj->builtin, buf, size);
    case VK_METHOD:
        if (obj->method.self && obj->method.self->kind == VK_TENSOR) {
            snprintf(buf, size, "Tensor.%s", obj->method.builtin->name);
            return true;
        }
        return builtin_name(obj->method.builtin, buf, size);
    case VK_MODULE: snprintf(buf, size, "%s", obj->module.name); return true;
    case VK_CLASS: {
        if (obj->cls->ctor) return builtin_name(obj->cls->ctor, buf, size); /* zip, map */
        const char *m = class_module(obj);
        if (strncmp(m, "torch", 5)) return false;
        snprintf(buf, size, "%s.%s", public_module(m), obj->cls->name);
        return true;
    }
    case VK_FUNCTION: {
        Value *m = obj->fn->globals ? dict_get(obj->fn->globals, "__name__") : NULL;
        if (!m || m->kind != VK_STR || strncmp(m->str.s, "torch", 5)) return false;
        snprintf(buf, size, "%s.%s", public_module(m->str.s), obj->fn->name);
        return true;
    }
    case VK_TYPE: { /* torch.Tensor, torch.dtype, int */
        Value *m = type_object_module(obj->type);
        if (!m) return false;
        bool builtin = m->kind != VK_STR || strncmp(m->str.s, "torch", 5);
        snprintf(buf, size, "%s%s%s", builtin ? "" : public_module(m->str.s), builtin ? "" : ".",
                 type_object_name(obj->type));
        val_release(m);
        return true;
    }
    default: return false;
    }
}

static Value *opt_str(const char *s) { return s ? val_cstr(s) : val_none(); }

static Value *entry_tuple(const char *name, const HelpText *h) {
    Value *t = val_tuple_new(4);
    if (!t) return NULL;
    t->seq.items[0] = val_cstr(name);
    t->seq.items[1] = opt_str(h ? h->signature : NULL);
    t->seq.items[2] = opt_str(h ? h->description : NULL);
    t->seq.items[3] = opt_str(h ? h->example : NULL);
    for (int i = 0; i < 4; i++)
        if (!t->seq.items[i]) return val_release(t), NULL;
    return t;
}

static Value *help_entry(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("_help_entry", "obj");
    char name[256];
    if (!object_name(v_[0], name, sizeof name)) return val_none();
    return entry_tuple(name, help_text(name));
}

/* help('torch.cat'), help('cat'), help('nn.Linear'): the row of that name */
static Value *help_entry_named(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("_help_entry_named", "name");
    if (v_[0]->kind != VK_STR) return val_none();
    static const char *const prefixes[] = {"", "torch.", "torch.nn.", "torch.nn.functional.", "Tensor.", NULL};
    const char *name = v_[0]->str.s;
    if (!strncmp(name, "nn.", 3) || !strncmp(name, "F.", 2)) name += name[0] == 'F' ? 2 : 3;
    for (int i = 0; prefixes[i]; i++) {
        char full[256];
        snprintf(full, sizeof full, "%s%s", prefixes[i], name);
        const HelpText *h = help_text(full);
        if (h) return entry_tuple(full, h);
    }
    return val_none();
}

/* inspect.signature's text: defaults by repr */
static bool add_param(StrBuf *b, bool *first, const char *prefix, const char *name, Value *def) {
    bool ok = sb_appends(b, *first ? "" : ", ") && sb_appends(b, prefix) && sb_appends(b, name);
    *first = false;
    if (ok && def) {
        Value *r = val_repr(def);
        ok = r && sb_appends(b, "=") && sb_append(b, r->str.s, r->str.len);
        val_release(r);
    }
    return ok;
}

static Value *signature(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("_signature", "fn, bound=");
    if (v_[0]->kind != VK_FUNCTION) return val_none();
    const Function *fn = v_[0]->fn;
    const Params *p = fn->params;
    bool bound = v_[1] && val_truthy(v_[1]) > 0;
    StrBuf b = {0};
    bool first = true, ok = sb_appends(&b, "(");
    int skip = bound && p->n > 0 ? 1 : 0;
    for (int i = skip; ok && i < p->n; i++) {
        int d = i - (p->n - p->n_defaults);
        ok = add_param(&b, &first, "", p->names[i], d >= 0 ? fn->defaults[d] : NULL);
        if (ok && p->n_posonly && i == p->n_posonly - 1) ok = add_param(&b, &first, "", "/", NULL);
    }
    if (ok && p->star) ok = add_param(&b, &first, "*", p->star, NULL);
    else if (ok && p->n_kwonly) ok = add_param(&b, &first, "", "*", NULL);
    for (int i = 0; ok && i < p->n_kwonly; i++)
        ok = add_param(&b, &first, "", p->kwonly_names[i], fn->kwonly_defaults[i]);
    if (ok && p->starstar) ok = add_param(&b, &first, "**", p->starstar, NULL);
    ok = ok && sb_appends(&b, ")");
    Value *r = ok ? val_str(b.data, (int64_t)b.len) : NULL;
    free(b.data);
    return r;
}

Value *help_doc(Value *obj) {
    char name[256];
    const HelpText *h = object_name(obj, name, sizeof name) ? help_text(name) : NULL;
    if (!h) return val_none();
    StrBuf b = {0};
    bool ok = sb_appends(&b, h->signature) && sb_appends(&b, "\n\n") && sb_appends(&b, h->description);
    Value *r = ok ? val_str(b.data, (int64_t)b.len) : NULL;
    free(b.data);
    return r;
}

static const struct {
    const char *name, *params;
} param_names[] = {
#define X(name, params) {name, params},
    PARAM_NAMES(X)
#undef X
};

const char *builtin_param_names(Value *callable) {
    char name[256];
    if (!object_name(callable, name, sizeof name)) return NULL;
    for (size_t i = 0; i < sizeof param_names / sizeof *param_names; i++)
        if (!strcmp(param_names[i].name, name)) return param_names[i].params;
    return NULL;
}

const Builtin tsr_help_functions[] = {
    {"_help_entry", help_entry},
    {"_help_entry_named", help_entry_named},
    {"_signature", signature},
    {NULL, NULL},
};

Value *py_help(Value *self, const CallArgs *a) {
    Value *m = stdlib_import("pydoc");
    if (!m) return NULL;
    Value *fn = dict_get(module_members(m), "help");
    Value *r = fn ? call_function(tsr_interp, fn, a) : NULL;
    val_release(m);
    return r;
}
