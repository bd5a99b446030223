/* torch_argparse.c: PyTorch's Python argument parser's verdict on a call
 * of a torch.* function or Tensor method (torch/csrc/utils/
 * python_arg_parser.cpp, invalid_arguments.cpp of 1.13): the call's values
 * are checked against the function's signatures (torch_signatures.h) as
 * FunctionParameter::check does, and when none takes them, PyTorch's
 * TypeError is raised. Only the types are checked: the builtin's own
 * parsing converts the values afterwards. The success path allocates
 * nothing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "class.h"
#include "error.h"
#include "ptrmap.h"
#include "torch_signatures.h"

/* X(ENUM, C++ type in a signature string, FunctionParameter::type_name()) */
#define PARAM_TYPES(X)                                                  \
    X(TENSOR, "Tensor", "Tensor")                                       \
    X(SCALAR, "Scalar", "Number")                                       \
    X(INT64, "int64_t", "int")                                          \
    X(SYM_INT, "SymInt", "SymInt")                                      \
    X(DOUBLE, "double", "float")                                        \
    X(COMPLEX, "complex", "complex")                                    \
    X(TENSOR_LIST, "TensorList", "tuple of Tensors")                    \
    X(OPT_TENSOR_LIST, "c10::List<c10::optional<Tensor>>", "tuple of Tensors") \
    X(INT_LIST, "IntArrayRef", "tuple of ints")                         \
    X(SYM_INT_LIST, "SymIntArrayRef", "tuple of SymInts")               \
    X(FLOAT_LIST, "ArrayRef<double>", "tuple of floats")                \
    X(GENERATOR, "Generator", "torch.Generator")                        \
    X(BOOL, "bool", "bool")                                             \
    X(STORAGE, "Storage", "torch.Storage")                              \
    X(PYOBJECT, "PyObject*", "object")                                  \
    X(SCALARTYPE, "ScalarType", "torch.dtype")                          \
    X(LAYOUT, "Layout", "torch.layout")                                 \
    X(MEMORY_FORMAT, "MemoryFormat", "torch.memory_format")             \
    X(QSCHEME, "QScheme", "torch.qscheme")                              \
    X(DEVICE, "Device", "torch.device")                                 \
    X(STREAM, "Stream", "torch.Stream")                                 \
    X(STRING, "std::string", "str")                                     \
    X(STRING_VIEW, "c10::string_view", "str")                           \
    X(DIMNAME, "Dimname", "name")                                       \
    X(DIMNAME_LIST, "DimnameList", "tuple of names")                    \
    X(SCALAR_LIST, "ScalarList", "tuple of Scalars")

typedef enum {
#define X(e, cpp, shown) PT_##e,
    PARAM_TYPES(X)
#undef X
    PT_COUNT
} ParamType;

static const char *const type_cpp[] = {
#define X(e, cpp, shown) cpp,
    PARAM_TYPES(X)
#undef X
};
static const char *const type_shown[] = {
#define X(e, cpp, shown) shown,
    PARAM_TYPES(X)
#undef X
};

typedef struct {
    const char *name;
    unsigned char type;
    bool optional, allow_none, keyword_only, numbers_as_tensors;
    int size; /* IntArrayRef[2]: 2 */
} SigParam;

typedef struct {
    const char *name;
    SigParam *params;
    int n, min_args, max_args, max_pos_args;
    bool hidden;
    bool dim_names; /* a dim parameter takes names (Dimname): see dim_names_check */
    int last_required;  /* 1 + the index of the last parameter without a default */
    bool int_lists;     /* has an IntArrayRef or SymIntArrayRef: see int_lists_check */
} Sig;

typedef struct {
    int n;
    Sig *sigs;
} FnSigs;

/* the namespaces of the rows, in the generator's order */
enum { SP_TORCH, SP_TENSOR, SP_NN, SP_LINALG, SP_SPECIAL, SP_FFT };
typedef struct {
    int space;
    const char *name, *text;
} SigRow;
static const SigRow rows[] = {
#define ROW(space, name, text) {SP_##space, name, text},
    TORCH_SIGNATURES(ROW)
#undef ROW
};
#define N_ROWS ((int)(sizeof rows / sizeof *rows))
static FnSigs *parsed[N_ROWS];

/* torch/csrc/utils/python_arg_parser.cpp: should_allow_numbers_as_tensors */
static bool numbers_as_tensors(const char *name) {
    static const char *const allowed[] = {
        "add",          "add_",         "add_out",     "div",         "div_",         "div_out",
        "divide",       "divide_",      "divide_out",  "mul",         "mul_",         "mul_out",
        "multiply",     "multiply_",    "multiply_out", "sub",        "sub_",         "sub_out",
        "subtract",     "subtract_",    "subtract_out", "true_divide", "true_divide_", "true_divide_out",
        "to",           "_to_copy",     "copy_",       "floor_divide", "floor_divide_", "floor_divide_out"};
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
        if (!strcmp(name, allowed[i])) return true;
    return false;
}

/* One signature string, written over (NULs at the separators): 1, or 0
 * for a string it cannot read, -1 with MemoryError raised. */
static int parse_sig(char *s, Sig *out) {
    char *paren = strchr(s, '(');
    char *close = strrchr(s, ')');
    if (!paren || !close) return 0;
    *paren = 0;
    out->name = s;
    out->hidden = close[1] == '|';
    *close = 0;
    int n = 0;
    for (char *p = paren + 1; *p; p++) n += *p == ',';
    out->params = tsr_calloc((size_t)n + 1, sizeof *out->params);
    if (!out->params) return -1;
    out->n = out->min_args = out->max_args = out->max_pos_args = 0;
    bool kw = false, nat = numbers_as_tensors(out->name);
    char *p = paren + 1;
    while (*p) {
        char *end = strstr(p, ", ");
        if (end) *end = 0;
        if (!strcmp(p, "*")) {
            kw = true;
        } else {
            SigParam *q = &out->params[out->n++];
            char *sp = strchr(p, ' ');
            if (!sp) return 0;
            *sp = 0;
            char *name = sp + 1, *eq = strchr(name, '=');
            if (eq) {
                *eq = 0;
                q->optional = true;
                q->allow_none = !strcmp(eq + 1, "None");
            }
            q->name = name;
            char *question = strchr(p, '?');
            if (question) q->allow_none = true, *question = 0;
            char *bracket = strchr(p, '[');
            if (bracket) q->size = atoi(bracket + 1), *bracket = 0;
            int t = 0;
            while (t < PT_COUNT && strcmp(type_cpp[t], p)) t++;
            if (t == PT_COUNT) return 0;
            q->type = (unsigned char)t;
            q->keyword_only = kw;
            if ((t == PT_DIMNAME || t == PT_DIMNAME_LIST) && !strncmp(name, "dim", 3)) out->dim_names = true;
            if (t == PT_INT_LIST || t == PT_SYM_INT_LIST) out->int_lists = true;
            q->numbers_as_tensors = nat;
            out->min_args += !q->optional;
            if (!q->optional) out->last_required = out->n;
            out->max_args++;
            out->max_pos_args += !kw;
        }
        if (!end) break;
        p = end + 2;
    }
    return 1;
}

static FnSigs *row_sigs(int r) {
    if (parsed[r]) return parsed[r];
    const char *text = rows[r].text;
    size_t len = 0;
    int n = 0;
    while (text[len]) len += strlen(text + len) + 1, n++;
    FnSigs *f = tsr_calloc(1, sizeof *f + (size_t)n * sizeof(Sig) + len + 1);
    if (!f) return NULL;
    f->sigs = (Sig *)(f + 1);
    char *copy = (char *)(f->sigs + n);
    memcpy(copy, text, len + 1);
    size_t off = 0;
    while (text[off]) {
        size_t l = strlen(text + off);
        int ok = parse_sig(copy + off, &f->sigs[f->n++]);
        if (ok <= 0) {
            if (!ok) tsr_raise(ERR_RuntimeError, "internal: bad signature for %s()", rows[r].name);
            for (int i = 0; i < f->n; i++) free(f->sigs[i].params);
            free(f);
            return NULL;
        }
        off += l + 1;
    }
    parsed[r] = f;
    return f;
}

/* ---- which Python values a parameter takes (FunctionParameter::check) */

static bool is_np_scalar(const Value *v) { return v->kind == VK_TENSOR && v->tensor->numpy == TENSOR_NP_SCALAR; }

/* an instance of a class with name among its attributes (__torch_function__, __index__) */
static bool instance_has(const Value *v, const char *name) {
    return v->kind == VK_INSTANCE && class_lookup(v->inst.cls, name) != NULL;
}

/* THPVariable_Check, and objects with __torch_function__ */
static bool is_tensor(const Value *v) {
    if (v->kind == VK_TENSOR) return !v->tensor->numpy;
    return instance_has(v, "__torch_function__") ||
           (v->kind == VK_INSTANCE && v->inst.payload && v->inst.payload->kind == VK_TENSOR);
}

static bool is_long(const Value *v) { /* THPUtils_checkLong */
    return v->kind == VK_INT || (is_np_scalar(v) && dtype_is_int(v->tensor->dtype));
}

static bool is_double(const Value *v) { /* THPUtils_checkDouble: int, bool, float, numpy scalars */
    return v->kind == VK_INT || v->kind == VK_BOOL || v->kind == VK_FLOAT || is_np_scalar(v);
}

static bool is_scalar(const Value *v) { /* THPUtils_checkScalar */
    return is_double(v) || v->kind == VK_COMPLEX;
}

/* THPUtils_checkIndex: not bool; an int, or anything with __index__ (an
 * integer tensor of one element) */
static bool is_index(const Value *v) {
    if (v->kind == VK_BOOL) return false;
    if (is_long(v)) return true;
    if (v->kind == VK_TENSOR)
        return dtype_is_integral(v->tensor->dtype, true) && tensor_numel(v->tensor) == 1;
    return instance_has(v, "__index__");
}

static bool is_seq(const Value *v) { return v->kind == VK_LIST || v->kind == VK_TUPLE || v->kind == VK_SIZE; }

/* a 0-dim tensor that does not require grad: a double or Scalar */
static bool is_scalar_tensor(const Value *v) {
    return v->kind == VK_TENSOR && !v->tensor->numpy && !v->tensor->requires_grad && v->tensor->ndim == 0;
}

/* 1 takes it, 0 not; -1 raised (a list of tensors with another element) */
static int param_check(const SigParam *p, const Value *v, int argnum) {
    switch ((ParamType)p->type) {
    case PT_TENSOR: return is_tensor(v) || (p->numbers_as_tensors && is_scalar(v));
    case PT_SCALAR:
    case PT_COMPLEX: if (v->kind == VK_COMPLEX) return 1; /* fallthrough */
    case PT_DOUBLE:
        if (is_double(v)) return 1;
        if (v->kind == VK_INSTANCE && is_tensor(v)) return 1;
        return is_scalar_tensor(v);
    case PT_INT64:
        if (is_long(v)) return 1;
        return is_scalar_tensor(v) && dtype_is_int(v->tensor->dtype);
    case PT_SYM_INT: return is_index(v);
    case PT_DIMNAME: return v->kind == VK_NONE || v->kind == VK_STR;
    case PT_DIMNAME_LIST:
        if (v->kind == VK_LIST || v->kind == VK_TUPLE)
            return v->seq.len == 0 || v->seq.items[0]->kind == VK_NONE || v->seq.items[0]->kind == VK_STR;
        return p->size == 1 && (v->kind == VK_NONE || v->kind == VK_STR);
    case PT_TENSOR_LIST:
    case PT_OPT_TENSOR_LIST:
        if (!is_seq(v)) return 0;
        for (int64_t i = 0; i < v->seq.len; i++) {
            const Value *e = v->seq.items[i];
            if (is_tensor(e) || (p->type == PT_OPT_TENSOR_LIST && e->kind == VK_NONE)) continue;
            tsr_raise(ERR_TypeError, "expected Tensor as element %d in argument %d, but got %s", (int)i, argnum,
                      val_tp_name(e));
            return -1;
        }
        return 1;
    case PT_INT_LIST:
    case PT_SYM_INT_LIST:
        if (is_seq(v)) return v->seq.len == 0 || is_index(v->seq.items[0]);
        return p->size > 0 && (p->type == PT_INT_LIST ? is_long(v) : is_index(v));
    case PT_FLOAT_LIST:
        if (!is_seq(v)) return 0;
        return v->seq.len == 0 || is_double(v->seq.items[0]) || v->seq.items[0]->kind == VK_COMPLEX;
    case PT_GENERATOR: return v->kind == VK_GENERATOR;
    case PT_BOOL: return v->kind == VK_BOOL;
    case PT_PYOBJECT: return 1;
    case PT_SCALARTYPE:
        return v->kind == VK_DTYPE ||
               (v->kind == VK_TYPE && (v->type == T_INT || v->type == T_FLOAT || v->type == T_BOOL || v->type == T_COMPLEX));
    case PT_DEVICE: return is_long(v) || v->kind == VK_STR || v->kind == VK_DEVICE;
    case PT_STRING:
    case PT_STRING_VIEW: return v->kind == VK_STR;
    case PT_SCALAR_LIST:
        if (v->kind != VK_LIST && v->kind != VK_TUPLE) return 0;
        for (int64_t i = 0; i < v->seq.len; i++)
            if (!is_scalar(v->seq.items[i])) return 0;
        return 1;
    case PT_STORAGE: { /* isStorage: torch.storage's classes (TypedStorage, FloatStorage, ...) */
        if (v->kind != VK_INSTANCE) return 0;
        const char *t = val_type_name(v);
        size_t n = strlen(t);
        return (n >= 7 && !strcmp(t + n - 7, "Storage")) || is_tensor(v);
    }
    case PT_LAYOUT:
    case PT_MEMORY_FORMAT:
        return v->kind == VK_TORCHENUM &&
               torch_enum_type((TorchEnum)v->i) == (p->type == PT_LAYOUT ? T_LAYOUT : T_MEMORY_FORMAT);
    /* tsr has no qschemes or streams to pass: only an object that says it
     * is a tensor stands in */
    default: return v->kind == VK_INSTANCE && is_tensor(v);
    }
}

/* ---- FunctionSignature::parse */

static Value *kwarg(const CallArgs *a, const char *name, int *idx) {
    for (int k = 0; k < a->nkw; k++)
        if (!strcmp(a->kwnames[k], name)) return *idx = k, a->kwvals[k];
    return NULL;
}

/* numpy_compatibility_arg_names */
static Value *kwarg_numpy(const CallArgs *a, const char *name, int *idx) {
    static const char *const compat[][4] = {
        {"dim", "axis", NULL}, {"keepdim", "keepdims", NULL}, {"input", "x", "a", "x1"}, {"other", "x2", NULL}};
    Value *v = kwarg(a, name, idx);
    for (size_t i = 0; !v && i < sizeof compat / sizeof *compat; i++)
        if (!strcmp(compat[i][0], name))
            for (int j = 1; !v && j < 4 && compat[i][j]; j++) v = kwarg(a, compat[i][j], idx);
    return v;
}

static void extra_args(const Sig *s, int nargs) {
    if (s->min_args != s->max_pos_args)
        tsr_raise(ERR_TypeError, "%s() takes from %d to %d positional arguments but %d were given", s->name, s->min_args,
                  s->max_pos_args, nargs);
    else
        tsr_raise(ERR_TypeError, "%s() takes %d positional argument%s but %d %s given", s->name, s->max_pos_args,
                  s->max_pos_args == 1 ? "" : "s", nargs, nargs == 1 ? "was" : "were");
}

static void missing_args(const Sig *s, int idx) {
    char names[1024];
    int n = 0, len = 0;
    names[0] = 0;
    for (int i = idx; i < s->n; i++)
        if (!s->params[i].optional && len < (int)sizeof names - 1) {
            len += snprintf(names + len, sizeof names - len, "%s\"%s\"", n ? ", " : "", s->params[i].name);
            n++;
        }
    /* sic: "1 required positional arguments" */
    tsr_raise(ERR_TypeError, "%s() missing %d required positional argument%s: %s", s->name, n, n == 1 ? "s" : "", names);
}

static void extra_kwargs(const Sig *s, const CallArgs *a, int nargs) {
    for (int k = 0; k < a->nkw; k++) {
        int idx = -1;
        for (int i = 0; i < s->n && idx < 0; i++)
            if (!strcmp(s->params[i].name, a->kwnames[k])) idx = i;
        if (idx < 0) {
            tsr_raise(ERR_TypeError, "%s() got an unexpected keyword argument '%s'", s->name, a->kwnames[k]);
            return;
        }
        if (idx < nargs) {
            tsr_raise(ERR_TypeError, "%s() got multiple values for argument '%s'", s->name, a->kwnames[k]);
            return;
        }
    }
    tsr_raise(ERR_TypeError, "invalid keyword arguments");
}

/* 1 the call fits s; 0 not (raised when raise); -1 raised regardless.
 * dst (NULL: not wanted) gets the value of each parameter, NULL absent. */
static int sig_parse(const Sig *s, const CallArgs *a, bool raise, Value **dst) {
    int nargs = a->nargs, remaining = a->nkw, arg_pos = 0;
    bool varargs = s->max_pos_args == 1 && (s->params[0].type == PT_INT_LIST || s->params[0].type == PT_SYM_INT_LIST);
    if (nargs > s->max_pos_args && !varargs) {
        if (raise) extra_args(s, nargs);
        return raise ? -1 : 0;
    }
    for (int i = 0; i < s->n; i++) {
        const SigParam *p = &s->params[i];
        Value *obj = NULL;
        bool is_kwd = false;
        int k = -1;
        if (arg_pos < nargs) {
            if (p->keyword_only) {
                if (raise) extra_args(s, nargs);
                return raise ? -1 : 0;
            }
            obj = a->args[arg_pos];
        } else if (a->nkw) {
            obj = kwarg_numpy(a, p->name, &k);
            is_kwd = true;
        }
        if (dst) dst[i] = obj;
        if ((!obj && p->optional) || (obj && obj->kind == VK_NONE && p->allow_none)) {
        } else if (!obj) {
            if (raise) missing_args(s, i);
            return raise ? -1 : 0;
        } else {
            int ok = param_check(p, obj, i);
            if (ok < 0) return -1;
            if (!ok) {
                if (varargs && arg_pos == 0 && !is_kwd && is_index(obj)) {
                    arg_pos = nargs; /* permute(1, 2, 3): all of them are the list */
                    continue;
                }
                if (!raise) return 0;
                if (is_kwd)
                    tsr_raise(ERR_TypeError, "%s(): argument '%s' must be %s, not %s", s->name, p->name,
                              type_shown[p->type], val_tp_name(obj));
                else
                    tsr_raise(ERR_TypeError, "%s(): argument '%s' (position %d) must be %s, not %s", s->name, p->name,
                              arg_pos + 1, type_shown[p->type], val_tp_name(obj));
                return -1;
            }
        }
        if (!is_kwd)
            arg_pos++;
        else if (obj)
            remaining--;
    }
    if (remaining > 0) {
        if (raise) extra_kwargs(s, a, nargs);
        return raise ? -1 : 0;
    }
    return 1;
}

/* ---- PythonArgParser::print_error and invalid_arguments.cpp */

/* PyTorch formats its TypeErrors into 1024 bytes: longer ones are cut */
typedef struct {
    char s[1024];
    size_t len;
} Msg;

static void put(Msg *m, const char *fmt, ...) {
    if (m->len >= sizeof m->s - 1) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(m->s + m->len, sizeof m->s - m->len, fmt, ap);
    va_end(ap);
    if (n > 0) m->len += (size_t)n;
    if (m->len > sizeof m->s - 1) m->len = sizeof m->s - 1;
}

/* an Option's argument as _parseOption reads the printed signature: "*"
 * and the empty one of "()" count too */
typedef struct {
    const char *type, *name;
} OptArg;

static int option_args(const Sig *s, OptArg *out) {
    int n = 0;
    bool kw = false;
    for (int i = 0; i < s->n; i++) {
        if (s->params[i].keyword_only && !kw) out[n++] = (OptArg){"*", "*"}, kw = true;
        out[n++] = (OptArg){type_shown[s->params[i].type], s->params[i].name};
    }
    if (!n) out[n++] = (OptArg){"", ""};
    return n;
}

static bool type_matches(const char *type, const Value *v) { /* _buildType(...)->is_matching */
    const char *t = val_tp_name(v);
    if (!strcmp(type, "float")) return !strcmp(t, "float") || !strcmp(t, "int");
    return !strcmp(type, t);
}

static void put_signature(Msg *m, const Sig *s) { /* FunctionSignature::toString */
    bool kw = false;
    put(m, "(");
    for (int i = 0; i < s->n; i++) {
        put(m, "%s%s%s %s", i ? ", " : "", s->params[i].keyword_only && !kw ? "*, " : "", type_shown[s->params[i].type],
            s->params[i].name);
        if (s->params[i].keyword_only) kw = true;
    }
    put(m, ")");
}

/* the keyword arguments in the order PyTorch's unordered_map gives them */
static int kw_order(const CallArgs *a, int k) { return a->nkw - 1 - k; }

static void arg_desc(Msg *m, const CallArgs *a) { /* _argDesc */
    size_t start = m->len;
    put(m, "(");
    for (int i = 0; i < a->nargs; i++) put(m, "%s, ", val_tp_name(a->args[i]));
    for (int k = 0; k < a->nkw; k++) {
        int j = kw_order(a, k);
        put(m, "%s=%s, ", a->kwnames[j], val_tp_name(a->kwvals[j]));
    }
    if (a->nargs && m->len >= start + 2) m->len -= 2;
    put(m, ")");
}

static void formatted_arg_desc(Msg *m, const OptArg *o, int no, const CallArgs *a) { /* _formattedArgDesc */
    int num = a->nargs + a->nkw;
    put(m, "(");
    for (int i = 0; i < num; i++) {
        bool is_kw = i >= a->nargs;
        const Value *v = NULL;
        if (is_kw) {
            int k = -1;
            v = i < no ? kwarg(a, o[i].name, &k) : NULL;
            if (!v) v = a->kwvals[i - a->nargs];
        } else {
            v = a->args[i];
        }
        bool match = i < no && type_matches(o[i].type, v);
        put(m, "%s%s%s%s%s, ", match ? "" : "!", is_kw ? o[i].name : "", is_kw ? "=" : "", val_tp_name(v),
            match ? "" : "!");
    }
    if (a->nargs) m->len -= 2;
    put(m, ")");
}

static bool argcount_match(int no, const CallArgs *a) { return a->nargs + a->nkw == no; }

/* _tryMatchKwargs: the keyword names not among the option's last ones */
static bool unmatched_kwargs(Msg *m, const OptArg *o, int no, const CallArgs *a, bool write) {
    int start = no - a->nkw;
    if (start < 0) start = 0;
    bool any = false;
    for (int k = 0; k < a->nkw; k++) {
        const char *name = a->kwnames[kw_order(a, k)];
        bool found = false;
        for (int i = start; i < no && !found; i++) found = !strcmp(o[i].name, name);
        if (found) continue;
        if (write) put(m, "%s%s", any ? ", " : "", name);
        any = true;
    }
    return any;
}

static void raise_invalid_combination(const char *fname, const FnSigs *f, const CallArgs *a) {
    Msg m = {.len = 0};
    put(&m, "%s() received an invalid combination of arguments - ", fname);
    int nshown = 0;
    const Sig *only = NULL;
    for (int i = 0; i < f->n; i++)
        if (!f->sigs[i].hidden) nshown++, only = &f->sigs[i];
    int maxo = 2;
    for (int i = 0; i < f->n; i++)
        if (f->sigs[i].n + 2 > maxo) maxo = f->sigs[i].n + 2;
    OptArg *o = tsr_malloc((size_t)maxo * sizeof *o);
    if (!o) return;
    if (nshown == 1) {
        int no = option_args(only, o);
        if (a->nkw && unmatched_kwargs(&m, o, no, a, false)) {
            put(&m, "got unrecognized keyword arguments: ");
            unmatched_kwargs(&m, o, no, a, true);
        } else {
            put(&m, "got ");
            if (argcount_match(no, a))
                formatted_arg_desc(&m, o, no, a);
            else
                arg_desc(&m, a);
            put(&m, ", but expected ");
            put_signature(&m, only);
        }
    } else {
        put(&m, "got ");
        arg_desc(&m, a);
        put(&m, ", but expected one of:\n");
        for (int i = 0; i < f->n; i++) {
            const Sig *s = &f->sigs[i];
            if (s->hidden) continue;
            int no = option_args(s, o);
            put(&m, " * ");
            put_signature(&m, s);
            put(&m, "\n");
            if (!argcount_match(no, a)) continue;
            if (a->nkw && unmatched_kwargs(&m, o, no, a, false)) {
                put(&m, "      didn't match because some of the keywords were incorrect: ");
                unmatched_kwargs(&m, o, no, a, true);
                put(&m, "\n");
            } else {
                put(&m, "      didn't match because some of the arguments have invalid types: ");
                formatted_arg_desc(&m, o, no, a);
                put(&m, "\n");
            }
        }
    }
    free(o);
    tsr_raise(ERR_TypeError, "%s", m.s);
}

/* PythonArgParser::raw_parse: true when a signature takes the call */
/* positional arguments only, each taken as it is: the common call (1; 0
 * another; -1 raised, by a list of tensors with another element) */
static inline int fits_positionally(const Sig *s, const CallArgs *a) {
    int nargs = a->nargs;
    if (a->nkw || nargs > s->max_pos_args || nargs < s->last_required) return 0;
    for (int i = 0; i < nargs; i++) {
        const Value *v = a->args[i];
        const SigParam *p = &s->params[i];
        if (p->type == PT_TENSOR && v->kind == VK_TENSOR && !v->tensor->numpy) continue;
        if (v->kind == VK_NONE) {
            if (!p->allow_none) return 0;
            continue;
        }
        int ok = param_check(p, v, i);
        if (ok <= 0) return ok;
    }
    return 1;
}

static const Sig *fn_parse(const FnSigs *f, const CallArgs *a) {
    int fit = fits_positionally(&f->sigs[0], a);
    if (fit) return fit > 0 ? &f->sigs[0] : NULL;
    if (f->n == 1) return sig_parse(&f->sigs[0], a, true, NULL) > 0 ? &f->sigs[0] : NULL;
    for (int i = 0; i < f->n; i++) {
        int r = sig_parse(&f->sigs[i], a, false, NULL);
        if (r) return r > 0 ? &f->sigs[i] : NULL;
    }
    /* print_error: one plausible visible signature says what is wrong */
    int num = a->nargs + a->nkw, plausible = -1, nplausible = 0;
    for (int i = 0; i < f->n; i++) {
        const Sig *s = &f->sigs[i];
        if (num >= s->min_args && num <= s->max_args && !s->hidden) plausible = i, nplausible++;
    }
    if (nplausible == 1 && sig_parse(&f->sigs[plausible], a, true, NULL) < 0) return NULL;
    raise_invalid_combination(f->sigs[0].name, f, a);
    return NULL;
}

/* ---- names for dims: tsr's tensors have none (PyTorch's unnamed ones) */

static bool valid_name(const char *s) { /* Dimname::isValidName */
    if (!*s) return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' || (c != s && *c >= '0' && *c <= '9')))
            return false;
    return true;
}

/* the names of dims a call passes, in the order PyTorch converts them: the
 * parameters last to first (the dispatch call's arguments), a list's names
 * first to last; false with the error of the first that is not a name */
static int dim_names_of(const Sig *s, Value **dst, const Value **names, int cap) {
    int n = 0;
    for (int i = s->n - 1; i >= 0; i--) {
        const SigParam *p = &s->params[i];
        const Value *v = dst[i];
        if (!v || strncmp(p->name, "dim", 3) || (v->kind == VK_NONE && (p->type != PT_DIMNAME || p->allow_none))) continue;
        if (p->type == PT_DIMNAME || (p->type == PT_DIMNAME_LIST && v->kind == VK_STR)) {
            if (n < cap) names[n++] = v;
        } else if (p->type == PT_DIMNAME_LIST) {
            for (int64_t j = 0; j < v->seq.len; j++) {
                const Value *e = v->seq.items[j];
                if (e->kind != VK_STR && e->kind != VK_NONE) {
                    tsr_raise(ERR_TypeError, "expected None or string for Dimname but got %s", val_tp_name(e));
                    return -1;
                }
                if (n < cap) names[n++] = e;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (names[i]->kind == VK_STR && !valid_name(names[i]->str.s) && strcmp(names[i]->str.s, "*")) {
            tsr_raise(ERR_RuntimeError,
                      "Invalid name: a valid identifier contains only digits, alphabetical characters, and/or "
                      "underscore and starts with a non-digit. got: '%s'.",
                      names[i]->str.s);
            return -1;
        }
    return n;
}

/* THPUtils_unpackIndex takes it: an int or bool, or what has __index__ */
static bool unpacks_as_index(const Value *v) { return v->kind == VK_BOOL || is_index(v); }

/* PythonArgs::intlist: the elements after the first, which the check did
 * not look at, must be ints too; x.view(2, 3) passes its arguments as the
 * list. False with PyTorch's TypeError. */
static bool int_lists_check(const Sig *s, const CallArgs *a, Value **dst) {
    for (int i = 0; i < s->n; i++) {
        const SigParam *p = &s->params[i];
        Value *v = dst[i];
        if ((p->type != PT_INT_LIST && p->type != PT_SYM_INT_LIST) || !v || v->kind == VK_NONE) continue;
        Value *const *items;
        int64_t n;
        if (is_seq(v)) {
            items = v->seq.items, n = v->seq.len;
        } else if (i == 0 && a->nargs && v == a->args[0] && param_check(p, v, i) <= 0) {
            items = a->args, n = a->nargs; /* varargs: permute(1, 2, 3) */
        } else {
            continue;
        }
        for (int64_t j = 0; j < n; j++)
            if (!unpacks_as_index(items[j])) {
                tsr_raise(ERR_TypeError, "%s(): argument '%s' must be %s, but found element of type %s at pos %d",
                          s->name, p->name, type_shown[p->type], val_tp_name(items[j]), (int)j + 1);
                return false;
            }
    }
    return true;
}

/* What PyTorch finds wrong after its parse: the elements of a list of
 * ints, a dim given by name. */
static bool after_parse_check(const Sig *s, Value *self, const CallArgs *a);

/* A dim given by name (x.sum("a")) takes PyTorch's Dimname overload, which
 * finds no such name in a tensor without names: its RuntimeError. */
static bool dim_names_check(const Sig *s, Value *self, Value **dst) {
    const Value *names[64];
    int n = dim_names_of(s, dst, names, 64);
    if (n <= 0) return n == 0;
    const Value *t = self;
    for (int i = 0; !t && i < s->n; i++)
        if (s->params[i].type == PT_TENSOR && dst[i] && dst[i]->kind == VK_TENSOR) t = dst[i];
    if (!t) return true;
    char shown[512];
    int len = 0;
    shown[0] = 0;
    for (int d = 0; d < t->tensor->ndim && len < 480; d++) len += snprintf(shown + len, sizeof shown - len, "%sNone", d ? ", " : "");
    if (names[0]->kind == VK_NONE) /* the wildcard */
        tsr_raise(ERR_RuntimeError, "Please look up dimensions by name, got: name = None.");
    else
        tsr_raise(ERR_RuntimeError, "Name '%s' not found in Tensor[%s].", names[0]->str.s, shown);
    return false;
}

/* ---- the builtins the table describes, by address */

static int row_find(int space, const char *name) {
    int lo = 0, hi = N_ROWS - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = rows[mid].space != space ? rows[mid].space - space : strcmp(rows[mid].name, name);
        if (!c) return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static PtrMap by_builtin = {.item_size = sizeof(int)};
static bool map_built;

static bool map_table(const Builtin *t, int space) {
    for (const Builtin *b = t; b->name; b++) {
        int r = b->name[0] ? row_find(space, b->name) : -1;
        if (r < 0) continue;
        int *slot = ptrmap_insert(&by_builtin, b, NULL);
        if (!slot) return false;
        *slot = r;
    }
    return true;
}

static bool build_map(void) {
#define X(stem) if (!map_table(stem##_functions, SP_TORCH)) return false;
    BUILTIN_TABLES(X)
#undef X
    for (const Builtin *const *t = tensor_method_tables; *t; t++)
        if (!map_table(*t, SP_TENSOR)) return false;
#define X(stem) if (!map_table(stem##_functional_functions, SP_NN)) return false;
    NN_FUNCTIONAL_TABLES(X)
#undef X
    if (!map_table(nn_functional_functions, SP_NN)) return false;
#define X(stem) if (!map_table(stem##_module_functions, SP_LINALG)) return false;
    LINALG_MODULE_TABLES(X)
#undef X
    if (!map_table(special_module_functions, SP_SPECIAL) || !map_table(elementwise_special_functions, SP_SPECIAL))
        return false;
    map_built = true;
    return true;
}

static bool after_parse_check(const Sig *s, Value *self, const CallArgs *a) {
    Value *dst[64];
    if (s->n > 64 || sig_parse(s, a, false, dst) <= 0) return true;
    return int_lists_check(s, a, dst) && (!s->dim_names || dim_names_check(s, self, dst));
}

/* the row of a builtin (-1: none), through a small cache by address */
static int builtin_row(const Builtin *b) {
    static struct {
        const Builtin *b;
        int row;
    } cache[256];
    unsigned h = (unsigned)(((uintptr_t)b >> 4) & 255);
    if (cache[h].b == b) return cache[h].row;
    if (!map_built && !build_map()) return -2;
    const int *r = ptrmap_find(&by_builtin, b);
    cache[h].b = b;
    cache[h].row = r ? *r : -1;
    return cache[h].row;
}

bool argparse_check(const Builtin *b, Value *self, const CallArgs *a) {
    int r = builtin_row(b);
    if (r < 0) return r == -1;
    /* a torch function's row, or a Tensor method's called on a tensor */
    if ((rows[r].space == SP_TENSOR) != (self && self->kind == VK_TENSOR)) return true;
    const FnSigs *f = row_sigs(r);
    const Sig *s = f ? fn_parse(f, a) : NULL;
    return s && (!(s->dim_names || s->int_lists) || after_parse_check(s, self, a));
}
