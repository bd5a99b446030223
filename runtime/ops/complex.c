/* complex.c: complex tensors' own ops: the real and imaginary views,
 * view_as_real / view_as_complex, complex(), polar(), conj() and abs(),
 * with their autograd nodes (ViewAsRealBackward0, ViewAsComplexBackward0,
 * ComplexBackward0, PolarBackward0 saving its result, ConjBackward0; the
 * formulas are runtime/backward/complex.c).
 * Views share storage (a complex element is its real part followed by its
 * imaginary part); the others compute on the host, elementwise over
 * contiguous copies, as c10::complex's scalar code does (a CUDA tensor's
 * managed memory too: tensor_data waits for its kernels). */
#include <math.h>
#include <string.h>

#include "error.h"
#include "ops.h"

/* v (stolen), a view of a made by a view op: its base, and the node of
 * kind recorded when a requires grad */
static Tensor *record_view(Tensor *v, Tensor *a, GradNodeKind kind) {
    if (!v) return NULL;
    ag_set_view(v, a, false);
    return ag_record_steal(v, kind, &a, 1, NULL, 0, NULL, 0);
}

/* the real view (part 0) or imaginary view (part 1) of complex a: ATen's
 * at::real / at::imag, view_as_real(a).select(-1, part) (so the nodes
 * are ViewAsRealBackward0 and SelectBackward0) */
static Tensor *part_view(Tensor *a, int part) {
    Tensor *v = op_view_as_real(a);
    Tensor *r = v ? op_select(v, -1, part) : NULL;
    tensor_release(v);
    return r;
}

Tensor *op_real(Tensor *a) {
    if (!dtype_is_complex(a->dtype)) return tensor_retain(a);
    return part_view(a, 0);
}

Tensor *op_imag(Tensor *a) {
    if (!dtype_is_complex(a->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "imag is not implemented for tensors with non-complex dtypes.");
        return NULL;
    }
    return part_view(a, 1);
}

Tensor *op_view_as_real(Tensor *a) {
    if (!dtype_is_complex(a->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "view_as_real is only supported for complex tensors");
        return NULL;
    }
    if (a->ndim >= TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, a->ndim + 1);
        return NULL;
    }
    int64_t sh[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    for (int d = 0; d < a->ndim; d++) sh[d] = a->shape[d], st[d] = a->stride[d] * 2;
    sh[a->ndim] = 2;
    st[a->ndim] = 1;
    Tensor *r = tensor_as_strided(a, a->ndim + 1, sh, st, a->offset * 2);
    if (r) tensor_set_dtype(r, dtype_to_real(a->dtype));
    return record_view(r, a, NODE_ViewAsRealBackward0);
}

Tensor *op_view_as_complex(Tensor *a) {
    if (a->dtype != DT_FLOAT32 && a->dtype != DT_FLOAT64) {
        if (a->dtype == DT_FLOAT16)
            tsr_raise(ERR_RuntimeError, "%s", "view_as_complex of half tensors (complex32) is not supported by tsr");
        else
            tsr_raise(ERR_RuntimeError,
                      "view_as_complex is only supported for half, float and double tensors, but got a tensor of "
                      "scalar type: %s",
                      dtype_scalar_name(a->dtype));
        return NULL;
    }
    if (a->ndim == 0 || a->shape[a->ndim - 1] != 2) {
        tsr_raise(ERR_RuntimeError, "%s", "Tensor must have a last dimension of size 2");
        return NULL;
    }
    if (a->stride[a->ndim - 1] != 1) {
        tsr_raise(ERR_RuntimeError, "%s", "Tensor must have a last dimension with stride 1");
        return NULL;
    }
    int64_t st[TSR_MAX_DIMS];
    for (int d = 0; d < a->ndim - 1; d++) {
        if (a->stride[d] % 2) {
            tsr_raise(ERR_RuntimeError, "%s", "Tensor must have a stride divisible by 2 for all but last dimension");
            return NULL;
        }
        st[d] = a->stride[d] / 2;
    }
    if (a->offset % 2) {
        tsr_raise(ERR_RuntimeError, "%s", "Tensor must have a storage_offset divisible by 2");
        return NULL;
    }
    Tensor *r = tensor_as_strided(a, a->ndim - 1, a->shape, st, a->offset / 2);
    if (r) tensor_set_dtype(r, dtype_to_complex(a->dtype));
    return record_view(r, a, NODE_ViewAsComplexBackward0);
}

/* complex(real, imag) and polar(abs, angle): both float or both double,
 * broadcast together */
static Tensor *complex_from_pair(Tensor *x, Tensor *y, bool polar) {
    bool fx = x->dtype == DT_FLOAT32 || x->dtype == DT_FLOAT64 || x->dtype == DT_FLOAT16;
    bool fy = y->dtype == DT_FLOAT32 || y->dtype == DT_FLOAT64 || y->dtype == DT_FLOAT16;
    if (!fx || !fy) {
        tsr_raise(ERR_RuntimeError, "Expected both inputs to be Half, Float or Double tensors but got %s and %s",
                  dtype_scalar_name(x->dtype), dtype_scalar_name(y->dtype));
        return NULL;
    }
    if (x->dtype != y->dtype) {
        tsr_raise(ERR_RuntimeError, "Expected object of scalar type %s but got scalar type %s for second argument",
                  dtype_scalar_name(x->dtype), dtype_scalar_name(y->dtype));
        return NULL;
    }
    if (x->dtype == DT_FLOAT16) {
        tsr_raise(ERR_RuntimeError, "%s", "complex32 (ComplexHalf) tensors are not supported by tsr");
        return NULL;
    }
    int64_t sh[TSR_MAX_DIMS];
    int nd = broadcast_shapes(x->ndim, x->shape, y->ndim, y->shape, sh);
    if (nd < 0) return NULL;
    Tensor *ex = NULL, *ey = NULL, *cx = NULL, *cy = NULL;
    NO_GRAD({
        ex = op_expand(x, nd, sh);
        ey = ex ? op_expand(y, nd, sh) : NULL;
        cx = ey ? op_contiguous(ex) : NULL;
        cy = cx ? op_contiguous(ey) : NULL;
    });
    Tensor *r = cy ? tensor_empty(dtype_to_complex(x->dtype), nd, sh, x->storage->device) : NULL;
    if (r) {
        int64_t n = tensor_numel(r);
        if (x->dtype == DT_FLOAT32) {
            const float *a = (const float *)tensor_data(cx), *b = (const float *)tensor_data(cy);
            tsr_cfloat *o = (tsr_cfloat *)tensor_data(r);
            for (int64_t i = 0; i < n; i++)
                o[i] = polar ? (tsr_cfloat){a[i] * cosf(b[i]), a[i] * sinf(b[i])} : (tsr_cfloat){a[i], b[i]};
        } else {
            const double *a = (const double *)tensor_data(cx), *b = (const double *)tensor_data(cy);
            tsr_cdouble *o = (tsr_cdouble *)tensor_data(r);
            for (int64_t i = 0; i < n; i++)
                o[i] = polar ? (tsr_cdouble){a[i] * cos(b[i]), a[i] * sin(b[i])} : (tsr_cdouble){a[i], b[i]};
        }
    }
    tensor_release(ex);
    tensor_release(ey);
    tensor_release(cx);
    tensor_release(cy);
    Tensor *ins[2] = {x, y};
    if (polar) return ag_record_steal(r, NODE_PolarBackward0, ins, 2, &r, 1, NULL, 0);
    return ag_record_steal(r, NODE_ComplexBackward0, ins, 2, NULL, 0, NULL, 0);
}

Tensor *op_complex(Tensor *real, Tensor *imag) { return complex_from_pair(real, imag, false); }
Tensor *op_polar(Tensor *abs, Tensor *angle) { return complex_from_pair(abs, angle, true); }

/* conj(a): a copy with the imaginary parts negated (PyTorch returns a
 * lazily conjugated view; the values are the same); a real tensor itself */
static Tensor *conj_of(Tensor *a, GradNodeKind kind) {
    if (!dtype_is_complex(a->dtype)) return tensor_retain(a);
    Tensor *r = NULL, *c = NULL;
    NO_GRAD({
        r = op_contiguous(a);
        c = r ? op_clone(r) : NULL;
    });
    tensor_release(r);
    if (!c) return NULL;
    c->wrapped_number = a->wrapped_number; /* a Python scalar's conjugate stays one */
    int64_t n = tensor_numel(c);
    if (c->dtype == DT_COMPLEX64)
        for (tsr_cfloat *o = (tsr_cfloat *)tensor_data(c); n-- > 0; o++) o->im = -o->im;
    else
        for (tsr_cdouble *o = (tsr_cdouble *)tensor_data(c); n-- > 0; o++) o->im = -o->im;
    return ag_record_steal(c, kind, &a, 1, NULL, 0, NULL, 0);
}

Tensor *op_conj(Tensor *a) { return conj_of(a, NODE_ConjBackward0); }
Tensor *op_conj_physical(Tensor *a) { return conj_of(a, NODE_ConjPhysicalBackward0); }

Tensor *op_conj_physical_(Tensor *a) {
    Tensor *s = op_inplace_begin(a), *r = NULL;
    if (!s) return NULL;
    if (dtype_is_complex(a->dtype)) {
        r = conj_of(s, NODE_ConjPhysicalBackward1);
    } else { /* values unchanged, but the node is recorded all the same */
        NO_GRAD(r = op_clone(s));
        r = ag_record_steal(r, NODE_ConjPhysicalBackward1, &s, 1, NULL, 0, NULL, 0);
    }
    tensor_release(s);
    return op_inplace_commit(a, r);
}

/* |z| and arg(z) as real tensors: |z| as ATen's vectorised abs computes
 * it, sqrt(re^2 + im^2) */
static Tensor *complex_to_real(Tensor *a, bool angle) {
    Tensor *c = op_contiguous(a);
    Tensor *r = c ? tensor_empty(dtype_to_real(a->dtype), a->ndim, a->shape, a->storage->device) : NULL;
    if (r) {
        int64_t n = tensor_numel(r);
        if (a->dtype == DT_COMPLEX64) {
            const tsr_cfloat *x = (const tsr_cfloat *)tensor_data(c);
            float *o = (float *)tensor_data(r);
            for (int64_t i = 0; i < n; i++)
                o[i] = angle ? atan2f(x[i].im, x[i].re) : sqrtf(x[i].re * x[i].re + x[i].im * x[i].im);
        } else {
            const tsr_cdouble *x = (const tsr_cdouble *)tensor_data(c);
            double *o = (double *)tensor_data(r);
            for (int64_t i = 0; i < n; i++)
                o[i] = angle ? atan2(x[i].im, x[i].re) : sqrt(x[i].re * x[i].re + x[i].im * x[i].im);
        }
    }
    tensor_release(c);
    return r;
}

/* AbsBackward0 and AngleBackward0 save self */
Tensor *op_complex_abs(Tensor *a) {
    return ag_record_steal(complex_to_real(a, false), NODE_AbsBackward0, &a, 1, &a, 1, NULL, 0);
}
Tensor *op_complex_angle(Tensor *a) {
    return ag_record_steal(complex_to_real(a, true), NODE_AngleBackward0, &a, 1, &a, 1, NULL, 0);
}
