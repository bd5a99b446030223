#include "value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "autograd.h"
#include "bytes.h"
#include "class.h"
#include "interp_internal.h"
#include "iterators.h"
#include "generator.h"
#include "error.h"
#include "print_tensor.h"
#include "ndarray.h"
#include "print_ndarray.h"
#include "pyfmt.h"
#include "unicode_data.h"

/* None, True, False and Ellipsis are immortal singletons. */
static Value none_value = {.kind = VK_NONE, .rc = 1 << 30};
static Value true_value = {.kind = VK_BOOL, .rc = 1 << 30, .b = true};
static Value false_value = {.kind = VK_BOOL, .rc = 1 << 30, .b = false};
static Value ellipsis_value = {.kind = VK_ELLIPSIS, .rc = 1 << 30};

static Value dtype_values[DT_COUNT];

/* The ints -5..256 are immortal too, as CPython's small ints are (so
 * `a = 5; b = 2 + 3; a is b` holds, and counting loops allocate less). */
enum { SMALL_INT_MIN = -5, SMALL_INT_MAX = 256 };
static Value small_ints[SMALL_INT_MAX - SMALL_INT_MIN + 1];

static bool is_immortal(const Value *v) {
    return v == &none_value || v == &true_value || v == &false_value || v == &ellipsis_value ||
           (v >= dtype_values && v < dtype_values + DT_COUNT) ||
           (v >= small_ints && v < small_ints + (SMALL_INT_MAX - SMALL_INT_MIN + 1));
}

Value *val_retain(Value *v) {
    if (v) v->rc++;
    return v;
}

static void function_free(Function *f) {
    if (!f) return;
    int nd = f->params ? f->params->n_defaults : 0;
    for (int i = 0; i < nd; i++) val_release(f->defaults ? f->defaults[i] : NULL);
    free(f->defaults);
    int nk = f->params ? f->params->n_kwonly : 0;
    for (int i = 0; i < nk; i++) val_release(f->kwonly_defaults ? f->kwonly_defaults[i] : NULL);
    free(f->kwonly_defaults);
    val_release(f->closure_owner);
    val_release(f->outer);
    val_release(f->attrs);
    val_release(f->annotations);
    if (f->qualname != f->name) free(f->qualname);
    free(f->name);
    free(f);
}

/* Freeing a value releases what it holds, which may free that in turn:
 * a list nested 200,000 deep would recurse as deep in C. Past
 * RELEASE_DEPTH nested frees, a value whose count reaches zero waits on
 * a stack and the outermost release frees it (CPython's trashcan). */
enum { RELEASE_DEPTH = 200 };
static int release_depth;
static Value **release_pending;
static int64_t n_release_pending, cap_release_pending;

bool val_release_busy(void) { return release_depth > 0; }

static bool defer_free(Value *v) {
    if (n_release_pending == cap_release_pending) {
        int64_t cap = cap_release_pending ? cap_release_pending * 2 : 256;
        Value **a = realloc(release_pending, sizeof(Value *) * (size_t)cap);
        if (!a) return false; /* then free it here, deeper */
        release_pending = a;
        cap_release_pending = cap;
    }
    release_pending[n_release_pending++] = v;
    return true;
}

static void val_free(Value *v);
static void val_cell_free(Value *v);

void instance_clear(Value *v) {
    gc_untrack_instance(v);
    val_release(v->inst.cls);
    val_release(v->inst.dict);
    val_release(v->inst.args);
    free(v->inst.report);
    if (v->inst.tb) tb_clear(v->inst.tb);
    free(v->inst.tb);
    free(v->inst.native);
    val_release(v->inst.payload);
}

void val_release(Value *v) {
    if (!v || --v->rc > 0) return;
    if (is_immortal(v)) {
        v->rc = 1 << 30;
        return;
    }
    if (release_depth >= RELEASE_DEPTH && defer_free(v)) return;
    release_depth++;
    val_free(v);
    if (release_depth == 1) {
        while (n_release_pending) val_free(release_pending[--n_release_pending]);
        free(release_pending);
        release_pending = NULL;
        cap_release_pending = 0;
    }
    release_depth--;
}

static void val_free(Value *v) {
    switch (v->kind) {
    case VK_STR: free(v->str.s); break;
    case VK_BYTES: case VK_BYTEARRAY: bytes_free(v); break;
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE:
        if (v->kind == VK_LIST) gc_untrack_container(v);
        for (int64_t i = 0; i < v->seq.len; i++) val_release(v->seq.items[i]);
        free(v->seq.items);
        break;
    case VK_DICT:
        gc_untrack_container(v);
        dict_free(v->dict);
        break;
    case VK_SET: case VK_FROZENSET: set_free(v->set); break;
    case VK_DICTVIEW: val_release(v->view.dict); break;
    case VK_PYGEN: gen_free(v->gen); break;
    case VK_FILE: file_free(v->file); break;
    case VK_SLICE:
        val_release(v->slice.start);
        val_release(v->slice.stop);
        val_release(v->slice.step);
        break;
    case VK_ITER: iter_free(v->iter); break;
    case VK_TENSOR: tensor_release(v->tensor); break;
    case VK_FUNCTION: function_free(v->fn); break;
    case VK_METHOD: val_release(v->method.self); break;
    case VK_MODULE:
        free(v->module.name);
        dict_free(v->module.members);
        break;
    case VK_GRADFN: ag_node_release(v->gradfn); break;
    case VK_GENERATOR: free(v->rng); break;
    case VK_CLASS:
        val_release(v->cls->base);
        val_release(v->cls->bases);
        val_release(v->cls->mro);
        val_release(v->cls->dict);
        free(v->cls->name);
        free(v->cls);
        break;
    case VK_INSTANCE: instance_clear(v); break;
    case VK_BOUND:
        val_release(v->bound.fn);
        val_release(v->bound.self);
        break;
    case VK_WRAPPER:
        val_release(v->wrap.fn);
        val_release(v->wrap.fset);
        val_release(v->wrap.fdel);
        val_release(v->wrap.doc);
        break;
    case VK_SUPER:
        val_release(v->sup.cls);
        val_release(v->sup.self);
        break;
    default: break;
    }
    val_cell_free(v);
}

/* Freed Value cells are kept for reuse (numbers come and go by the
 * million in a loop); not under AddressSanitizer, which must see each
 * cell's use after its free. */
#if defined(__SANITIZE_ADDRESS__)
#define VALUE_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VALUE_CACHE 0
#endif
#endif
#ifndef VALUE_CACHE
#define VALUE_CACHE 1024
#endif
#if VALUE_CACHE
static Value *value_cache[VALUE_CACHE];
static int n_value_cache;
#endif

static Value *val_alloc(ValueKind kind) {
#if VALUE_CACHE
    Value *v = n_value_cache ? value_cache[--n_value_cache] : tsr_malloc(sizeof *v);
#else
    Value *v = tsr_malloc(sizeof *v);
#endif
    if (!v) return NULL;
    memset(v, 0, sizeof *v);
    v->kind = kind;
    v->rc = 1;
    return v;
}

static void val_cell_free(Value *v) {
#if VALUE_CACHE
    if (n_value_cache < VALUE_CACHE) {
        value_cache[n_value_cache++] = v;
        return;
    }
#endif
    free(v);
}

Value *val_bytes_cell(ValueKind kind) { return val_alloc(kind); }

Value *val_boxed_new(ValueKind kind, size_t size, void **box) {
    Value *v = val_alloc(kind);
    if (v && !(*box = tsr_calloc(1, size))) {
        free(v);
        return NULL;
    }
    return v;
}

Value *val_none(void) { return val_retain(&none_value); }
Value *val_bool(bool b) { return val_retain(b ? &true_value : &false_value); }
int64_t range_len(const Value *r) {
    int64_t s = r->range.step, a = r->range.start, b = r->range.stop;
    if (s > 0 && b > a) return (int64_t)(((uint64_t)b - (uint64_t)a - 1) / (uint64_t)s + 1);
    if (s < 0 && b < a) return (int64_t)(((uint64_t)a - (uint64_t)b - 1) / (0 - (uint64_t)s) + 1);
    return 0;
}

int64_t range_index_of(const Value *r, int64_t x) {
    int64_t a = r->range.start, s = r->range.step;
    bool in = s > 0 ? x >= a && x < r->range.stop : x <= a && x > r->range.stop;
    if (!in) return -1;
    /* distances in unsigned: a range may span all of int64 */
    uint64_t d = s > 0 ? (uint64_t)x - (uint64_t)a : (uint64_t)a - (uint64_t)x;
    uint64_t m = s > 0 ? (uint64_t)s : 0 - (uint64_t)s;
    return d % m ? -1 : (int64_t)(d / m);
}

Value *val_ellipsis(void) { return val_retain(&ellipsis_value); }

Value *val_int(int64_t i) {
    if (i >= SMALL_INT_MIN && i <= SMALL_INT_MAX) {
        Value *v = &small_ints[i - SMALL_INT_MIN];
        if (!v->rc) {
            v->kind = VK_INT;
            v->i = i;
            v->rc = 1 << 30;
        }
        return val_retain(v);
    }
    Value *v = val_alloc(VK_INT);
    if (v) v->i = i;
    return v;
}

Value *val_float(double f) {
    Value *v = val_alloc(VK_FLOAT);
    if (v) v->f = f;
    return v;
}

Value *val_complex(double re, double im) {
    tsr_complex_used = true; /* eval.c checks calls for complex operands from now on */
    Value *v = val_alloc(VK_COMPLEX);
    if (v) v->c.re = re, v->c.im = im;
    return v;
}

Value *val_str(const char *s, int64_t len) {
    char *copy = tsr_strndup(s, (unsigned long long)len);
    if (!copy) return NULL;
    return val_str_steal(copy, len);
}

Value *val_cstr(const char *s) { return val_str(s, (int64_t)strlen(s)); }

Value *val_str_steal(char *s, int64_t len) {
    Value *v = val_alloc(VK_STR);
    if (!v) {
        free(s);
        return NULL;
    }
    v->str.s = s;
    v->str.len = len;
    v->str.nchars = -1;
    return v;
}

/* code points are counted as their first bytes: every byte but the
 * 10xxxxxx continuations */
int64_t str_char_count(Value *v) {
    if (v->str.nchars < 0) {
        int64_t count = 0;
        for (int64_t i = 0; i < v->str.len; i++) count += ((unsigned char)v->str.s[i] & 0xc0) != 0x80;
        v->str.nchars = count;
    }
    return v->str.nchars;
}

int64_t str_char_offset(const Value *v, int64_t from, int64_t k) {
    if (v->str.nchars == v->str.len) return from + k < v->str.len ? from + k : v->str.len; /* ASCII */
    int64_t i = from;
    for (; i < v->str.len; i++)
        if (((unsigned char)v->str.s[i] & 0xc0) != 0x80 && k-- == 0) return i;
    return v->str.len;
}

static Value *seq_new(ValueKind kind, int64_t len, int64_t cap) {
    Value *v = val_alloc(kind);
    if (!v) return NULL;
    if (cap < len) cap = len;
    if (cap > 0) {
        v->seq.items = tsr_calloc((unsigned long long)cap, sizeof(Value *));
        if (!v->seq.items) {
            free(v);
            return NULL;
        }
    }
    v->seq.len = len;
    v->seq.cap = cap;
    return v;
}

Value *val_list_new(int64_t cap) {
    Value *v = seq_new(VK_LIST, 0, cap);
    if (v) gc_track_container(v);
    return v;
}
void val_list_become(Value *list, ValueKind kind) {
    gc_untrack_container(list); /* only lists are the collector's roots */
    list->kind = kind;
}

Value *val_tuple_new(int64_t len) { return seq_new(VK_TUPLE, len, len); }

Value *val_size_new(int ndim, const int64_t *shape) {
    Value *v = seq_new(VK_SIZE, ndim, ndim);
    if (!v) return NULL;
    for (int i = 0; i < ndim; i++) {
        if (!(v->seq.items[i] = val_int(shape[i]))) {
            val_release(v);
            return NULL;
        }
    }
    return v;
}

Value *val_namedtuple_new(const NamedTupleType *nt) {
    Value *v = seq_new(VK_NAMEDTUPLE, nt->n, nt->n);
    if (v) v->seq.nt = nt;
    return v;
}

bool val_list_append_steal(Value *list, Value *item) {
    if (!item) return false;
    if (list->seq.len == list->seq.cap) {
        int64_t cap = list->seq.cap ? list->seq.cap * 2 : 4;
        Value **items = tsr_realloc(list->seq.items, sizeof(Value *) * (size_t)cap);
        if (!items) {
            val_release(item);
            return false;
        }
        list->seq.items = items;
        list->seq.cap = cap;
    }
    list->seq.items[list->seq.len++] = item;
    return true;
}

bool val_list_append(Value *list, Value *item) {
    return val_list_append_steal(list, val_retain(item));
}

Value *val_tensor_steal(Tensor *t) {
    if (!t) return NULL;
    Value *v = val_alloc(VK_TENSOR);
    if (!v) {
        tensor_release(t);
        return NULL;
    }
    v->tensor = t;
    return v;
}

/* dtypes are singletons, so `torch.float is torch.float32` holds */

Value *val_dtype(DType d) {
    Value *v = &dtype_values[d];
    if (v->rc == 0) {
        v->kind = VK_DTYPE;
        v->dtype = d;
        v->rc = 1 << 30;
    }
    return val_retain(v);
}

static Value torch_enum_values[TE_COUNT];

Value *val_torch_enum(TorchEnum e) {
    Value *v = &torch_enum_values[e];
    if (v->rc == 0) {
        v->kind = VK_TORCHENUM;
        v->i = e;
        v->rc = 1 << 30;
    }
    return val_retain(v);
}

const char *torch_enum_name(TorchEnum e) {
    static const char *const names[] = {
#define X(en, t, n) n,
        TORCH_ENUMS(X)
#undef X
    };
    return names[e];
}

TypeId torch_enum_type(TorchEnum e) {
    static const TypeId types[] = {
#define X(en, t, n) T_##t,
        TORCH_ENUMS(X)
#undef X
    };
    return types[e];
}

Value *val_device(Device d) {
    Value *v = val_alloc(VK_DEVICE);
    if (v) v->device = d;
    return v;
}

Value *val_builtin(const Builtin *b) {
    Value *v = val_alloc(VK_BUILTIN);
    if (v) v->builtin = b;
    return v;
}

Value *val_method(Value *self, const Builtin *b) {
    Value *v = val_alloc(VK_METHOD);
    if (!v) return NULL;
    v->method.self = val_retain(self);
    v->method.builtin = b;
    return v;
}

Value *val_type(TypeId t) {
    Value *v = val_alloc(VK_TYPE);
    if (v) v->type = t;
    return v;
}

Value *val_slice(Value *start, Value *stop, Value *step) {
    Value *v = val_alloc(VK_SLICE);
    if (!v) return NULL;
    v->slice.start = start ? val_retain(start) : val_none();
    v->slice.stop = stop ? val_retain(stop) : val_none();
    v->slice.step = step ? val_retain(step) : val_none();
    return v;
}

Value *val_range(int64_t start, int64_t stop, int64_t step) {
    Value *v = val_alloc(VK_RANGE);
    if (!v) return NULL;
    v->range.start = start;
    v->range.stop = stop;
    v->range.step = step;
    return v;
}

Value *val_gradfn(GradNode *n) {
    /* a custom Function's node is its ctx object (PyTorch's THPFunction) */
    if (n->kind == NODE_FunctionBackward && n->ctx && ((AgFunctionCtx *)n->ctx)->obj)
        return val_retain(((AgFunctionCtx *)n->ctx)->obj);
    Value *v = val_alloc(VK_GRADFN);
    if (!v) return NULL;
    ag_node_retain(n);
    v->gradfn = n;
    return v;
}

Value *val_module_new(const char *name) {
    Value *v = val_alloc(VK_MODULE);
    if (!v) return NULL;
    v->module.name = tsr_strdup(name);
    v->module.members = dict_new();
    if (!v->module.name || !v->module.members) {
        val_release(v);
        return NULL;
    }
    return v;
}

Value *val_dict_view(Value *dict, int which) {
    Value *v = val_alloc(VK_DICTVIEW);
    if (!v) return NULL;
    v->view.dict = val_retain(dict);
    v->view.which = which;
    return v;
}

Value *val_dict_new(void) {
    Value *v = val_alloc(VK_DICT);
    if (!v) return NULL;
    if (!(v->dict = dict_new())) {
        free(v);
        return NULL;
    }
    gc_track_container(v);
    return v;
}

/* ---------------------------------------------------------------- names */

static const char *const type_names[T_COUNT] = {
#define X(e, n, r) n,
    TYPE_OBJECTS(X)
#undef X
};
static const char *const type_reprs[T_COUNT] = {
#define X(e, n, r) r,
    TYPE_OBJECTS(X)
#undef X
};

const char *val_type_name(const Value *v) {
    switch (v->kind) {
    case VK_NONE: return "NoneType";
    case VK_BOOL: return "bool";
    case VK_INT: return "int";
    case VK_FLOAT: return "float";
    case VK_COMPLEX: return "complex";
    case VK_STR: return "str";
    case VK_BYTES: return "bytes";
    case VK_BYTEARRAY: return "bytearray";
    case VK_LIST: return "list";
    case VK_TUPLE: return "tuple";
    case VK_DICT: return "dict";
    case VK_SET: return "set";
    case VK_FROZENSET: return "frozenset";
    case VK_DICTVIEW: return v->view.which == 0 ? "dict_keys" : v->view.which == 1 ? "dict_values" : "dict_items";
    case VK_PYGEN: return "generator";
    case VK_FILE: return "TextIOWrapper";
    case VK_SLICE: return "slice";
    case VK_ELLIPSIS: return "ellipsis";
    case VK_RANGE: return "range";
    case VK_ITER: return iter_tname(v);
    case VK_TENSOR:
        if (v->tensor->numpy == TENSOR_NP_ARRAY) return "numpy.ndarray";
        if (v->tensor->numpy) return numpy_scalar_type_name(v->tensor->dtype);
        return v->tensor->is_parameter ? "Parameter" : "Tensor";
    case VK_NPDTYPE: return "numpy.dtype";
    case VK_SIZE: return "Size";
    case VK_DTYPE: return "dtype";
    case VK_DEVICE: return "device";
    case VK_TORCHENUM: return type_object_name(torch_enum_type((TorchEnum)v->i));
    case VK_FUNCTION: return "function";
    case VK_BUILTIN: case VK_METHOD: return "builtin_function_or_method";
    case VK_NAMEDTUPLE: return v->seq.nt->name;
    case VK_MODULE: return "module";
    case VK_TYPE: return "type";
    case VK_GRADFN: return ag_node_name(v->gradfn);
    case VK_CONTEXT: return "no_grad";
    case VK_GENERATOR: return "Generator";
    case VK_CLASS: return "type";
    case VK_INSTANCE: return v->inst.cls->cls->name;
    case VK_BOUND: return "method";
    case VK_WRAPPER:
        return v->wrap.kind == WRAP_PROPERTY ? "property" : v->wrap.kind == WRAP_CLASSMETHOD ? "classmethod" : "staticmethod";
    case VK_SUPER: return "super";
    default: return "object";
    }
}

const char *val_tp_name(const Value *v) {
    switch (v->kind) {
    case VK_DTYPE: return "torch.dtype";
    case VK_DEVICE: return "torch.device";
    case VK_SIZE: return "torch.Size";
    case VK_GENERATOR: return "torch._C.Generator";
    case VK_FILE: return "_io.TextIOWrapper";
    default: return val_type_name(v);
    }
}

const char *type_object_name(TypeId t) { return type_names[t]; }

Value *type_object_module(TypeId t) {
    /* the module part of its repr: <class 'torch.nn.parameter.Parameter'> */
    const char *r = type_reprs[t] + strlen("<class '");
    const char *dot = strrchr(r, '.');
    return dot ? val_str(r, dot - r) : val_cstr("builtins");
}

bool val_is_seq(const Value *v) {
    return v->kind == VK_LIST || v->kind == VK_TUPLE || v->kind == VK_SIZE ||
           v->kind == VK_NAMEDTUPLE;
}

int val_truthy(Value *v) {
    switch (v->kind) {
    case VK_NONE: return 0;
    case VK_BOOL: return v->b;
    case VK_INT: return v->i != 0;
    case VK_FLOAT: return v->f != 0;
    case VK_COMPLEX: return v->c.re != 0 || v->c.im != 0;
    case VK_STR: return v->str.len != 0;
    case VK_BYTES: case VK_BYTEARRAY: return v->bytes.len != 0;
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: return v->seq.len != 0;
    case VK_DICT: return dict_len(v->dict) != 0;
    case VK_SET: case VK_FROZENSET: return set_len(v) != 0;
    case VK_DICTVIEW: return dict_len(v->view.dict->dict) != 0;
    case VK_RANGE: return range_len(v) != 0;
    case VK_TENSOR: {
        Tensor *t = v->tensor;
        int64_t n = tensor_numel(t);
        if (t->numpy && n != 1) {
            if (n == 0) return 0; /* numpy 1.24: False, with a DeprecationWarning */
            tsr_raise(ERR_ValueError, "%s",
                      "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()");
            return -1;
        }
        if (n == 0) {
            tsr_raise(ERR_RuntimeError, "%s", "Boolean value of Tensor with no values is ambiguous");
            return -1;
        }
        if (n > 1) {
            tsr_raise(ERR_RuntimeError, "%s",
                      "Boolean value of Tensor with more than one value is ambiguous");
            return -1;
        }
        return tensor_get_f64(t, 0) != 0;
    }
    case VK_INSTANCE: { /* __bool__, else __len__, else true */
        bool found;
        Value *r = special_call(v, "__bool__", NULL, 0, &found);
        if (found) {
            if (!r) return -1;
            int t = r->kind == VK_BOOL ? r->b : -2;
            if (t == -2) tsr_raise(ERR_TypeError, "__bool__ should return bool, returned %s", val_type_name(r));
            val_release(r);
            return t == -2 ? -1 : t;
        }
        r = special_call(v, "__len__", NULL, 0, &found);
        if (!found) return v->inst.payload ? val_truthy(v->inst.payload) : 1;
        if (!r) return -1;
        int t = r->kind == VK_INT ? r->i != 0 : -2;
        if (t == -2) tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer", val_type_name(r));
        val_release(r);
        return t == -2 ? -1 : t;
    }
    default: return 1;
    }
}

/* ---------------------------------------------------------------- StrBuf */

bool sb_printf(StrBuf *b, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return false;
    if ((size_t)n < sizeof small) return sb_append(b, small, n);
    char *big = tsr_malloc((unsigned long long)n + 1);
    if (!big) return false;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    bool ok = sb_append(b, big, n);
    free(big);
    return ok;
}

/* ---------------------------------------------------------------- repr */

static bool repr_str_into(StrBuf *b, const char *s, int64_t len) {
    bool has_sq = memchr(s, '\'', (size_t)len) != NULL;
    bool has_dq = memchr(s, '"', (size_t)len) != NULL;
    char q = (has_sq && !has_dq) ? '"' : '\'';
    if (!sb_append(b, &q, 1)) return false;
    for (int64_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        const char *e = NULL;
        switch (c) {
        case '\n': e = "\\n"; break;
        case '\t': e = "\\t"; break;
        case '\r': e = "\\r"; break;
        case '\\': e = "\\\\"; break;
        default:
            if (c == (unsigned char)q) {
                esc[0] = '\\';
                esc[1] = (char)c;
                esc[2] = 0;
                e = esc;
            } else if (c < 0x20 || c == 0x7f) {
                snprintf(esc, sizeof esc, "\\x%02x", c);
                e = esc;
            }
        }
        if (c >= 0x80) {
            /* a character that is not printable shows as \xNN, \uNNNN or \UNNNNNNNN */
            int l = utf8_seq_len(c);
            if (l > len - i) l = (int)(len - i);
            uint32_t cp = utf8_decode(s + i, l);
            bool ok = uc_flags(cp) & UC_PRINTABLE ? sb_append(b, s + i, l)
                      : cp < 0x100             ? sb_printf(b, "\\x%02x", (unsigned)cp)
                      : cp < 0x10000           ? sb_printf(b, "\\u%04x", (unsigned)cp)
                                               : sb_printf(b, "\\U%08x", (unsigned)cp);
            if (!ok) return false;
            i += l - 1;
            continue;
        }
        if (e ? !sb_appends(b, e) : !sb_append(b, (const char *)&c, 1)) return false;
    }
    return sb_append(b, &q, 1);
}

static bool seq_items_into(StrBuf *b, Value *v, const char *open, const char *close,
                           bool one_comma) {
    if (!sb_appends(b, open)) return false;
    for (int64_t i = 0; i < v->seq.len; i++) {
        if (i && !sb_appends(b, ", ")) return false;
        if (!val_repr_into(b, v->seq.items[i])) return false;
    }
    if (one_comma && v->seq.len == 1 && !sb_appends(b, ",")) return false;
    return sb_appends(b, close);
}

static bool device_str_into(StrBuf *b, Device d) {
    if (d.type == DEV_CPU) return sb_appends(b, "cpu");
    if (d.index >= 0) return sb_printf(b, "cuda:%d", d.index);
    return sb_appends(b, "cuda");
}

/* The lists and dicts whose repr is being written (CPython's
 * Py_ReprEnter): one met again prints as [...] or {...}. */
#define MAX_REPR_DEPTH 10000
static Value *repr_stack[MAX_REPR_DEPTH];
static int repr_depth;

/* Containers of any kind whose repr is being written: each level counts
 * against the recursion limit, as PyObject_Repr's Py_EnterRecursiveCall
 * does (a list or tuple nested 1000 deep raises RecursionError, as in
 * CPython); MAX_REPR_DEPTH bounds the C stack whatever
 * sys.setrecursionlimit says. */
static int repr_nesting;

static bool repr_nests(const Value *v) {
    switch (v->kind) {
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: case VK_DICT: case VK_SET:
    case VK_FROZENSET: case VK_DICTVIEW: return true;
    default: return false;
    }
}

static bool repr_enter(void) {
    struct Interp *in = tsr_interp;
    if (repr_nesting >= MAX_REPR_DEPTH || (in && in->depth + repr_nesting + 2 > in->recursion_limit)) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded while getting the repr of an object");
        return false;
    }
    repr_nesting++;
    return true;
}

static bool container_repr_into(StrBuf *b, Value *v) {
    for (int i = 0; i < repr_depth; i++)
        if (repr_stack[i] == v) return sb_appends(b, v->kind == VK_LIST ? "[...]" : "{...}");
    if (repr_depth == MAX_REPR_DEPTH) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded while getting the repr of an object");
        return false;
    }
    repr_stack[repr_depth++] = v;
    bool ok;
    if (v->kind == VK_LIST) {
        ok = seq_items_into(b, v, "[", "]", false);
    } else {
        ok = sb_appends(b, "{");
        int64_t it = 0, k = 0;
        Value *key, *val;
        while (ok && dict_next_item(v->dict, &it, &key, &val)) {
            ok = (!k++ || sb_appends(b, ", ")) && val_repr_into(b, key) && sb_appends(b, ": ") &&
                 val_repr_into(b, val);
        }
        ok = ok && sb_appends(b, "}");
    }
    repr_depth--;
    return ok;
}

static bool repr_into(StrBuf *b, Value *v);

bool val_repr_into(StrBuf *b, Value *v) {
    if (!repr_nests(v)) return repr_into(b, v);
    if (!repr_enter()) return false;
    bool ok = repr_into(b, v);
    repr_nesting--;
    return ok;
}

static bool repr_into(StrBuf *b, Value *v) {
    char buf[64];
    switch (v->kind) {
    case VK_NONE: return sb_appends(b, "None");
    case VK_BOOL: return sb_appends(b, v->b ? "True" : "False");
    case VK_INT: return sb_printf(b, "%lld", (long long)v->i);
    case VK_FLOAT:
        pyfmt_float_repr(v->f, buf, sizeof buf);
        return sb_appends(b, buf);
    case VK_COMPLEX: return pyfmt_format_complex(b, v->c.re, v->c.im, "");
    case VK_STR: return repr_str_into(b, v->str.s, v->str.len);
    case VK_BYTES: case VK_BYTEARRAY: return bytes_repr_into(b, v);
    case VK_LIST: return container_repr_into(b, v);
    case VK_TUPLE: return seq_items_into(b, v, "(", ")", true);
    case VK_SIZE: return seq_items_into(b, v, "torch.Size([", "])", false);
    case VK_NAMEDTUPLE: {
        if (!sb_printf(b, "torch.return_types.%s(\n", v->seq.nt->name)) return false;
        for (int64_t i = 0; i < v->seq.len; i++) {
            if (!sb_printf(b, "%s%s=", i ? ",\n" : "", v->seq.nt->fields[i])) return false;
            if (!val_repr_into(b, v->seq.items[i])) return false;
        }
        return sb_appends(b, ")");
    }
    case VK_DICT: return container_repr_into(b, v);
    case VK_PYGEN: return sb_printf(b, "<generator object %s at %p>", gen_name(v), (void *)v);
    case VK_FILE:
        if (v->file->binary) /* BufferedReader, BufferedWriter, BufferedRandom (a '+' mode) */
            return sb_printf(b, "<_io.Buffered%s name=", strchr(v->file->mode, '+') ? "Random" : v->file->readable ? "Reader" : "Writer") &&
                   repr_str_into(b, v->file->name, (int64_t)strlen(v->file->name)) && sb_appends(b, ">");
        return sb_appends(b, "<_io.TextIOWrapper name=") && repr_str_into(b, v->file->name, (int64_t)strlen(v->file->name)) &&
               sb_printf(b, " mode='%s' encoding='UTF-8'>", v->file->mode);
    case VK_DICTVIEW: {
        Value *items = iterate_to_list(v);
        if (!items) return false;
        bool ok = sb_printf(b, "%s(", val_type_name(v)) && val_repr_into(b, items) && sb_appends(b, ")");
        val_release(items);
        return ok;
    }
    case VK_SET: case VK_FROZENSET: {
        bool frozen = v->kind == VK_FROZENSET;
        if (!set_len(v)) return sb_appends(b, frozen ? "frozenset()" : "set()");
        if ((frozen && !sb_appends(b, "frozenset(")) || !sb_appends(b, "{")) return false;
        int64_t it = 0, k = 0;
        Value *key;
        while (set_next(v, &it, &key))
            if ((k++ && !sb_appends(b, ", ")) || !val_repr_into(b, key)) return false;
        return sb_appends(b, frozen ? "})" : "}");
    }
    case VK_SLICE:
        return sb_appends(b, "slice(") && val_repr_into(b, v->slice.start) &&
               sb_appends(b, ", ") && val_repr_into(b, v->slice.stop) && sb_appends(b, ", ") &&
               val_repr_into(b, v->slice.step) && sb_appends(b, ")");
    case VK_ELLIPSIS: return sb_appends(b, "Ellipsis");
    case VK_RANGE:
        if (v->range.step == 1)
            return sb_printf(b, "range(%lld, %lld)", (long long)v->range.start,
                             (long long)v->range.stop);
        return sb_printf(b, "range(%lld, %lld, %lld)", (long long)v->range.start,
                         (long long)v->range.stop, (long long)v->range.step);
    case VK_ITER: return sb_printf(b, "<%s object at %p>", val_type_name(v), (void *)v);
    case VK_TENSOR: {
        char *s = v->tensor->numpy == TENSOR_NP_ARRAY ? ndarray_repr(v->tensor)
                  : v->tensor->numpy                  ? npscalar_repr(v->tensor)
                                                      : tensor_repr(v->tensor);
        if (!s) return false;
        bool ok = (!v->tensor->is_parameter || sb_appends(b, "Parameter containing:\n")) && sb_appends(b, s);
        free(s);
        return ok;
    }
    case VK_DTYPE: return sb_printf(b, "torch.%s", dtype_name(v->dtype));
    case VK_TORCHENUM: return sb_printf(b, "torch.%s", torch_enum_name((TorchEnum)v->i));
    case VK_NPDTYPE: return sb_printf(b, "dtype('%s')", numpy_dtype_name(v->dtype));
    case VK_DEVICE:
        if (v->device.index >= 0)
            return sb_printf(b, "device(type='%s', index=%d)",
                             v->device.type == DEV_CPU ? "cpu" : "cuda", v->device.index);
        return sb_printf(b, "device(type='%s')", v->device.type == DEV_CPU ? "cpu" : "cuda");
    case VK_FUNCTION: return sb_printf(b, "<function %s at %p>", v->fn->qualname, (void *)v->fn);
    case VK_BUILTIN: return sb_printf(b, "<built-in function %s>", v->builtin->name);
    case VK_METHOD:
        if (v->method.self->kind == VK_TYPE) /* list.append; torch.Tensor's methods are _TensorBase's */
            return sb_printf(b, "<method '%s' of '%s' objects>", v->method.builtin->name,
                             v->method.self->type == T_TENSOR ? "torch._C._TensorBase"
                                                              : type_object_name(v->method.self->type));
        return sb_printf(b, "<built-in method %s of %s object at %p>", v->method.builtin->name,
                         val_type_name(v->method.self), (void *)v->method.self);
    case VK_MODULE:
        if (!strcmp(v->module.name, HOOK_HANDLE_NAME))
            return sb_printf(b, "<%s object at %p>", HOOK_HANDLE_NAME, (void *)v);
    {
        const char *kind, *file;
        if (tsr_interp && tsr_interp->hooks.module_origin &&
            tsr_interp->hooks.module_origin(v->module.name, &kind, &file) && (kind || file))
            return kind ? sb_printf(b, "<module '%s' (%s)>", v->module.name, kind)
                        : sb_printf(b, "<module '%s' from '%s'>", v->module.name, file);
        return sb_printf(b, "<module '%s'>", v->module.name);
    }
    case VK_TYPE: return sb_appends(b, type_reprs[v->type]);
    case VK_GRADFN: /* a node of an autograd.Function PyTorch writes in Python */
        return sb_printf(b, "<%s%s object at %p>", v->gradfn->kind == NODE_ResizeBackward ? "torch.autograd.function." : "",
                         ag_node_name(v->gradfn), (void *)v->gradfn);
    case VK_CONTEXT:
        return sb_printf(b, "<torch.autograd.grad_mode.%s object at %p>",
                         v->ctx.kind == CTX_NO_GRAD ? "no_grad"
                         : v->ctx.kind == CTX_ENABLE_GRAD ? "enable_grad"
                         : v->ctx.kind == CTX_INFERENCE ? "inference_mode" : "set_grad_enabled",
                         (void *)v);
    case VK_GENERATOR: return sb_printf(b, "<torch._C.Generator object at %p>", (void *)v);
    case VK_CLASS: return class_repr_into(b, v);
    case VK_INSTANCE: return instance_repr_into(b, v);
    case VK_BOUND: {
        Value *fn = v->bound.fn, *self = v->bound.self;
        const char *cname = self->kind == VK_CLASS ? self->cls->name : val_type_name(self);
        /* CPython prints the function's __qualname__, which names its class */
        bool ok = fn->kind == VK_FUNCTION ? sb_printf(b, "<bound method %s of ", fn->fn->qualname)
                                          : sb_printf(b, "<bound method %s.? of ", cname);
        return ok && val_repr_into(b, self) && sb_appends(b, ">");
    }
    case VK_WRAPPER:
        if (v->wrap.kind == WRAP_PROPERTY) return sb_printf(b, "<property object at %p>", (void *)v);
        return sb_printf(b, "<%s(", val_type_name(v)) && val_repr_into(b, v->wrap.fn) && sb_appends(b, ")>");
    case VK_SUPER:
        return sb_printf(b, "<super: <class '%s'>, <%s object>>", v->sup.cls->cls->name, val_type_name(v->sup.self));
    default: return sb_appends(b, "<object>");
    }
}

bool val_str_into(StrBuf *b, Value *v) {
    switch (v->kind) {
    case VK_STR: return sb_append(b, v->str.s, v->str.len);
    case VK_DEVICE: return device_str_into(b, v->device);
    case VK_INSTANCE: return instance_str_into(b, v);
    case VK_NPDTYPE: return sb_appends(b, numpy_dtype_name(v->dtype));
    case VK_TENSOR:
        if (v->tensor->numpy == TENSOR_NP_ARRAY) {
            char *s = ndarray_str(v->tensor);
            bool ok = s && sb_appends(b, s);
            free(s);
            return ok;
        }
        return val_repr_into(b, v);
    default: return val_repr_into(b, v);
    }
}

static Value *buf_to_str(StrBuf *b, bool ok) {
    if (!ok) {
        free(b->data);
        return NULL;
    }
    if (!b->data) return val_str("", 0);
    return val_str_steal(b->data, b->len);
}

Value *val_repr(Value *v) {
    StrBuf b = {0};
    return buf_to_str(&b, val_repr_into(&b, v));
}

Value *val_str_of(Value *v) {
    if (v->kind == VK_STR) return val_retain(v);
    StrBuf b = {0};
    return buf_to_str(&b, val_str_into(&b, v));
}

/* ---------------------------------------------------------------- equality */

static bool is_number(const Value *v) {
    return v->kind == VK_INT || v->kind == VK_FLOAT || v->kind == VK_BOOL || v->kind == VK_COMPLEX;
}

static double num_f(const Value *v) {
    return v->kind == VK_FLOAT ? v->f : v->kind == VK_INT ? (double)v->i : (double)v->b;
}

/* Nested comparisons count against the recursion limit, as CPython's
 * Py_EnterRecursiveCall(" in comparison") does, so comparing cyclic or
 * absurdly deep containers raises RecursionError; the C stack bounds
 * them too, whatever sys.setrecursionlimit says. */
enum { MAX_CMP_DEPTH = 8000 };
static int cmp_depth;

bool cmp_enter(void) {
    struct Interp *in = tsr_interp;
    /* the module's frame counts, as in a call's check (eval.c) */
    if (cmp_depth >= MAX_CMP_DEPTH || (in && in->depth + cmp_depth + 2 > in->recursion_limit)) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded in comparison");
        return false;
    }
    cmp_depth++;
    return true;
}

void cmp_leave(void) { cmp_depth--; }

static int equal_entered(Value *a, Value *b);

static bool may_recurse(const Value *v) {
    switch (v->kind) {
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: case VK_DICT: case VK_SET:
    case VK_FROZENSET: case VK_INSTANCE: return true;
    default: return false;
    }
}

int val_equal(Value *a, Value *b) {
    if (a == b && a->kind != VK_FLOAT && a->kind != VK_COMPLEX && a->kind != VK_INSTANCE) return 1;
    if (!may_recurse(a) && !may_recurse(b)) return equal_entered(a, b);
    if (!cmp_enter()) return -1;
    int r = equal_entered(a, b);
    cmp_leave();
    return r;
}

static int equal_entered(Value *a, Value *b) {
    if (a->kind == VK_INSTANCE || b->kind == VK_INSTANCE) {
        if (a == b) return 1;
        bool handled;
        Value *r = instance_binary("__eq__", "__eq__", a, b, &handled);
        if (!handled && !tsr_err_occurred() && (val_unwrap(a) != a || val_unwrap(b) != b))
            return val_equal(val_unwrap(a), val_unwrap(b)); /* the str, int, ... an instance holds */
        if (!handled) return tsr_err_occurred() ? -1 : 0;
        int t = r ? val_truthy(r) : -1;
        val_release(r);
        return t;
    }
    if (a == b && a->kind != VK_FLOAT && a->kind != VK_COMPLEX) return 1;
    if (is_number(a) && is_number(b)) {
        if (a->kind == VK_COMPLEX || b->kind == VK_COMPLEX) {
            double ai = a->kind == VK_COMPLEX ? a->c.im : 0, bi = b->kind == VK_COMPLEX ? b->c.im : 0;
            double ar = a->kind == VK_COMPLEX ? a->c.re : num_f(a), br = b->kind == VK_COMPLEX ? b->c.re : num_f(b);
            return ar == br && ai == bi;
        }
        if (a->kind != VK_FLOAT && b->kind != VK_FLOAT) {
            int64_t x = a->kind == VK_INT ? a->i : a->b, y = b->kind == VK_INT ? b->i : b->b;
            return x == y;
        }
        return num_f(a) == num_f(b);
    }
    bool sa = a->kind == VK_LIST || a->kind == VK_TUPLE || a->kind == VK_SIZE;
    bool sb = b->kind == VK_LIST || b->kind == VK_TUPLE || b->kind == VK_SIZE;
    if (sa && sb) {
        /* list == tuple is False; Size is a tuple */
        bool la = a->kind == VK_LIST, lb = b->kind == VK_LIST;
        if (la != lb) return 0;
        if (a->seq.len != b->seq.len) return 0;
        for (int64_t i = 0; i < a->seq.len; i++) {
            int e = val_equal(a->seq.items[i], b->seq.items[i]);
            if (e != 1) return e;
        }
        return 1;
    }
    bool seta = a->kind == VK_SET || a->kind == VK_FROZENSET, setb = b->kind == VK_SET || b->kind == VK_FROZENSET;
    if (seta && setb) { /* set == frozenset compares contents */
        if (set_len(a) != set_len(b)) return 0;
        int64_t it = 0;
        Value *k;
        while (set_next(a, &it, &k)) {
            int c = set_contains(b, k);
            if (c != 1) return c;
        }
        return 1;
    }
    if (a->kind == VK_NPDTYPE || b->kind == VK_NPDTYPE) { /* np.dtype('float32') == np.float32 == 'float32' */
        const Value *d = a->kind == VK_NPDTYPE ? a : b, *o = d == a ? b : a;
        if (o->kind == VK_TYPE) return numpy_type_dtype(o->type) == d->dtype;
        if (o->kind == VK_STR) return !strcmp(o->str.s, numpy_dtype_name(d->dtype));
    }
    if (val_is_bytes(a) && val_is_bytes(b)) return bytes_equal(a, b); /* bytes == bytearray */
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case VK_NONE: case VK_ELLIPSIS: return 1;
    case VK_STR: return a->str.len == b->str.len && !memcmp(a->str.s, b->str.s, (size_t)a->str.len);
    case VK_DTYPE: case VK_NPDTYPE: return a->dtype == b->dtype;
    case VK_DEVICE: return a->device.type == b->device.type && a->device.index == b->device.index;
    case VK_TYPE: return a->type == b->type;
    case VK_BUILTIN: return a->builtin == b->builtin;
    case VK_BOUND: return a->bound.self == b->bound.self && a->bound.fn == b->bound.fn; /* self by identity */
    case VK_METHOD: return a->method.self == b->method.self && a->method.builtin == b->method.builtin;
    case VK_RANGE: { /* equal as sequences */
        int64_t n = range_len(a);
        if (n != range_len(b)) return 0;
        return n == 0 || (a->range.start == b->range.start && (n == 1 || a->range.step == b->range.step));
    }
    case VK_TENSOR: return a->tensor == b->tensor;
    case VK_GRADFN: return a->gradfn == b->gradfn;
    case VK_DICT: {
        if (dict_len(a->dict) != dict_len(b->dict)) return 0;
        int64_t it = 0;
        Value *k, *x, *y;
        while (dict_next_item(a->dict, &it, &k, &x)) {
            if (!dict_lookup(b->dict, k, &y)) return -1;
            if (!y) return 0;
            int e = val_equal(x, y);
            if (e != 1) return e;
        }
        return 1;
    }
    default: return a == b;
    }
}

void file_free(PyFile *f) {
    if (!f) return;
    if (f->fp) fclose(f->fp);
    free(f->name);
    free(f);
}
