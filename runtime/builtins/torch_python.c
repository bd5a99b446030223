/* torch_python.c: torch's functions and classes written in Python
 * (torch/storage.py, torch/functional.py) as torch.NAME and as tensor
 * methods. torch's module __getattr__ (PEP 562) finds a name in the
 * module TORCH_PYTHON_NAMES lists, loading that module's Python the first
 * time; a method here calls the function with the tensor first. */
#include <stdint.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"

/* X(module under torch, name): torch.NAME is torch.MODULE.NAME */
#define TORCH_PYTHON_NAMES(X) \
    X("storage", "TypedStorage") X("storage", "UntypedStorage") X("storage", "is_storage") \
    X("storage", "typename") X("storage", "DoubleStorage") X("storage", "FloatStorage") \
    X("storage", "HalfStorage") X("storage", "LongStorage") X("storage", "IntStorage") \
    X("storage", "ShortStorage") X("storage", "CharStorage") X("storage", "ByteStorage") \
    X("storage", "BoolStorage") X("storage", "BFloat16Storage") \
    X("functional", "meshgrid") X("functional", "cartesian_prod") X("functional", "combinations") \
    X("functional", "tril_indices") X("functional", "triu_indices") X("functional", "vander") \
    X("functional", "diagflat") \
    X("functional", "atleast_1d") X("functional", "atleast_2d") X("functional", "atleast_3d") \
    X("functional", "broadcast_to") X("functional", "broadcast_tensors") \
    X("functional", "dstack") X("functional", "hsplit") X("functional", "vsplit") X("functional", "dsplit") \
    X("functional", "repeat_interleave") X("functional", "unique_consecutive") X("functional", "narrow_copy") \
    X("functional", "is_nonzero") X("functional", "is_same_size") X("functional", "is_signed") \
    X("functional", "isneginf") X("functional", "isposinf") X("functional", "isreal") \
    X("functional", "gradient") \
    X("type_info", "finfo") X("type_info", "iinfo") \
    X("functional", "isin") X("functional", "float_power") X("functional", "ldexp") X("functional", "ldexp_") \
    X("functional", "range") \
    X("functional", "hann_window") X("functional", "hamming_window") X("functional", "blackman_window") \
    X("functional", "bartlett_window") X("functional", "kaiser_window") \
    X("functional", "use_deterministic_algorithms") X("functional", "are_deterministic_algorithms_enabled") \
    X("functional", "is_deterministic_algorithms_warn_only_enabled") \
    X("functional", "set_deterministic_debug_mode") X("functional", "get_deterministic_debug_mode") \
    X("functional", "set_warn_always") X("functional", "is_warn_always_enabled") \
    X("functional", "set_anomaly_enabled") X("functional", "is_anomaly_enabled") \
    X("functional", "is_anomaly_check_nan_enabled") X("functional", "set_num_interop_threads") \
    X("functional", "get_num_interop_threads") X("functional", "set_float32_matmul_precision") \
    X("functional", "get_float32_matmul_precision") \
    X("functional", "selu") X("functional", "selu_") X("functional", "celu") X("functional", "celu_") \
    X("functional", "rrelu_") X("functional", "dropout") \
    X("functional", "dropout_") X("functional", "alpha_dropout") X("functional", "alpha_dropout_") \
    X("functional", "feature_dropout") X("functional", "feature_dropout_") \
    X("functional", "feature_alpha_dropout") X("functional", "feature_alpha_dropout_") \
    X("functional", "kl_div") X("functional", "cosine_similarity") X("functional", "pairwise_distance") \
    X("functional", "margin_ranking_loss") X("functional", "hinge_embedding_loss") \
    X("functional", "triplet_margin_loss") X("functional", "poisson_nll_loss") \
    X("functional", "cosine_embedding_loss") X("functional", "binary_cross_entropy_with_logits") \
    X("functional", "constant_pad_nd") X("functional", "instance_norm") \
    X("functional", "matrix_rank") X("functional", "solve") X("functional", "eig") \
    X("functional", "is_distributed") X("functional", "adjoint") X("functional", "frobenius_norm") \
    X("functional", "norm_except_dim") X("functional", "asarray") \
    X("functional", "svd_lowrank") X("functional", "pca_lowrank") X("functional", "lobpcg") \
    X("functional", "to_dlpack") X("functional", "from_dlpack") \
    X("functional", "stft") X("functional", "istft")

/* torch.NAME whose Python function is named otherwise, because NAME
 * would hide a Python builtin from every file of its module */
static const struct { const char *name, *member; } renamed[] = {{"range", "torch_range"}};

Value *torch_python_member(const char *module, const char *name) {
    for (size_t i = 0; i < sizeof renamed / sizeof *renamed; i++)
        if (!strcmp(renamed[i].name, name)) name = renamed[i].member;
    Value *mod = dict_get(tsr_interp->torch->module.members, module);
    Dict *members = mod && mod->kind == VK_MODULE ? module_members(mod) : NULL;
    if (!members) {
        if (!tsr_err_occurred()) tsr_raise(ERR_RuntimeError, "internal error: no torch.%s", module);
        return NULL;
    }
    Value *v = dict_get(members, name);
    if (!v) tsr_raise(ERR_AttributeError, "module 'torch.%s' has no attribute '%s'", module, name);
    return v ? val_retain(v) : NULL;
}

static const struct { const char *module, *name; } python_names[] = {
#define X(module, name) {module, name},
    TORCH_PYTHON_NAMES(X)
#undef X
};

/* torch.__all__ omits these, so `from torch import *` does not bind them */
static const char *const not_bare[] = {"HalfStorage", "BFloat16Storage", NULL};

Value *torch_python_bare(const char *name) {
    for (int i = 0; not_bare[i]; i++)
        if (!strcmp(not_bare[i], name)) return NULL;
    for (size_t i = 0; i < sizeof python_names / sizeof *python_names; i++)
        if (!strcmp(python_names[i].name, name)) {
            Value *v = torch_python_member(python_names[i].module, name);
            if (!v) tsr_err_clear();
            return v;
        }
    return NULL;
}

static Value *bi_torch_getattr(Value *self, const CallArgs *a) {
    (void)self;
    Value *v[1] = {0};
    if (!args_parse(a, 0, "__getattr__", "name", v)) return NULL;
    if (v[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "attribute name must be string, not '%s'", val_type_name(v[0]));
        return NULL;
    }
    for (size_t i = 0; i < sizeof python_names / sizeof *python_names; i++)
        if (!strcmp(python_names[i].name, v[0]->str.s))
            return torch_python_member(python_names[i].module, python_names[i].name);
    tsr_raise(ERR_AttributeError, "module 'torch' has no attribute '%s'", v[0]->str.s);
    return NULL;
}

/* x.NAME(args...): torch.MODULE.NAME(x, args...) */
static Value *call_with_self(const char *module, const char *name, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *fn = torch_python_member(module, name);
    if (!fn) return NULL;
    Value *r = call_value(fn, a);
    val_release(fn);
    return r;
}

/* X(module, name): the tensor methods that are a Python function */
#define TORCH_PYTHON_METHODS(X) \
    X(functional, broadcast_to) X(functional, diagflat) X(functional, hsplit) X(functional, vsplit) \
    X(functional, dsplit) X(functional, repeat_interleave) X(functional, unique_consecutive) \
    X(functional, narrow_copy) X(functional, is_nonzero) X(functional, is_same_size) X(functional, is_signed) \
    X(functional, isneginf) X(functional, isposinf) X(functional, isreal) \
    X(storage, storage_type) \
    X(functional, float_power) X(functional, float_power_) X(functional, ldexp) X(functional, ldexp_) \
    X(functional, sum_to_size) \
    X(functional, solve) X(functional, eig) X(functional, is_distributed) X(functional, adjoint) \
    X(functional, resize) X(functional, resize_as) X(functional, reinforce) X(functional, apply_) \
    X(functional, map_) X(functional, map2_) X(functional, stft) X(functional, istft)

#define X(module, name) \
    static Value *method_##name(Value *self, const CallArgs *a) { return call_with_self(#module, #name, self, a); }
TORCH_PYTHON_METHODS(X)
#undef X

const Builtin torch_python_functions[] = {
    {"__getattr__", bi_torch_getattr},
    {NULL, NULL},
};

const Builtin torch_python_methods[] = {
#define X(module, name) {#name, method_##name},
    TORCH_PYTHON_METHODS(X)
#undef X
    {NULL, NULL},
};
