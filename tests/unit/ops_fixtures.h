/* ops_fixtures.h: small tensors for the op unit tests (test_ops_*.c). */
#ifndef TSR_OPS_FIXTURES_H
#define TSR_OPS_FIXTURES_H

#include <string.h>

#include "ops.h"

/* A float32 tensor of shape with values 0, 1, 2, ... */
static inline Tensor *arange_f(int ndim, const int64_t *shape) {
    Tensor *t = tensor_empty(DT_FLOAT32, ndim, shape, device_cpu());
    assert_non_null(t);
    for (int64_t i = 0; i < tensor_numel(t); i++) ((float *)t->storage->data)[i] = (float)i;
    return t;
}

static inline Tensor *from_i64(int ndim, const int64_t *shape, const int64_t *v) {
    Tensor *t = tensor_empty(DT_INT64, ndim, shape, device_cpu());
    assert_non_null(t);
    memcpy(t->storage->data, v, sizeof(int64_t) * (size_t)tensor_numel(t));
    return t;
}

static inline Tensor *from_f(int ndim, const int64_t *shape, const float *v) {
    Tensor *t = tensor_empty(DT_FLOAT32, ndim, shape, device_cpu());
    assert_non_null(t);
    memcpy(t->storage->data, v, sizeof(float) * (size_t)tensor_numel(t));
    return t;
}

static inline void expect(Tensor *t, int ndim, const int64_t *shape, const double *vals) {
    assert_non_null(t);
    assert_int_equal(t->ndim, ndim);
    for (int i = 0; i < ndim; i++) assert_int_equal(t->shape[i], shape[i]);
    for (int64_t i = 0; i < tensor_numel(t); i++) assert_float_equal(tensor_get_f64(t, i), vals[i], 1e-4);
}

#endif
