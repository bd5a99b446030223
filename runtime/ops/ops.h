/* ops.h: the op layer. Each op checks shapes and dtypes (PyTorch's errors),
 * promotes types, allocates its result, runs the device's kernel, and
 * records the autograd node when grad is needed (ag_record_steal).
 *
 * All functions borrow their arguments and return a new reference, or
 * NULL with an error raised (error.h). In-place ops (`_` suffix) return a
 * new reference to their first argument.
 *
 * The declarations are grouped by family, each section naming the file
 * that defines them; the top of that file lists what each of its nodes
 * saves. Helpers
 * private to runtime/ops/: op_errors.h, operands.h, elementwise_iter.h.
 */
#ifndef TSR_OPS_H
#define TSR_OPS_H

#include "autograd.h"
#include "elementwise_ops.h"
#include "layout.h"
#include "optim.h"
#include "random.h"
#include "reduced_float.h"
#include "tensor.h"

/* ---- the ctx of most nodes (shape.c) ----
 * OpCtx: what shape, index, reduction and most other ops keep in
 * node->ctx for the backward pass: the input's geometry and dtype plus
 * op-specific integers (args; the top of each op's file says what they
 * are). */
typedef struct {
    int ndim;
    int64_t sizes[TSR_MAX_DIMS];
    int64_t strides[TSR_MAX_DIMS];
    int64_t offset;
    DType dtype;
    int nargs;
    int64_t args[TSR_MAX_DIMS + 4];
} OpCtx;
/* The OpCtx describing `in` plus args (nargs capped at the args capacity;
 * the rest zero), as ag_record_steal's ctx: `OpCtx ctx = op_ctx(a, 1, args);
 * return ag_record_steal(out, name, &a, 1, NULL, 0, &ctx, sizeof ctx);` */
OpCtx op_ctx(const Tensor *in, int nargs, const int64_t *args);
/* Attaches op_ctx(in, nargs, args) to node (NULL-safe node). */
bool op_set_ctx(GradNode *node, const Tensor *in, int nargs, const int64_t *args);

/* ---- PyTorch 1.13's CPU kernels without a float16/bfloat16 loop
 * (reduced_float.h's table; reduced_float.c) ----
 * false with '"silu_cpu" not implemented for 'Half'' when x is a CPU tensor
 * of a dtype op's kernel refuses; true otherwise (CUDA tensors, other
 * dtypes). */
bool op_reduced_float_ok(ReducedFloatOp op, const Tensor *x);
/* The same for a kernel that runs in dtype dt (the promoted type of the
 * op's operands) on a CUDA device (cuda) or the CPU. */
bool op_reduced_float_ok_dtype(ReducedFloatOp op, DType dt, bool cuda);
/* The same by the op's name in the table (the Python composites ask through
 * torch._reduced_float_check); true for a name not in the table. */
bool op_reduced_float_ok_named(const char *op, const Tensor *x);

/* ---- elementwise: unary and binary (elementwise.c) ----
 * node->ctx of AddBackward0/SubBackward0/RsubBackward1 from op_add_alpha
 * with alpha != 1: an AlphaCtx (no ctx means alpha 1). LerpBackward0 and
 * Addcmul/AddcdivBackward0 (elementwise_ternary.c) keep their scalar in an
 * AlphaCtx too. */
typedef struct {
    double alpha;
} AlphaCtx;

/* a OP b with broadcasting and PyTorch's type promotion. Python scalars
 * arrive as wrapped-number 0-dim tensors (tensor_wrapped_*). */
Tensor *op_binary(BinaryOp op, Tensor *a, Tensor *b);
/* r (stolen) recorded under PyTorch's NotImplemented node for aten::name
 * when any of ins requires grad ("derivative for aten::NAME is not
 * implemented" when differentiated); r otherwise */
Tensor *op_record_not_implemented(Tensor *r, Tensor *const *ins, int n, const char *name);
/* the same for the outputs of one node (histogram's hist and bin_edges); false on error */
bool op_record_not_implemented_multi(Tensor **outs, int nout, Tensor *const *ins, int n, const char *name);
/* torch.pow(number, exponent): base is a wrapped number (PowBackward2). */
Tensor *op_pow_scalar_base(Tensor *base, Tensor *exponent);
/* a OP= b: result type must be castable to a's dtype ("result type Float
 * can't be cast to the desired output type Long"); b broadcasts to a. */
Tensor *op_binary_(BinaryOp op, Tensor *a, Tensor *b);
/* dtype_can_cast, else false with "result type Float can't be cast to
 * the desired output type Long" */
bool op_check_cast(DType from, DType to);
Tensor *op_unary(UnaryOp op, Tensor *a);
Tensor *op_unary_(UnaryOp op, Tensor *a);

/* a OP v (reversed: v OP a) with a C++ Scalar, as formulas write `grad * 2`:
 * records ATen's Scalar overload with one edge (MulBackward1, DivBackward1,
 * AddBackward1, SubBackward1, RsubBackward1, PowBackward0); `v / a` is
 * a.reciprocal() * v as in ATen. Other ops (comparisons) are op_binary
 * with a wrapped number. New reference; NULL with an error raised. */
Tensor *op_scalar_binary(BinaryOp op, Tensor *a, double v, bool reversed);

/* a + alpha * b, a - alpha * b */
Tensor *op_add_alpha(Tensor *a, Tensor *b, double alpha, bool subtract);
/* torch.rsub(self, other, alpha): other - alpha * self (RsubBackward0, or
 * RsubBackward1 when other is a wrapped number) */
Tensor *op_rsub(Tensor *self, Tensor *other, double alpha);
/* PyTorch's CPU build has no float16 loop for op: raises its error. The
 * builtins check it; sqrt and trunc pass inside op_unary because PyTorch's
 * float16 norm/std/div(rounding_mode='trunc') compute them. */
bool op_unary_half_ok(UnaryOp op, const Tensor *a);
/* Broadcasts two shapes (PyTorch's error text on mismatch: "The size of
 * tensor a (3) must match the size of tensor b (4) at non-singleton
 * dimension 1"). Returns the result ndim or -1. */
int broadcast_shapes(int na, const int64_t *a, int nb, const int64_t *b, int64_t *out);

Tensor *op_positive(Tensor *a);
Tensor *op_sgn(Tensor *a);
/* torch.angle for real dtypes: 0, pi or NaN (AngleBackward0: zeros) */
Tensor *op_angle(Tensor *a);
Tensor *op_signbit(Tensor *a);
Tensor *op_round_decimals(Tensor *a, int64_t decimals);
Tensor *op_nan_to_num(Tensor *a, bool has_nan, double nan, bool has_pos, double posinf, bool has_neg,
                      double neginf);
/* div with rounding_mode 'floor' (floor true) or 'trunc' */
Tensor *op_div_mode(Tensor *a, Tensor *b, bool floor);
Tensor *op_isclose(Tensor *a, Tensor *b, double rtol, double atol, bool equal_nan);

/* ---- special functions beyond one op row (special.c) ---- */
Tensor *op_polygamma(int64_t n, Tensor *x);
Tensor *op_mvlgamma(Tensor *x, int64_t p);
/* sum over j < p of fn(x - j / 2) (fn UN_LGAMMA / UN_DIGAMMA), x floating */
Tensor *op_mvlgamma_terms(Tensor *x, int64_t p, UnaryOp fn);
/* eps NaN: logit without eps */
Tensor *op_logit(Tensor *x, double eps);
Tensor *op_deg2rad(Tensor *x, bool to_rad);
Tensor *op_ndtr(Tensor *x);

/* ---- elementwise: three operands (elementwise_ternary.c) ---- */
Tensor *op_where(Tensor *cond, Tensor *a, Tensor *b);
/* clamp with optional bounds (NULL = none) */
Tensor *op_clamp(Tensor *a, Tensor *min, Tensor *max);
/* clamp_min (is_max false) / clamp_max with a scalar or tensor bound */
Tensor *op_clamp_bound(Tensor *a, Tensor *bound, bool is_max);
Tensor *op_masked_fill(Tensor *a, Tensor *mask, Tensor *value);
/* weight: a wrapped number (LerpBackward0) or a tensor (LerpBackward1) */
Tensor *op_lerp(Tensor *a, Tensor *end, Tensor *weight);
/* addcmul (div false) / addcdiv (div true) */
Tensor *op_addcmul(Tensor *self, Tensor *t1, Tensor *t2, double value, bool div);

/* ---- in-place (inplace.c) ----
 * The plumbing shared by every in-place op written as "compute out of
 * place, write back":
 *   op_inplace_allowed: PyTorch's leaf / view-of-leaf errors;
 *   op_inplace_standin: what the out-of-place op reads instead of a (a copy
 *     carrying a's history when a graph is recorded, else a itself);
 *   op_inplace_commit: writes r (stolen) into a, moves r's node onto a and
 *     rebases views (CopySlices on the base); returns a new ref to a. */
bool op_inplace_allowed(Tensor *a);
Tensor *op_inplace_standin(Tensor *a, bool grad);
Tensor *op_inplace_commit(Tensor *a, Tensor *r);
/* op_inplace_allowed, then op_inplace_standin for a graph when one is
 * recorded: the first step of a unary in-place op (NULL after an error) */
Tensor *op_inplace_begin(Tensor *a);
/* An in-place op's result shape must be self's: else PyTorch's "output with
 * shape [..] doesn't match the broadcast shape [..]". */
bool op_check_inplace_shape(const Tensor *self, int nd, const int64_t *shape);
/* In-place variants recording PyTorch's node on a; return a new reference
 * to a. op_fill_ with value NULL is zero_. */
Tensor *op_masked_fill_(Tensor *a, Tensor *mask, Tensor *value);
Tensor *op_clamp_(Tensor *a, Tensor *min, Tensor *max);
Tensor *op_clamp_bound_(Tensor *a, Tensor *bound, bool is_max);
Tensor *op_div_mode_(Tensor *a, Tensor *b, bool floor);
Tensor *op_add_alpha_(Tensor *a, Tensor *b, double alpha, bool subtract);
Tensor *op_addcmul_(Tensor *self, Tensor *t1, Tensor *t2, double value, bool div);
Tensor *op_fill_(Tensor *a, Tensor *value);
/* torch.fill(a, value): a new tensor of a's shape and dtype (FillBackward0/1) */
Tensor *op_fill(Tensor *a, Tensor *value);

/* ---- conversion (convert.c) ---- */
/* .to(dtype) / .float() etc.: records ToCopyBackward0 when needed. */
Tensor *op_to_dtype(Tensor *a, DType dtype);
/* .to(device, dtype, copy=): a itself when nothing changes (and !copy);
 * across devices records ToCopyBackward0 (the gradient goes back). */
Tensor *op_to(Tensor *a, DType dtype, Device dev, bool copy);
/* .to(..., memory_format=f): a itself when nothing changes (f preserve, or
 * a already suggests f), else a copy in format f (ToCopyBackward0).
 * clone/contiguous(memory_format=f); contiguous returns a when it already
 * is in f. Channels-last formats need a rank-4/5 tensor. */
Tensor *op_to_format(Tensor *a, DType dtype, Device dev, bool copy, MemFormat f);
Tensor *op_clone_format(Tensor *a, MemFormat f);
Tensor *op_contiguous_format(Tensor *a, MemFormat f);
/* dst.copy_(src): broadcast, any dtype and device; CopyBackwards. */
Tensor *op_copy_(Tensor *dst, Tensor *src);
Tensor *op_clone(Tensor *a);
/* x.pin_memory(): a pinned copy of a CPU tensor (PinMemoryBackward0) */
Tensor *op_pin_memory(Tensor *a);

/* complex tensors (complex.c) */
Tensor *op_real(Tensor *a);            /* a view (a itself for a real tensor) */
Tensor *op_imag(Tensor *a);            /* a view; RuntimeError for a real tensor */
Tensor *op_view_as_real(Tensor *a);
Tensor *op_view_as_complex(Tensor *a);
Tensor *op_complex(Tensor *real, Tensor *imag);
Tensor *op_polar(Tensor *abs, Tensor *angle);
Tensor *op_conj(Tensor *a);            /* a conjugated copy (a itself for a real tensor) */
Tensor *op_conj_physical(Tensor *a);   /* the same, recorded as ConjPhysicalBackward0 */
Tensor *op_conj_physical_(Tensor *a);  /* in place: ConjPhysicalBackward1, also for a real tensor */
Tensor *op_complex_abs(Tensor *a);     /* |z|, real dtype */
Tensor *op_complex_angle(Tensor *a);   /* arg(z), real dtype */
Tensor *op_contiguous(Tensor *a);
Tensor *op_detach(Tensor *a);
/* r (a result made on the host; the reference is stolen) moved to dev. */
Tensor *op_host_result_to_steal(Tensor *r, Device dev);
/* r (a new result, not yet recorded; the reference is stolen) in memory
 * format f, as ATen's kernels allocate their outputs with
 * suggest_memory_format(): r itself when it has that layout or f is
 * contiguous, else a copy in f made without recording. The values are
 * the contiguous kernel's. */
Tensor *op_result_in_format_steal(Tensor *r, MemFormat f);
/* The first channels-last format ts suggest (NULL entries skipped), else
 * contiguous: mkldnn_conv_use_channels_last's "input or weight" */
MemFormat op_suggest_format_of(Tensor *const *ts, int n);
/* c10's checked_convert: false with PyTorch's "value cannot be converted
 * to type uint8_t without overflow" when a Python number (an int i when
 * is_int, else a float d) does not fit dtype t. scalar_fits takes a wrapped
 * number or 0-dim tensor (its item: int64, double or bool). */
bool scalar_fits_number(DType t, bool is_int, int64_t i, double d);
bool scalar_fits(DType t, const Tensor *value);

/* ---- creation (creation.c) ---- */
Tensor *op_arange(double start, double end, double step, DType dtype, Device dev);
Tensor *op_linspace(double start, double end, int64_t steps, DType dtype, Device dev);
Tensor *op_logspace(double start, double end, int64_t steps, double base, DType dtype, Device dev);
Tensor *op_eye(int64_t n, int64_t m, DType dtype, Device dev);

/* ---- shape and views (shape.c) ---- */
/* A view of a (shares storage) with the given geometry; when grad is
 * needed records a node of kind `kind` (input a) with an OpCtx of a's
 * geometry and sets view_base. kind NODE_NONE: no autograd node (the
 * result is still a view). */
Tensor *op_make_view(Tensor *a, int ndim, const int64_t *shape, const int64_t *stride,
                     int64_t offset, GradNodeKind kind);
Tensor *op_view(Tensor *a, int ndim, const int64_t *shape);    /* -1 allowed */
Tensor *op_reshape(Tensor *a, int ndim, const int64_t *shape); /* -1 allowed */
Tensor *op_flatten(Tensor *a, int64_t start, int64_t end);
Tensor *op_transpose(Tensor *a, int64_t d0, int64_t d1);
Tensor *op_t(Tensor *a);
Tensor *op_permute(Tensor *a, int ndim, const int64_t *dims);
Tensor *op_movedim(Tensor *a, int n, const int64_t *src, const int64_t *dst);
Tensor *op_squeeze(Tensor *a, int ndims, const int64_t *dims); /* ndims 0 = all */
Tensor *op_unsqueeze(Tensor *a, int64_t dim);
Tensor *op_expand(Tensor *a, int ndim, const int64_t *shape);
Tensor *op_select(Tensor *a, int64_t dim, int64_t index);
/* a[start:end:step] along dim; start/end already clamped by caller? No:
 * op_slice clamps like Python (PyTorch's semantics); step must be > 0. */
Tensor *op_slice(Tensor *a, int64_t dim, int64_t start, int64_t end, int64_t step);
Tensor *op_narrow(Tensor *a, int64_t dim, int64_t start, int64_t length);
Tensor *op_diagonal(Tensor *a, int64_t offset, int64_t dim1, int64_t dim2);
/* split into pieces of split_size (or the sizes listed); returns count and
 * a malloc'd array of new references in *out. */
int op_split(Tensor *a, int64_t split_size, int64_t dim, Tensor ***out);
int op_split_sizes(Tensor *a, int n, const int64_t *sizes, int64_t dim, Tensor ***out);
int op_chunk(Tensor *a, int64_t chunks, int64_t dim, Tensor ***out);
/* unsafe_split, unsafe_split_with_sizes, unsafe_chunk: the same pieces,
 * not views of a (UnsafeSplitBackward0, UnsafeSplitWithSizesBackward0) */
int op_unsafe_split(Tensor *a, int64_t split_size, int64_t dim, Tensor ***out);
int op_unsafe_split_sizes(Tensor *a, int n, const int64_t *sizes, int64_t dim, Tensor ***out);
int op_unsafe_chunk(Tensor *a, int64_t chunks, int64_t dim, Tensor ***out);
int op_unbind(Tensor *a, int64_t dim, Tensor ***out);
Tensor *op_flip(Tensor *a, int ndims, const int64_t *dims);
Tensor *op_rot90(Tensor *a, int64_t k, int64_t dim0, int64_t dim1);
Tensor *op_view_dtype(Tensor *a, DType dtype);
Tensor *op_roll(Tensor *a, int n, const int64_t *shifts, const int64_t *dims);
Tensor *op_repeat(Tensor *a, int ndim, const int64_t *repeats);
Tensor *op_cat(Tensor *const *ts, int n, int64_t dim);
Tensor *op_stack(Tensor *const *ts, int n, int64_t dim);
/* In-place views: the tensor takes the view's geometry; nodes
 * SqueezeBackward2/3, UnsqueezeBackward1, TBackward1, TransposeBackward1
 * (same ctx and formulas as the out-of-place ones). */
Tensor *op_squeeze_(Tensor *a, int ndims, const int64_t *dims);
Tensor *op_unsqueeze_(Tensor *a, int64_t dim);
Tensor *op_t_(Tensor *a);
Tensor *op_transpose_(Tensor *a, int64_t d0, int64_t d1);

/* ---- indexing (index.c) ---- */
/* x[...] */
typedef enum { IDX_INT, IDX_SLICE, IDX_NONE, IDX_ELLIPSIS, IDX_TENSOR } IndexKind;
typedef struct {
    IndexKind kind;
    int64_t i;                       /* IDX_INT */
    bool has_start, has_stop;        /* IDX_SLICE: Python slice fields */
    int64_t start, stop, step;       /* IDX_SLICE (step defaults to 1) */
    Tensor *tensor;                  /* IDX_TENSOR: int64/int/bool index (borrowed) */
} TensorIndex;
/* Basic indexing gives views; any IDX_TENSOR makes it advanced (a copy). */
Tensor *op_index(Tensor *a, const TensorIndex *idx, int n);
/* a[idx] = value (value broadcasts to the indexed shape). */
bool op_index_put_(Tensor *a, const TensorIndex *idx, int n, Tensor *value);
Tensor *op_gather(Tensor *a, int64_t dim, Tensor *index);
/* scatter family: src NULL means the scalar `value`; add: scatter_add.
 * inplace writes into a and returns it (retained). */
Tensor *op_scatter(Tensor *a, int64_t dim, Tensor *index, Tensor *src, double value, bool add,
                   bool inplace);
Tensor *op_take(Tensor *a, Tensor *index);
/* scatter_reduce (op SCATTER_* of kernels/cpu/index.h; ScatterReduceBackward0:
 * saved {index, self, src, result}, OpCtx args {dim, op, include_self}) and
 * scatter(reduce='add'|'multiply') (no derivative: NotImplemented). */
Tensor *op_scatter_reduce(Tensor *a, int64_t dim, Tensor *index, Tensor *src, int op, bool include_self);
Tensor *op_scatter_with_reduce(Tensor *a, int64_t dim, Tensor *index, Tensor *src, double value, bool multiply);
Tensor *op_index_select(Tensor *a, int64_t dim, Tensor *index);
Tensor *op_masked_select(Tensor *a, Tensor *mask);
Tensor *op_nonzero(Tensor *a);                 /* [n, ndim] int64 */

/* ---- writes at positions (index_scatter.c) ----
 * out = self.clone() written at flat positions. The nodes' ctx: */
typedef struct {
    bool add;    /* accumulated (index_add, put/index_put accumulate): self's grad passes */
    bool value;  /* a 0-dim value filled (index_fill): its grad sums the written positions */
    bool pad;    /* src's first n elements written (masked_scatter): the rest get zero grad */
    double alpha; /* index_add's scale of the source */
} ScatterPosCtx;
Tensor *op_index_add(Tensor *self, int64_t dim, Tensor *index, Tensor *source, double alpha);
Tensor *op_index_copy(Tensor *self, int64_t dim, Tensor *index, Tensor *source);
Tensor *op_index_fill(Tensor *self, int64_t dim, Tensor *index, Tensor *value);
Tensor *op_put(Tensor *self, Tensor *index, Tensor *source, bool accumulate);
Tensor *op_index_put(Tensor *self, const TensorIndex *idx, int n, Tensor *values, bool accumulate);
Tensor *op_masked_scatter(Tensor *self, Tensor *mask, Tensor *source);
Tensor *op_select_scatter(Tensor *self, Tensor *src, int64_t dim, int64_t index);
Tensor *op_slice_scatter(Tensor *self, Tensor *src, int64_t dim, int64_t start, int64_t end, int64_t step);
Tensor *op_diagonal_scatter(Tensor *self, Tensor *src, int64_t offset, int64_t dim1, int64_t dim2);
/* the in-place forms: a new reference to self */
Tensor *op_index_add_(Tensor *self, int64_t dim, Tensor *index, Tensor *source, double alpha);
Tensor *op_index_copy_(Tensor *self, int64_t dim, Tensor *index, Tensor *source);
Tensor *op_index_fill_(Tensor *self, int64_t dim, Tensor *index, Tensor *value);
Tensor *op_put_(Tensor *self, Tensor *index, Tensor *source, bool accumulate);
Tensor *op_index_put_values_(Tensor *self, const TensorIndex *idx, int n, Tensor *values, bool accumulate);
Tensor *op_masked_scatter_(Tensor *self, Tensor *mask, Tensor *source);
/* take_along_dim (a gather after broadcasting; no dim: of the flattened input) */
Tensor *op_take_along_dim(Tensor *self, Tensor *indices, bool has_dim, int64_t dim);
/* index_reduce (op SCATTER_PROD, _MEAN, _AMAX, _AMIN; IndexReduceBackward0
 * saves as ScatterReduceBackward0 does, index spread over source's shape) */
Tensor *op_index_reduce(Tensor *self, int64_t dim, Tensor *index, Tensor *source, int op, bool include_self);
/* self.clone() with its view of geometry (size, stride, offset; checked
 * by the caller) replaced by src (AsStridedScatterBackward0) */
Tensor *op_geometry_scatter(Tensor *self, Tensor *src, int n, const int64_t *size, const int64_t *stride,
                            int64_t offset);

/* ---- user geometries (strided.c) ----
 * size n dims, stride ns (must match); no offset: the input's. */
Tensor *op_as_strided(Tensor *a, int n, const int64_t *size, int ns, const int64_t *stride, bool has_offset,
                      int64_t offset);
Tensor *op_as_strided_(Tensor *a, int n, const int64_t *size, int ns, const int64_t *stride, bool has_offset,
                       int64_t offset);
Tensor *op_as_strided_scatter(Tensor *self, Tensor *src, int n, const int64_t *size, int ns, const int64_t *stride,
                              bool has_offset, int64_t offset);
Tensor *op_unfold(Tensor *a, int64_t dim, int64_t size, int64_t step); /* Tensor.unfold */
Tensor *op_fill_diagonal_(Tensor *self, Tensor *value, bool wrap);
/* resize_: contiguous strides for size; the storage grows when too small */
Tensor *op_resize_(Tensor *a, int n, const int64_t *size);
/* Tensor.resize's autograd Function: contiguous x viewed as size (ResizeBackward) */
Tensor *op_resize_function(Tensor *x, int n, const int64_t *size);

/* ---- reductions and scans (reduce.c) ----
 * dims: NULL/ndims 0 = all dims. dtype: DT_UNDEFINED = default (sum/prod
 * of ints and bools gives int64). */
Tensor *op_sum(Tensor *a, int ndims, const int64_t *dims, bool keepdim, DType dtype);
Tensor *op_mean(Tensor *a, int ndims, const int64_t *dims, bool keepdim, DType dtype);
Tensor *op_prod(Tensor *a, int ndims, const int64_t *dims, bool keepdim, DType dtype);
Tensor *op_nansum(Tensor *a, int nd, const int64_t *dims, bool keepdim, DType dtype);
Tensor *op_nanmean(Tensor *a, int nd, const int64_t *dims, bool keepdim, DType dtype);
Tensor *op_logsumexp(Tensor *a, int ndims, const int64_t *dims, bool keepdim);
Tensor *op_amax(Tensor *a, int ndims, const int64_t *dims, bool keepdim);
Tensor *op_amin(Tensor *a, int ndims, const int64_t *dims, bool keepdim);
Tensor *op_all(Tensor *a, int ndims, const int64_t *dims, bool keepdim);
Tensor *op_any(Tensor *a, int ndims, const int64_t *dims, bool keepdim);
bool op_equal(Tensor *a, Tensor *b, bool *result);   /* torch.equal */
/* var/std with correction (1 = unbiased) */
Tensor *op_var(Tensor *a, int ndims, const int64_t *dims, int64_t correction, bool keepdim, bool take_sqrt);
/* var_mean (take_sqrt false) / std_mean: two new references */
bool op_var_mean(Tensor *a, int nd, const int64_t *dims, int64_t correction, bool keepdim, bool take_sqrt,
                 Tensor **var, Tensor **mean);
/* max()/min() over all elements (0-dim result) */
Tensor *op_max_all(Tensor *a);
Tensor *op_min_all(Tensor *a);
/* torch.segment_reduce (segment_reduce.c): lengths or offsets (NULL when
 * not given); SegmentReduceBackward0, whose gradient is
 * op_segment_reduce_backward (ctx: the node's) */
Tensor *op_segment_reduce(Tensor *data, const char *reduce, Tensor *lengths, Tensor *offsets, int64_t axis,
                          bool unsafe, bool has_initial, double initial);
Tensor *op_segment_reduce_backward(Tensor *grad, Tensor *out, Tensor *data, Tensor *lengths, const void *ctx);
/* max/min along dim: values and indices (new references in *values, *indices). */
bool op_max_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices);
bool op_min_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices);
Tensor *op_argmax(Tensor *a, bool has_dim, int64_t dim, bool keepdim);
Tensor *op_argmin(Tensor *a, bool has_dim, int64_t dim, bool keepdim);
bool op_aminmax(Tensor *a, bool has_dim, int64_t dim, bool keepdim, Tensor **mn, Tensor **mx);
Tensor *op_cumsum(Tensor *a, int64_t dim, DType dtype);
Tensor *op_cumprod(Tensor *a, int64_t dim, DType dtype);
/* logcumsumexp along dim (scan.c): float32/float64/bfloat16 */
Tensor *op_logcumsumexp(Tensor *a, int64_t dim);
/* renorm (renorm.c): PyTorch's checks of p, maxnorm and the input's dims,
 * then the op */
bool op_renorm_check(Tensor *a, double p, double maxnorm);
Tensor *op_renorm(Tensor *a, double p, int64_t dim, double maxnorm);
bool op_cummaxmin(Tensor *a, int64_t dim, bool is_max, Tensor **values, Tensor **indices);
Tensor *op_diff(Tensor *a, int64_t n, int64_t dim, Tensor *prepend, Tensor *append);

/* ---- sort (sort.c): sort, topk, kthvalue, median, mode, unique ---- */
/* stable=false sorts in libstdc++'s std::sort order, as PyTorch's CPU sort
 * does (equal elements' indices follow that algorithm, not their order) */
bool op_sort(Tensor *a, int64_t dim, bool descending, bool stable, Tensor **values, Tensor **indices);
bool op_topk(Tensor *a, int64_t k, int64_t dim, bool largest, bool sorted, Tensor **values,
             Tensor **indices);
bool op_kthvalue(Tensor *a, int64_t k, int64_t dim, bool keepdim, Tensor **values, Tensor **indices);
Tensor *op_median_all(Tensor *a);
bool op_median_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices);
Tensor *op_nanmedian_all(Tensor *a);
bool op_nanmedian_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices);
bool op_mode_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices);
/* torch.unique (dim=None): flattened, sorted; inverse/counts optional (NULL). */
bool op_unique(Tensor *a, Tensor **values, Tensor **inverse, Tensor **counts);

/* ---- counting and searching (histogram.c) ---- */
Tensor *op_bincount(Tensor *self, Tensor *weights, int64_t minlength); /* weights may be NULL */
Tensor *op_histc(Tensor *self, int64_t bins, double min, double max);
/* torch.histogram: bins equal-width bins over range (nrange values, NULL:
 * the input's min and max), or the edges bin_tensor when not NULL. */
/* torch.histogramdd: counts (nbins of them) or bin_tensors; edges_out
 * gets D (the input's last size, at most TSR_HIST_MAX_DIMS) new tensors */
enum { TSR_HIST_MAX_DIMS = 8 };
bool op_histogramdd(Tensor *self, const int64_t *counts, Tensor *const *bin_tensors, int nbins, int nrange,
                    const double *range, Tensor *weight, bool density, Tensor **hist_out, Tensor **edges_out);
bool op_histogram(Tensor *self, int64_t bins, Tensor *bin_tensor, int nrange, const double *range, Tensor *weight,
                  bool density, Tensor **hist, Tensor **bin_edges);
Tensor *op_searchsorted(Tensor *sorted, Tensor *input, bool out_int32, bool right, Tensor *sorter);
Tensor *op_bucketize(Tensor *input, Tensor *boundaries, bool out_int32, bool right);

/* ---- statistics (statistics.c) ---- */
Tensor *op_msort(Tensor *a);
/* trapezoid / cumulative_trapezoid along dim: sample points x (NULL:
 * spacing dx) */
Tensor *op_trapezoid(Tensor *y, Tensor *x, double dx, int64_t dim, bool cumulative);
/* fweights, aweights may be NULL */
Tensor *op_cov(Tensor *self, int64_t correction, Tensor *fweights, Tensor *aweights);
Tensor *op_corrcoef(Tensor *self);
/* dist(self, other, p): norm(self - other, p) as one node */
Tensor *op_dist(Tensor *self, Tensor *other, double p);
typedef enum { QUANTILE_LINEAR, QUANTILE_LOWER, QUANTILE_HIGHER, QUANTILE_MIDPOINT, QUANTILE_NEAREST } QuantileMode;
/* quantile / nanquantile (ignore_nan) of self at q (0-dim or 1-D, self's
 * dtype), over dim or the flattened input */
Tensor *op_quantile(Tensor *self, Tensor *q, bool has_dim, int64_t dim, bool keepdim, QuantileMode mode,
                    bool ignore_nan);

/* ---- linear algebra (linalg.c) ----
 * node->ctx of AddmmBackward0: an AddmmCtx. */
typedef struct {
    double beta, alpha;
} AddmmCtx;

/* ---- products that add into self (linalg_add.c) ----
 * beta * self + alpha * product, self broadcast to the product's shape;
 * nodes Addmv/Addr/Addbmm/BaddbmmBackward0 with an AddmmCtx. */
/* A C++ Scalar argument: its value and whether Python gave a bool ('b'),
 * an int ('i') or a float ('f'), which addr's checks read. */
typedef struct {
    double v;
    char kind;
} OpScalar;
Tensor *op_addmv(Tensor *self, Tensor *mat, Tensor *vec, double beta, double alpha);
/* inplace: self is the output (not broadcast; its dtype must hold the
 * result type) */
Tensor *op_addr(Tensor *self, Tensor *v1, Tensor *v2, OpScalar beta, OpScalar alpha, bool inplace);
Tensor *op_addbmm(Tensor *self, Tensor *b1, Tensor *b2, double beta, double alpha);
Tensor *op_baddbmm(Tensor *self, Tensor *b1, Tensor *b2, double beta, double alpha);

Tensor *op_matmul(Tensor *a, Tensor *b); /* every torch.matmul case */
Tensor *op_mm(Tensor *a, Tensor *b);
Tensor *op_bmm(Tensor *a, Tensor *b);
Tensor *op_dot(Tensor *a, Tensor *b);
Tensor *op_addmm(Tensor *self, Tensor *m1, Tensor *m2, double beta, double alpha);
Tensor *op_inner(Tensor *a, Tensor *b);
Tensor *op_outer(Tensor *a, Tensor *b);
Tensor *op_tensordot(Tensor *a, Tensor *b, int n1, const int64_t *d1, int n2, const int64_t *d2);
Tensor *op_vdot(Tensor *a, Tensor *b);
Tensor *op_kron(Tensor *a, Tensor *b);
/* torch.cross (has_dim false: the first dim of size 3) = linalg.cross */
Tensor *op_cross(Tensor *a, Tensor *b, bool has_dim, int64_t dim);
Tensor *op_trace(Tensor *a);
Tensor *op_diag(Tensor *a, int64_t diagonal);
Tensor *op_diag_embed(Tensor *a, int64_t offset, int64_t dim1, int64_t dim2);
Tensor *op_block_diag(Tensor *const *ts, int n);
/* tril, or triu when upper */
Tensor *op_tril(Tensor *a, int64_t diagonal, bool upper);
/* linalg.vector_norm; dtype DT_UNDEFINED = input's. */
Tensor *op_vector_norm(Tensor *a, double ord, int ndims, const int64_t *dims, bool keepdim, DType dtype);
/* torch.norm: p-norm over dims (ndims 0 = all); fro: p='fro' */
Tensor *op_norm(Tensor *a, double p, bool fro, int ndims, const int64_t *dims, bool keepdim);

/* ---- einsum (einsum.c) ---- */
/* torch.einsum(equation, operands) */
Tensor *op_einsum(const char *equation, Tensor *const *ops, int n);
/* ATen's sumproduct_pair: (left * right).sum(sum_dims) with keepdim, by
 * permute + reshape + bmm (einsum's contraction of two operands) */
Tensor *op_sumproduct_pair(Tensor *left, Tensor *right, int nsum, const int64_t *sum_dims);

/* ---- convolution (conv.c) ----
 * ConvParams: node->ctx of ConvolutionBackward0. dims 1, 2 or 3; outpad
 * only for transposed. */
typedef struct {
    int dims;
    int64_t stride[3], pad[3], dil[3], outpad[3];
    int64_t groups;
    bool transposed;
} ConvParams;
/* A contiguous host tensor with t's values (t itself, retained, when it
 * is one), made without recording. */
Tensor *op_host_contiguous(Tensor *t);
/* "[2, 3, 4]": t's sizes as PyTorch's messages print them */
void op_dims_str(const Tensor *t, char *buf, size_t n);
/* torch.conv_tbc(input (T, B, C), weight (K, C, O), bias (O), pad)
 * (ConvTbcBackward0) and its backward's gradients (res[i] where need[i]) */
Tensor *op_conv_tbc(Tensor *x, Tensor *w, Tensor *b, int64_t pad);
bool op_conv_tbc_backward(Tensor *grad, Tensor *x, Tensor *w, Tensor *b, int64_t pad, const bool need[3],
                          Tensor **res);
/* at::convolution on a batched input (N, C, [[D,] H,] W) */
Tensor *op_convolution(Tensor *x, Tensor *w, Tensor *b, const ConvParams *p);
/* PyTorch's complex convolution (conv1d/2d/3d, conv_transpose1d/2d/3d of a
 * complex input): three real convolutions of the parts composed by the
 * Gauss trick, as ATen's complex_convolution */
Tensor *op_convolution_complex(Tensor *x, Tensor *w, Tensor *b, const ConvParams *p);
/* The gradients of input, weight and bias (res[i] NULL where !need[i]);
 * computed without recording. */
bool op_convolution_backward(Tensor *gy, Tensor *x, Tensor *w, const ConvParams *p, const bool need[3],
                             Tensor *res[3]);

/* F.unfold (im2col) and F.fold (col2im): kernel, dilation, padding,
 * stride and the image size out (fold's output_size; node->ctx of
 * Im2ColBackward0 and Col2ImBackward0). */
typedef struct {
    int64_t k[2], d[2], p[2], s[2], out[2];
} FoldParams;
Tensor *op_im2col(Tensor *x, const FoldParams *f);
Tensor *op_col2im(Tensor *x, const FoldParams *f);

/* ---- interpolation (upsample.c) ----
 * UpsampleParams: node->ctx of the Upsample...Backward1 nodes: dims 1 or
 * 2 (bilinear with dims 1: linear), the output and (on the node) input sizes, the scale factors given
 * (0: none). */
typedef struct {
    int dims;
    bool bilinear, align_corners;
    int64_t out[2], in[2];
    double scale[2];
} UpsampleParams;
Tensor *op_upsample(Tensor *x, const UpsampleParams *p);
Tensor *op_upsample_backward(Tensor *grad, const UpsampleParams *p);

/* ---- pooling (pool.c) ----
 * PoolParams: node->ctx of the pooling nodes. */
enum { NN_POOL_MAX, NN_POOL_AVG, NN_POOL_AMAX, NN_POOL_AAVG, NN_POOL_FRAC };
typedef struct {
    int kind;
    int64_t kh, kw, sh, sw, ph, pw, dh, dw;
    bool ceil, count_include_pad, divisor_set;
    int64_t divisor;
    int64_t oh, ow; /* adaptive: the output size */
    /* dims 3: the depth's kernel, stride, padding, dilation (adaptive: od
     * the output depth); 0 (or 2): a 2-d pooling */
    int dims;
    int64_t kd, sd, pd, dd, od;
} PoolParams;
/* x pooled over its last two dims (dims 3: three), x of 3 or 4 dims (4
 * or 5); *indices (max kinds, may be NULL) gets the int64 positions. */
Tensor *op_pool(Tensor *x, const PoolParams *p, Tensor **indices);
/* The input gradient (indices: the max kinds' saved positions). */
Tensor *op_pool_backward(const PoolParams *p, Tensor *grad, Tensor *self, Tensor *indices);
/* fractional_max_pool2d / 3d (dims 2 or 3): kernel (nk sizes) and osize
 * (no sizes) as given, their lengths checked as ATen does; samples (N, C,
 * dims) of x's dtype. Records FractionalMaxPool{2,3}DBackward0 (ctx
 * PoolParams of kind NN_POOL_FRAC); *indices gets the positions. */
Tensor *op_fractional_max_pool(Tensor *x, int dims, int nk, const int64_t *kernel, int no, const int64_t *osize,
                               Tensor *samples, Tensor **indices);

/* ---- normalization and embedding (norm.c) ----
 * NormCtx: node->ctx of NativeBatch/Layer/GroupNormBackward0 and
 * EmbeddingBackward0 (rows: num_weights, n: padding_idx). */
enum { NORM_BATCH, NORM_LAYER, NORM_GROUP, NORM_EMBEDDING };
typedef struct {
    int kind;
    double eps;
    bool train;
    int64_t G, rows, n;
} NormCtx;
/* native_batch_norm: updates running_mean/var in place when train */
Tensor *op_batch_norm(Tensor *x, Tensor *rm, Tensor *rv, Tensor *w, Tensor *b, bool train, double momentum,
                      double eps);
Tensor *op_layer_norm(Tensor *x, int nd, const int64_t *shape, Tensor *w, Tensor *b, double eps);
Tensor *op_group_norm(Tensor *x, int64_t G, Tensor *w, Tensor *b, double eps);
/* The gradients of input, weight, bias of a norm node (s0, s1 its saved
 * statistics); res[i] NULL where !need[i]. Records nothing. */
bool op_norm_backward(const NormCtx *c, Tensor *grad, Tensor *x, Tensor *w, Tensor *s0, Tensor *s1,
                      const bool need[3], Tensor *res[3]);
Tensor *op_embedding(Tensor *weight, Tensor *indices, int64_t padding_idx);
/* torch.embedding_renorm_(self, indices, max_norm, norm_type): self */
Tensor *op_embedding_renorm_(Tensor *self, Tensor *indices, double max_norm, double norm_type);
Tensor *op_embedding_backward(Tensor *grad, Tensor *indices, int64_t num_weights, int64_t padding_idx);

/* ---- nn.functional (nn.c): activations, softmax, losses, linear, ... ---- */
enum { NN_RED_NONE = 0, NN_RED_MEAN = 1, NN_RED_SUM = 2 }; /* at::Reduction */
enum {
    NN_GELU, NN_GELU_TANH, NN_SILU, NN_ELU, NN_LEAKY, NN_SOFTPLUS, NN_HARDTANH, NN_LOGSIGMOID,
    NN_MISH, NN_HARDSWISH, NN_HARDSIGMOID
};
enum { NN_MSE, NN_SMOOTH_L1, NN_HUBER };
/* An activation's kind and scalars (node->ctx of its nodes): ELU {alpha,
 * scale, input_scale}, LEAKY {negative_slope}, SOFTPLUS {beta, threshold},
 * HARDTANH {min_val, max_val}. is_result: the node saved the result (the
 * in-place forms). */
typedef struct {
    int kind;
    double p[3];
    bool is_result;
} NnActCtx;
/* A loss's arguments (node->ctx): reduction, beta/delta, ignore_index (the
 * pointwise losses' backward nodes keep their kind there), has_weight. */
typedef struct {
    int reduction;
    double p;
    int64_t ignore_index;
    bool has_weight;
} NnLossCtx;
/* kind: the forward node's kind (NODE_GeluBackward0, NODE_CeluBackward0, ...) */
Tensor *op_nn_act(const NnActCtx *c, GradNodeKind kind, Tensor *x);
Tensor *op_nn_act_(const NnActCtx *c, GradNodeKind kind, Tensor *x);
Tensor *op_nn_act_backward(const NnActCtx *c, Tensor *grad, Tensor *x, Tensor *buffer);
/* tanh_backward(grad, result) = grad * (1 - result * result) as ATen's
 * vectorised CPU kernel computes it (the product fused into the
 * subtraction), for float32/float64 CPU tensors of one shape and dtype;
 * NULL, with no error raised, where that kernel does not apply (or on a
 * failed allocation): the caller composes the formula itself. */
Tensor *op_tanh_backward_vec(Tensor *grad, Tensor *r);
/* _softmax_backward_data(grad, r, dim) (log: _log_softmax_backward_data)
 * as ATen's vectorised CPU kernels compute it, for float32/float64 CPU
 * tensors of one shape and dtype, dim wrapped; NULL where those kernels do
 * not apply (no error raised: the caller composes the formula itself) or
 * on a failed allocation (raised). */
Tensor *op_softmax_backward_vec(Tensor *grad, Tensor *r, int64_t dim, bool log);
Tensor *op_nn_act_d2(const NnActCtx *c, Tensor *x);
/* softmax / log_softmax along dim. node->ctx of SoftmaxBackward0 /
 * LogSoftmaxBackward0: an OpCtx with args[0] = the dim (no ctx means the
 * last dim). */
Tensor *op_softmax(Tensor *a, int64_t dim, bool log);
Tensor *op_nn_pointwise_loss(int kind, Tensor *self, Tensor *target, int reduction, double p);
Tensor *op_nn_pointwise_loss_backward(int kind, Tensor *grad, Tensor *self, Tensor *target, int reduction,
                                      double p);
Tensor *op_nn_l1_loss(Tensor *self, Tensor *target, int reduction);
/* weight may be NULL */
Tensor *op_nn_nll_loss(Tensor *self, Tensor *target, Tensor *weight, int reduction, int64_t ignore_index);
Tensor *op_nn_nll_loss_backward(Tensor *grad, Tensor *self, Tensor *target, Tensor *weight, int reduction,
                                int64_t ignore_index, Tensor *total_weight);
Tensor *op_nn_cross_entropy(Tensor *self, Tensor *target, Tensor *weight, int reduction, int64_t ignore_index,
                            double label_smoothing);
Tensor *op_nn_bce(Tensor *self, Tensor *target, Tensor *weight, int reduction);
Tensor *op_nn_bce_backward(Tensor *grad, Tensor *self, Tensor *target, Tensor *weight, int reduction);
Tensor *op_nn_bce_logits(Tensor *self, Tensor *target, Tensor *weight, Tensor *pos_weight, int reduction);
Tensor *op_nn_linear(Tensor *x, Tensor *w, Tensor *bias);
/* returns x itself (retained) when nothing is dropped */
Tensor *op_nn_dropout(Tensor *x, double p, bool train, bool inplace);
Tensor *op_nn_one_hot(Tensor *t, int64_t num_classes);
Tensor *op_nn_normalize(Tensor *x, double p, int64_t dim, double eps);
/* ---- pad (pad.c): F.pad; pad in F.pad's order, the last dim's pair first */
Tensor *op_nn_pad(Tensor *x, int npad, const int64_t *pad, const char *mode, bool has_value, double value);
Tensor *op_nn_constant_pad(Tensor *x, int npad, const int64_t *pad, double value);
/* reflection (mode 0) or replication (1) of the last dims (1..3) dims */
Tensor *op_nn_pad_mode(Tensor *x, int mode, int dims, const int64_t *pad);
Tensor *op_nn_pad_mode_backward(Tensor *grad, int mode, const OpCtx *ctx);
Tensor *op_nn_circular_pad(Tensor *x, int npad, const int64_t *pad);
Tensor *op_nn_cosine_similarity(Tensor *x1, Tensor *x2, int64_t dim, double eps);

/* ---- random (random.c): PyTorch 1.13's fills, bit for bit ---- */

/* In-place fills of floating/integral tensors (any strides). Raise and
 * return false on bad arguments, with PyTorch's messages. */
bool rng_uniform_(Tensor *t, double from, double to, RngGen *g);
bool rng_normal_(Tensor *t, double mean, double std, RngGen *g);
/* random_(from, to): to_given false means random_(from) with to=None;
 * random_() is from = INT64_MIN with to_given false. */
bool rng_random_(Tensor *t, int64_t from, bool to_given, int64_t to, RngGen *g);
/* random_() without bounds: [0, max] for ints, [0, 2^digits] for floats. */
bool rng_random_plain_(Tensor *t, RngGen *g);
bool rng_exponential_(Tensor *t, double lambd, RngGen *g);
bool rng_bernoulli_scalar_(Tensor *t, double p, RngGen *g);
/* p broadcasts to t's shape. */
bool rng_bernoulli_tensor_(Tensor *t, Tensor *p, RngGen *g);

/* Fills t (CPU) element by element in PyTorch's order with draw(g, args)
 * stored in t's dtype (static_cast); checks nothing but Ctrl-C (false with
 * KeyboardInterrupt). */
bool rng_fill_each_(Tensor *t, double (*draw)(RngGen *g, const double *args), const double *args, RngGen *g);

/* New tensors. */
Tensor *rng_randperm(int64_t n, DType dtype, RngGen *g);
Tensor *rng_multinomial(Tensor *probs, int64_t num_samples, bool replacement, RngGen *g);

/* ---- fills on any device ----
 * The rng_*_ fills above, except that a CUDA tensor is filled on the GPU
 * from the CUDA generator (Philox4x32-10; the stream is documented in
 * kernels/cuda/random.cu), which advances its offset once per fill. CPU
 * tensors draw from g exactly as before. Errors are the CPU fills'. */
bool rng_dev_uniform_(Tensor *t, double from, double to, RngGen *g);
bool rng_dev_normal_(Tensor *t, double mean, double std, RngGen *g);
bool rng_dev_random_(Tensor *t, int64_t from, bool to_given, int64_t to, RngGen *g);
bool rng_dev_random_plain_(Tensor *t, RngGen *g);
bool rng_dev_exponential_(Tensor *t, double lambd, RngGen *g);
bool rng_dev_bernoulli_scalar_(Tensor *t, double p, RngGen *g);
bool rng_dev_bernoulli_tensor_(Tensor *t, Tensor *p, RngGen *g);

/* ---- the optimizers' fused steps (optim.c) ----
 * One parameter's SGD or Adam/AdamW update in one loop, bit for bit the
 * tensor ops of torch.optim's single-tensor step; false (nothing done, no
 * error) where the fused loop does not apply: the caller runs the ops. */
bool op_sgd_step_fused(Tensor *param, Tensor *grad, Tensor *buf, const SgdStep *s);
bool op_adam_step_fused(Tensor *param, Tensor *grad, Tensor *m, Tensor *v, Tensor *vmax, const AdamStep *s);

/* ---- linalg on LAPACK: LU, det, solve, inv (linalg_decomp.c) ----
 * PyTorch's texts for the checks (fn: the name its messages start with).
 * The pairs (sign, logabsdet), (inverse, info), (X, info) are new
 * references on success. */
Tensor *op_linalg_det(Tensor *A);
bool op_linalg_slogdet(Tensor *A, Tensor **sign, Tensor **logabsdet);
Tensor *op_logdet(Tensor *A);
/* api: the name of the singular-matrix error ("linalg.inv", "linalg.inv_ex") */
bool op_linalg_inv_ex(Tensor *A, bool check_errors, const char *api, Tensor **inverse, Tensor **info);
/* api: "torch.linalg.solve" / "torch.linalg.solve_ex" */
bool op_linalg_solve_ex(Tensor *A, Tensor *B, bool left, bool check_errors, const char *api, Tensor **X,
                        Tensor **info);
/* linalg.lu_solve(LU, pivots, B, left, adjoint) on checked inputs, no node
 * (the backward formulas' solve with a saved factorization) */
Tensor *op_linalg_lu_solve_nograd(Tensor *LU, Tensor *pivots, Tensor *B, bool left, bool adjoint);
/* linalg.cholesky_ex (api: the singular error's name, "linalg.cholesky" or
 * "linalg.cholesky_ex"); torch.cholesky's own version */
bool op_linalg_cholesky_ex(Tensor *A, bool upper, bool check_errors, const char *api, Tensor **L, Tensor **info);
Tensor *op_cholesky_legacy(Tensor *A, bool upper);
/* linalg.lu_factor_ex (api as above: "torch.linalg.lu_factor", ...) and
 * linalg.lu_solve */
bool op_linalg_lu_factor_ex(Tensor *A, bool pivot, bool check_errors, const char *api, Tensor **LU, Tensor **piv,
                            Tensor **info);
Tensor *op_linalg_lu_solve(Tensor *LU, Tensor *pivots, Tensor *B, bool left, bool adjoint);
/* linalg.ldl_factor_ex (linalg_ldl.c): LD, pivots, info; api names the
 * function in check_errors' message */
bool op_linalg_ldl_factor_ex(Tensor *A, bool hermitian, bool check_errors, const char *api, Tensor **LD,
                             Tensor **pivots, Tensor **info);
Tensor *op_linalg_ldl_solve(Tensor *LD, Tensor *pivots, Tensor *B, bool hermitian);
/* linalg.solve_triangular(A, B, upper=, left=, unitriangular=); the
 * _nograd version: checked inputs, no node (backward formulas) */
Tensor *op_linalg_solve_triangular(Tensor *A, Tensor *B, bool upper, bool left, bool unit);
Tensor *op_linalg_solve_triangular_nograd(Tensor *A, Tensor *B, bool upper, bool left, bool unit);
/* torch.cholesky_solve(B, L, upper) (potrs) and torch.cholesky_inverse(L,
 * upper) (potri, the other triangle mirrored) */
Tensor *op_cholesky_solve(Tensor *B, Tensor *L, bool upper);
Tensor *op_cholesky_inverse(Tensor *L, bool upper);
/* torch.triangular_solve(b, A, upper, transpose, unitriangular): the
 * solution and A's F-contiguous copy (cloned_coefficient) */
bool op_triangular_solve(Tensor *B, Tensor *A, bool upper, bool transpose, bool unit, Tensor **X, Tensor **Ac);
/* torch.lu_unpack(LU, pivots, unpack_data, unpack_pivots): P, L, U (empty
 * where not unpacked) */
bool op_lu_unpack(Tensor *LU, Tensor *pivots, bool unpack_data, bool unpack_pivots, Tensor **P, Tensor **L,
                  Tensor **U);
/* linalg.matrix_power(A, n): matmuls in PyTorch's order (n < 0: of inv(A)) */
Tensor *op_linalg_matrix_power(Tensor *A, int64_t n);
/* at::_linalg_check_errors: raises torch._C._LinAlgError for the first
 * non-zero info of the batch (is_matrix: no "(Batch element i)") */
bool op_linalg_check_errors(Tensor *info, const char *api, bool is_matrix);

/* ---- QR (linalg_qr.c): geqrf + orgqr, PyTorch's checks and texts ----
 * op_qr_mode: "reduced" 0, "complete" 1, "r" 2 (-1 raised). Pairs are new
 * references on success. */
int op_qr_mode(const char *mode);
bool op_linalg_qr(Tensor *A, int mode, Tensor **Q, Tensor **R);
bool op_geqrf(Tensor *A, Tensor **a, Tensor **tau);
Tensor *op_linalg_householder_product(Tensor *A, Tensor *tau);

/* ---- eigh, symeig, svd (linalg_spectral.c): syevd, syev, gesdd ----
 * op_check_uplo: PyTorch's checkUplo ("L"/"U", either case). eigh with
 * compute_v false leaves V empty (eigvalsh). has_driver: driver= given
 * (an error on the CPU). torch.svd returns V = Vh.mT (a view). */
bool op_check_uplo(const char *uplo, bool *upper);
bool op_linalg_eigh(Tensor *A, const char *uplo, bool compute_v, Tensor **L, Tensor **V);
bool op_symeig(Tensor *A, bool eigenvectors, bool upper, Tensor **L, Tensor **V);
bool op_linalg_svd(Tensor *A, bool full_matrices, bool compute_uv, bool has_driver, Tensor **U, Tensor **S,
                   Tensor **Vh);
Tensor *op_linalg_svdvals(Tensor *A, bool has_driver);
bool op_svd_legacy(Tensor *A, bool some, bool compute_uv, Tensor **U, Tensor **S, Tensor **V);
/* linalg.pinv and linalg.matrix_rank (atol, rtol: NULL for None; float
 * tolerances come as 0-d float64 tensors) */
Tensor *op_linalg_pinv(Tensor *A, Tensor *atol, Tensor *rtol, bool hermitian);
Tensor *op_linalg_matrix_rank(Tensor *A, Tensor *atol, Tensor *rtol, bool hermitian);

/* pixel_shuffle / pixel_unshuffle (pixel_shuffle.c): a permuted copy,
 * one node each */
Tensor *op_pixel_shuffle(Tensor *x, int64_t upscale_factor);
Tensor *op_pixel_unshuffle(Tensor *x, int64_t downscale_factor);
/* channel_shuffle (pixel_shuffle.c): records NotImplemented, as 1.13 */
Tensor *op_channel_shuffle(Tensor *x, int64_t groups);

/* rrelu (rrelu.c): RreluWithNoiseBackward0's ctx; the op (training draws
 * from the default generator) and its backward (records nothing of its
 * own: a mul or leaky_relu_backward) */
typedef struct {
    double lower, upper;
    bool training;
} RreluCtx;
Tensor *op_nn_rrelu(Tensor *x, double lower, double upper, bool training);
Tensor *op_nn_rrelu_backward(Tensor *grad, Tensor *x, Tensor *noise, const RreluCtx *c);

/* ---- linalg.vander(x, N=None) (creation.c; has_n false: N = x.size(-1));
 * linalg.tensorinv(A, ind), linalg.tensorsolve(A, B, dims) (dims NULL:
 * None) (linalg_tensorsolve.c); linalg.matrix_exp(A)
 * (linalg_matrix_exp.c, LinalgMatrixExpBackward0) ---- */
Tensor *op_linalg_vander(Tensor *x, bool has_n, int64_t N);
Tensor *op_linalg_tensorinv(Tensor *A, int64_t ind);
Tensor *op_linalg_tensorsolve(Tensor *A, Tensor *B, int ndims, const int64_t *dims);
Tensor *op_linalg_matrix_exp(Tensor *A);
/* linalg.lu(A, pivot) (linalg_decomp.c): P, L, U (new references on success) */
bool op_linalg_lu(Tensor *A, bool pivot, Tensor **P, Tensor **L, Tensor **U);
/* linalg.lstsq(A, B, rcond, driver) (linalg_lstsq.c): driver NULL for
 * gelsy; has_rcond false: eps * max(m, n). New references on success. */
bool op_linalg_lstsq(Tensor *A, Tensor *B, bool has_rcond, double rcond, const char *driver, Tensor **solution,
                     Tensor **residuals, Tensor **rank, Tensor **sv);
/* threshold (threshold.c): x <= threshold gives value (both converted to
 * x's dtype); ThresholdBackward0 / ThresholdBackward1 (in place), ctx the
 * threshold (a double). threshold_backward records
 * ThresholdBackwardBackward0 (saved {self}, the same ctx). */
Tensor *op_threshold(Tensor *x, double threshold, double value);
Tensor *op_threshold_(Tensor *x, double threshold, double value);
Tensor *op_threshold_backward(Tensor *grad, Tensor *x, double threshold);

/* multi_margin_loss / multilabel_margin_loss (loss_margin.c): ATen's ops
 * and their backward functions (reduction: NN_RED_*) */
typedef struct {
    int p;
    double margin;
    int reduction;
} MarginCtx;
Tensor *op_multi_margin_loss(Tensor *x, Tensor *target, Tensor *weight, const MarginCtx *c);
Tensor *op_multi_margin_loss_backward(Tensor *grad, Tensor *x, Tensor *target, Tensor *weight, const MarginCtx *c);
Tensor *op_multilabel_margin_loss(Tensor *x, Tensor *target, int reduction);
Tensor *op_multilabel_margin_loss_backward(Tensor *grad, Tensor *x, Tensor *target, Tensor *is_target,
                                           int reduction);

/* ctc_loss (loss_ctc.c): ATen's composite over _ctc_loss
 * (CtcLossBackward0). input_lengths / target_lengths: CPU int64
 * contiguous tensors (the builtin converts tuples and integral tensors);
 * reduction: NN_RED_*. */
typedef struct {
    int64_t blank;
    bool zero_infinity;
} CtcCtx;
Tensor *op_ctc_loss(Tensor *log_probs, Tensor *targets, Tensor *input_lengths, Tensor *target_lengths, int64_t blank,
                    int reduction, bool zero_infinity);
/* _ctc_loss_backward: the gradient of the per-sample losses (T, B, C) */
Tensor *op_ctc_loss_backward(Tensor *grad, Tensor *log_probs, Tensor *targets, Tensor *input_lengths,
                             Tensor *target_lengths, Tensor *nll, Tensor *log_alpha, const CtcCtx *c);

/* max_unpool2d / max_unpool3d (unpool.c): osize the nd output sizes,
 * stride (3-d only: checked > 0); MaxUnpool{2,3}DBackward0 */
Tensor *op_max_unpool(Tensor *x, Tensor *idx, int nd, const int64_t *osize, const int64_t *stride);
Tensor *op_max_unpool_backward(Tensor *grad, Tensor *idx, int nd);

/* pdist (pdist.c): PdistBackward0 (ctx p), its backward
 * PdistBackwardBackward0 */
Tensor *op_pdist(Tensor *x, double p);
Tensor *op_pdist_backward(Tensor *grad, Tensor *x, double p, Tensor *dist);
/* torch.cdist (pdist.c), compute_mode 0 (None), 1 (use mm) or 2 (never):
 * CdistBackward0 (ctx p) or the matmul path's EuclideanDistBackward0;
 * _cdist_backward records CdistBackwardBackward0 */
Tensor *op_cdist(Tensor *x1, Tensor *x2, double p, int mode);
Tensor *op_cdist_backward(Tensor *grad, Tensor *x1, Tensor *x2, double p, Tensor *dist);

/* ---- samplers (random_samplers.c): drawn from g (the CPU generator) on
 * any device, bit for bit PyTorch's CPU values ---- */
typedef enum { SAMPLER_CAUCHY, SAMPLER_LOG_NORMAL, SAMPLER_GEOMETRIC } RandomSampler;
/* t.cauchy_(a=median, b=sigma), t.log_normal_(a=mean, b=std),
 * t.geometric_(a=p): t (new reference) or NULL with PyTorch's error;
 * records CauchyBackward0 / LogNormalBackward0 / GeometricBackward0. */
Tensor *op_random_sampler_(Tensor *t, RandomSampler which, double a, double b, RngGen *g);
/* torch.poisson (PoissonBackward0) and torch.binomial (count and prob
 * broadcast; its derivative is not implemented). */
Tensor *op_poisson(Tensor *rates, RngGen *g);
Tensor *op_binomial(Tensor *count, Tensor *prob, RngGen *g);

/* torch.frexp (frexp.c): the mantissa (x's dtype, FrexpBackward0) and
 * an int32 exponent, laid out like x; false with PyTorch's error. */
bool op_frexp(Tensor *x, Tensor **mantissa, Tensor **exponent);

/* a.set_(src) (strided.c): a takes src's storage and, unless geometry,
 * its offset, sizes and strides (src NULL: a new empty storage, size
 * [0]); the storage grows to fit the geometry. Records NotImplemented
 * ("set_") when either requires grad. */
Tensor *op_set_(Tensor *a, Tensor *src, bool geometry, int64_t offset, int n, const int64_t *size,
                const int64_t *stride);

/* torch.ormqr (linalg_ormqr.c): op(Q) C (left) or C op(Q), Q from
 * geqrf's (A, tau), op transposing when transpose; OrmqrBackward0. */
Tensor *op_ormqr(Tensor *A, Tensor *tau, Tensor *C, bool left, bool transpose);
/* ---- hardshrink, softshrink (shrink.c) ----
 * torch.hardshrink: 0 where -lambd <= x <= lambd, else x
 * (HardshrinkBackward0); F.softshrink: x - lambd above lambd, x + lambd
 * below -lambd, else 0 (SoftshrinkBackward0). Their backward (soft: true
 * for softshrink's): grad where x is outside [-lambd, lambd], else 0
 * (Hardshrink/SoftshrinkBackwardBackward0). */
Tensor *op_hardshrink(Tensor *x, double lambd);
Tensor *op_softshrink(Tensor *x, double lambd);
Tensor *op_shrink_backward(Tensor *grad, Tensor *x, double lambd, bool soft);
/* ---- glu (glu.c) ----
 * F.glu(x, dim): a * sigmoid(b) of x's halves along dim (GluBackward0);
 * glu_backward(grad, x, dim): the gradients of both halves, joined. */
Tensor *op_glu(Tensor *x, int64_t dim);
Tensor *op_glu_backward(Tensor *grad, Tensor *x, int64_t dim);

/* ---- prelu (prelu.c) ----
 * torch.prelu: x where x > 0, else weight * x, weight shared (one
 * element) or one per channel (dim 1) (PreluBackward0); prelu_backward's
 * two results (PreluBackwardBackward0 when recorded). */
Tensor *op_prelu(Tensor *x, Tensor *w);
bool op_prelu_backward(Tensor *grad, Tensor *x, Tensor *w, Tensor **gx, Tensor **gw);

/* ---- bilinear (bilinear.c) ----
 * torch.bilinear(x1, x2, weight, bias or NULL) through at::_trilinear
 * (TrilinearBackward0); op_trilinear's dim sets are bit masks over its
 * total dims; op_trilinear_backward fills grads[k] where need[k] (ctx:
 * the node's). */
Tensor *op_bilinear(Tensor *x1, Tensor *x2, Tensor *w, Tensor *bias);
Tensor *op_trilinear(Tensor *i1, Tensor *i2, Tensor *i3, const unsigned expand[3], unsigned sumdim, int unroll_dim);
bool op_trilinear_backward(Tensor *grad, Tensor *const *in, const void *ctx, const bool need[3], Tensor **grads);

/* ---- affine_grid (affine_grid.c) ----
 * torch.affine_grid_generator(theta, size (n = 4 or 5), align_corners)
 * (AffineGridGeneratorBackward0); its backward for the node's ctx. */
Tensor *op_affine_grid_generator(Tensor *theta, int n, const int64_t *size, bool align_corners);
Tensor *op_affine_grid_generator_backward(Tensor *grad, const void *ctx);

/* ---- embedding_bag (embedding_bag.c) ----
 * torch.embedding_bag(weight, indices, offsets, scale_grad_by_freq, mode
 * (0 sum, 1 mean, 2 max), sparse, per_sample_weights or NULL,
 * include_last_offset, padding_idx when has_padding): results[4] =
 * output (EmbeddingBagBackward0), offset2bag, bag_size, max_indices.
 * op_embedding_bag_backward: the node's formula over its saved tensors
 * and ctx. */
bool op_embedding_bag(Tensor *weight, Tensor *indices, Tensor *offsets, bool scale_grad_by_freq, int64_t mode,
                      bool sparse, Tensor *psw, bool include_last_offset, bool has_padding, int64_t padding_idx,
                      Tensor **results);
bool op_embedding_bag_backward(Tensor *grad, Tensor *const *saved, const void *ctx, bool need_weight, bool need_psw,
                               Tensor **gw, Tensor **gpsw);

/* ---- grid_sample (grid_sample.c) ----
 * torch.grid_sampler (4-D input: grid_sampler_2d, else grid_sampler_3d;
 * interpolation 0 bilinear, 1 nearest, 2 bicubic (2-d only); padding 0
 * zeros, 1 border, 2 reflection) (GridSampler2DBackward0 /
 * GridSampler3DBackward0); their backward's two results (grad_input only
 * when need_input). */
Tensor *op_grid_sampler(Tensor *input, Tensor *grid, int64_t interp, int64_t padding, bool align_corners);
Tensor *op_grid_sampler_2d(Tensor *input, Tensor *grid, int64_t interp, int64_t padding, bool align_corners);
bool op_grid_sampler_2d_backward(Tensor *grad, Tensor *input, Tensor *grid, const void *ctx, bool need_input,
                                 Tensor **grad_input, Tensor **grad_grid);
Tensor *op_grid_sampler_3d(Tensor *input, Tensor *grid, int64_t interp, int64_t padding, bool align_corners);
bool op_grid_sampler_3d_backward(Tensor *grad, Tensor *input, Tensor *grid, const void *ctx, bool need_input,
                                 Tensor **grad_input, Tensor **grad_grid);

/* ---- torch.fft (fft.c): ATen's native/SpectralOps.cpp over the pocketfft
 * transforms of kernels/cpu/fft.c ---- */
typedef enum { FFT_NORM_NONE, FFT_NORM_BY_N, FFT_NORM_BY_ROOT_N } FftNorm; /* ATen's fft_norm_mode */
typedef enum { FFT_FN_FFT, FFT_FN_IFFT, FFT_FN_RFFT, FFT_FN_IRFFT, FFT_FN_HFFT, FFT_FN_IHFFT } FftFn;
/* _fft_c2c, _fft_r2c, _fft_c2r: dims wrapped and unique; x complex (c2c,
 * c2r) or float32/float64 (r2c) */
/* The nodes' ctx (FftC2CBackward0: flag = forward; FftR2CBackward0: flag =
 * onesided, last_dim_size = the input's last transformed size;
 * FftC2RBackward0: neither). Each records its node (runtime/backward/complex.c). */
typedef struct {
    int ndims;
    int64_t dims[TSR_MAX_DIMS];
    FftNorm norm;
    bool flag;
    int64_t last_dim_size;
} FftCtx;
Tensor *op_fft_c2c_raw(Tensor *x, int ndims, const int64_t *dims, FftNorm norm, bool forward);
Tensor *op_fft_r2c_raw(Tensor *x, int ndims, const int64_t *dims, FftNorm norm, bool onesided);
Tensor *op_fft_c2r_raw(Tensor *x, int ndims, const int64_t *dims, FftNorm norm, int64_t last_dim_size);
/* torch.fft.fft, ifft, rfft, irfft, hfft, ihfft (n: has_n; norm NULL:
 * "backward") */
Tensor *op_fft(FftFn fn, Tensor *x, int64_t n, bool has_n, int64_t dim, const char *norm);
/* torch.fft.fftn and the others' n-dimensional forms (s, dim: NULL when
 * not given) */
Tensor *op_fftn(FftFn fn, Tensor *x, int ns, const int64_t *s, int ndim, const int64_t *dim, const char *norm);
/* fftfreq (rfft false) and rfftfreq */
Tensor *op_fftfreq(int64_t n, double d, bool rfft, DType dtype, Device dev);
/* fftshift (inverse false) and ifftshift; dim NULL: every dim */
Tensor *op_fftshift(Tensor *x, int ndim, const int64_t *dim, bool inverse);

#endif
