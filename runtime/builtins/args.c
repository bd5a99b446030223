/* args.c: argument parsing for builtins (args_parse) and the
 * converters of builtins_util.h (one argument, a list of tensors). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "device.h"
#include "error.h"

#define SPEC_MAX 24

typedef struct {
    char name[32];
    bool optional;
    bool kwonly;
} Param;

/* "input, dim=, keepdim=, *, dtype=" -> params; returns the count or -1. */
static int parse_spec(const char *spec, Param *p, int *n_pos) {
    int n = 0;
    bool kwonly = false;
    *n_pos = 0;
    const char *s = spec;
    while (*s) {
        while (*s == ' ' || *s == ',') s++;
        if (!*s) break;
        const char *e = s;
        while (*e && *e != ',') e++;
        const char *end = e;
        while (end > s && end[-1] == ' ') end--;
        if (end - s == 1 && *s == '*') {
            kwonly = true;
        } else {
            if (n == SPEC_MAX) return -1;
            bool opt = end[-1] == '=';
            size_t len = (size_t)(end - s) - opt;
            if (len >= sizeof p[n].name) return -1;
            memcpy(p[n].name, s, len);
            p[n].name[len] = 0;
            p[n].optional = opt;
            p[n].kwonly = kwonly;
            if (!kwonly) (*n_pos)++;
            n++;
        }
        s = e;
    }
    return n;
}

static void raise_missing(const char *fname, const Param *p, int n, Value **out, bool kwonly) {
    char names[512];
    int count = 0, len = 0;
    int missing[SPEC_MAX];
    for (int i = 0; i < n; i++)
        if (!p[i].optional && !out[i] && p[i].kwonly == kwonly) missing[count++] = i;
    names[0] = 0;
    for (int k = 0; k < count && len < 400; k++) {
        const char *sep = k == 0 ? "" : (k == count - 1 ? (count == 2 ? " and " : ", and ") : ", ");
        len += snprintf(names + len, sizeof names - len, "%s'%s'", sep, p[missing[k]].name);
    }
    tsr_raise(ERR_TypeError, "%s() missing %d required %s argument%s: %s", fname, count,
              kwonly ? "keyword-only" : "positional", count == 1 ? "" : "s", names);
}

/* The parameters the last parsed call got by position, for PyTorch's
 * "argument 'other' (position 2) must be Tensor" (python_arg_parser.cpp
 * names the position of a positional argument). A method's self, put
 * first by args_with_self, is not counted, as in PyTorch. */
static struct {
    char fn[48];
    int n;
    char names[SPEC_MAX][sizeof ((Param *)0)->name];
} last_positional;
static const Value *const *method_args; /* args_with_self's array: its first is self */

static void note_positional(const CallArgs *a, const char *fname, const Param *p, int npos_given) {
    int skip = a->args && (const Value *const *)a->args == method_args ? 1 : 0;
    method_args = NULL;
    snprintf(last_positional.fn, sizeof last_positional.fn, "%s", fname);
    last_positional.n = 0;
    for (int i = skip; i < npos_given && last_positional.n < SPEC_MAX; i++)
        memcpy(last_positional.names[last_positional.n++], p[i].name, sizeof p[i].name);
}

const char *arg_position(const char *fn, const char *name, char *buf, size_t size) {
    buf[0] = 0;
    if (strcmp(fn, last_positional.fn)) return buf;
    for (int i = 0; i < last_positional.n; i++)
        if (!strcmp(last_positional.names[i], name)) {
            snprintf(buf, size, " (position %d)", i + 1);
            break;
        }
    return buf;
}

bool args_parse(const CallArgs *a, int first_pos, const char *fname, const char *spec,
                Value **out) {
    Param p[SPEC_MAX];
    int n_pos;
    int n = parse_spec(spec, p, &n_pos);
    if (n < 0) {
        tsr_raise(ERR_RuntimeError, "internal: bad argument spec for %s()", fname);
        return false;
    }
    for (int i = 0; i < n; i++) out[i] = NULL;
    int npos_given = a->nargs - first_pos;
    if (npos_given < 0) npos_given = 0;
    if (npos_given > n_pos) {
        int n_req = 0;
        for (int i = 0; i < n_pos; i++) n_req += !p[i].optional;
        if (n_req == n_pos)
            tsr_raise(ERR_TypeError, "%s() takes %d positional argument%s but %d %s given", fname,
                      n_pos, n_pos == 1 ? "" : "s", npos_given, npos_given == 1 ? "was" : "were");
        else
            tsr_raise(ERR_TypeError, "%s() takes from %d to %d positional arguments but %d were given",
                      fname, n_req, n_pos, npos_given);
        return false;
    }
    for (int i = 0; i < npos_given; i++) out[i] = a->args[first_pos + i];
    note_positional(a, fname, p, npos_given);
    for (int k = 0; k < a->nkw; k++) {
        const char *kw = a->kwnames[k];
        int i = 0;
        while (i < n && strcmp(p[i].name, kw)) i++;
        /* PyTorch's numpy-compatible keyword aliases (python_arg_parser.cpp) */
        static const char *const aliases[][2] = {
            {"axis", "dim"}, {"keepdims", "keepdim"}, {"x", "input"}, {"a", "input"}, {"x1", "input"}, {"x2", "other"}};
        for (size_t k2 = 0; i == n && k2 < sizeof aliases / sizeof *aliases; k2++) {
            if (strcmp(kw, aliases[k2][0])) continue;
            i = 0;
            while (i < n && strcmp(p[i].name, aliases[k2][1])) i++;
        }
        if (i == n) {
            tsr_raise(ERR_TypeError, "%s() got an unexpected keyword argument '%s'", fname, kw);
            return false;
        }
        if (out[i]) {
            tsr_raise(ERR_TypeError, "%s() got multiple values for argument '%s'", fname, kw);
            return false;
        }
        out[i] = a->kwvals[k];
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n; i++) {
            if (!p[i].optional && !out[i] && p[i].kwonly == (pass == 1)) {
                raise_missing(fname, p, n, out, pass == 1);
                return false;
            }
        }
    }
    return true;
}

const CallArgs *args_with_self(Value *self, const CallArgs *a, CallArgs *tmp, Value **buf) {
    if (!self) return a;
    if (a->nargs + 1 > ARGS_MAX) {
        tsr_raise(ERR_TypeError, "too many arguments (%d)", a->nargs);
        return NULL;
    }
    buf[0] = self;
    for (int i = 0; i < a->nargs; i++) buf[i + 1] = a->args[i];
    *tmp = *a;
    tmp->args = buf;
    tmp->nargs = a->nargs + 1;
    method_args = (const Value *const *)buf;
    return tmp;
}

bool arg_int(Value *v, const char *fn, const char *name, int64_t dflt, int64_t *out) {
    if (!v) {
        *out = dflt;
        return true;
    }
    if (v->kind == VK_INT) {
        *out = v->i;
        return true;
    }
    if (v->kind == VK_TENSOR && dtype_is_int(v->tensor->dtype) && tensor_numel(v->tensor) == 1) {
        *out = tensor_get_i64(v->tensor, 0);
        return true;
    }
    tsr_raise(ERR_TypeError, "%s(): argument '%s' must be int, not %s", fn, name, val_type_name(v));
    return false;
}

bool arg_double(Value *v, const char *fn, const char *name, double dflt, double *out) {
    if (!v) {
        *out = dflt;
        return true;
    }
    if (v->kind == VK_INT || v->kind == VK_FLOAT || v->kind == VK_BOOL ||
        (v->kind == VK_TENSOR && tensor_numel(v->tensor) == 1))
        return val_as_double(v, out);
    tsr_raise(ERR_TypeError, "%s(): argument '%s' must be Number, not %s", fn, name,
              val_type_name(v));
    return false;
}

bool arg_bool(Value *v, const char *fn, const char *name, bool dflt, bool *out) {
    if (!v) {
        *out = dflt;
        return true;
    }
    if (v->kind == VK_BOOL) {
        *out = v->b;
        return true;
    }
    tsr_raise(ERR_TypeError, "%s(): argument '%s' must be bool, not %s", fn, name,
              val_type_name(v));
    return false;
}

bool arg_memory_format(Value *v, const char *fn, MemFormat dflt, MemFormat *out) {
    *out = dflt;
    if (is_none(v)) return true;
    if (v->kind == VK_TORCHENUM && torch_enum_type((TorchEnum)v->i) == T_MEMORY_FORMAT) {
        switch ((TorchEnum)v->i) {
        case TE_CONTIGUOUS_FORMAT: *out = MEMFMT_CONTIGUOUS; break;
        case TE_CHANNELS_LAST: *out = MEMFMT_CHANNELS_LAST; break;
        case TE_CHANNELS_LAST_3D: *out = MEMFMT_CHANNELS_LAST_3D; break;
        default: *out = MEMFMT_PRESERVE; break;
        }
        return true;
    }
    char pos[32];
    tsr_raise(ERR_TypeError, "%s(): argument 'memory_format'%s must be torch.memory_format, not %s", fn,
              arg_position(fn, "memory_format", pos, sizeof pos), val_type_name(v));
    return false;
}

bool arg_layout(Value *v, const char *fn) {
    if (is_none(v) || (v->kind == VK_TORCHENUM && v->i == TE_STRIDED)) return true;
    if (v->kind == VK_TORCHENUM && torch_enum_type((TorchEnum)v->i) == T_LAYOUT)
        tsr_raise(ERR_RuntimeError, "%s(): layout torch.%s is not supported by tsr (only torch.strided)", fn,
                  torch_enum_name((TorchEnum)v->i));
    else {
        char pos[32];
        tsr_raise(ERR_TypeError, "%s(): argument 'layout'%s must be torch.layout, not %s", fn,
                  arg_position(fn, "layout", pos, sizeof pos), val_type_name(v));
    }
    return false;
}

bool arg_dtype(Value *v, const char *fn, DType *out) {
    if (is_none(v)) {
        *out = DT_UNDEFINED;
        return true;
    }
    if (val_as_dtype(v, out)) return true;
    tsr_raise(ERR_TypeError, "%s(): argument 'dtype' must be torch.dtype, not %s", fn,
              val_type_name(v));
    return false;
}

bool arg_device(Value *v, const char *fn, Device *out) {
    if (is_none(v)) {
        *out = device_default();
        return out->type == DEV_CPU || device_ensure(*out);
    }
    *out = device_cpu();
    if (v->kind != VK_DEVICE && v->kind != VK_STR && v->kind != VK_INT) {
        tsr_raise(ERR_TypeError, "%s(): argument 'device' must be torch.device, not %s", fn,
                  val_type_name(v));
        return false;
    }
    if (!val_as_device(v, out)) return false;
    *out = device_normalize(*out);
    return device_ensure(*out); /* PyTorch's errors when there is no GPU */
}

Tensor *arg_tensor(Value *v, const char *fn, const char *name) {
    if (v && v->kind == VK_TENSOR) return tensor_retain(v->tensor);
    char pos[24];
    tsr_raise(ERR_TypeError, "%s(): argument '%s'%s must be Tensor, not %s", fn, name,
              arg_position(fn, name, pos, sizeof pos), v ? val_type_name(v) : "NoneType");
    return NULL;
}

Tensor *arg_tensor_or_scalar(Value *v, const char *fn, const char *name) {
    if (v && (v->kind == VK_TENSOR || v->kind == VK_INT || v->kind == VK_FLOAT ||
              v->kind == VK_BOOL || v->kind == VK_COMPLEX))
        return val_as_tensor(v);
    char pos[24];
    tsr_raise(ERR_TypeError, "%s(): argument '%s'%s must be Tensor, not %s", fn, name,
              arg_position(fn, name, pos, sizeof pos), v ? val_type_name(v) : "NoneType");
    return NULL;
}

bool arg_dims(Value *v, const char *fn, int64_t *dims, int *ndims) {
    *ndims = 0;
    if (is_none(v)) return true;
    if (v->kind == VK_INT || v->kind == VK_LIST || v->kind == VK_TUPLE || v->kind == VK_SIZE) {
        if (val_as_dims(v, dims, ndims)) return true;
    }
    tsr_raise(ERR_TypeError, "%s(): argument 'dim' must be tuple of ints, not %s", fn,
              val_type_name(v));
    return false;
}

void raise_invalid_args(const char *fn, const CallArgs *a) { raise_invalid_args_expected(fn, a, NULL); }

void raise_invalid_args_expected(const char *fn, const CallArgs *a, const char *expected) {
    char got[512];
    int len = 0;
    got[0] = 0;
    for (int i = 0; i < a->nargs && len < 400; i++)
        len += snprintf(got + len, sizeof got - len, "%s%s", i ? ", " : "",
                        val_type_name(a->args[i]));
    for (int k = 0; k < a->nkw && len < 400; k++)
        len += snprintf(got + len, sizeof got - len, "%s%s=%s", (a->nargs || k) ? ", " : "",
                        a->kwnames[k], val_type_name(a->kwvals[k]));
    if (expected)
        tsr_raise(ERR_TypeError, "%s() received an invalid combination of arguments - got (%s), but expected one of:\n%s",
                  fn, got, expected);
    else
        tsr_raise(ERR_TypeError, "%s() received an invalid combination of arguments - got (%s)", fn, got);
}

/* A list/tuple of tensors (or varargs) into a new array of new references. */
int arg_tensor_list(Value *v, const char *fn, Tensor ***out) {
    if (!v || (v->kind != VK_LIST && v->kind != VK_TUPLE)) {
        tsr_raise(ERR_TypeError, "%s(): argument 'tensors' (position 1) must be tuple of Tensors, not %s", fn,
                  v ? val_type_name(v) : "NoneType");
        return -1;
    }
    int n = (int)v->seq.len;
    Tensor **ts = tsr_calloc((size_t)(n ? n : 1), sizeof *ts);
    if (!ts) return -1;
    for (int i = 0; i < n; i++) {
        Value *e = v->seq.items[i];
        if (e->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "expected Tensor as element %d in argument 0, but got %s", i,
                      val_type_name(e));
            for (int k = 0; k < i; k++) tensor_release(ts[k]);
            free(ts);
            return -1;
        }
        ts[i] = tensor_retain(e->tensor);
    }
    *out = ts;
    return n;
}

void tensor_list_release(Tensor **ts, int n) {
    for (int i = 0; ts && i < n; i++) tensor_release(ts[i]);
    free(ts);
}

bool args_none(const char *fn, const CallArgs *a) {
    if (!a->nargs && !a->nkw) return true;
    tsr_raise(ERR_TypeError, "%s() takes no arguments (%d given)", fn, a->nargs + a->nkw);
    return false;
}

bool arg_number(Value *v, const char *fn, const char *name, int pos, double *out) {
    if (v && v->kind != VK_INT && v->kind != VK_FLOAT && v->kind != VK_BOOL && v->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "%s(): argument '%s' (position %d) must be Number, not %s", fn, name, pos,
                  val_type_name(v));
        return false;
    }
    return arg_double(v, fn, name, *out, out);
}

bool args_parse_torch(const CallArgs *a, const char *fname, const char *spec, Value **out) {
    Param p[SPEC_MAX];
    int n_pos;
    int n = parse_spec(spec, p, &n_pos);
    if (n < 0) {
        tsr_raise(ERR_RuntimeError, "internal: bad argument spec for %s()", fname);
        return false;
    }
    /* the same spec with every name optional, then the missing ones */
    char relaxed[512] = "";
    int len = 0;
    for (int i = 0; i < n && len < 480; i++)
        len += snprintf(relaxed + len, sizeof relaxed - len, "%s%s=", i ? ", " : "", p[i].name);
    if (!args_parse(a, 0, fname, relaxed, out)) return false;
    char names[512];
    int count = 0, nl = 0;
    names[0] = 0;
    for (int i = 0; i < n && nl < 400; i++) {
        if (p[i].optional || out[i]) continue;
        nl += snprintf(names + nl, sizeof names - nl, "%s\"%s\"", count ? ", " : "", p[i].name);
        count++;
    }
    if (count == 0) return true;
    tsr_raise(ERR_TypeError, "%s() missing %d required positional argument%s: %s", fname, count,
              count == 1 ? "s" : "", names);
    return false;
}
