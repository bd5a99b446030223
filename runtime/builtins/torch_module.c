/* torch_module.c: the torch module's members that are not tensor ops:
 * dtypes and constants, the default dtype, devices, is_tensor, print
 * options, torch.cuda, and the submodules (torch.nn.functional,
 * torch.autograd, torch.linalg, torch.random). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "class.h"
#include "device.h"
#include "random.h"
#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"
#include "print_tensor.h"

static Value *t_get_default_dtype(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("get_default_dtype", "");
    return val_dtype(tsr_default_float);
}

/* torch.set_default_dtype(d): any floating dtype (float16 and bfloat16 too,
 * as 1.13 allows) */
static bool set_default_float(DType d) {
    if (!dtype_is_float(d)) {
        tsr_raise(ERR_TypeError, "%s", "only floating-point types are supported as the default type");
        return false;
    }
    tsr_default_float = d;
    return true;
}

static Value *t_set_default_dtype(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("set_default_dtype", "d");
    if (v_[0]->kind != VK_DTYPE) {
        tsr_raise(ERR_TypeError, "%s", "invalid dtype object: only floating-point types are supported as the default type");
        return NULL;
    }
    return set_default_float(v_[0]->dtype) ? val_none() : NULL;
}

/* torch.set_default_tensor_type(t): a legacy tensor type (torch.DoubleTensor)
 * or its dotted name ('torch.DoubleTensor'), read as torch's
 * _import_dotted_name reads it */
static Value *t_set_default_tensor_type(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("set_default_tensor_type", "t");
    Value *t = v_[0];
    const char *name = NULL;
    bool cuda = false;
    if (t->kind == VK_STR) {
        const char *s = t->str.s, *dot = strchr(s, '.');
        size_t head = dot ? (size_t)(dot - s) : strlen(s);
        if (head != 5 || strncmp(s, "torch", 5)) {
            tsr_raise(ERR_ModuleNotFoundError, "No module named '%.*s'", (int)head, s);
            return NULL;
        }
        const char *rest = dot ? dot + 1 : NULL;
        if (rest && !strncmp(rest, "cuda.", 5)) {
            cuda = true;
            rest += 5;
        }
        if (rest && !strchr(rest, '.') && dtype_from_tensor_type(rest) == DT_UNDEFINED) {
            Dict *members = cuda ? NULL : tsr_interp->torch->module.members;
            if (cuda || !dict_get(members, rest)) {
                tsr_raise(ERR_AttributeError, "module '%s' has no attribute '%s'", cuda ? "torch.cuda" : "torch",
                          rest);
                return NULL;
            }
        }
        name = rest && !strchr(rest, '.') ? rest : NULL;
    } else if (t->kind == VK_BUILTIN) {
        name = t->builtin->name;
    }
    DType d = name ? dtype_from_tensor_type(name) : DT_UNDEFINED;
    if (d == DT_UNDEFINED) {
        tsr_raise(ERR_TypeError, "%s", "invalid type object: only floating-point types are supported as the default type");
        return NULL;
    }
    if (cuda) {
        tsr_raise(ERR_TypeError, "type torch.cuda.%s not available. Torch not compiled with CUDA enabled.", name);
        return NULL;
    }
    return set_default_float(d) ? val_none() : NULL;
}

static Value *t_is_tensor(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("is_tensor", "obj");
    return val_bool(val_unwrap(v_[0])->kind == VK_TENSOR); /* isinstance(obj, torch.Tensor): subclasses too */
}

static Value *t_device(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("device", "type, index=");
    Device d;
    if (v_[0]->kind == VK_DEVICE) return val_retain(v_[0]);
    if (v_[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "device() received an invalid combination of arguments - got (%s)",
                  val_type_name(v_[0]));
        return NULL;
    }
    const char *s = v_[0]->str.s;
    if (!strcmp(s, "cpu")) {
        d.type = DEV_CPU;
        d.index = -1;
    } else if (!strncmp(s, "cuda", 4) && (s[4] == 0 || s[4] == ':')) {
        d.type = DEV_CUDA;
        d.index = -1;
        if (s[4] == ':') {
            char *end;
            long k = strtol(s + 5, &end, 10);
            if (end == s + 5 || *end || k < 0) {
                tsr_raise(ERR_RuntimeError, "Invalid device string: '%s'", s);
                return NULL;
            }
            d.index = (int)k;
        }
    } else {
        tsr_raise(ERR_RuntimeError,
                  "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, "
                  "fpga, ort, xla, lazy, vulkan, mps, meta, hpu, privateuseone device type at "
                  "start of device string: %s",
                  s);
        return NULL;
    }
    if (v_[1] && v_[1]->kind != VK_NONE) {
        int64_t k;
        if (!val_as_int(v_[1], &k)) return NULL;
        if (d.index >= 0) {
            tsr_raise(ERR_RuntimeError, "%s", "type (string) must not include an index because index was passed explicitly: cuda:0");
            return NULL;
        }
        d.index = (int)k;
    }
    return val_device(d);
}

static Value *t_set_printoptions(Value *self, const CallArgs *a) {
    ARGS(6);
    PARSE("set_printoptions", "precision=, threshold=, edgeitems=, linewidth=, profile=, sci_mode=");
    if (v_[4] && v_[4]->kind != VK_NONE) {
        if (v_[4]->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "%s", "set_printoptions(): profile must be a string");
            return NULL;
        }
        print_options_profile(v_[4]->str.s);
    }
    int64_t ints[4] = {0};
    for (int i = 0; i < 4; i++) {
        if (!v_[i] || v_[i]->kind == VK_NONE || i == 1) continue;
        if (!val_as_int(v_[i], &ints[i])) return NULL;
    }
    double threshold = 0;
    if (v_[1] && v_[1]->kind != VK_NONE && !val_as_double(v_[1], &threshold)) return NULL;
    int sci = -1;
    if (v_[5] && v_[5]->kind != VK_NONE) {
        int t = val_truthy(v_[5]);
        if (t < 0) return NULL;
        sci = t;
    }
    if (v_[0] && v_[0]->kind != VK_NONE) tsr_print_opts.precision = (int)ints[0];
    if (v_[1] && v_[1]->kind != VK_NONE) tsr_print_opts.threshold = threshold;
    if (v_[2] && v_[2]->kind != VK_NONE) tsr_print_opts.edgeitems = ints[2];
    if (v_[3] && v_[3]->kind != VK_NONE) tsr_print_opts.linewidth = ints[3];
    tsr_print_opts.sci_mode = sci;
    return val_none();
}

static Value *cuda_is_available(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("is_available", "");
    return val_bool(device_cuda_state() == CUDA_READY);
}

static Value *t_cuda_device_count(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("device_count", "");
    return val_int(tsr_cuda ? tsr_cuda->device_count() : 0);
}

/* The device argument of torch.cuda.NAME(device=None): an index, a string
 * or a torch.device; checked against the GPUs there are. */
static bool cuda_device_arg(Value *v, const char *fn, int *index) {
    Device d = {DEV_CUDA, 0};
    if (v && v->kind == VK_INT) d.index = (int)v->i;
    else if (v && v->kind != VK_NONE && !val_as_device(v, &d)) return false;
    d = device_normalize(d);
    if (d.type != DEV_CUDA) {
        char b[16];
        tsr_raise(ERR_ValueError, "Expected a cuda device, but got: %s", device_str(d, b, sizeof b));
        return false;
    }
    if (!device_ensure(d)) return false;
    *index = d.index;
    return true;
}

static Value *cuda_current_device(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("current_device", "");
    int i;
    return cuda_device_arg(NULL, "current_device", &i) ? val_int(i) : NULL;
}

static Value *cuda_get_device_name(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("get_device_name", "device=");
    int i;
    return cuda_device_arg(v_[0], "get_device_name", &i) ? val_cstr(tsr_cuda->device_name(i)) : NULL;
}

static Value *cuda_synchronize(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("synchronize", "device=");
    int i;
    if (!cuda_device_arg(v_[0], "synchronize", &i) || !device_synchronize()) return NULL;
    return val_none();
}

#define MEMORY_STAT(NAME, EXPR)                                         \
    static Value *cuda_##NAME(Value *self, const CallArgs *a) {          \
        ARGS(1);                                                         \
        PARSE(#NAME, "device=");                                         \
        int i;                                                           \
        if (!device_cuda_used) return val_int(0); /* as PyTorch before CUDA starts */ \
        if (!cuda_device_arg(v_[0], #NAME, &i)) return NULL;             \
        return val_int(EXPR);                                            \
    }
MEMORY_STAT(memory_allocated, device_memory_allocated())
MEMORY_STAT(max_memory_allocated, device_max_memory_allocated())
MEMORY_STAT(memory_reserved, device_memory_reserved())
#undef MEMORY_STAT

static Value *cuda_reset_peak_memory_stats(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("reset_peak_memory_stats", "device=");
    int i;
    if (!cuda_device_arg(v_[0], "reset_peak_memory_stats", &i)) return NULL;
    device_reset_peak_memory();
    return val_none();
}

/* Like PyTorch's: nothing to do (and no error) before CUDA is in use. */
static Value *cuda_empty_cache(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("empty_cache", "");
    device_empty_cache();
    return val_none();
}

/* torch.cuda.manual_seed(seed) / manual_seed_all(seed): seeds the GPU
 * generator (lazily, as PyTorch: no error without a GPU). */
static Value *cuda_manual_seed(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("manual_seed", "seed");
    if (v_[0]->kind != VK_INT && v_[0]->kind != VK_BOOL) {
        tsr_raise(ERR_TypeError, "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                  val_type_name(v_[0]));
        return NULL;
    }
    rng_cuda_manual_seed((uint64_t)v_[0]->i);
    return val_none();
}

static Value *cuda_seed(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("seed", "");
    rng_cuda_seed();
    return val_none();
}

static Value *cuda_initial_seed(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("initial_seed", "");
    return val_int((int64_t)rng_cuda_initial_seed());
}

static Value *cuda_get_rng_state(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("get_rng_state", "device=");
    int i;
    if (!cuda_device_arg(v_[0], "get_rng_state", &i)) return NULL;
    return wrap_tensor(rng_cuda_get_state());
}

static Value *cuda_set_rng_state(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("set_rng_state", "new_state, device=");
    int i;
    Tensor *t = arg_tensor(v_[0], "set_rng_state", "new_state");
    if (!t) return NULL;
    bool ok = cuda_device_arg(v_[1], "set_rng_state", &i) && rng_cuda_set_state(t);
    tensor_release(t);
    return ok ? val_none() : NULL;
}

const Builtin cuda_module_functions[] = {
    {"is_available", cuda_is_available},
    {"device_count", t_cuda_device_count},
    {"current_device", cuda_current_device},
    {"get_device_name", cuda_get_device_name},
    {"synchronize", cuda_synchronize},
    {"memory_allocated", cuda_memory_allocated},
    {"max_memory_allocated", cuda_max_memory_allocated},
    {"memory_reserved", cuda_memory_reserved},
    {"reset_peak_memory_stats", cuda_reset_peak_memory_stats},
    {"empty_cache", cuda_empty_cache},
    {"manual_seed", cuda_manual_seed},
    {"manual_seed_all", cuda_manual_seed},
    {"seed", cuda_seed},
    {"seed_all", cuda_seed},
    {"initial_seed", cuda_initial_seed},
    {"get_rng_state", cuda_get_rng_state},
    {"set_rng_state", cuda_set_rng_state},
    {NULL, NULL},
};

const Builtin torch_module_functions[] = {
    {"get_default_dtype", t_get_default_dtype},
    {"set_default_dtype", t_set_default_dtype},
    {"set_default_tensor_type", t_set_default_tensor_type},
    {"is_tensor", t_is_tensor},
    {"_device", t_device},
    {"set_printoptions", t_set_printoptions},
    {NULL, NULL},
};

const Builtin torch_module_methods[] = {{NULL, NULL}};

static bool put(Dict *d, const char *name, Value *v_steal) {
    if (!v_steal) return false;
    bool ok = dict_set(d, name, v_steal);
    val_release(v_steal);
    return ok;
}

static Value *submodule(Dict *parent, const char *name, const Builtin *fns) {
    Value *m = val_module_new(name);
    if (!m) return NULL;
    for (const Builtin *b = fns; b && b->name; b++)
        if (!put(m->module.members, b->name, val_builtin(b))) {
            val_release(m);
            return NULL;
        }
    if (!dict_set(parent, strrchr(name, '.') ? strrchr(name, '.') + 1 : name, m)) {
        val_release(m);
        return NULL;
    }
    return m; /* owned by the caller and the parent */
}

/* Names of torch functions also reachable as torch.nn.functional.NAME
 * (F's own functions come from nn_functional_functions, nn.c). */
static const char *const functional_names[] = {"sigmoid", "tanh", NULL};

/* torch.special: its own functions, then the torch functions it names
 * again (special.expit is torch.sigmoid, ...) */
static bool special_module_init(Dict *tm) {
    static const char *const aliases[][2] = {
        {"erf", "erf"},         {"erfc", "erfc"},       {"erfinv", "erfinv"},   {"expit", "sigmoid"},
        {"xlogy", "xlogy"},     {"gammaln", "lgamma"},  {"digamma", "digamma"}, {"psi", "digamma"},
        {"i0", "i0"},           {"sinc", "sinc"},       {"round", "round"},     {"logsumexp", "logsumexp"},
        {"softmax", "softmax"}, {"log_softmax", "log_softmax"}, {"exp2", "exp2"}, {"expm1", "expm1"},
        {"log1p", "log1p"},
    };
    Value *special = submodule(tm, "torch.special", special_module_functions);
    if (!special) return false;
    bool ok = true;
    for (const Builtin *b = elementwise_special_functions; ok && b->name; b++)
        if (b->name[0]) ok = put(special->module.members, b->name, val_builtin(b));
    for (size_t i = 0; ok && i < sizeof aliases / sizeof *aliases; i++) {
        Value *fn = dict_get(tm, aliases[i][1]);
        if (fn) ok = dict_set(special->module.members, aliases[i][0], fn);
    }
    val_release(special);
    return ok;
}

/* Marks each module of TORCH_PY_PARTS unloaded, creating it (and the
 * modules on its path) first where it does not exist. */
static bool python_parts_init(Value *torch) {
    static const char *const modules[] = {
#define X(module, file, python_name) module,
        TORCH_PY_PARTS(X)
#undef X
    };
    for (size_t i = 0; i < sizeof modules / sizeof *modules; i++) {
        Value *cur = torch;
        const char *p = modules[i] + strlen("torch");
        while (*p == '.') {
            const char *end = strchr(p + 1, '.');
            size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);
            char part[64];
            snprintf(part, sizeof part, "%.*s", (int)len, p + 1);
            Value *next = dict_get(cur->module.members, part);
            if (!next) {
                char name[128];
                snprintf(name, sizeof name, "%.*s", (int)(p + 1 + len - modules[i]), modules[i]);
                if (!(next = submodule(cur->module.members, name, NULL))) return false;
                val_release(next); /* the parent keeps it */
            }
            cur = next;
            p += 1 + len;
        }
        cur->module.unloaded = true;
    }
    return true;
}

bool torch_module_init(Value *torch) {
    Dict *tm = torch->module.members;
    for (int i = 0; i < DT_COUNT; i++)
        if (!put(tm, tsr_dtype_info[i].name, val_dtype((DType)i))) return false;
    for (const DTypeAlias *a = tsr_dtype_aliases; a->name; a++)
        if (!put(tm, a->name, val_dtype(a->t))) return false;
    if (!put(tm, "pi", val_float(M_PI)) || !put(tm, "e", val_float(M_E)) ||
        !put(tm, "inf", val_float(INFINITY)) || !put(tm, "nan", val_float(NAN)))
        return false;
    /* torch.Tensor is a type (isinstance, type(x) == torch.Tensor) whose call
     * is the legacy constructor, kept as _Tensor */
    Value *ctor = dict_get(tm, "Tensor");
    if (ctor && !dict_set(tm, "_Tensor", ctor)) return false;
    if (!put(tm, "Tensor", val_type(T_TENSOR)) || !put(tm, "Size", val_type(T_SIZE)) ||
        !put(tm, "dtype", val_type(T_DTYPE)) || !put(tm, "device", val_type(T_DEVICE)) ||
        !put(tm, "Generator", val_type(T_GENERATOR)) || !put(tm, "default_generator", default_generator_value()))
        return false;
    if (!put(tm, "layout", val_type(T_LAYOUT)) || !put(tm, "memory_format", val_type(T_MEMORY_FORMAT)))
        return false;
    for (int e = 0; e < TE_COUNT; e++)
        if (!put(tm, torch_enum_name((TorchEnum)e), val_torch_enum((TorchEnum)e))) return false;
    if (!put(tm, "__version__", val_cstr("1.13.0a0"))) return false;

    Value *cuda = submodule(tm, "torch.cuda", cuda_module_functions);
    if (!cuda) return false;
    val_release(cuda);
    Value *nn = submodule(tm, "torch.nn", NULL);
    if (!nn) return false;
    if (!put(nn->module.members, "Parameter", val_type(T_PARAMETER))) {
        val_release(nn);
        return false;
    }
    Value *F = submodule(nn->module.members, "torch.nn.functional", nn_functional_functions);
    val_release(nn);
    if (!F) return false;
#define X(stem) stem##_functional_functions,
    static const Builtin *const layer_tables[] = {NN_FUNCTIONAL_TABLES(X)};
#undef X
    for (size_t t = 0; t < sizeof layer_tables / sizeof *layer_tables; t++)
        for (const Builtin *b = layer_tables[t]; b->name; b++)
            if (!put(F->module.members, b->name, val_builtin(b))) {
                val_release(F);
                return false;
            }
    for (int i = 0; functional_names[i]; i++) {
        Value *fn = dict_get(tm, functional_names[i]);
        if (fn && !dict_set(F->module.members, functional_names[i], fn)) {
            val_release(F);
            return false;
        }
    }
    val_release(F);
    Value *autograd = submodule(tm, "torch.autograd", autograd_module_functions);
    if (!autograd) return false;
    for (const Builtin *b = autograd_function_functions; b->name; b++)
        if (!put(autograd->module.members, b->name, val_builtin(b))) {
            val_release(autograd);
            return false;
        }
    val_release(autograd);
    /* torch.linalg: every table of LINALG_MODULE_TABLES (linalg.c's first) */
    Value *linalg = submodule(tm, "torch.linalg", linalg_module_functions);
    if (!linalg) return false;
#define X(stem) stem##_module_functions,
    static const Builtin *const linalg_parts[] = {LINALG_MODULE_TABLES(X)};
#undef X
    for (size_t t = 1; t < sizeof linalg_parts / sizeof *linalg_parts; t++)
        for (const Builtin *b = linalg_parts[t]; b->name; b++)
            if (!put(linalg->module.members, b->name, val_builtin(b))) {
                val_release(linalg);
                return false;
            }
    if (!dict_set(linalg->module.members, "LinAlgError", class_of_error(ERR__LinAlgError))) {
        val_release(linalg);
        return false;
    }
    val_release(linalg);
    if (!special_module_init(tm)) return false;
    Value *fft = submodule(tm, "torch.fft", fft_module_functions);
    if (!fft) return false;
    val_release(fft);
    /* torch.random.* and torch.autograd.grad are filled by their owners
     * when they exist */
    static const char *const random_names[] = {"manual_seed", "seed", "initial_seed",
                                               "get_rng_state", "set_rng_state", NULL};
    Value *random = submodule(tm, "torch.random", NULL);
    if (!random) return false;
    for (int i = 0; random_names[i]; i++) {
        Value *fn = dict_get(tm, random_names[i]);
        if (fn && !dict_set(random->module.members, random_names[i], fn)) {
            val_release(random);
            return false;
        }
    }
    val_release(random);
    return python_parts_init(torch);
}
