/* modules.c: opens the builtins in a new interpreter (Lua's luaL_openlibs):
 * the torch module and its submodules, the bare `from torch import *`
 * names, the tsr module, Python's builtins, and the hooks through which
 * the language core reaches tensors' attributes and methods. */
#include <string.h>

#include "builtins.h"
#include "error.h"
#include "interp_internal.h"

/* builtins_torch_misc.c: fills the torch module's non-op members */
bool torch_module_init(Value *torch);
extern const Builtin torch_misc_functions[];

static bool install_table(Dict *d, const Builtin *table) {
    for (const Builtin *b = table; b->name; b++) {
        if (!b->name[0]) continue; /* a generated entry for a form PyTorch lacks */
        Value *v = val_builtin(b);
        if (!v) return false;
        bool ok = dict_set(d, b->name, v);
        val_release(v);
        if (!ok) return false;
    }
    return true;
}

static bool set_value(Dict *d, const char *name, Value *v_steal) {
    if (!v_steal) return false;
    bool ok = dict_set(d, name, v_steal);
    val_release(v_steal);
    return ok;
}

static bool build_namespaces(struct Interp *in) {
    Value *torch = in->torch = val_module_new("torch");
    if (!torch) return false;
    Dict *tm = torch->module.members;
#define X(stem) if (!install_table(tm, stem##_functions)) return false;
    BUILTIN_TABLES(X)
#undef X
    if (!install_table(tm, torch_misc_functions)) return false;
    if (!torch_module_init(torch)) return false;

    /* `from torch import *`: every public torch name, bare */
    Dict *pre = in->prelude->dict;
    int64_t it = 0;
    const char *k;
    Value *v;
    while (dict_next(tm, &it, &k, &v)) {
        if (k[0] == '_' || v->kind == VK_MODULE) continue;
        if (!dict_set(pre, k, v)) return false;
    }
    /* bare `float`, `int`, `bool` stay Python's; `range` is Python's */
    dict_del(pre, "float");
    dict_del(pre, "int");
    dict_del(pre, "bool");
    if (!dict_set(pre, "torch", torch)) return false;
    Value *tsr = val_module_new("tsr");
    if (!tsr) return false;
    bool tsr_ok = install_table(tsr->module.members, tsr_module_functions) &&
                  install_table(tsr->module.members, tsr_teaching_functions) &&
                  dict_set(pre, "tsr", tsr);
    val_release(tsr);
    if (!tsr_ok) return false;
    Value *nn = dict_get(tm, "nn");
    if (nn) {
        if (!dict_set(pre, "nn", nn)) return false;
        Value *F = dict_get(nn->module.members, "functional");
        if (F && !dict_set(pre, "F", F)) return false;
    }
    if (!install_table(in->builtins->dict, python_builtins)) return false;
    /* Python's builtins win over torch's bare names (abs, max, sum, ...
     * dispatch to torch themselves when given a tensor; range stays
     * Python's), as the oracle's prelude does */
    for (const Builtin *b = python_builtins; b->name; b++) dict_del(pre, b->name);
    static const struct { const char *name; TypeId t; } types[] = {
        {"int", T_INT},   {"float", T_FLOAT}, {"bool", T_BOOL}, {"str", T_STR},
        {"list", T_LIST}, {"tuple", T_TUPLE}, {"dict", T_DICT}, {"type", T_TYPE},
        {"slice", T_SLICE},
    };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!set_value(in->builtins->dict, types[i].name, val_type(types[i].t))) return false;
    if (!set_value(in->globals->dict, "__name__", val_cstr("__main__"))) return false;
    return true;
}

/* every tensor method table, for completion (the lookup itself is
 * tensor_method_lookup's sorted index) */
static const Builtin *const tensor_method_tables[] = {
#define X(stem) stem##_methods,
    BUILTIN_TABLES(X)
#undef X
    NULL,
};

bool builtins_open(Interp *in) {
    extern const int python_builtins_count;
    in->hooks.tensor_method = tensor_method_lookup;
    in->hooks.tensor_getattr = tensor_getattr;
    in->hooks.tensor_setattr = tensor_setattr;
    in->hooks.tensor_method_tables = tensor_method_tables;
    in->hooks.python_builtins = python_builtins;
    in->hooks.n_python_builtins = python_builtins_count;
    return build_namespaces(in);
}
