/* tensor.h: refcounted storage and strided tensor views over it.
 *
 * Ownership: functions borrow their Tensor* arguments and return a new
 * reference (rc already counted for the caller), or NULL with an error
 * raised (error.h). A function that takes a reference says so (_steal).
 */
#ifndef TSR_TENSOR_H
#define TSR_TENSOR_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"

#define TSR_MAX_DIMS 25 /* PyTorch's limit for many ops is 25 (TensorIterator) */

typedef enum { DEV_CPU = 0, DEV_CUDA = 1 } DeviceType;
typedef struct {
    DeviceType type;
    int index; /* -1 = unspecified ("cuda"), else ordinal */
} Device;

static inline Device device_cpu(void) { Device d = {DEV_CPU, -1}; return d; }

/* Bytes that one or more tensors view. `version` is the autograd version
 * counter shared by all views of these bytes. */
typedef struct Storage {
    int64_t rc;
    void *data;
    int64_t nbytes;
    Device device;
    int64_t version;
    /* made inside torch.inference_mode(): its tensors and their views are
     * inference tensors (x.is_inference()) */
    bool inference;
    bool shared; /* x.share_memory_() was called (is_shared) */
    bool pinned; /* made by x.pin_memory() (is_pinned): page-locked in a CUDA build */
    /* an ndarray's memory lent to torch (from_numpy, as_tensor): PyTorch's
     * storage over it is not resizable */
    bool borrowed;
    /* memory another object owns (torch.frombuffer's bytearray): released
     * with release_data(data_owner) instead of being freed */
    void (*release_data)(void *owner);
    void *data_owner;
} Storage;

/* torch.inference_mode() is on: new storages are inference storages */
extern bool tsr_inference_mode;
/* Set once a complex tensor exists: from then on every call checks that
 * the op takes complex operands (eval.c), as device_cuda_used does for
 * devices. tensor_set_dtype is the one way a tensor changes dtype. */
extern bool tsr_complex_used;

struct GradNode;

enum { TENSOR_NP_NONE, TENSOR_NP_ARRAY, TENSOR_NP_SCALAR };

typedef struct Tensor {
    int64_t rc;
    Storage *storage;
    DType dtype;
    int ndim;
    int64_t offset; /* in elements */
    int64_t shape[TSR_MAX_DIMS];
    int64_t stride[TSR_MAX_DIMS]; /* in elements */

    /* A Python scalar promoted to a 0-dim tensor for an op: it takes part in
     * type promotion as a "wrapped number" (see dtype.h result_type_*). */
    bool wrapped_number;

    /* An nn.Parameter (torch.Tensor's subclass): the language reads it for
     * type(), isinstance and repr; every op's result is a plain tensor. */
    bool is_parameter;

    /* A numpy object over this tensor (import numpy): TENSOR_NP_ARRAY is an
     * np.ndarray, TENSOR_NP_SCALAR a numpy scalar (np.float64(1.5), a[0]).
     * The language reads it for type(), printing and numpy's operators;
     * every op's result is a plain tensor. */
    uint8_t numpy;

    /* autograd */
    bool requires_grad;          /* leaves: set by user; non-leaves: grad_fn != NULL */
    bool retains_grad;
    struct Tensor *grad;         /* owned; NULL until backward */
    struct GradNode *grad_fn;    /* owned; NULL for leaves */
    int output_nr;               /* which output of grad_fn this is */
    struct Tensor *view_base;    /* owned; the base of a view (autograd.h: ag_set_view) */
    int64_t view_version;        /* views: storage version when grad_fn was last set */
    int view_meta;               /* views: PyTorch's CreationMeta (AG_VIEW_*) */
    struct AgHook *hooks;        /* register_hook on a leaf; owned (autograd.c) */
} Tensor;

static inline void tensor_set_dtype(Tensor *t, DType dt) {
    t->dtype = dt;
    if (dtype_is_complex(dt)) tsr_complex_used = true;
}

/* --- lifetime --- */
/* The autograd layer's part in freeing a tensor: its grad_fn, hooks and
 * retain_grad registration. tensor/ sits below autograd/, so autograd/
 * installs it when it first gives a tensor any of them (record.c; the seam
 * c10 has in AutogradMetaInterface). */
extern void (*tensor_autograd_release)(Tensor *t);
Tensor *tensor_retain(Tensor *t);  /* returns t */
void tensor_release(Tensor *t);    /* NULL-safe */
Storage *storage_new(int64_t nbytes, Device dev); /* uninitialised bytes */
void storage_retain(Storage *s);
void storage_release(Storage *s);
/* A CPU storage over nbytes at data, which owner keeps alive until
 * release(owner) (a borrowed storage: not resizable). */
Storage *storage_external(void *data, int64_t nbytes, void (*release)(void *owner), void *owner);
/* A CPU storage over nbytes of the file at path mapped into memory
 * (storage_map.c, ATen's MapAllocator): shared maps it MAP_SHARED, opening
 * it read-write, creating it and stretching it to nbytes when shorter;
 * otherwise MAP_PRIVATE over a read-only file at least nbytes long. No
 * mapping for 0 bytes. The storage unmaps the file when freed. */
Storage *storage_map_file(const char *path, bool shared, int64_t nbytes);

/* --- creation (new contiguous tensors) --- */
/* Uninitialised contiguous tensor. Checks for negative sizes and overflow
 * ("Trying to create tensor with negative dimension -1: [-1]"). */
Tensor *tensor_empty(DType dtype, int ndim, const int64_t *shape, Device dev);
Tensor *tensor_zeros(DType dtype, int ndim, const int64_t *shape, Device dev);
Tensor *tensor_full_f64(DType dtype, int ndim, const int64_t *shape, double v, Device dev);
Tensor *tensor_full_i64(DType dtype, int ndim, const int64_t *shape, int64_t v, Device dev);
/* 0-dim tensors; the `wrapped` variants make Python-scalar operands. */
Tensor *tensor_scalar_f64(DType dtype, double v);
Tensor *tensor_scalar_i64(DType dtype, int64_t v);
Tensor *tensor_wrapped_bool(bool v);    /* dtype bool,   wrapped_number */
Tensor *tensor_wrapped_int(int64_t v);  /* dtype int64,  wrapped_number */
Tensor *tensor_wrapped_float(double v); /* dtype float64, wrapped_number */
Tensor *tensor_wrapped_complex(double re, double im); /* complex128, wrapped_number */

/* A new tensor sharing t's storage with the given geometry (a view).
 * Autograd bookkeeping of views is the op layer's job. */
Tensor *tensor_as_strided(Tensor *t, int ndim, const int64_t *shape,
                          const int64_t *stride, int64_t offset);
/* A view sharing everything but autograd state (detach()). */
Tensor *tensor_alias(Tensor *t);

/* --- geometry --- */
int64_t tensor_numel(const Tensor *t);
bool tensor_is_contiguous(const Tensor *t);
/* --- data addresses ---
 * CUDA storage is managed memory: the host may read and write it, but only
 * after the kernels launched on it have finished. storage_host and
 * tensor_data are the host's accessors: they wait for pending kernels
 * first (a flag test when nothing is pending). tensor_ptr is the raw
 * address, for handing to a kernel launch on the tensor's own device. */
/* device.c: waits for the kernels launched on the GPU (a flag test when
 * none is pending) */
void device_wait(void);
static inline char *storage_host(Storage *s) {
    if (s->device.type == DEV_CUDA) device_wait();
    return (char *)s->data;
}
static inline char *tensor_ptr(const Tensor *t) {
    return (char *)t->storage->data + t->offset * (int64_t)dtype_size(t->dtype);
}
/* Pointer to the element at offset (element 0 of the view), for the host. */
static inline char *tensor_data(const Tensor *t) {
    return storage_host(t->storage) + t->offset * (int64_t)dtype_size(t->dtype);
}
static inline bool tensor_is_cuda(const Tensor *t) { return t->storage->device.type == DEV_CUDA; }
/* Contiguous strides for shape into out; returns numel (or -1 on overflow). */
int64_t contiguous_strides(int ndim, const int64_t *shape, int64_t *out);
/* Normalises dim against ndim (negatives wrap). Raises PyTorch's IndexError
 * "Dimension out of range (expected to be in range of [-2, 1], but got 2)"
 * and returns -1. For ndim 0, the range is [-1, 0]. */
int wrap_dim(int64_t dim, int ndim);

/* --- copies and conversions (no autograd) --- */
/* Copies src into dst elementwise with dtype conversion; src broadcasts to
 * dst's shape. Returns false with an error raised. */
bool tensor_copy_(Tensor *dst, Tensor *src);
/* New contiguous copy (same dtype unless dtype != DT_UNDEFINED). */
Tensor *tensor_clone(Tensor *t, DType dtype);
/* t itself (retained) if contiguous, else a contiguous copy. */
Tensor *tensor_contiguous(Tensor *t);
/* t itself (retained) if already of this dtype, else a converted copy. */
Tensor *tensor_to_dtype(Tensor *t, DType dtype);

/* Element access by flat (row-major logical) index, for printing, item()
 * and tolist(). */
double tensor_get_f64(const Tensor *t, int64_t flat_index);
/* element i (row-major) of a host tensor as a complex number (imaginary
 * part 0 for real dtypes) */
void tensor_get_complex(const Tensor *t, int64_t i, double *re, double *im);
int64_t tensor_get_i64(const Tensor *t, int64_t flat_index);

/* Walks every element of t in row-major logical order, calling fn with a
 * pointer to it. For cold paths (printing, tolist); kernels use iter.h. */
typedef void (*tensor_elem_fn)(const char *elem, void *ctx);
void tensor_for_each(const Tensor *t, tensor_elem_fn fn, void *ctx);

#endif
