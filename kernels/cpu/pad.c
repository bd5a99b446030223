/* pad.c: reflection and replication padding (pad.h). The source index of
 * each output position is ATen's formula (ReflectionPad.cpp,
 * ReplicationPadding.cpp in 1.13), negative pads included. */
#include "pad.h"

#include <string.h>

#include "dtype.h"

/* the input index along one dim of output position o */
static int64_t source(PadMode m, int64_t n, int64_t before, int64_t o) {
    int64_t i_start = before < 0 ? -before : 0, o_start = before > 0 ? before : 0, ip;
    if (o < before)
        ip = m == PAD_REFLECT ? before * 2 - o : before;
    else if (o < n + before)
        ip = o;
    else
        ip = m == PAD_REFLECT ? (n + before - 1) * 2 - o : n + before - 1;
    return ip - o_start + i_start;
}

/* the input offset of output element k of one plane */
static int64_t source_offset(const PadGeom *g, int64_t k) {
    int64_t idx[3];
    for (int d = g->dims - 1; d >= 0; d--) {
        idx[d] = k % g->out[d];
        k /= g->out[d];
    }
    int64_t off = 0;
    for (int d = 0; d < g->dims; d++) off = off * g->in[d] + source(g->mode, g->in[d], g->before[d], idx[d]);
    return off;
}

static void plane_sizes(const PadGeom *g, int64_t *in_n, int64_t *out_n) {
    *in_n = *out_n = 1;
    for (int d = 0; d < g->dims; d++) *in_n *= g->in[d], *out_n *= g->out[d];
}

KernelStatus kernel_pad(const PadGeom *g, size_t es, const void *in, void *out) {
    int64_t in_n, out_n;
    plane_sizes(g, &in_n, &out_n);
    for (int64_t p = 0; p < g->planes; p++) {
        const char *src = (const char *)in + (size_t)(p * in_n) * es;
        char *dst = (char *)out + (size_t)(p * out_n) * es;
        for (int64_t k = 0; k < out_n; k++) memcpy(dst + (size_t)k * es, src + (size_t)source_offset(g, k) * es, es);
    }
    return KERNEL_OK;
}

KernelStatus kernel_pad_backward(DType dt, const PadGeom *g, const void *gout, void *gin) {
    int64_t in_n, out_n;
    plane_sizes(g, &in_n, &out_n);
    size_t es = dtype_size(dt);
    for (int64_t p = 0; p < g->planes; p++) {
        const char *go = (const char *)gout + (size_t)(p * out_n) * es;
        char *gi = (char *)gin + (size_t)(p * in_n) * es;
        for (int64_t k = 0; k < out_n; k++) {
            char *at = gi + (size_t)source_offset(g, k) * es;
            if (dt == DT_FLOAT32)
                *(float *)at += ((const float *)go)[k];
            else if (dt == DT_FLOAT64)
                *(double *)at += ((const double *)go)[k];
            else /* half, bfloat16: each sum rounds to the dtype, as c10::Half's += */
                dtype_store_f64(dt, at, (double)((float)dtype_load_f64(dt, at) + (float)dtype_load_f64(dt, go + (size_t)k * es)));
        }
    }
    return KERNEL_OK;
}
