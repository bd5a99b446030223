/* numpy_complex_matmul.c: np.matmul of complex arrays: numpy's gufunc
 * (n?,k),(k,m?)->(n?,m?) over the operands' own strides, one core
 * product per broadcast batch through kernels/cpu/matmul_numpy.c. */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "matmul_numpy.h"
#include "numpy_complex.h"
#include "ops.h"

/* numpy's tuple text of a shape: (2,4,3), (3,) */
static void shape_text(char *buf, size_t cap, int nd, const int64_t *shape)
{
    size_t n = (size_t)snprintf(buf, cap, "(");
    for (int d = 0; d < nd && n < cap; d++)
        n += (size_t)snprintf(buf + n, cap - n, "%lld%s", (long long)shape[d], d + 1 < nd || nd == 1 ? "," : "");
    if (n < cap) snprintf(buf + n, cap - n, ")");
}

/* the remapped text of an operand: its batch dims, newaxis for its core ones */
static void remapped_text(char *buf, size_t cap, const Tensor *t, int core)
{
    size_t n = (size_t)snprintf(buf, cap, "(");
    int nb = t->ndim - core;
    for (int d = 0; d < t->ndim && n < cap; d++) {
        const char *sep = d + 1 < t->ndim || t->ndim == 1 ? "," : "";
        if (d < nb) n += (size_t)snprintf(buf + n, cap - n, "%lld%s", (long long)t->shape[d], sep);
        else n += (size_t)snprintf(buf + n, cap - n, "newaxis%s", sep);
    }
    if (n < cap) snprintf(buf + n, cap - n, ")");
}

Tensor *op_np_complex_matmul(Tensor *a, Tensor *b)
{
    bool a1 = a->ndim == 1, b1 = b->ndim == 1;
    int ca = a1 ? 1 : 2, cb = b1 ? 1 : 2; /* core dims */
    int64_t dm = a1 ? 1 : a->shape[a->ndim - 2], dn = a->shape[a->ndim - 1];
    int64_t bn = b1 ? b->shape[0] : b->shape[b->ndim - 2], dp = b1 ? 1 : b->shape[b->ndim - 1];
    if (bn != dn) {
        tsr_raise(ERR_ValueError,
                  "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                  "(n?,k),(k,m?)->(n?,m?) (size %lld is different from %lld)",
                  (long long)bn, (long long)dn);
        return NULL;
    }
    /* the batch dims broadcast, numpy's way */
    int na = a->ndim - ca, nb = b->ndim - cb, nbatch = na > nb ? na : nb;
    int64_t shape[TSR_MAX_DIMS];
    for (int i = 0; i < nbatch; i++) {
        int da = i - (nbatch - na), db = i - (nbatch - nb);
        int64_t sa = da >= 0 ? a->shape[da] : 1, sb = db >= 0 ? b->shape[db] : 1;
        if (sa != sb && sa != 1 && sb != 1) {
            char oa[512], ra[512], ob[512], rb[512], req[64];
            int64_t core[2];
            int nc = 0;
            if (!a1) core[nc++] = dm;
            if (!b1) core[nc++] = dp;
            shape_text(oa, sizeof oa, a->ndim, a->shape);
            shape_text(ob, sizeof ob, b->ndim, b->shape);
            remapped_text(ra, sizeof ra, a, ca);
            remapped_text(rb, sizeof rb, b, cb);
            shape_text(req, sizeof req, nc, core);
            tsr_raise(ERR_ValueError,
                      "operands could not be broadcast together with remapped shapes [original->remapped]: "
                      "%s->%s %s->%s  and requested shape %s",
                      oa, ra, ob, rb, req);
            return NULL;
        }
        shape[i] = sa == 1 ? sb : sa;
    }
    int nd = nbatch;
    if (!a1) shape[nd++] = dm;
    if (!b1) shape[nd++] = dp;
    if (nd > TSR_MAX_DIMS) {
        tsr_raise(ERR_ValueError, "tsr supports at most %d dimensions", TSR_MAX_DIMS);
        return NULL;
    }
    Tensor *r = tensor_empty(a->dtype, nd, shape, device_cpu());
    if (!r) return NULL;
    int64_t is1_m = a1 ? 0 : a->stride[a->ndim - 2], is1_n = a->stride[a->ndim - 1];
    int64_t is2_n = b1 ? b->stride[0] : b->stride[b->ndim - 2], is2_p = b1 ? 0 : b->stride[b->ndim - 1];
    int64_t os_m = a1 ? 0 : b1 ? 1 : dp, os_p = b1 ? 0 : 1;
    int64_t batches = 1, core = dm * dp;
    for (int i = 0; i < nbatch; i++) batches *= shape[i];
    size_t es = dtype_size(a->dtype);
    const char *pa = tensor_data(a), *pb = tensor_data(b);
    char *po = tensor_data(r);
    for (int64_t j = 0; j < batches && core; j++) {
        int64_t rem = j, offa = 0, offb = 0;
        for (int i = nbatch - 1; i >= 0; i--) {
            int64_t ix = rem % shape[i];
            rem /= shape[i];
            int da = i - (nbatch - na), db = i - (nbatch - nb);
            if (da >= 0 && a->shape[da] != 1) offa += ix * a->stride[da];
            if (db >= 0 && b->shape[db] != 1) offb += ix * b->stride[db];
        }
        kernel_np_matmul_core(a->dtype, pa + offa * (int64_t)es, is1_m, is1_n, pb + offb * (int64_t)es, is2_n, is2_p,
                              po + j * core * (int64_t)es, os_m, os_p, dm, dn, dp);
    }
    return r;
}
