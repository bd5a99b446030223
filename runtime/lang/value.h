/* value.h: the interpreter's values, refcounted, as a tagged union.
 *
 * Ownership: functions borrow Value* arguments and return new references;
 * `_steal` in a name means the function takes over the reference passed.
 * A NULL return means an error was raised (error.h).
 */
#ifndef TSR_VALUE_H
#define TSR_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "dtype.h"
#include "pyfmt.h"
#include "tensor.h"

/* X(ENUM, python type name as type() prints it) */
#define VALUE_KINDS(X)                                  \
    X(NONE, "NoneType")                                 \
    X(BOOL, "bool")                                     \
    X(INT, "int")                                       \
    X(FLOAT, "float")                                   \
    X(COMPLEX, "complex")                               \
    X(STR, "str")                                       \
    X(LIST, "list")                                     \
    X(TUPLE, "tuple")                                   \
    X(DICT, "dict")                                     \
    X(SET, "set")                                       \
    X(FROZENSET, "frozenset")                           \
    X(DICTVIEW, "dict_keys")                            \
    X(PYGEN, "generator")                               \
    X(FILE, "_io.TextIOWrapper")                        \
    X(SLICE, "slice")                                   \
    X(ELLIPSIS, "ellipsis")                             \
    X(RANGE, "range")                                   \
    X(ITER, "iterator")                                 \
    X(TENSOR, "torch.Tensor")                           \
    X(SIZE, "torch.Size")                               \
    X(DTYPE, "torch.dtype")                             \
    X(DEVICE, "torch.device")                           \
    X(FUNCTION, "function")                             \
    X(BUILTIN, "builtin_function_or_method")            \
    X(METHOD, "builtin_function_or_method")             \
    X(NAMEDTUPLE, "torch.return_types")                 \
    X(MODULE, "module")                                 \
    X(TYPE, "type")                                     \
    X(GRADFN, "GradFn")                                 \
    X(CONTEXT, "context")                               \
    X(GENERATOR, "torch._C.Generator")                 \
    X(CLASS, "type")                                    \
    X(INSTANCE, "object")                               \
    X(BOUND, "method")                                  \
    X(WRAPPER, "staticmethod")                          \
    X(SUPER, "super")                                   \
    X(NPDTYPE, "numpy.dtype")                           \
    X(TORCHENUM, "torch.layout")                        \
    X(BYTES, "bytes")                                   \
    X(BYTEARRAY, "bytearray")

typedef enum {
#define X(e, n) VK_##e,
    VALUE_KINDS(X)
#undef X
    VK_COUNT
} ValueKind;

typedef struct Value Value;
typedef struct Dict Dict;
struct RngGen;
struct Interp;
struct Node;
struct Params;

/* Arguments of a call, all borrowed. */
typedef struct {
    Value **args;
    int nargs;
    const char **kwnames;
    Value **kwvals;
    int nkw;
} CallArgs;

/* A builtin: a torch function, a tensor method (self != NULL), or a Python
 * builtin. */
typedef Value *(*BuiltinFn)(Value *self, const CallArgs *a);
typedef struct Builtin {
    const char *name;
    BuiltinFn fn;
} Builtin;

/* The named tuples PyTorch returns (torch.return_types.max, ...). */
typedef struct {
    const char *name; /* "max" -> prints torch.return_types.max(...) */
    int n;
    const char *const *fields;
} NamedTupleType;

/* The classes `type(x)` can return and isinstance() can test. */
/* The name of register_hook's handle (a namespace object with .remove()):
 * it prints and types as PyTorch's class. */
#define HOOK_HANDLE_NAME "torch.utils.hooks.RemovableHandle"

#define TYPE_OBJECTS(X)                                                 \
    X(INT, "int", "<class 'int'>")                                      \
    X(FLOAT, "float", "<class 'float'>")                                \
    X(COMPLEX, "complex", "<class 'complex'>")                          \
    X(BOOL, "bool", "<class 'bool'>")                                   \
    X(STR, "str", "<class 'str'>")                                      \
    X(LIST, "list", "<class 'list'>")                                   \
    X(TUPLE, "tuple", "<class 'tuple'>")                                \
    X(DICT, "dict", "<class 'dict'>")                                   \
    X(SET, "set", "<class 'set'>")                                      \
    X(FROZENSET, "frozenset", "<class 'frozenset'>")                    \
    X(NONETYPE, "NoneType", "<class 'NoneType'>")                       \
    X(SLICE, "slice", "<class 'slice'>")                                \
    X(RANGE, "range", "<class 'range'>")                                \
    X(FUNCTION, "function", "<class 'function'>")                       \
    X(BUILTIN, "builtin_function_or_method", "<class 'builtin_function_or_method'>") \
    X(TENSOR, "Tensor", "<class 'torch.Tensor'>")                       \
    X(PARAMETER, "Parameter", "<class 'torch.nn.parameter.Parameter'>") \
    X(SIZE, "Size", "<class 'torch.Size'>")                             \
    X(DTYPE, "dtype", "<class 'torch.dtype'>")                          \
    X(DEVICE, "device", "<class 'torch.device'>")                       \
    X(LAYOUT, "layout", "<class 'torch.layout'>")                       \
    X(MEMORY_FORMAT, "memory_format", "<class 'torch.memory_format'>")  \
    X(MODULE, "module", "<class 'module'>")                             \
    X(TYPE, "type", "<class 'type'>")                                   \
    X(RETURN_TYPE, "return_type", "<class 'torch.return_types'>")       \
    X(GENERATOR, "Generator", "<class 'torch._C.Generator'>")           \
    X(ITERATOR, "iterator", "<class 'iterator'>")                       \
    X(PYGEN, "generator", "<class 'generator'>")                        \
    X(DICTVIEW, "dict_keys", "<class 'dict_keys'>")                     \
    X(ELLIPSIS, "ellipsis", "<class 'ellipsis'>")                       \
    X(CONTEXT, "context", "<class 'context'>")                          \
    X(GRADFN, "GradFn", "<class 'GradFn'>")                             \
    X(REMOVABLE_HANDLE, "RemovableHandle", "<class 'torch.utils.hooks.RemovableHandle'>") \
    X(NDARRAY, "ndarray", "<class 'numpy.ndarray'>")                   \
    X(BYTES, "bytes", "<class 'bytes'>")                                \
    X(BYTEARRAY, "bytearray", "<class 'bytearray'>")                    \
    NUMPY_SCALAR_TYPES(X)

/* numpy's scalar types, one per dtype numpy shares with tsr:
 * X(ENUM, name, repr); T_NP_<DTYPE> follows the dtype's name. */
#define NUMPY_SCALAR_TYPES(X)                                           \
    X(NP_UINT8, "uint8", "<class 'numpy.uint8'>")                       \
    X(NP_INT8, "int8", "<class 'numpy.int8'>")                          \
    X(NP_INT16, "int16", "<class 'numpy.int16'>")                       \
    X(NP_INT32, "int32", "<class 'numpy.int32'>")                       \
    X(NP_INT64, "int64", "<class 'numpy.int64'>")                       \
    X(NP_FLOAT16, "float16", "<class 'numpy.float16'>")                 \
    X(NP_FLOAT32, "float32", "<class 'numpy.float32'>")                 \
    X(NP_FLOAT64, "float64", "<class 'numpy.float64'>")                 \
    X(NP_COMPLEX64, "complex64", "<class 'numpy.complex64'>")           \
    X(NP_COMPLEX128, "complex128", "<class 'numpy.complex128'>")        \
    X(NP_BOOL, "bool_", "<class 'numpy.bool_'>")

typedef enum {
#define X(e, n, r) T_##e,
    TYPE_OBJECTS(X)
#undef X
    T_COUNT
} TypeId;

/* torch's layouts and memory formats: singletons named torch.NAME, of
 * type torch.layout or torch.memory_format. X(ENUM, TYPE, NAME) */
#define TORCH_ENUMS(X)                                      \
    X(STRIDED, LAYOUT, "strided")                           \
    X(SPARSE_COO, LAYOUT, "sparse_coo")                     \
    X(SPARSE_CSR, LAYOUT, "sparse_csr")                     \
    X(SPARSE_CSC, LAYOUT, "sparse_csc")                     \
    X(SPARSE_BSR, LAYOUT, "sparse_bsr")                     \
    X(SPARSE_BSC, LAYOUT, "sparse_bsc")                     \
    X(MKLDNN, LAYOUT, "_mkldnn")                            \
    X(CONTIGUOUS_FORMAT, MEMORY_FORMAT, "contiguous_format") \
    X(CHANNELS_LAST, MEMORY_FORMAT, "channels_last")        \
    X(CHANNELS_LAST_3D, MEMORY_FORMAT, "channels_last_3d")  \
    X(PRESERVE_FORMAT, MEMORY_FORMAT, "preserve_format")

typedef enum {
#define X(e, t, n) TE_##e,
    TORCH_ENUMS(X)
#undef X
    TE_COUNT
} TorchEnum;

typedef enum { CTX_NO_GRAD, CTX_ENABLE_GRAD, CTX_SET_GRAD, CTX_INFERENCE } ContextKind;

/* A class: a user's `class` statement, `object`, or a built-in exception
 * class (class.c). */
typedef struct ClassObj {
    char *name;
    const char *module;   /* "__main__", "builtins", ... (static text) */
    Value *base;          /* CLASS: CPython's __base__, the best base of the bases (the one whose
                             layout the instances have); NULL only for object */
    Value *bases;         /* TUPLE: __bases__; NULL when it is just (base,) or () */
    Value *mro;           /* TUPLE: __mro__ after the class itself, when the class has several
                             bases; NULL when the MRO is the class and then base's MRO */
    bool solid;           /* its instances have a layout of their own (CPython's solid_base):
                             object, dict, list, ..., BaseException, OSError, ... */
    Value *dict;          /* VK_DICT: the class attributes */
    ErrKind err;          /* exception classes: the nearest built-in kind; ERR_NONE otherwise */
    ValueKind payload;    /* a subclass of dict or list: VK_DICT / VK_LIST, the kind its
                             instances hold (inst.payload); VK_NONE otherwise */
    const struct Builtin *ctor; /* a built-in type that tsr makes with a builtin (zip, map,
                                   property): calling the class runs it; NULL otherwise */
} ClassObj;

/* staticmethod, classmethod, property */
typedef enum { WRAP_STATICMETHOD, WRAP_CLASSMETHOD, WRAP_PROPERTY } WrapperKind;

typedef struct Function {
    char *name;                 /* "<lambda>" for lambdas */
    char *qualname;             /* "A.f" for a method of class A; else the name */
    struct Params *params;      /* borrowed from the AST, which the interp keeps alive */
    struct Node *body;          /* DEF: the N_DEF node; LAMBDA: the body expression */
    bool is_lambda;
    Value **defaults;           /* evaluated at def time: params->n_defaults */
    Value **kwonly_defaults;    /* params->n_kwonly entries, NULL = required */
    const struct Source *source; /* the program text it was defined in */
    Dict *closure;              /* the locals of the enclosing function, or NULL (globals) */
    Value *closure_owner;       /* keeps `closure` alive (a FUNCTION frame value) or NULL */
    Value *outer;               /* the FUNCTION whose frame `closure` is (its closure comes next), or NULL */
    Value *attrs;               /* VK_DICT of attributes set on it (f.__wrapped__ = g), or NULL */
    Value *annotations;         /* VK_DICT: __annotations__, evaluated at def time; NULL until asked (empty) */
    struct Dict *globals;       /* a standard module's namespace (borrowed: modules live as
                                   long as the interpreter), or NULL: the program's globals */
    bool no_grad;               /* decorated with @torch.no_grad() */
    bool is_generator;          /* its body yields: calling it makes a generator */
    bool is_genexp;             /* a generator expression's: body is the N_LISTCOMP */
    int grad_decorator;         /* 0 none, 1 no_grad, 2 enable_grad, 3/4 inference_mode(True/False) */
} Function;

struct Value {
    ValueKind kind;
    int32_t rc;
    union {
        bool b;
        int64_t i;
        double f;
        struct { double re, im; } c;                      /* COMPLEX */
        struct { char *s; int64_t len, nchars; } str;    /* STR: UTF-8 bytes, NUL-terminated; nchars: code
                                                            points, -1 until str_char_count counts them */
        struct {                                          /* LIST, TUPLE, SIZE, NAMEDTUPLE */
            Value **items;
            int64_t len, cap;
            const NamedTupleType *nt;                     /* NAMEDTUPLE only */
            int64_t gc_index;                             /* LIST: its place among gc.c's roots */
        } seq;
        struct { Dict *dict; int64_t dict_gc_index; };    /* DICT; its place among gc.c's roots */
        struct PySet *set;                                /* SET, FROZENSET (set.c) */
        struct { Value *dict; int which; } view;          /* DICTVIEW: d.keys() 0, values() 1, items() 2 */
        struct PyGen *gen;                                /* PYGEN (generator.c) */
        struct PyFile *file;                              /* FILE (builtins/python_file.c) */
        struct { Value *start, *stop, *step; } slice;    /* SLICE: NONE for absent */
        struct { int64_t start, stop, step; } range;     /* RANGE */
        struct PyIter *iter;                              /* ITER (iterators.c) */
        Tensor *tensor;                                   /* TENSOR (owned) */
        DType dtype;                                      /* DTYPE */
        Device device;                                    /* DEVICE */
        Function *fn;                                     /* FUNCTION (owned) */
        const Builtin *builtin;                           /* BUILTIN */
        struct { Value *self; const Builtin *builtin; } method; /* METHOD */
        struct { char *name; Dict *members; bool unloaded; } module; /* MODULE; unloaded: members written
                                                             in Python not run yet (module_members) */
        TypeId type;                                      /* TYPE */
        struct GradNode *gradfn;                          /* GRADFN (owned ref) */
        struct { ContextKind kind; bool mode; bool prev; } ctx; /* CONTEXT */
        struct RngGen *rng;                               /* GENERATOR: owned; NULL = the default one */
        ClassObj *cls;                                    /* CLASS (owned) */
        struct {                                          /* INSTANCE */
            Value *cls, *dict, *args; /* dict VK_DICT; args: exceptions' tuple */
            int64_t gc_index;         /* gc.c */
            char *report;             /* a caught exception's error report (exceptions.c) */
            struct Traceback *tb;     /* a caught exception's frames (its __traceback__), or NULL */
            void *native;             /* a built-in class's C state (random.Random's), malloc'd, freed with it */
            Value *payload;           /* an instance of a dict or list subclass: the dict or list it is */
        } inst;
        struct { Value *fn; Value *self; } bound;         /* BOUND: a method bound to self */
        struct { WrapperKind kind; Value *fn; Value *fset, *fdel, *doc; } wrap; /* WRAPPER: fn (property: the getter, or NULL) */
        struct { Value *cls; Value *self; } sup;          /* SUPER: lookups start after cls */
        struct {                                          /* BYTES, BYTEARRAY (bytes.c) */
            unsigned char *s;  /* len bytes and a NUL; cap allocated (BYTEARRAY grows) */
            int64_t len, cap;
            int64_t exports;   /* the storages over s (torch.frombuffer); a change of length then moves
                                  the bytes to a new buffer and retires s, freed with the value */
            struct BytesRetired *retired;
        } bytes;
    };
};

/* --- lifetime --- */
Value *val_retain(Value *v);   /* NULL-safe; returns v */
void val_release(Value *v);    /* NULL-safe */

/* --- constructors (new references; NULL on OOM) --- */
Value *val_none(void);         /* the shared None (retained) */
Value *val_bool(bool b);       /* shared True/False */
Value *val_int(int64_t i);
Value *val_float(double f);
Value *val_complex(double re, double im);
Value *val_str(const char *s, int64_t len);  /* copies */
int64_t str_char_count(Value *s);           /* len(s): code points, counted once */
/* the byte where code point k starts, scanning s's bytes from `from`
 * (a code point's start) with k counted from there; len at the end */
int64_t str_char_offset(const Value *s, int64_t from, int64_t k);
Value *val_cstr(const char *s);
Value *val_str_steal(char *s, int64_t len);  /* takes a malloc'd buffer */
Value *val_list_new(int64_t cap);            /* empty list */
Value *val_tuple_new(int64_t len);           /* items NULL-filled; fill with _steal */
Value *val_size_new(int ndim, const int64_t *shape);
Value *val_namedtuple_new(const NamedTupleType *nt); /* items NULL-filled */
Value *val_tensor_steal(Tensor *t);          /* wraps t, taking its reference; NULL if t is NULL */
Value *val_dtype(DType d);
Value *val_device(Device d);
/* torch.strided, torch.channels_last, ... (v->i holds the TorchEnum) */
Value *val_torch_enum(TorchEnum e);
const char *torch_enum_name(TorchEnum e);
TypeId torch_enum_type(TorchEnum e);
Value *val_builtin(const Builtin *b);
Value *val_method(Value *self, const Builtin *b);
Value *val_type(TypeId t);
Value *val_slice(Value *start, Value *stop, Value *step);
Value *val_range(int64_t start, int64_t stop, int64_t step);
int64_t range_len(const Value *r); /* len(range(...)); negative past INT64_MAX */
int64_t range_index_of(const Value *r, int64_t x); /* x's position in range r, -1 when absent */
Value *val_gradfn(struct GradNode *n);       /* retains n */
Value *val_module_new(const char *name);
Value *val_ellipsis(void);
Value *val_dict_new(void);
/* A new value of kind whose state lives in a zeroed struct of size bytes,
 * returned in *box for the caller to attach (v->iter = *box, ...). */
Value *val_boxed_new(ValueKind kind, size_t size, void **box);

/* Appends to a LIST/TUPLE/SIZE (tuples only while building them). */
bool val_list_append(Value *list, Value *item);        /* retains item */
bool val_list_append_steal(Value *list, Value *item);  /* takes item */
/* Turns a new list no one else holds into a TUPLE or SIZE of its items. */
void val_list_become(Value *list, ValueKind kind);

/* --- inspection --- */
/* The dict or list an instance of a dict or list subclass holds, else v
 * itself (borrowed): what a builtin that takes a dict or list works on. */
static inline Value *val_unwrap(Value *v) {
    return v->kind == VK_INSTANCE && v->inst.payload ? v->inst.payload : v;
}
const char *val_type_name(const Value *v);  /* "int", "Tensor", "list" ... as Python's type(x).__name__ */
/* Py_TYPE(x)->tp_name, as C code's messages (PyTorch's argument parser) give
 * it: "torch.dtype", "torch.Size", "torch._C.Generator", else as above */
const char *val_tp_name(const Value *v);
bool val_is_seq(const Value *v);            /* LIST, TUPLE, SIZE, NAMEDTUPLE */
/* Python truthiness; a tensor of more than one element raises
 * "Boolean value of Tensor with more than one value is ambiguous". */
int val_truthy(Value *v);                   /* 1, 0, or -1 on error */

/* --- conversions used by builtins (raise TypeError on mismatch) --- */
bool val_as_int(Value *v, int64_t *out);    /* int, bool, integral 1-element tensor via __index__ */
bool val_as_double(Value *v, double *out);  /* int, float, bool, 1-element tensor */
bool val_as_bool(Value *v, bool *out);
/* A tensor from a tensor (retained) or a Python scalar (wrapped number). */
Tensor *val_as_tensor(Value *v);
/* A shape from `2, 3` varargs or one list/tuple/Size; ndim into *ndim. */
bool val_as_shape(Value *const *args, int nargs, int64_t *shape, int *ndim, const char *fname);
/* dims from an int or a tuple/list of ints. */
bool val_as_dims(Value *v, int64_t *dims, int *ndims);
bool val_as_dtype(Value *v, DType *out);    /* torch.float32, float, int, bool */
bool val_as_device(Value *v, Device *out);  /* 'cpu', 'cuda:0', torch.device */

/* --- Python protocols --- */
Value *val_repr(Value *v);                  /* STR value: repr(v) */
Value *val_str_of(Value *v);                /* STR value: str(v) */
/* Appends repr/str text to a growable buffer: pyfmt's PyBuf. */
typedef PyBuf StrBuf;
static inline bool sb_append(StrBuf *b, const char *s, int64_t len) { return pybuf_append(b, s, len); }
static inline bool sb_appends(StrBuf *b, const char *s) { return pybuf_appends(b, s); }
bool sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool val_repr_into(StrBuf *b, Value *v);
bool val_str_into(StrBuf *b, Value *v);
/* ==, with Python semantics for non-tensors; tensors give bool tensors.
 * Returns a new value. */
int val_equal(Value *a, Value *b);          /* plain Python equality: 1, 0, -1 error */
/* hash(v) as CPython computes it for numbers and tuples (so 1, 1.0 and
 * True are one dict key); false with TypeError for unhashable values. */
bool val_hash(Value *v, int64_t *out);
/* Dict/set key equality: identity, then == (tensors: identity only). */
int keys_equal(Value *a, Value *b);
uint64_t str_bytes_hash(const char *s, int64_t len);

/* --- dictionaries (dict.c): insertion-ordered, any hashable key. The
 * const char * functions are for namespaces (globals, module members,
 * locals, class and instance dicts), whose keys are strs. --- */
Dict *dict_new(void);
void dict_free(Dict *d);
void dict_clear(Dict *d);
Value *dict_get(Dict *d, const char *key);           /* borrowed, NULL if absent */
/* A str key hashed once, for looking one name up in several dicts. */
typedef struct {
    const char *s;
    int64_t len, hash;
} StrKey;
StrKey str_key(const char *s);
Value *dict_get_hashed(Dict *d, const StrKey *k); /* dict_get with the key's hash known */
bool dict_set(Dict *d, const char *key, Value *v);   /* retains v */
bool dict_del(Dict *d, const char *key);             /* false if absent */
int64_t dict_len(Dict *d);
/* Iteration over the str keys: i from 0; returns false at the end. */
bool dict_next(Dict *d, int64_t *i, const char **key, Value **v);
/* Any key: false with an error (unhashable key, a failing __eq__). */
bool dict_lookup(Dict *d, Value *key, Value **out);  /* *out borrowed, NULL if absent */
bool dict_setv(Dict *d, Value *key, Value *v);       /* retains key and v */
int dict_delv(Dict *d, Value *key, Value **value_out); /* 1 deleted (value_out: a new ref, may be NULL), 0 absent, -1 error */
bool dict_next_item(Dict *d, int64_t *i, Value **key, Value **v); /* borrowed */
bool dict_pop_last(Dict *d, Value **key, Value **v); /* references pass to the caller; false when empty */

/* d.keys(), d.values(), d.items(): live views of the dict d */
Value *val_dict_view(Value *dict, int which);

/* An open text file: open() makes it (builtins/python_file.c); releasing
 * the value closes it. */
typedef struct PyFile {
    void *fp;      /* FILE *, NULL once closed */
    char *name;
    char mode[8];
    bool readable, writable;
    bool binary;   /* 'b' in the mode: reads give bytes, writes take bytes-like values */
} PyFile;
void file_free(PyFile *f);

/* --- sets (set.c): CPython's set table, so that iteration order is
 * CPython's for numbers --- */
Value *val_set_new(bool frozen);
int64_t set_len(const Value *s);
bool set_add(Value *s, Value *key);                  /* retains key */
int set_contains(Value *s, Value *key);              /* 1, 0, -1 error */
int set_discard(Value *s, Value *key);               /* 1 removed, 0 absent, -1 error */
bool set_next(const Value *s, int64_t *i, Value **key); /* borrowed, table order */
Value *set_pop(Value *s);                            /* a new ref; NULL with KeyError when empty */
void set_clear(Value *s);
Value *set_copy(Value *s, bool frozen);
bool set_update(Value *s, Value *other);             /* other: a set or frozenset */
bool set_update_from(Value *s, Value *iterable);     /* any iterable */
Value *iterate_to_list(Value *v);                    /* eval_ops.c: the items of an iterable, as a list */
bool val_is_set(const Value *v);                     /* SET or FROZENSET */
Value *set_of(Value *iterable);                      /* the iterable itself if a set (retained), else a new set */
/* The set algebra with CPython's orders; the result is a frozenset when
 * frozen. s is a set; t a set (or, for set_and/set_sub/set_xor, any
 * iterable). */
Value *set_or(Value *s, Value *t, bool frozen);
Value *set_and(Value *s, Value *t, bool frozen);
Value *set_sub(Value *s, Value *t, bool frozen);
Value *set_xor(Value *s, Value *t, bool frozen);
bool set_symmetric_update(Value *r, Value *s);       /* toggles each of s's items in r */
int set_subset(Value *s, Value *t);                  /* every item of s in t: 1, 0, -1 error */
bool set_replace_contents(Value *s, Value *r);       /* takes r */
/* d1 | d2 and the set operators | & - ^ (in place: |= ... change the left
 * operand): NULL with no error when the operands do not fit. */
Value *container_binop(int op, Value *a, Value *b, bool inplace);
/* <, <=, >, >= of two sets: -1 not two sets (no error), -2 error, else 0/1 */
int set_compare(int op, Value *a, Value *b);
/* dict.update(other): a dict, or an iterable of pairs */
bool dict_update_from(Value *d, Value *other);
bool frozenset_hash(Value *s, int64_t *out);
void set_free(struct PySet *t);

/* What a consumer of an iterable does with each item (iter_feed): takes
 * the item; returns 1 for the next one, 0 to stop, -1 with an error. */
typedef int (*ItemSink)(Value *item, void *ctx);

/* Calls any callable value in the running interpreter (eval.c). */
Value *call_value(Value *callee, const CallArgs *a);

/* ---- tensors from and to Python values (tensor_from_data.c) ---- */
/* torch.tensor(data): nested lists/tuples/scalars/0-dim tensors.
 * dtype DT_UNDEFINED infers it as PyTorch does. */
Tensor *tensor_from_data(Value *data, DType dtype);
/* np.array(data): the same, but Python floats are float64 (numpy's rule) */
Tensor *tensor_from_data_numpy(Value *data, DType dtype);
/* x.item() and x.tolist() */
Value *tensor_item_value(Tensor *t);
Value *tensor_tolist_value(Tensor *t);
/* The dtype named by "torch.FloatTensor", "FloatTensor" (DT_UNDEFINED if none). */
DType dtype_from_tensor_type(const char *name);

#endif
