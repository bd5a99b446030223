#include "tensor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "host_alloc.h"
#include "copy.h"
#include "device.h"
#include "iter.h"
#include "layout.h"

/* Recently freed Tensor and Storage headers, reused: a small op allocates
 * one of each, and malloc/free of them was a third of a scalar op's cost. */
#define HEADER_KEEP 256
static Tensor *free_tensors[HEADER_KEEP];
static int n_free_tensors;
static Storage *free_storages[HEADER_KEEP];
static int n_free_storages;

static void tensor_header_free(Tensor *t) {
    if (host_cache_enabled() && n_free_tensors < HEADER_KEEP) free_tensors[n_free_tensors++] = t;
    else free(t);
}

static void storage_header_free(Storage *s) {
    if (host_cache_enabled() && n_free_storages < HEADER_KEEP) free_storages[n_free_storages++] = s;
    else free(s);
}

void (*tensor_autograd_release)(Tensor *t);

Tensor *tensor_retain(Tensor *t) {
    if (t) t->rc++;
    return t;
}

void tensor_release(Tensor *t) {
    if (!t || --t->rc > 0) return;
    if (t->grad_fn || t->hooks || t->retains_grad) tensor_autograd_release(t);
    storage_release(t->storage);
    tensor_release(t->grad);
    tensor_release(t->view_base);
    tensor_header_free(t);
}

bool tsr_inference_mode = false;
bool tsr_complex_used = false;

Storage *storage_new(int64_t nbytes, Device dev) {
    dev = device_normalize(dev);
    if (dev.type != DEV_CPU && !device_ensure(dev)) return NULL;
    if (nbytes < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "Trying to create tensor with negative size");
        return NULL;
    }
    Storage *s;
    if (n_free_storages > 0) {
        s = free_storages[--n_free_storages];
        memset(s, 0, sizeof *s);
    } else {
        s = tsr_calloc(1, sizeof *s);
        if (!s) return NULL;
    }
    s->inference = tsr_inference_mode;
    if (dev.type == DEV_CUDA) {
        s->data = nbytes ? device_alloc((size_t)nbytes) : NULL; /* raises PyTorch's OOM */
        if (nbytes && !s->data) {
            storage_header_free(s);
            return NULL;
        }
    } else {
        s->data = host_alloc((size_t)nbytes); /* 64-byte aligned, large blocks cached */
        if (!s->data) {
            storage_header_free(s);
            tsr_raise_oom((unsigned long long)nbytes);
            return NULL;
        }
    }
    s->rc = 1;
    s->nbytes = nbytes;
    s->device = dev;
    return s;
}

void storage_retain(Storage *s) {
    if (s) s->rc++;
}

Storage *storage_external(void *data, int64_t nbytes, void (*release)(void *owner), void *owner) {
    Storage *s = tsr_calloc(1, sizeof *s);
    if (!s) return NULL;
    s->rc = 1;
    s->data = data;
    s->nbytes = nbytes;
    s->device.type = DEV_CPU;
    s->device.index = -1;
    s->inference = tsr_inference_mode;
    s->borrowed = true;
    s->release_data = release;
    s->data_owner = owner;
    return s;
}

void storage_release(Storage *s) {
    if (!s || --s->rc > 0) return;
    if (s->release_data) s->release_data(s->data_owner);
    else if (s->device.type == DEV_CUDA) device_free(s->data, (size_t)s->nbytes);
    else host_free(s->data, (size_t)s->nbytes);
    storage_header_free(s);
}

int64_t contiguous_strides(int ndim, const int64_t *shape, int64_t *out) {
    int64_t n = 1;
    for (int i = ndim - 1; i >= 0; i--) {
        out[i] = n;
        int64_t d = shape[i] > 1 ? shape[i] : 1;
        if (n > INT64_MAX / d) return -1;
        n *= d;
    }
    for (int i = 0; i < ndim; i++)
        if (shape[i] == 0) return 0;
    return n;
}

static Tensor *tensor_alloc_header(void) {
    Tensor *t;
    if (n_free_tensors > 0) {
        t = free_tensors[--n_free_tensors];
        memset(t, 0, sizeof *t);
    } else {
        t = tsr_calloc(1, sizeof *t);
    }
    if (t) t->rc = 1;
    return t;
}

Tensor *tensor_empty(DType dtype, int ndim, const int64_t *shape, Device dev) {
    if (ndim > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, ndim);
        return NULL;
    }
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0) {
            char buf[512];
            int n = 0;
            for (int j = 0; j < ndim && n < 400; j++)
                n += snprintf(buf + n, sizeof buf - n, "%s%lld", j ? ", " : "", (long long)shape[j]);
            tsr_raise(ERR_RuntimeError, "Trying to create tensor with negative dimension %lld: [%s]",
                      (long long)shape[i], buf);
            return NULL;
        }
    }
    Tensor *t = tensor_alloc_header();
    if (!t) return NULL;
    int64_t numel = contiguous_strides(ndim, shape, t->stride);
    int64_t es = (int64_t)dtype_size(dtype);
    if (numel < 0 || numel > INT64_MAX / es) {
        tensor_header_free(t);
        tsr_raise(ERR_RuntimeError, "%s", "numel: integer multiplication overflow");
        return NULL;
    }
    t->storage = storage_new(numel * es, dev);
    if (!t->storage) {
        tensor_header_free(t);
        return NULL;
    }
    tensor_set_dtype(t, dtype);
    t->ndim = ndim;
    if (ndim) memcpy(t->shape, shape, sizeof(int64_t) * ndim);
    return t;
}

Tensor *tensor_zeros(DType dtype, int ndim, const int64_t *shape, Device dev) {
    Tensor *t = tensor_empty(dtype, ndim, shape, dev);
    if (!t) return NULL;
    if (tensor_is_cuda(t) && tsr_cuda->memset0(t->storage->data, (size_t)t->storage->nbytes)) return t;
    /* in 16 MiB pieces (the first touch of fresh pages is slow): Ctrl-C
     * answers between them */
    char *p = storage_host(t->storage);
    for (int64_t done = 0, n = t->storage->nbytes; done < n; done += (int64_t)1 << 24) {
        if (done && tsr_check_interrupt()) {
            tensor_release(t);
            return NULL;
        }
        int64_t m = n - done < ((int64_t)1 << 24) ? n - done : (int64_t)1 << 24;
        memset(p + done, 0, (size_t)m);
    }
    return t;
}

/* Fills every element of a new contiguous t with the es bytes at one. */
static void fill_pattern(Tensor *t, const char *one) {
    int64_t n = tensor_numel(t), es = (int64_t)dtype_size(t->dtype);
    if (n == 0) return;
    if (tensor_is_cuda(t) && tsr_cuda->fill((int)es, tensor_ptr(t), n, one) == KERNEL_OK) return;
    char *p = storage_host(t->storage);
    for (int64_t i = 0; i < n; i++) memcpy(p + i * es, one, es);
}

Tensor *tensor_full_f64(DType dtype, int ndim, const int64_t *shape, double v, Device dev) {
    Tensor *t = tensor_empty(dtype, ndim, shape, dev);
    if (!t) return NULL;
    char one[16];
    dtype_store_f64(dtype, one, v);
    fill_pattern(t, one);
    return t;
}

Tensor *tensor_full_i64(DType dtype, int ndim, const int64_t *shape, int64_t v, Device dev) {
    Tensor *t = tensor_empty(dtype, ndim, shape, dev);
    if (!t) return NULL;
    char one[16];
    dtype_store_i64(dtype, one, v);
    fill_pattern(t, one);
    return t;
}

Tensor *tensor_scalar_f64(DType dtype, double v) {
    return tensor_full_f64(dtype, 0, NULL, v, device_cpu());
}

Tensor *tensor_scalar_i64(DType dtype, int64_t v) {
    return tensor_full_i64(dtype, 0, NULL, v, device_cpu());
}

Tensor *tensor_wrapped_bool(bool v) {
    Tensor *t = tensor_scalar_i64(DT_BOOL, v);
    if (t) t->wrapped_number = true;
    return t;
}

Tensor *tensor_wrapped_int(int64_t v) {
    Tensor *t = tensor_scalar_i64(DT_INT64, v);
    if (t) t->wrapped_number = true;
    return t;
}

Tensor *tensor_wrapped_float(double v) {
    Tensor *t = tensor_scalar_f64(DT_FLOAT64, v);
    if (t) t->wrapped_number = true;
    return t;
}

Tensor *tensor_wrapped_complex(double re, double im) {
    Tensor *t = tensor_empty(DT_COMPLEX128, 0, NULL, device_cpu());
    if (!t) return NULL;
    *(tsr_cdouble *)tensor_data(t) = (tsr_cdouble){re, im};
    t->wrapped_number = true;
    return t;
}

Tensor *tensor_as_strided(Tensor *src, int ndim, const int64_t *shape,
                          const int64_t *stride, int64_t offset) {
    if (ndim > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, ndim);
        return NULL;
    }
    Tensor *t = tensor_alloc_header();
    if (!t) return NULL;
    t->storage = src->storage;
    storage_retain(t->storage);
    t->dtype = src->dtype;
    t->ndim = ndim;
    t->offset = offset;
    if (ndim) memcpy(t->shape, shape, sizeof(int64_t) * ndim);
    if (ndim) memcpy(t->stride, stride, sizeof(int64_t) * ndim);
    return t;
}

Tensor *tensor_alias(Tensor *src) {
    return tensor_as_strided(src, src->ndim, src->shape, src->stride, src->offset);
}

int64_t tensor_numel(const Tensor *t) {
    int64_t n = 1;
    for (int i = 0; i < t->ndim; i++) n *= t->shape[i];
    return n;
}

bool tensor_is_contiguous(const Tensor *t) {
    for (int i = 0; i < t->ndim; i++)
        if (t->shape[i] == 0) return true; /* no elements: any strides will do */
    int64_t expected = 1;
    for (int i = t->ndim - 1; i >= 0; i--) {
        if (t->shape[i] != 1 && t->stride[i] != expected) return false;
        expected *= t->shape[i];
    }
    return true;
}

int wrap_dim(int64_t dim, int ndim) {
    int64_t lo = ndim > 0 ? -ndim : -1, hi = ndim > 0 ? ndim - 1 : 0;
    if (dim < lo || dim > hi) {
        tsr_raise(ERR_IndexError,
                  "Dimension out of range (expected to be in range of [%lld, %lld], but got %lld)",
                  (long long)lo, (long long)hi, (long long)dim);
        return -1;
    }
    if (dim < 0) dim += ndim > 0 ? ndim : 1;
    return (int)dim;
}

/* Offset in elements of the element at row-major logical index i. */
static int64_t elem_offset(const Tensor *t, int64_t i) {
    int64_t off = t->offset;
    for (int d = t->ndim - 1; d >= 0; d--) {
        int64_t n = t->shape[d];
        if (n == 0) return t->offset;
        off += (i % n) * t->stride[d];
        i /= n;
    }
    return off;
}

double tensor_get_f64(const Tensor *t, int64_t i) {
    const char *base = storage_host(t->storage);
    return dtype_load_f64(t->dtype, base + elem_offset(t, i) * (int64_t)dtype_size(t->dtype));
}

void tensor_get_complex(const Tensor *t, int64_t i, double *re, double *im) {
    const char *p = (const char *)storage_host(t->storage) + elem_offset(t, i) * (int64_t)dtype_size(t->dtype);
    tsr_cdouble z;
    dtype_convert_complex(DT_COMPLEX128, &z, t->dtype, p);
    *re = z.re;
    *im = z.im;
}

int64_t tensor_get_i64(const Tensor *t, int64_t i) {
    const char *base = storage_host(t->storage);
    return dtype_load_i64(t->dtype, base + elem_offset(t, i) * (int64_t)dtype_size(t->dtype));
}

void tensor_for_each(const Tensor *t, tensor_elem_fn fn, void *ctx) {
    int64_t n = tensor_numel(t);
    if (n == 0) return;
    int64_t idx[TSR_MAX_DIMS] = {0};
    int64_t es = (int64_t)dtype_size(t->dtype);
    const char *p = tensor_data(t);
    for (int64_t k = 0; k < n; k++) {
        fn(p, ctx);
        for (int d = t->ndim - 1; d >= 0; d--) {
            if (++idx[d] < t->shape[d]) {
                p += t->stride[d] * es;
                break;
            }
            p -= (t->shape[d] - 1) * t->stride[d] * es;
            idx[d] = 0;
        }
    }
}

/* dst and src (same dtype, non-overlapping) with src strides sstride
 * already broadcast to dst's shape. */
static void copy_same_dtype(Tensor *dst, const char *src, const int64_t *sstride, int64_t n) {
    int64_t shape[TSR_MAX_DIMS], ds[TSR_MAX_DIMS], ss[TSR_MAX_DIMS];
    int m = 0;
    for (int d = dst->ndim - 1; d >= 0; d--) { /* innermost first */
        shape[m] = dst->shape[d];
        ds[m] = dst->stride[d];
        ss[m] = sstride[d];
        m++;
    }
    kernel_copy_strided((int)dtype_size(dst->dtype), m, shape, tensor_data(dst), ds, src, ss, n);
}

/* dst <- src on the GPU, both CUDA tensors, src strides already broadcast
 * (elements). False when no kernel took it (the host path then runs). */
static bool copy_on_gpu(Tensor *dst, Tensor *src, const int64_t *sstride, int64_t n) {
    int nd = dst->ndim;
    if (dst->dtype == src->dtype) {
        int64_t shape[TSR_MAX_DIMS], ds[TSR_MAX_DIMS], ss[TSR_MAX_DIMS];
        for (int d = nd - 1, m = 0; d >= 0; d--, m++) { /* innermost first */
            shape[m] = dst->shape[d];
            ds[m] = dst->stride[d];
            ss[m] = sstride[d];
        }
        return tsr_cuda->copy_strided((int)dtype_size(dst->dtype), nd, shape, tensor_ptr(dst), ds,
                                 tensor_ptr(src), ss, n) == KERNEL_OK;
    }
    int64_t strides[ITER_MAX_OPS][ITER_MAX_DIMS];
    char *data[ITER_MAX_OPS] = {tensor_ptr(dst), tensor_ptr(src)};
    int64_t des = (int64_t)dtype_size(dst->dtype), ses = (int64_t)dtype_size(src->dtype);
    for (int d = 0; d < nd; d++) {
        strides[0][d] = dst->shape[d] == 1 ? 0 : dst->stride[d] * des;
        strides[1][d] = sstride[d] * ses;
    }
    TsrIter it;
    iter_init(&it, 2, nd, dst->shape, data, strides);
    return device_kernels(dst->storage->device)->cast(dst->dtype, src->dtype, &it) == KERNEL_OK;
}

/* Generic strided copy with conversion: src broadcast to dst's shape. */
bool tensor_copy_(Tensor *dst, Tensor *src) {
    int nd = dst->ndim;
    if (src->ndim > nd) goto mismatch;
    int64_t sstride[TSR_MAX_DIMS];
    for (int d = 0; d < nd; d++) {
        int sd = d - (nd - src->ndim);
        if (sd < 0) {
            sstride[d] = 0;
        } else if (src->shape[sd] == dst->shape[d]) {
            sstride[d] = src->shape[sd] == 1 ? 0 : src->stride[sd];
        } else if (src->shape[sd] == 1) {
            sstride[d] = 0;
        } else {
            goto mismatch;
        }
    }
    int64_t n = tensor_numel(dst);
    if (n == 0) return true;
    int64_t des = (int64_t)dtype_size(dst->dtype), ses = (int64_t)dtype_size(src->dtype);
    bool same = dst->dtype == src->dtype;
    if (tensor_is_cuda(dst) || tensor_is_cuda(src)) {
        bool same_shape = src->ndim == nd;
        for (int d = 0; same_shape && d < nd; d++) same_shape = src->shape[d] == dst->shape[d];
        if (tensor_is_cuda(dst) && tensor_is_cuda(src) && src->storage != dst->storage &&
            copy_on_gpu(dst, src, sstride, n))
            return true;
        /* across devices, one dense block laid out alike (x.cuda(), x.t().cpu()):
         * one cudaMemcpy */
        bool alike = same && same_shape && src->storage != dst->storage &&
                     !memcmp(src->stride, dst->stride, sizeof(int64_t) * nd) &&
                     layout_is_dense(nd, dst->shape, dst->stride);
        for (int d = 0; alike && d < nd; d++) alike = dst->stride[d] >= 0;
        if (alike && tsr_cuda->memcpy(tensor_ptr(dst), tensor_ptr(src), (size_t)(n * des))) return true;
        /* otherwise the host loops below, over managed memory */
    }
    bool as_float = dtype_is_float(dst->dtype) || dtype_is_float(src->dtype);
    bool cplx = dtype_is_complex(dst->dtype) || dtype_is_complex(src->dtype);
    /* Fast path: both contiguous, same shape, same dtype (and no overlap
     * handling needed: memmove). */
    if (same && src->ndim == nd && tensor_is_contiguous(dst) && tensor_is_contiguous(src)) {
        bool same_shape = true;
        for (int d = 0; d < nd; d++) same_shape &= src->shape[d] == dst->shape[d];
        if (same_shape) {
            memmove(tensor_data(dst), tensor_data(src), n * des);
            return true;
        }
    }
    int64_t idx[TSR_MAX_DIMS] = {0};
    char *dp = tensor_data(dst);
    const char *sp = tensor_data(src);
    /* Copy through a temporary when src and dst share storage so that
     * overlapping reads see the old values (PyTorch copies may not alias,
     * but x[1:] = x[:-1] style writes must not smear). */
    Tensor *tmp = NULL;
    if (src->storage == dst->storage) {
        tmp = tensor_clone(src, DT_UNDEFINED);
        if (!tmp) return false;
        sp = tensor_data(tmp);
        int64_t cs[TSR_MAX_DIMS];
        contiguous_strides(tmp->ndim, tmp->shape, cs);
        for (int d = 0; d < nd; d++) {
            int sd = d - (nd - src->ndim);
            sstride[d] = (sd < 0 || tmp->shape[sd] == 1) ? 0 : cs[sd];
        }
    }
    if (same) {
        copy_same_dtype(dst, sp, sstride, n);
        tensor_release(tmp);
        return true;
    }
    if (tensor_numel(src) == 1) { /* a fill (zero_, x[...] = 2): convert once */
        char one[16];
        if (cplx) dtype_convert_complex(dst->dtype, one, src->dtype, sp);
        else if (dst->dtype == DT_BOOL) *(bool *)one = dtype_load_f64(src->dtype, sp) != 0;
        else if (as_float) dtype_store_f64(dst->dtype, one, dtype_load_f64(src->dtype, sp));
        else dtype_store_i64(dst->dtype, one, dtype_load_i64(src->dtype, sp));
        int64_t zero[TSR_MAX_DIMS] = {0};
        copy_same_dtype(dst, one, zero, n);
        tensor_release(tmp);
        return true;
    }
    for (int64_t k = 0; k < n; k++) {
        if (cplx) {
            dtype_convert_complex(dst->dtype, dp, src->dtype, sp);
        } else if (dst->dtype == DT_BOOL) {
            *(bool *)dp = dtype_load_f64(src->dtype, sp) != 0;
        } else if (as_float) {
            dtype_store_f64(dst->dtype, dp, dtype_load_f64(src->dtype, sp));
        } else {
            dtype_store_i64(dst->dtype, dp, dtype_load_i64(src->dtype, sp));
        }
        for (int d = nd - 1; d >= 0; d--) {
            if (++idx[d] < dst->shape[d]) {
                dp += dst->stride[d] * des;
                sp += sstride[d] * ses;
                break;
            }
            dp -= (dst->shape[d] - 1) * dst->stride[d] * des;
            sp -= (dst->shape[d] - 1) * sstride[d] * ses;
            idx[d] = 0;
        }
    }
    tensor_release(tmp);
    return true;
mismatch: {
        char a[256], b[256];
        int na = 0, nb = 0;
        a[0] = b[0] = 0;
        for (int d = 0; d < src->ndim; d++)
            na += snprintf(a + na, sizeof a - na, "%s%lld", d ? ", " : "", (long long)src->shape[d]);
        for (int d = 0; d < dst->ndim; d++)
            nb += snprintf(b + nb, sizeof b - nb, "%s%lld", d ? ", " : "", (long long)dst->shape[d]);
        tsr_raise(ERR_RuntimeError,
                  "The expanded size of the tensor (%lld) must match the existing size (%lld) at "
                  "non-singleton dimension %d.  Target sizes: [%s].  Tensor sizes: [%s]",
                  (long long)(nd ? dst->shape[nd - 1] : 0),
                  (long long)(src->ndim ? src->shape[src->ndim - 1] : 0), nd ? nd - 1 : 0, b, a);
        return false;
    }
}

Tensor *tensor_clone(Tensor *t, DType dtype) {
    Tensor *c = tensor_empty(dtype == DT_UNDEFINED ? t->dtype : dtype, t->ndim, t->shape,
                             t->storage->device);
    if (!c) return NULL;
    if (!tensor_copy_(c, t)) {
        tensor_release(c);
        return NULL;
    }
    return c;
}

Tensor *tensor_contiguous(Tensor *t) {
    if (tensor_is_contiguous(t)) return tensor_retain(t);
    return tensor_clone(t, DT_UNDEFINED);
}

Tensor *tensor_to_dtype(Tensor *t, DType dtype) {
    if (t->dtype == dtype) return tensor_retain(t);
    return tensor_clone(t, dtype);
}
