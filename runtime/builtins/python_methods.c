/* python_methods.c: the methods of Python values (list.append,
 * tuple.index, torch.Size.numel, grad_fn.name(), float.is_integer, ...;
 * str's are in python_str.c, dict's and set's in python_dict.c), their
 * lookup by kind, and their data attributes (grad_fn.next_functions,
 * device.type, dtype.is_floating_point, slice.start, __name__, ...). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"
#include "ndarray.h"
#include "print_ndarray.h"
#include "python_bytes.h"

static Value *list_append(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("append", "object");
    return val_list_append(self, v_[0]) ? val_none() : NULL;
}

static Value *list_extend(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("extend", "iterable");
    Value *r = inplace_op(B_ADD, self, v_[0]);
    if (!r) return NULL;
    val_release(r);
    return val_none();
}

static Value *list_pop(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("pop", "index=");
    int64_t n = self->seq.len, i = n - 1;
    if (v_[0] && !val_as_int(v_[0], &i)) return NULL;
    if (n == 0) {
        tsr_raise(ERR_IndexError, "%s", "pop from empty list");
        return NULL;
    }
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        tsr_raise(ERR_IndexError, "%s", "pop index out of range");
        return NULL;
    }
    Value *v = self->seq.items[i];
    memmove(self->seq.items + i, self->seq.items + i + 1, sizeof(Value *) * (size_t)(n - i - 1));
    self->seq.len--;
    return v;
}

static Value *list_insert(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("insert", "index, object");
    int64_t i, n = self->seq.len;
    if (!val_as_int(v_[0], &i)) return NULL;
    if (i < 0) i += n;
    if (i < 0) i = 0;
    if (i > n) i = n;
    if (!val_list_append(self, v_[1])) return NULL;
    memmove(self->seq.items + i + 1, self->seq.items + i, sizeof(Value *) * (size_t)(n - i));
    self->seq.items[i] = val_retain(v_[1]);
    val_release(v_[1]);
    return val_none();
}

/* list/tuple.index(value, start=0, stop=len): start and stop clamp as
 * slice bounds do */
static bool index_bound(Value *v, int64_t n, int64_t *out) {
    if (!(v->kind == VK_INT || v->kind == VK_BOOL || (v->kind == VK_INSTANCE && val_unwrap(v)->kind == VK_INT))) {
        tsr_raise(ERR_TypeError, "%s", "slice indices must be integers or have an __index__ method");
        return false;
    }
    int64_t i;
    if (!val_as_int(v, &i)) return false;
    if (i < 0 && (i += n) < 0) i = 0;
    *out = i > n ? n : i;
    return true;
}

static Value *seq_index(Value *self, const CallArgs *a) {
    if (a->nkw || a->nargs < 1 || a->nargs > 3) {
        if (a->nkw) tsr_raise(ERR_TypeError, "%s.index() takes no keyword arguments", val_type_name(self));
        else tsr_raise(ERR_TypeError, "index expected at %s 1 argument%s, got %d", a->nargs < 1 ? "least" : "most",
                       a->nargs < 1 ? "" : "s", a->nargs);
        return NULL;
    }
    int64_t n = self->seq.len, start = 0, stop = n;
    if ((a->nargs > 1 && !index_bound(a->args[1], n, &start)) || (a->nargs > 2 && !index_bound(a->args[2], n, &stop)))
        return NULL;
    for (int64_t i = start; i < stop && i < self->seq.len; i++) {
        int e = val_equal(self->seq.items[i], a->args[0]);
        if (e < 0) return NULL;
        if (e) return val_int(i);
    }
    if (self->kind != VK_LIST) {
        tsr_raise(ERR_ValueError, "%s", "tuple.index(x): x not in tuple");
        return NULL;
    }
    StrBuf b = {0};
    if (val_repr_into(&b, a->args[0])) tsr_raise(ERR_ValueError, "%s is not in list", b.data);
    free(b.data);
    return NULL;
}

static Value *seq_count(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("count", "value");
    int64_t c = 0;
    for (int64_t i = 0; i < self->seq.len; i++) {
        int e = val_equal(self->seq.items[i], v_[0]);
        if (e < 0) return NULL;
        c += e;
    }
    return val_int(c);
}

static Value *list_reverse(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("reverse", "");
    for (int64_t i = 0, j = self->seq.len - 1; i < j; i++, j--) {
        Value *t = self->seq.items[i];
        self->seq.items[i] = self->seq.items[j];
        self->seq.items[j] = t;
    }
    return val_none();
}

static Value *list_sort(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("sort", "*, key=, reverse=");
    int rev = v_[1] ? val_truthy(v_[1]) : 0;
    if (rev < 0) return NULL;
    Value *key = v_[0] && v_[0]->kind != VK_NONE ? v_[0] : NULL;
    return sort_values(self->seq.items, self->seq.len, rev, key) ? val_none() : NULL;
}

static Value *list_copy(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("copy", "");
    return iterate_to_list(self);
}

static Value *list_clear(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("clear", "");
    for (int64_t i = 0; i < self->seq.len; i++) val_release(self->seq.items[i]);
    self->seq.len = 0;
    return val_none();
}

static Value *list_remove(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("remove", "value");
    for (int64_t i = 0; i < self->seq.len; i++) {
        int e = val_equal(self->seq.items[i], v_[0]);
        if (e < 0) return NULL;
        if (e) {
            val_release(self->seq.items[i]);
            memmove(self->seq.items + i, self->seq.items + i + 1, sizeof(Value *) * (size_t)(self->seq.len - i - 1));
            self->seq.len--;
            return val_none();
        }
    }
    tsr_raise(ERR_ValueError, "%s", "list.remove(x): x not in list");
    return NULL;
}

static Value *size_numel(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("numel", "");
    int64_t n = 1;
    for (int64_t i = 0; i < self->seq.len; i++) n *= self->seq.items[i]->i;
    return val_int(n);
}

/* name() spells the hand-written C++ nodes with their namespace, as
 * PyTorch does; their repr does not */
static Value *gradfn_name(Value *self, const CallArgs *a) {
    const char *n = ag_node_name(self->gradfn);
    GradNodeKind k = self->gradfn->kind;
    if (k == NODE_AccumulateGrad || k == NODE_CopySlices || k == NODE_NotImplemented ||
        k == NODE_CopyBackwards || k == NODE_Error) {
        StrBuf b = {0};
        if (!sb_printf(&b, "torch::autograd::%s", n)) {
            free(b.data);
            return NULL;
        }
        return val_str_steal(b.data, b.len);
    }
    return val_cstr(n);
}

static Value *float_is_integer(Value *self, const CallArgs *a) {
    return val_bool(isfinite(self->f) && self->f == floor(self->f));
}

static int64_t int_of(const Value *v) { return v->kind == VK_BOOL ? (int64_t)v->b : v->i; }

static Value *int_bit_length(Value *self, const CallArgs *a) {
    if (!args_none("int.bit_length", a)) return NULL;
    uint64_t m = int_of(self) < 0 ? -(uint64_t)int_of(self) : (uint64_t)int_of(self);
    int n = 0;
    for (; m; m >>= 1) n++;
    return val_int(n);
}

static Value *int_bit_count(Value *self, const CallArgs *a) {
    if (!args_none("int.bit_count", a)) return NULL;
    uint64_t m = int_of(self) < 0 ? -(uint64_t)int_of(self) : (uint64_t)int_of(self);
    return val_int(__builtin_popcountll(m));
}

static Value *int_as_integer_ratio(Value *self, const CallArgs *a) {
    if (!args_none("int.as_integer_ratio", a)) return NULL;
    return pair_steal(val_int(int_of(self)), val_int(1));
}

static Value *int_conjugate(Value *self, const CallArgs *a) {
    if (!args_none("int.conjugate", a)) return NULL;
    return val_int(int_of(self));
}

static Value *float_conjugate(Value *self, const CallArgs *a) {
    if (!args_none("float.conjugate", a)) return NULL;
    return val_float(self->f);
}

/* float.as_integer_ratio: the exact fraction in lowest terms (an
 * OverflowError where a part would need more than 64 bits) */
static Value *float_as_integer_ratio(Value *self, const CallArgs *a) {
    if (!args_none("float.as_integer_ratio", a)) return NULL;
    double x = self->f;
    if (isinf(x)) {
        tsr_raise(ERR_OverflowError, "%s", "cannot convert Infinity to integer ratio");
        return NULL;
    }
    if (isnan(x)) {
        tsr_raise(ERR_ValueError, "%s", "cannot convert NaN to integer ratio");
        return NULL;
    }
    int e;
    double m = frexp(x, &e); /* x = m * 2^e, 0.5 <= |m| < 1 */
    int64_t num = (int64_t)ldexp(m, 53);
    e -= 53;
    while (num != 0 && !(num & 1) && e < 0) num /= 2, e++;
    if (num == 0) return pair_steal(val_int(0), val_int(1));
    if (e >= 0) {
        if (e > 62 || (num > 0 ? num : -num) > (INT64_MAX >> e)) goto big;
        return pair_steal(val_int(num * ((int64_t)1 << e)), val_int(1));
    }
    if (-e > 62) goto big;
    return pair_steal(val_int(num), val_int((int64_t)1 << -e));
big:
    tsr_raise(ERR_OverflowError, "%s", "the integer ratio needs integers beyond 64 bits, which tsr does not have");
    return NULL;
}

/* float.hex: CPython's format, 13 hex digits of fraction */
static Value *float_hex(Value *self, const CallArgs *a) {
    if (!args_none("float.hex", a)) return NULL;
    double x = self->f;
    if (isnan(x)) return val_cstr("nan");
    if (isinf(x)) return val_cstr(x < 0 ? "-inf" : "inf");
    const char *sign = signbit(x) ? "-" : "";
    x = fabs(x);
    char buf[64];
    if (x == 0) {
        snprintf(buf, sizeof buf, "%s0x0.0p+0", sign);
        return val_cstr(buf);
    }
    int e;
    double m = frexp(x, &e); /* [0.5, 1) */
    int lead = 1;
    e -= 1;
    if (e < -1022) { /* subnormal: 0x0.xxx p-1022 */
        m = ldexp(x, 1022);
        lead = 0;
        e = -1022;
    } else {
        m = m * 2 - 1;
    }
    uint64_t frac = (uint64_t)ldexp(m, 52);
    snprintf(buf, sizeof buf, "%s0x%d.%013llxp%+d", sign, lead, (unsigned long long)frac, e);
    return val_cstr(buf);
}

static const Builtin list_methods[] = {
    {"append", list_append}, {"extend", list_extend}, {"pop", list_pop},   {"insert", list_insert},
    {"index", seq_index},    {"count", seq_count},    {"reverse", list_reverse}, {"sort", list_sort},
    {"copy", list_copy},     {"clear", list_clear},   {"remove", list_remove}, {NULL, NULL}};
static const Builtin tuple_methods[] = {{"index", seq_index}, {"count", seq_count}, {NULL, NULL}};
static const Builtin size_methods[] = {{"index", seq_index}, {"count", seq_count}, {"numel", size_numel}, {NULL, NULL}};
/* the position of v in range r: -1 when absent, -2 on an error; ints by
 * arithmetic, other values by == against each element as CPython does */
static int64_t range_find(Value *r, Value *v, int64_t *count) {
    int64_t n = range_len(r), s = r->range.step, found = -1;
    *count = 0;
    if (v->kind == VK_INT || v->kind == VK_BOOL) {
        found = range_index_of(r, v->kind == VK_INT ? v->i : v->b);
        *count = found >= 0;
        return found;
    }
    for (int64_t i = 0; i < n; i++) {
        Value *x = val_int(r->range.start + i * s);
        int e = x ? val_equal(x, v) : -1;
        val_release(x);
        if (e < 0) return -2;
        if (e && found < 0) found = i;
        *count += e;
    }
    return found;
}

static bool one_arg(const CallArgs *a, const char *fn) {
    if (a->nargs == 1 && !a->nkw) return true;
    if (a->nkw) tsr_raise(ERR_TypeError, "%s() takes no keyword arguments", fn);
    else tsr_raise(ERR_TypeError, "%s() takes exactly one argument (%d given)", fn, a->nargs);
    return false;
}

static Value *range_index(Value *self, const CallArgs *a) {
    if (!one_arg(a, "range.index")) return NULL;
    int64_t count, i = range_find(self, a->args[0], &count);
    if (i >= 0) return val_int(i);
    if (i == -1) {
        StrBuf b = {0};
        if (val_repr_into(&b, a->args[0])) tsr_raise(ERR_ValueError, "%s is not in range", b.data);
        free(b.data);
    }
    return NULL;
}

static Value *range_count_method(Value *self, const CallArgs *a) {
    if (!one_arg(a, "range.count")) return NULL;
    int64_t count;
    return range_find(self, a->args[0], &count) == -2 ? NULL : val_int(count);
}

/* slice.indices(length): (start, stop, step) clipped to a sequence of
 * that length, as subscripting computes them */
static Value *slice_indices_m(Value *self, const CallArgs *a) {
    if (!one_arg(a, "slice.indices")) return NULL;
    int64_t n;
    if (!val_as_int(a->args[0], &n)) return NULL;
    if (n < 0) {
        tsr_raise(ERR_ValueError, "%s", "length should not be negative");
        return NULL;
    }
    Value *seq = val_range(0, n, 1), *r = NULL;
    Value *part = seq ? get_item(seq, self) : NULL; /* range(n)[s] is range(start, stop, step) */
    if (part && part->kind == VK_RANGE) {
        Value *t = val_tuple_new(3);
        if (t && (t->seq.items[0] = val_int(part->range.start)) && (t->seq.items[1] = val_int(part->range.stop)) &&
            (t->seq.items[2] = val_int(part->range.step)))
            r = t;
        else
            val_release(t);
    }
    val_release(seq);
    val_release(part);
    return r;
}

static const Builtin slice_methods[] = {{"indices", slice_indices_m}, {NULL, NULL}};
static const Builtin range_methods[] = {{"index", range_index}, {"count", range_count_method}, {NULL, NULL}};
static const Builtin gradfn_methods[] = {{"name", gradfn_name}, {NULL, NULL}};
static const Builtin float_methods[] = {{"is_integer", float_is_integer},
                                        {"as_integer_ratio", float_as_integer_ratio},
                                        {"conjugate", float_conjugate},
                                        {"hex", float_hex},
                                        {NULL, NULL}};
static const Builtin int_methods[] = {{"bit_length", int_bit_length},
                                      {"to_bytes", int_to_bytes},
                                      {"bit_count", int_bit_count},
                                      {"as_integer_ratio", int_as_integer_ratio},
                                      {"conjugate", int_conjugate},
                                      {NULL, NULL}};

/* The methods of a Python type's values, NULL when it has none here */
static const Builtin *type_methods(TypeId t) {
    switch (t) {
    case T_LIST: return list_methods;
    case T_TUPLE: return tuple_methods;
    case T_RANGE: return range_methods;
    case T_STR: return str_methods;
    case T_BYTES: return bytes_methods;
    case T_BYTEARRAY: return bytearray_methods;
    case T_DICT: return dict_methods;
    case T_SET: return set_methods;
    case T_FROZENSET: return frozenset_methods;
    case T_FLOAT: return float_methods;
    case T_COMPLEX: return complex_methods;
    case T_INT: case T_BOOL: return int_methods;
    default: return NULL;
    }
}

const Builtin *python_method_lookup(Value *obj, const char *name) {
    const Builtin *t;
    switch (obj->kind) {
    case VK_LIST: t = list_methods; break;
    case VK_TUPLE: case VK_NAMEDTUPLE: t = tuple_methods; break;
    case VK_SIZE: t = size_methods; break;
    case VK_RANGE: t = range_methods; break;
    case VK_SLICE: t = slice_methods; break;
    case VK_STR: t = str_methods; break;
    case VK_BYTES: t = bytes_methods; break;
    case VK_BYTEARRAY: t = bytearray_methods; break;
    case VK_DICT: t = dict_methods; break;
    case VK_SET: t = set_methods; break;
    case VK_PYGEN: t = generator_methods; break;
    case VK_FILE: t = file_methods; break;
    case VK_FROZENSET: t = frozenset_methods; break;
    case VK_GRADFN: t = gradfn_methods; break;
    case VK_FLOAT: t = float_methods; break;
    case VK_COMPLEX: t = complex_methods; break;
    case VK_INT: case VK_BOOL: t = int_methods; break;
    case VK_GENERATOR: t = torch_generator_methods; break;
    default: return python_dunder_lookup(obj, name);
    }
    for (; t->name; t++)
        if (!strcmp(t->name, name)) return t;
    return python_dunder_lookup(obj, name);
}

Value *gradfn_next_functions(GradNode *n) {
    Value *out = val_tuple_new(n->n_next);
    if (!out) return NULL;
    for (int i = 0; i < n->n_next; i++) {
        Value *pair = val_tuple_new(2);
        if (!pair) {
            val_release(out);
            return NULL;
        }
        pair->seq.items[0] = n->next[i].node ? val_gradfn(n->next[i].node) : val_none();
        pair->seq.items[1] = val_int(n->next[i].input_nr);
        out->seq.items[i] = pair;
    }
    return out;
}

/* torch.Tensor._make_subclass(cls, data, require_grad=False): an instance
 * of the tensor subclass cls over data's storage */
static Value *make_subclass(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!args_parse(a, 0, "_make_subclass", "cls, data, require_grad=", v)) return NULL;
    if (v[1]->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "_make_subclass(): argument 'data' (position 2) must be Tensor, not %s",
                  val_type_name(v[1]));
        return NULL;
    }
    int rg = v[2] ? val_truthy(v[2]) : 0;
    if (rg < 0) return NULL;
    if (rg && !dtype_is_float(v[1]->tensor->dtype) && !dtype_is_complex(v[1]->tensor->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "Only Tensors of floating point and complex dtype can require gradients");
        return NULL;
    }
    return tensor_make_subclass(v[0], v[1]->tensor, rg);
}
static const Builtin make_subclass_builtin = {"_make_subclass", make_subclass};

/* Attributes that are data, not methods. NULL with no error: none. */
Value *value_getattr_special(Value *obj, const char *name) {
    switch (obj->kind) {
    case VK_FILE: return file_getattr(obj, name);
    case VK_GRADFN:
        if (!strcmp(name, "next_functions")) return gradfn_next_functions(obj->gradfn);
        if (!strcmp(name, "variable") && obj->gradfn->leaf)
            return val_tensor_steal(tensor_retain(obj->gradfn->leaf));
        return NULL;
    case VK_GENERATOR:
        return strcmp(name, "device") ? NULL : val_device(device_cpu());
    case VK_DEVICE:
        if (!strcmp(name, "type")) return val_cstr(obj->device.type == DEV_CPU ? "cpu" : "cuda");
        if (!strcmp(name, "index")) return obj->device.index >= 0 ? val_int(obj->device.index) : val_none();
        return NULL;
    case VK_DTYPE:
        if (!strcmp(name, "is_floating_point")) return val_bool(dtype_is_float(obj->dtype));
        if (!strcmp(name, "is_complex")) return val_bool(dtype_is_complex(obj->dtype));
        if (!strcmp(name, "is_signed")) return val_bool(obj->dtype != DT_UINT8 && obj->dtype != DT_BOOL);
        return NULL;
    case VK_NPDTYPE: { /* numpy's dtype object */
        DType d = obj->dtype;
        char kind = d == DT_BOOL ? 'b' : d == DT_UINT8 ? 'u' : dtype_is_float(d) ? 'f' : dtype_is_complex(d) ? 'c' : 'i';
        static const struct { DType d; char c; } chars[] = {
            {DT_FLOAT64, 'd'}, {DT_FLOAT32, 'f'}, {DT_FLOAT16, 'e'}, {DT_INT64, 'l'},      {DT_INT32, 'i'},
            {DT_INT16, 'h'},   {DT_INT8, 'b'},    {DT_UINT8, 'B'},   {DT_COMPLEX128, 'D'}, {DT_COMPLEX64, 'F'},
            {DT_BOOL, '?'},
        };
        char c[2] = {0, 0}, str[8];
        for (size_t i = 0; i < sizeof chars / sizeof *chars; i++)
            if (chars[i].d == d) c[0] = chars[i].c;
        snprintf(str, sizeof str, "%s%c%d", dtype_size(d) == 1 ? "|" : "<", kind, (int)dtype_size(d));
        if (!strcmp(name, "itemsize")) return val_int((int64_t)dtype_size(d));
        if (!strcmp(name, "kind")) return val_str(&kind, 1);
        if (!strcmp(name, "char")) return val_cstr(c);
        if (!strcmp(name, "name")) return val_cstr(numpy_dtype_name(d));
        if (!strcmp(name, "str")) return val_cstr(str);
        if (!strcmp(name, "type")) return val_type(numpy_scalar_type(d));
        if (!strcmp(name, "ndim")) return val_int(0);
        if (!strcmp(name, "shape")) return val_tuple_new(0);
        return NULL;
    }
    case VK_SLICE:
        if (!strcmp(name, "start")) return val_retain(obj->slice.start);
        if (!strcmp(name, "stop")) return val_retain(obj->slice.stop);
        if (!strcmp(name, "step")) return val_retain(obj->slice.step);
        return NULL;
    case VK_RANGE:
        if (!strcmp(name, "start")) return val_int(obj->range.start);
        if (!strcmp(name, "stop")) return val_int(obj->range.stop);
        if (!strcmp(name, "step")) return val_int(obj->range.step);
        return NULL;
    case VK_FUNCTION: {
        Value *set = obj->fn->attrs ? dict_get(obj->fn->attrs->dict, name) : NULL;
        if (set) return val_retain(set);
        if (!strcmp(name, "__name__")) return val_cstr(obj->fn->name);
        if (!strcmp(name, "__qualname__")) return val_cstr(obj->fn->qualname);
        if (!strcmp(name, "__annotations__")) {
            if (!obj->fn->annotations && !(obj->fn->annotations = val_dict_new())) return NULL;
            return val_retain(obj->fn->annotations);
        }
        if (!strcmp(name, "__doc__")) {
            const Node *def = obj->fn->is_lambda ? NULL : obj->fn->body;
            const Node *first = def && def->body.len ? def->body.items[0] : NULL;
            if (first && first->kind == N_EXPR_STMT && first->a && first->a->kind == N_STR)
                return val_str(first->a->str, first->a->str_len);
            return val_none();
        }
        if (!strcmp(name, "__module__")) {
            Value *m = obj->fn->globals ? dict_get(obj->fn->globals, "__name__") : NULL;
            return m ? val_retain(m) : val_cstr("__main__");
        }
        if (!strcmp(name, "__dict__")) {
            if (!obj->fn->attrs && !(obj->fn->attrs = val_dict_new())) return NULL;
            return val_retain(obj->fn->attrs);
        }
        return NULL;
    }
    case VK_BUILTIN:
        if (!strcmp(name, "__name__")) return val_cstr(obj->builtin->name);
        if (!strcmp(name, "__doc__")) return help_doc(obj);
        return NULL;
    case VK_METHOD:
        if (!strcmp(name, "__name__")) return val_cstr(obj->method.builtin->name);
        if (!strcmp(name, "__self__")) return val_retain(obj->method.self);
        if (!strcmp(name, "__doc__")) return help_doc(obj);
        return NULL;
    case VK_TYPE:
        if (!strcmp(name, "__name__") || !strcmp(name, "__qualname__")) return val_cstr(type_object_name(obj->type));
        if (!strcmp(name, "__module__")) return type_object_module(obj->type);
        if (obj->type == T_STR && !strcmp(name, "maketrans")) return val_builtin(&str_maketrans_builtin);
        if (obj->type == T_BYTES && !strcmp(name, "fromhex")) return val_builtin(&bytes_fromhex_builtin);
        if (obj->type == T_BYTEARRAY && !strcmp(name, "fromhex")) return val_builtin(&bytearray_fromhex_builtin);
        if (obj->type == T_INT && !strcmp(name, "from_bytes")) return val_builtin(&int_from_bytes_builtin);
        if (obj->type == T_DICT && !strcmp(name, "fromkeys")) return val_builtin(&dict_fromkeys_builtin);
        if (!strcmp(name, "__new__")) { /* int.__new__(cls, v) of an int subclass, ... */
            Value *base = class_builtin_base(obj->type);
            Value *nw = base ? class_lookup(base, "__new__") : NULL;
            if (nw && nw->kind == VK_WRAPPER) return val_retain(nw->wrap.fn);
        }
        if (obj->type == T_TENSOR && !strcmp(name, "_make_subclass")) return val_builtin(&make_subclass_builtin);
        if ((obj->type == T_TENSOR || obj->type == T_PARAMETER) &&
            (!strcmp(name, "__torch_function__") || !strcmp(name, "__mro__") || !strcmp(name, "__bases__") ||
             !strcmp(name, "__base__")))
            return get_attr(class_builtin_base(obj->type), name); /* the tensor base classes (lang/subclass.c) */
        if (obj->type == T_TENSOR) { /* torch.Tensor.view: a method descriptor, called with the tensor first */
            const Builtin *b = tensor_method_lookup(name);
            if (b) return val_method(obj, b);
        }
        if (type_methods(obj->type)) /* list.append: a method descriptor (a method bound to the type) */
            for (const Builtin *b = type_methods(obj->type); b->name; b++)
                if (!strcmp(b->name, name)) return val_method(obj, b);
        return NULL;
    case VK_COMPLEX: return complex_getattr(obj, name);
    case VK_FLOAT:
        if (!strcmp(name, "real")) return val_retain(obj);
        if (!strcmp(name, "imag")) return val_float(0);
        return NULL;
    case VK_INT:
    case VK_BOOL:
        if (!strcmp(name, "real") || !strcmp(name, "numerator")) return val_int(int_of(obj));
        if (!strcmp(name, "imag")) return val_int(0);
        if (!strcmp(name, "denominator")) return val_int(1);
        return NULL;
    default: return NULL;
    }
}
