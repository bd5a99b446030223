/* builtins_util.h: helpers shared by the files of builtins/: argument
 * conversion with PyTorch's messages (args.c), method calls as function
 * calls, the results of ops (results.c) and the helpers python.c shares
 * with python_methods.c. */
#ifndef TSR_BUILTINS_UTIL_H
#define TSR_BUILTINS_UTIL_H

#include "builtins.h"
#include "layout.h"
#include "value.h"

#define ARGS_MAX 32

/* A method call x.f(args) seen as f(x, args): *tmp is filled with self
 * prepended (buf has ARGS_MAX slots). Returns a itself when self is NULL,
 * NULL (TypeError) when there are too many arguments. */
const CallArgs *args_with_self(Value *self, const CallArgs *a, CallArgs *tmp, Value **buf);

/* v_[0..n) for args_parse, and the parse that returns NULL on a bad call:
 *   ARGS(2); PARSE("get", "key, default="); ... v_[1] ... */
#define ARGS(n) Value *v_[n] = {0}
#define PARSE(name, spec) if (!args_parse(a, 0, name, spec, v_)) return NULL

#define WITH_SELF(a)                                               \
    CallArgs with_self_tmp_;                                       \
    Value *with_self_buf_[ARGS_MAX];                               \
    a = args_with_self(self, a, &with_self_tmp_, with_self_buf_); \
    if (!a) return NULL

/* Absent or None: an optional argument not given. */
static inline bool is_none(Value *v) { return !v || v->kind == VK_NONE; }

/* Converters for one argument (v may be NULL = absent, where a default
 * applies). Messages: "fname(): argument 'name' must be int, not float". */
bool arg_int(Value *v, const char *fn, const char *name, int64_t dflt, int64_t *out);
bool arg_double(Value *v, const char *fn, const char *name, double dflt, double *out);
/* args_parse for a torch function whose spec has no keyword-only names:
 * a missing required argument raises PyTorch's parser's TypeError
 * ('prelu() missing 1 required positional arguments: "weight"'). */
bool args_parse_torch(const CallArgs *a, const char *fname, const char *spec, Value **out);
/* A Scalar argument as PyTorch's parser names it, with its position
 * (absent: leaves *out, which holds the default) */
bool arg_number(Value *v, const char *fn, const char *name, int pos, double *out);
/* An int or a list/tuple of ints into out[0..n) (a single int or a
 * 1-element list repeats; None: dflt), with PyTorch's "expected NAME to be
 * a single integer value or a list of N values" (conv.c). */
bool arg_int_tuple(Value *v, const char *fn, const char *name, int n, int64_t dflt, int64_t *out);
bool arg_bool(Value *v, const char *fn, const char *name, bool dflt, bool *out);
bool arg_dtype(Value *v, const char *fn, DType *out);   /* NULL/None -> DT_UNDEFINED */
/* memory_format=: NULL/None -> dflt; else a torch.memory_format. */
bool arg_memory_format(Value *v, const char *fn, MemFormat dflt, MemFormat *out);
/* layout=: NULL/None or torch.strided (tsr has no sparse tensors). */
bool arg_layout(Value *v, const char *fn);
/* device: NULL/None -> the default device (device_default). A CUDA device
 * where there is none raises PyTorch's errors (device_ensure). */
bool arg_device(Value *v, const char *fn, Device *out);
/* A tensor argument that must be a tensor (new reference). */
Tensor *arg_tensor(Value *v, const char *fn, const char *name);
/* " (position N)" when the last parsed call of fn got name by position
 * (PyTorch's argument errors say so), else ""; written into buf */
const char *arg_position(const char *fn, const char *name, char *buf, size_t size);
/* A tensor or Python scalar (wrapped number) argument (new reference). */
Tensor *arg_tensor_or_scalar(Value *v, const char *fn, const char *name);
/* dim=None | int | tuple of ints: *ndims 0 when absent. */
bool arg_dims(Value *v, const char *fn, int64_t *dims, int *ndims);
/* A C function of no arguments, as CPython checks it: false with
 * "time.time() takes no arguments (1 given)" (fn "time.time"). */
bool args_none(const char *fn, const CallArgs *a);
/* Raises "fn() received an invalid combination of arguments - got (...)". */
void raise_invalid_args(const char *fn, const CallArgs *a);
/* the same, then PyTorch's list of its signatures ("but expected one of:\n"
 * and `expected`, each line " * (...)\n"; NULL: none) */
void raise_invalid_args_expected(const char *fn, const CallArgs *a, const char *expected);
/* A list/tuple of tensors (argument 'tensors') into a new array of new
 * references: its length, or -1 (TypeError). tensor_list_release frees
 * them and the array. */
int arg_tensor_list(Value *v, const char *fn, Tensor ***out);
void tensor_list_release(Tensor **ts, int n);

/* ---- Python values (python.c) */

/* int(d) for an integral float d: ValueError for NaN, OverflowError for an
 * infinity or beyond 64 bits. */
Value *int_from_double(double d);
/* start op item0 op item1 ...: sum() and math.prod() (op a BinKind,
 * B_ADD or B_MUL) */
Value *fold_op(int op, Value *iterable, Value *start);
/* The tuple (a, b); steals both (either may be NULL after a failure). */
Value *pair_steal(Value *a, Value *b);
/* x.__float__() (checked to be a float), else x.__index__(), for an
 * instance; *found false when its class has neither (stdlib_math.c) */
Value *instance_number(Value *v, bool *found);
/* float(x) (python.c) */
Value *number_to_float(Value *x);
/* x.__complex__() for an instance (python_complex.c): a complex, or NULL with
 * TypeError when it returns something else; *found false (NULL, nothing
 * raised) when its class has none */
Value *instance_complex(Value *x, bool *found);

/* ---- complex (python_complex.c) */

Value *complex_new(const CallArgs *a);     /* complex(real=0, imag=0) */
extern const Builtin complex_methods[];    /* conjugate, __complex__ */
Value *complex_getattr(Value *self, const char *name); /* real, imag; NULL (no error) otherwise */
Value *complex_abs(const Value *z);

/* Raises SystemExit(code) (SystemExit() when code is NULL): exit(),
 * quit(), sys.exit(). Returns NULL. */
Value *raise_system_exit(Value *code);
/* The number of UTF-8 characters in s[0..n). */
int64_t utf8_len(const char *s, int64_t n);
/* Python's stable sort of items (sorted(), list.sort()): compare_op(<) on
 * key(item) when key is not NULL; false with an error raised. */
bool sort_values(Value **items, int64_t n, bool reverse, Value *key);

/* ---- results (results.c) */

/* The in-place result: self itself when the op returned self's tensor. */
Value *inplace_result(Value *self, Tensor *r);
/* The in-place forms lerp_, cumsum_, cumprod_ and addmm_ run the
 * out-of-place op on a stand-in for self (op_inplace_standin: a copy
 * carrying self's history, as the op layer's in-place family does, so the
 * node sees the values before the write); commit_inplace checks the
 * result r's shape against a's, raising bad_shape_fmt with a's shape then
 * r's ("[2, 3]", shape_str), then op_inplace_commit writes r back into a,
 * moving the node (LerpBackward0/1, CumsumBackward0, CumprodBackward0,
 * AddmmBackward0) onto it; steals r. */
extern const char *const BROADCAST_FMT; /* output with shape %s doesn't match the broadcast shape %s */
extern const char *const SIZE_FMT;      /* Bad in-place call: input tensor size %s and output ... */
Tensor *commit_inplace(Tensor *a, Tensor *r, const char *bad_shape_fmt);
/* scatter_reduce / index_reduce and their in-place forms: v holds input,
 * dim, index and the source (src_name in errors); reduce runs on input,
 * or on a stand-in committed after when inplace (index_scatter.c) */
typedef Tensor *(*ReduceIntoOp)(Tensor *self, int64_t dim, Tensor *index, Tensor *src, int op, bool include_self);
Value *reduce_into(const char *fn, bool inplace, Value *self, Value *const *v, const char *src_name,
                   ReduceIntoOp reduce, int64_t dim, int op, bool incl);
void shape_str(Tensor *t, char *buf, size_t n);
/* {"values", "indices"}: the fields of sort, max(dim), topk ... results */
extern const char *const values_indices[];
/* A namedtuple of type nt (a plain tuple when nt is NULL) of a and b;
 * steals both (either may be NULL after a failure). */
Value *tensor_pair(const NamedTupleType *nt, Tensor *a, Tensor *b);
/* out <- r as ATen's out= variants write it: the cast check, the resize
 * (warned when out had elements), the copy (out_arg.c) */
bool out_write(Tensor *out, Tensor *r);
/* A tuple of n tensors (steals them; NULL entries make it fail). */
Value *tuple_steal(Tensor **ts, int n);

/* A one-tensor function without options (t, contiguous, clone, detach):
 * fn(input) as op(input); self itself when op returns self's tensor
 * (shape.c). */
/* r (stolen) wrapped, or self itself when r is self's tensor (x.float()
 * on a float x keeps `is`). */
Value *same_or_wrap(Value *self, Tensor *r);
Value *simple_common(const char *fn, Tensor *(*op)(Tensor *), Value *self, const CallArgs *a,
                     const char *spec);

/* nonzero(x, as_tuple=True): a tuple of index tensors, one per dim
 * (index.c); also torch.where(condition). */
Value *nonzero_tuple(Tensor *x);

/* fn(n1, n2) over two tensors: parses, converts both (PyTorch's TypeError
 * for a non-tensor), calls op (results.c). */
typedef Tensor *(*TensorOp2)(Tensor *, Tensor *);
Value *tensor_op2(const char *fn, const char *n1, const char *n2, TensorOp2 op, Value *self,
                  const CallArgs *a);

/* warnings.warn(msg, category) from C, as PyTorch's TORCH_WARN reaches
 * PyErr_WarnEx: attributed to the running Python line; false when the
 * filters turned it into an error (raised) (warnings.c). */
bool tsr_warn(ErrKind kind, const char *msg);
/* ATen's once-only UserWarning before complex t is cast to real dt
 * (convert.c); false when the warning became an error */
bool warn_complex_to_real(const Tensor *t, DType dt);
/* The same, attributed to the code that called into torch (the innermost
 * frame outside torch's own Python), as PyTorch's warnings.warn(...,
 * stacklevel=N) in F.softmax and friends reach the user's line. */
bool tsr_warn_caller(ErrKind kind, const char *msg);
/* The same, attributed to the innermost frame outside the package pkg's own
 * Python ("torch", "numpy"). */
bool tsr_warn_from(ErrKind kind, const char *msg, const char *pkg);
/* warnings.warn(msg, kind, stacklevel=2) of a torch function written in
 * Python, from C: at the caller's line, unless the caller is the package
 * pkg's own Python, which then warns at its own place itself (the loss
 * modules: torch/nn/modules/loss.py's lines). */
bool tsr_warn_unless_from(ErrKind kind, const char *msg, const char *pkg);
/* warnings.warn_explicit at a place in a library's own file (PyTorch's or
 * numpy's Python, as the oracle's install has it): its file, line, module
 * and source line. */
bool tsr_warn_explicit(ErrKind kind, const char *msg, const char *filename, int lineno, const char *module,
                       const char *line);

/* A loss's reduction= (NN_RED_*), with the legacy size_average=/reduce=
 * (torch.nn._Reduction) and its ValueError (nn.c). */
/* Where a 1.13 CPU build registers an operator's kernels, for the
 * dispatcher's NotImplementedError (backend_errors.c): the line of its CPU
 * kernel in RegisterCPU.cpp (0: none), and "N.cpp:LINE" of its autograd
 * and tracer kernels in VariableType_N.cpp and TraceType_N.cpp. */
typedef struct {
    int cpu;
    const char *variable_type, *trace_type;
} NoKernelSite;
/* Raises "Could not run 'aten::OP' with arguments from the 'BACKEND'
 * backend. ..." (NotImplementedError); returns false. */
bool raise_no_backend_kernel(const char *op, const char *backend, const NoKernelSite *site);

bool arg_reduction(Value *size_average, Value *reduce, Value *reduction, int *out);

/* generator=None (the default CPU generator) or a torch.Generator; NULL
 * with PyTorch's TypeError otherwise (random.c). */
struct RngGen *arg_generator(Value *v, const char *fn);

/* PyTorch's UserWarning for an output with elements resized to shape
 * (false when the filters made it an error) (out_arg.c). */
bool warn_output_resized(int had_ndim, const int64_t *had_shape, int ndim, const int64_t *shape);

#endif
