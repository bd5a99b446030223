/* modules.c: opens the builtins in a new interpreter (Lua's luaL_openlibs):
 * the torch module and its submodules, the bare `from torch import *`
 * names, the tsr module, Python's builtins, and the hooks through which
 * the language core reaches tensors' attributes and methods. */
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"
#include "numpy.h"
#include "stdlib_py.h"

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
    bool tsr_ok = install_table(tsr->module.members, tsr_graph_functions) &&
                  install_table(tsr->module.members, tsr_teaching_functions) &&
                  install_table(tsr->module.members, tsr_optim_functions) &&
                  install_table(tsr->module.members, tsr_teach_functions) &&
                  install_table(tsr->module.members, tsr_plot_functions) &&
                  install_table(tsr->module.members, tsr_warnings_functions) &&
                  install_table(tsr->module.members, tsr_help_functions) &&
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
    /* exit, quit, help, copyright, credits, license: site's objects, which
     * say how to use them when typed bare (stdlib/_sitebuiltins.py) */
    Value *site = stdlib_import("_sitebuiltins");
    if (!site) return false;
    static const char *const site_names[] = {"exit", "quit", "help", "copyright", "credits", "license"};
    for (size_t i = 0; i < sizeof site_names / sizeof *site_names; i++) {
        Value *obj = dict_get(module_members(site), site_names[i]);
        if (!obj || !dict_set(in->builtins->dict, site_names[i], obj)) {
            val_release(site);
            return false;
        }
    }
    val_release(site);
    /* Python's builtins win over torch's bare names (abs, max, sum, ...
     * dispatch to torch themselves when given a tensor; range stays
     * Python's), as the oracle's prelude does */
    for (const Builtin *b = python_builtins; b->name; b++) dict_del(pre, b->name);
    static const struct { const char *name; TypeId t; } types[] = {
        {"int", T_INT},   {"float", T_FLOAT}, {"bool", T_BOOL}, {"str", T_STR},
        {"list", T_LIST}, {"tuple", T_TUPLE}, {"dict", T_DICT}, {"type", T_TYPE},
        {"set", T_SET},   {"frozenset", T_FROZENSET},
        {"slice", T_SLICE}, {"bytes", T_BYTES}, {"bytearray", T_BYTEARRAY},
    };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!set_value(in->builtins->dict, types[i].name, val_type(types[i].t))) return false;
    if (!set_value(in->builtins->dict, "range", val_type(T_RANGE))) return false;
    /* types that tsr makes with a builtin: the name is the class type()
     * gives (print(zip) is <class 'zip'>, isinstance(z, zip) holds), and
     * calling it runs the builtin */
    static const char *const made_types[] = {"enumerate", "zip", "map", "filter", "reversed",
                                             "property", "staticmethod", "classmethod"};
    for (size_t i = 0; i < sizeof made_types / sizeof *made_types; i++) {
        Value *b = dict_get(in->builtins->dict, made_types[i]);
        if (!b || b->kind != VK_BUILTIN) continue;
        Value *cls = class_of_type_name(made_types[i]);
        if (!cls) return false;
        cls->cls->ctor = b->builtin;
        bool ok = dict_set(in->builtins->dict, made_types[i], cls);
        val_release(cls);
        if (!ok) return false;
    }
    if (!set_value(in->globals->dict, "__name__", val_cstr("__main__"))) return false;
    return true;
}

/* ---- every public name defined once: a name in two tables of one
 * namespace would make the later table's entry replace the earlier one
 * silently, so builtins_open refuses to start */

typedef struct {
    const char *name; /* for the error: "elementwise_functions" */
    const Builtin *table;
} NamedTable;

#define FUNCTIONS(stem) {#stem "_functions", stem##_functions},
#define METHODS(stem) {#stem "_methods", stem##_methods},
static const NamedTable torch_tables[] = {BUILTIN_TABLES(FUNCTIONS)};
static const NamedTable method_tables[] = {BUILTIN_TABLES(METHODS)};
#undef FUNCTIONS
#undef METHODS
static const NamedTable python_tables[] = {{"python_builtins", python_builtins}};
static const NamedTable tsr_tables[] = {
    {"tsr_graph_functions", tsr_graph_functions},
    {"tsr_teaching_functions", tsr_teaching_functions},
    {"tsr_optim_functions", tsr_optim_functions},
    {"tsr_teach_functions", tsr_teach_functions},
    {"tsr_plot_functions", tsr_plot_functions},
    {"tsr_warnings_functions", tsr_warnings_functions},
    {"tsr_help_functions", tsr_help_functions},
};
static const NamedTable cuda_tables[] = {{"cuda_module_functions", cuda_module_functions}};
static const NamedTable autograd_tables[] = {{"autograd_module_functions", autograd_module_functions}};
#define LINALG(stem) {#stem "_module_functions", stem##_module_functions},
static const NamedTable linalg_tables[] = {LINALG_MODULE_TABLES(LINALG)};
static const NamedTable special_tables[] = {{"elementwise_special_functions", elementwise_special_functions},
                                            {"special_module_functions", special_module_functions}};
static const NamedTable fft_tables[] = {{"fft_module_functions", fft_module_functions}};
#define FUNCTIONAL(stem) {#stem "_functional_functions", stem##_functional_functions},
static const NamedTable functional_tables[] = {{"nn_functional_functions", nn_functional_functions},
                                               NN_FUNCTIONAL_TABLES(FUNCTIONAL)};
#undef FUNCTIONAL

#define NAMESPACE(what, tables) {what, tables, sizeof tables / sizeof *tables}
static const struct {
    const char *what;
    const NamedTable *tables;
    size_t n;
} namespaces[] = {
    NAMESPACE("torch function", torch_tables),
    NAMESPACE("tensor method", method_tables),
    NAMESPACE("Python builtin", python_tables),
    NAMESPACE("tsr function", tsr_tables),
    NAMESPACE("torch.cuda function", cuda_tables),
    NAMESPACE("torch.autograd function", autograd_tables),
    NAMESPACE("torch.linalg function", linalg_tables),
    NAMESPACE("torch.special function", special_tables),
    NAMESPACE("torch.fft function", fft_tables),
    NAMESPACE("torch.nn.functional function", functional_tables),
};
#undef NAMESPACE

typedef struct {
    const char *name, *table;
    size_t pos; /* install order, so the error names the tables in it */
} NameEntry;

static int cmp_name_entry(const void *a, const void *b) {
    const NameEntry *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* False with an internal error naming the first name defined twice among
 * the n tables (empty names are never installed and do not count). */
static bool names_unique(const char *what, const NamedTable *tables, size_t n) {
    size_t count = 0;
    for (size_t k = 0; k < n; k++)
        for (const Builtin *b = tables[k].table; b->name; b++) count += b->name[0] != 0;
    NameEntry *e = tsr_malloc(sizeof *e * (count ? count : 1));
    if (!e) return false;
    count = 0;
    for (size_t k = 0; k < n; k++)
        for (const Builtin *b = tables[k].table; b->name; b++)
            if (b->name[0]) e[count] = (NameEntry){b->name, tables[k].name, count}, count++;
    qsort(e, count, sizeof *e, cmp_name_entry);
    bool ok = true;
    for (size_t i = 1; ok && i < count; i++) {
        if (strcmp(e[i - 1].name, e[i].name)) continue;
        tsr_raise(ERR_RuntimeError, "internal error: %s '%s' is defined twice (in %s and %s)", what,
                  e[i].name, e[i - 1].table, e[i].table);
        ok = false;
    }
    free(e);
    return ok;
}

bool module_install(Value *module, const Builtin *table) { return install_table(module->module.members, table); }

/* Where each module lives in the oracle's Python, for its repr and
 * __file__: X(name, kind, file): kind "built-in" or "frozen" (NULL: read
 * from file), file its __file__ (NULL: none). Paths are Debian's (Python
 * 3.11, python3-torch, python3-numpy), as PyTorch's warnings name them. */
#define MODULE_ORIGINS(X) \
    X("math", "built-in", NULL) X("cmath", "built-in", NULL) X("sys", "built-in", NULL) X("time", "built-in", NULL) \
    X("itertools", "built-in", NULL) X("gc", "built-in", NULL) \
    X("os", "frozen", "/usr/lib/python3.11/os.py") \
    X("io", "frozen", "/usr/lib/python3.11/io.py") \
    X("posixpath", "frozen", "/usr/lib/python3.11/posixpath.py") \
    X("random", NULL, "/usr/lib/python3.11/random.py") \
    X("functools", NULL, "/usr/lib/python3.11/functools.py") \
    X("collections", NULL, "/usr/lib/python3.11/collections/__init__.py") \
    X("copy", NULL, "/usr/lib/python3.11/copy.py") X("json", NULL, "/usr/lib/python3.11/json/__init__.py") \
    X("bisect", NULL, "/usr/lib/python3.11/bisect.py") \
    X("warnings", NULL, "/usr/lib/python3.11/warnings.py") X("pydoc", NULL, "/usr/lib/python3.11/pydoc.py") \
    X("operator", NULL, "/usr/lib/python3.11/operator.py") \
    X("string", NULL, "/usr/lib/python3.11/string.py") X("typing", NULL, "/usr/lib/python3.11/typing.py") \
    X("_sitebuiltins", NULL, "/usr/lib/python3.11/_sitebuiltins.py") \
    X("torch", NULL, "/usr/lib/python3/dist-packages/torch/__init__.py") \
    X("torch.nn", NULL, "/usr/lib/python3/dist-packages/torch/nn/__init__.py") \
    X("torch.nn.functional", NULL, "/usr/lib/python3/dist-packages/torch/nn/functional.py") \
    X("torch.nn.init", NULL, "/usr/lib/python3/dist-packages/torch/nn/init.py") \
    X("torch.nn.utils", NULL, "/usr/lib/python3/dist-packages/torch/nn/utils/__init__.py") \
    X("torch.nn.utils.rnn", NULL, "/usr/lib/python3/dist-packages/torch/nn/utils/rnn.py") \
    X("torch.nn.modules", NULL, "/usr/lib/python3/dist-packages/torch/nn/modules/__init__.py") \
    X("torch.optim", NULL, "/usr/lib/python3/dist-packages/torch/optim/__init__.py") \
    X("torch.optim.lr_scheduler", NULL, "/usr/lib/python3/dist-packages/torch/optim/lr_scheduler.py") \
    X("torch.utils", NULL, "/usr/lib/python3/dist-packages/torch/utils/__init__.py") \
    X("torch.utils.data", NULL, "/usr/lib/python3/dist-packages/torch/utils/data/__init__.py") \
    X("torch.linalg", NULL, "/usr/lib/python3/dist-packages/torch/linalg/__init__.py") \
    X("torch.special", NULL, "/usr/lib/python3/dist-packages/torch/special/__init__.py") \
    X("torch.fft", NULL, "/usr/lib/python3/dist-packages/torch/fft/__init__.py") \
    X("torch.autograd", NULL, "/usr/lib/python3/dist-packages/torch/autograd/__init__.py") \
    X("torch.autograd.functional", NULL, "/usr/lib/python3/dist-packages/torch/autograd/functional.py") \
    X("torch.autograd.function", NULL, "/usr/lib/python3/dist-packages/torch/autograd/function.py") \
    X("torch.cuda", NULL, "/usr/lib/python3/dist-packages/torch/cuda/__init__.py") \
    X("torch.distributions", NULL, "/usr/lib/python3/dist-packages/torch/distributions/__init__.py") \
    X("torch.backends", NULL, "/usr/lib/python3/dist-packages/torch/backends/__init__.py") \
    X("torch.backends.cudnn", NULL, "/usr/lib/python3/dist-packages/torch/backends/cudnn/__init__.py") \
    X("torch.backends.cuda", NULL, "/usr/lib/python3/dist-packages/torch/backends/cuda/__init__.py") \
    X("torch.backends.mps", NULL, "/usr/lib/python3/dist-packages/torch/backends/mps/__init__.py") \
    X("torch.backends.mkl", NULL, "/usr/lib/python3/dist-packages/torch/backends/mkl/__init__.py") \
    X("torch.backends.mkldnn", NULL, "/usr/lib/python3/dist-packages/torch/backends/mkldnn/__init__.py") \
    X("torch.backends.openmp", NULL, "/usr/lib/python3/dist-packages/torch/backends/openmp/__init__.py") \
    X("torch.testing", NULL, "/usr/lib/python3/dist-packages/torch/testing/__init__.py") \
    X("torch.hub", NULL, "/usr/lib/python3/dist-packages/torch/hub.py") \
    X("numpy", NULL, "/usr/lib/python3/dist-packages/numpy/__init__.py") \
    X("numpy.random", NULL, "/usr/lib/python3/dist-packages/numpy/random/__init__.py") \
    X("numpy.linalg", NULL, "/usr/lib/python3/dist-packages/numpy/linalg/__init__.py") \
    X("numpy.fft", NULL, "/usr/lib/python3/dist-packages/numpy/fft/__init__.py")

static bool module_origin(const char *name, const char **kind, const char **file) {
    static const struct {
        const char *name, *kind, *file;
    } origins[] = {
#define X(name, kind, file) {name, kind, file},
        MODULE_ORIGINS(X)
#undef X
    };
    for (size_t i = 0; i < sizeof origins / sizeof *origins; i++)
        if (!strcmp(origins[i].name, name)) {
            *kind = origins[i].kind;
            *file = origins[i].file;
            return true;
        }
    return false;
}

Value *stdlib_import(const char *name) {
    Dict *loaded = tsr_interp->modules->dict;
    Value *m = dict_get(loaded, name);
    if (m) return val_retain(m);
    static const struct {
        const char *name;
        bool (*open)(Value *module);
    } table[] = {
#define X(name, stem) {name, stdlib_##stem##_open},
        STDLIB_MODULES(X)
#undef X
    };
    /* the modules being opened (their opening imports their submodules) */
    static const char *opening[8];
    static int n_opening;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        if (strcmp(table[i].name, name)) continue;
        /* import a.b imports a first (numpy's own Python fills numpy.fft,
         * numpy.linalg), unless a is the module opening this one */
        const char *dot = strrchr(name, '.');
        if (dot && (size_t)(dot - name) < 64) {
            char parent[64];
            memcpy(parent, name, (size_t)(dot - name));
            parent[dot - name] = '\0';
            bool busy = false;
            for (int k = 0; k < n_opening; k++) busy = busy || !strcmp(opening[k], parent);
            if (!busy && !dict_get(loaded, parent)) {
                Value *p = stdlib_import(parent);
                if (!p) return NULL;
                val_release(p);
                if ((m = dict_get(loaded, name))) return val_retain(m);
            }
        }
        if (n_opening >= 8) {
            tsr_raise(ERR_ImportError, "cannot import '%s': modules nested too deeply", name);
            return NULL;
        }
        if (!(m = val_module_new(name))) return NULL;
        opening[n_opening++] = table[i].name;
        bool ok = table[i].open(m);
        n_opening--;
        if (!ok || !dict_set(loaded, name, m)) {
            val_release(m);
            return NULL;
        }
        return m;
    }
    /* a module written in Python: its source runs with its members as
     * globals */
    for (const StdlibSource *s = stdlib_py_sources; s->name; s++) {
        if (strncmp(s->name, "stdlib/", 7) || strcmp(s->name + 7, name)) continue;
        if (!(m = val_module_new(name))) return NULL;
        if (!interp_run_module(tsr_interp, name, s->src, s->len, m->module.members) ||
            !dict_set(loaded, name, m)) {
            val_release(m);
            return NULL;
        }
        return m;
    }
    tsr_raise(ERR_ModuleNotFoundError, "No module named '%s'", name);
    return NULL;
}

bool torch_module_load(Value *module) {
    static const struct { const char *module, *file, *python_name; } parts[] = {
#define X(module, file, python_name) {module, "torch/" file, python_name},
        TORCH_PY_PARTS(X)
#undef X
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        if (strcmp(parts[i].module, module->module.name)) continue;
        const StdlibSource *s = stdlib_py_sources;
        while (s->name && strcmp(s->name, parts[i].file)) s++;
        if (!s->name) {
            tsr_raise(ERR_RuntimeError, "internal error: no source %s.py", parts[i].file);
            return false;
        }
        if (!interp_run_module(tsr_interp, parts[i].python_name, s->src, s->len, module->module.members))
            return false;
    }
    /* the files ran under PyTorch's names; the module keeps its own */
    return set_value(module->module.members, "__name__", val_cstr(module->module.name));
}

bool builtins_open(Interp *in) {
    in->hooks.release_state = np_fpe_reset;
    in->hooks.tensor_method = tensor_method_lookup;
    in->hooks.tensor_getattr = tensor_getattr;
    in->hooks.tensor_setattr = tensor_setattr;
    in->hooks.tensor_method_tables = tensor_method_tables;
    in->hooks.builtin_param_names = builtin_param_names;
    in->hooks.module_origin = module_origin;
    in->hooks.call_with_out = call_with_out;
    in->hooks.check_call_args = argparse_check;
    in->hooks.python_builtins = python_builtins;
    in->hooks.n_python_builtins = python_builtins_count;
    in->hooks.type_call = type_call;
    in->hooks.python_method = python_method_lookup;
    in->hooks.getattr_special = value_getattr_special;
    in->hooks.prelude_lazy = torch_python_bare;
    in->hooks.import_module = stdlib_import;
    in->hooks.module_load = torch_module_load;
    in->hooks.numpy_binary = numpy_binary;
    in->hooks.numpy_compare = numpy_compare;
    in->hooks.numpy_unary = numpy_unary;
    in->hooks.numpy_getattr = numpy_getattr;
    for (size_t i = 0; i < sizeof namespaces / sizeof *namespaces; i++)
        if (!names_unique(namespaces[i].what, namespaces[i].tables, namespaces[i].n)) return false;
    return build_namespaces(in);
}
