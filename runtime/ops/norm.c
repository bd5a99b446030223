/* norm.c: batch_norm, layer_norm and group_norm (ATen's native_batch_norm,
 * native_layer_norm, native_group_norm: one op, one node each) and
 * embedding. The loops are kernels/cpu/norm.c on contiguous host copies
 * (CUDA tensors come back to their device); the backward nodes call
 * op_norm_backward, which records nothing.
 *
 * What the nodes keep (ctx NormCtx):
 *   NativeBatchNormBackward0: inputs {input, weight, bias}; saved {input,
 *     weight, mean, invstd}: the batch's (train) or the running mean and
 *     1/sqrt(running_var + eps) (eval).
 *   NativeLayerNormBackward0, NativeGroupNormBackward0: inputs {input,
 *     weight, bias}; saved {input, weight, mean, rstd} (per row / per
 *     (n, group)).
 *   EmbeddingBackward0: input {weight}; saved {indices}; ctx NormCtx with
 *     rows = num_weights, n = padding_idx (-1: none). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "index.h"
#include "error.h"
#include "norm.h"
#include "ops.h"

static Tensor *vec(DType dt, int64_t n) { return tensor_empty(dt, 1, &n, device_cpu()); }

/* element c of a contiguous host vector */
static void tensor_set_f64(Tensor *t, int64_t c, double v) {
    dtype_store_f64(t->dtype, (char *)tensor_data(t) + c * (int64_t)dtype_size(t->dtype), v);
}

static void *data_or_null(Tensor *t) { return t ? tensor_data(t) : NULL; }

static bool float_only(Tensor *x, const char *what) {
    if (x->dtype == DT_FLOAT32 || x->dtype == DT_FLOAT64) return true;
    tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", what, dtype_scalar_name(x->dtype));
    return false;
}

static bool param_check(Tensor *t, const char *name, int64_t C) {
    if (!t || tensor_numel(t) == C) return true;
    tsr_raise(ERR_RuntimeError, "%s should contain %lld elements not %lld", name, (long long)C,
              (long long)tensor_numel(t));
    return false;
}

/* hosts[i] = op_host_contiguous(ts[i]) (NULL stays NULL) */
static bool hosts_of(Tensor *const *ts, int n, Tensor **hosts) {
    for (int i = 0; i < n; i++) hosts[i] = NULL;
    for (int i = 0; i < n; i++)
        if (ts[i] && !(hosts[i] = op_host_contiguous(ts[i]))) {
            for (int j = 0; j < i; j++) tensor_release(hosts[j]);
            return false;
        }
    return true;
}

static void release_all(Tensor **ts, int n) {
    for (int i = 0; i < n; i++) tensor_release(ts[i]);
}

/* Normalization.cpp's is_contiguous: contiguous or channels-last (not
 * channels_last_3d, which takes the generic loops) */
static bool bn_contiguous(const Tensor *t) {
    return tensor_is_contiguous(t) || layout_is_format(t, MEMFMT_CHANNELS_LAST);
}

/* at::mean (or at::sum) of t over every dim but 1, on the host */
static Tensor *per_channel_host(Tensor *t, bool mean) {
    int64_t dims[TSR_MAX_DIMS];
    int nd = 0;
    for (int i = 0; i < t->ndim; i++)
        if (i != 1) dims[nd++] = i;
    Tensor *r = NULL, *h;
    NO_GRAD(r = mean ? op_mean(t, nd, dims, false, DT_UNDEFINED) : op_sum(t, nd, dims, false, DT_UNDEFINED));
    h = r ? op_host_contiguous(r) : NULL;
    tensor_release(r);
    return h;
}

/* ATen's CPU batch_norm kernels take their channels-last path for a 4-d
 * channels-last contiguous input (1.13's CPU kernels send channels_last_3d
 * inputs through the contiguous path, as the oracle's bits show): they
 * read it as (N * H * W, C) rows, as they read a 2-d one. */
static bool bn_channels_last(const Tensor *x) {
    return x->ndim == 4 && layout_is_format(x, MEMFMT_CHANNELS_LAST);
}

/* The dims of x in (N, spatial..., C) order: perm[i] for dim i of the
 * permuted view, and back[i] to undo it */
static void nhwc_perms(int nd, int64_t *perm, int64_t *back) {
    perm[0] = back[0] = 0;
    for (int i = 1; i < nd - 1; i++) perm[i] = i + 1;
    perm[nd - 1] = 1;
    back[1] = nd - 1;
    for (int i = 2; i < nd; i++) back[i] = i - 1;
}

/* t's values in (N, spatial..., C) order on the host, contiguous */
static Tensor *host_nhwc(Tensor *t) {
    int64_t perm[5], back[5];
    nhwc_perms(t->ndim, perm, back);
    Tensor *p = NULL, *h;
    NO_GRAD(p = op_permute(t, t->ndim, perm));
    h = p ? op_host_contiguous(p) : NULL;
    tensor_release(p);
    return h;
}

/* the result (and each saved statistic) back on dev */
static Tensor *to_dev(Tensor *t, Device dev) { return t ? op_host_result_to_steal(t, dev) : NULL; }

Tensor *op_batch_norm(Tensor *x, Tensor *rm, Tensor *rv, Tensor *w, Tensor *b, bool train, double momentum,
                      double eps) {
    if (x->ndim < 2) {
        tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [%d, %d], but got 1)",
                  x->ndim ? -x->ndim : -1, x->ndim ? x->ndim - 1 : 0);
        return NULL;
    }
    int64_t N = x->shape[0], C = x->shape[1], S = 1;
    for (int i = 2; i < x->ndim; i++) S *= x->shape[i];
    if (!param_check(rm, "running_mean", C) || !param_check(rv, "running_var", C) || !param_check(w, "weight", C) ||
        !param_check(b, "bias", C) || !float_only(x, "batch_norm"))
        return NULL;
    if (!train && (!rm || !rv)) {
        tsr_raise(ERR_RuntimeError, "%s must be defined in evaluation mode", rm ? "running_var" : "running_mean");
        return NULL;
    }
    DType dt = x->dtype;
    Device dev = x->storage->device;
    Tensor *in[5] = {x, w, b, rm, rv}, *h[5];
    if (!hosts_of(in, 5, h)) return NULL;
    /* an input that is not contiguous takes ATen's generic loops: the
     * mean from at::mean, the rest in double, then ((x - mean) * invstd) *
     * w + b per element */
    bool generic = !bn_contiguous(x);
    bool cl = !generic && train && S > 1 && bn_channels_last(x);
    Tensor *hcl = cl ? host_nhwc(x) : NULL, *gmean = NULL;
    double *gvs = NULL;
    if (generic && train) {
        gmean = per_channel_host(x, true);
        gvs = gmean ? malloc(sizeof(double) * (size_t)(C ? C : 1)) : NULL;
        if (gmean && !gvs) tsr_raise_oom(sizeof(double) * (unsigned long long)C);
    }
    if ((cl && !hcl) || (generic && train && !gvs)) {
        release_all(h, 5);
        tensor_release(gmean);
        return NULL;
    }
    Tensor *mean = vec(dt, C), *invstd = vec(dt, C), *alpha = vec(dt, C), *beta = vec(dt, C);
    Tensor *out = tensor_empty(dt, x->ndim, x->shape, device_cpu()), *vs = vec(dt, C);
    Tensor *tmp[6] = {mean, invstd, alpha, beta, out, vs};
    bool ok = mean && invstd && alpha && beta && out && vs;
    for (int i = 1; ok && i < 5; i++)
        if (h[i] && h[i]->dtype != dt) {
            tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", dtype_scalar_name(dt),
                      dtype_scalar_name(h[i]->dtype));
            ok = false;
        }
    if (ok) {
        int64_t n = N * S;
        for (int64_t c = 0; c < C; c++) {
            double m, is;
            if (train && generic) {
                if (c == 0) kernel_bn_var_sum_generic(dt, N, C, S, tensor_data(h[0]), tensor_data(gmean), gvs);
                m = tensor_get_f64(gmean, c);
                double var = gvs[c] / (double)n; /* InvStd<double>, momentum in double */
                is = var == 0 && eps == 0 ? 0 : 1.0 / sqrt(var + eps);
                if (rm) tensor_set_f64(h[3], c, momentum * m + (1 - momentum) * tensor_get_f64(h[3], c));
                if (rv) tensor_set_f64(h[4], c, momentum * (gvs[c] / (double)(n - 1)) + (1 - momentum) * tensor_get_f64(h[4], c));
                tensor_set_f64(mean, c, m);
            } else if (train) {
                if (c == 0 && cl) kernel_bn_stats(dt, N * S, C, 1, tensor_data(hcl), tensor_data(mean), tensor_data(vs));
                else if (c == 0) kernel_bn_stats(dt, N, C, S, tensor_data(h[0]), tensor_data(mean), tensor_data(vs));
                m = tensor_get_f64(mean, c);
                double var_sum = tensor_get_f64(vs, c);
                if (dt == DT_FLOAT32) {
                    /* ATen's float arithmetic: var_sum / n in float, InvStd in
                     * double, momentum a float (0.1f) */
                    float vsf = (float)var_sum, mom = (float)momentum;
                    float var = vsf / (float)n;
                    is = var == 0 && eps == 0 ? 0 : 1.0 / sqrt((double)var + eps);
                    if (rm) tensor_set_f64(h[3], c, mom * (float)m + (1 - mom) * (float)tensor_get_f64(h[3], c));
                    if (rv) {
                        double unbiased = vsf / (float)(n - 1);
                        float kept = (1 - mom) * (float)tensor_get_f64(h[4], c);
                        tensor_set_f64(h[4], c, (double)mom * unbiased + (double)kept);
                    }
                } else {
                    is = var_sum == 0 && eps == 0 ? 0 : 1.0 / sqrt(var_sum / (double)n + eps);
                    if (rm) tensor_set_f64(h[3], c, momentum * m + (1 - momentum) * tensor_get_f64(h[3], c));
                    if (rv)
                        tensor_set_f64(h[4], c,
                                       momentum * (var_sum / (double)(n - 1)) + (1 - momentum) * tensor_get_f64(h[4], c));
                }
            } else {
                m = tensor_get_f64(h[3], c);
                if (dt == DT_FLOAT32) is = 1.0f / sqrtf((float)tensor_get_f64(h[4], c) + (float)eps);
                else is = 1.0 / sqrt(tensor_get_f64(h[4], c) + eps);
                tensor_set_f64(mean, c, m);
            }
            /* the backward's invstd: the saved one (train), or ATen's
             * 1 / std::sqrt(running_var + eps) in double (eval; the forward's
             * is in float) */
            tensor_set_f64(invstd, c, train ? is : 1.0 / sqrt(tensor_get_f64(h[4], c) + eps));
            if (generic) {
                tensor_set_f64(alpha, c, is);
                continue;
            }
            /* alpha = invstd * weight, beta = bias - mean * alpha, in dt */
            if (dt == DT_FLOAT32) {
                /* bias - mean * alpha: one fused multiply-add, as GCC builds
                 * ATen's AVX2 kernel file (-mfma, contraction on) */
                float a = (float)is * (w ? (float)tensor_get_f64(h[1], c) : 1.0f);
                tensor_set_f64(alpha, c, a);
                tensor_set_f64(beta, c, fmaf(-(float)tensor_get_f64(mean, c), a, b ? (float)tensor_get_f64(h[2], c) : 0.0f));
            } else {
                double a = is * (w ? tensor_get_f64(h[1], c) : 1.0);
                tensor_set_f64(alpha, c, a);
                tensor_set_f64(beta, c, fma(-tensor_get_f64(mean, c), a, b ? tensor_get_f64(h[2], c) : 0.0));
            }
        }
        if (generic) /* alpha holds the forward's invstd here */
            kernel_bn_transform_generic(dt, N, C, S, tensor_data(h[0]), tensor_data(mean), tensor_data(alpha),
                                        data_or_null(h[1]), data_or_null(h[2]), tensor_data(out));
        else
            kernel_channel_affine(dt, N, C, S, tensor_data(h[0]), tensor_data(alpha), tensor_data(beta), tensor_data(out));
        if (train && rm && h[3] != rm) NO_GRAD(ok = tensor_copy_(rm, h[3]));
        if (ok && train && rv && h[4] != rv) NO_GRAD(ok = tensor_copy_(rv, h[4]));
        if (ok && train) {
            if (rm && h[3] == rm) rm->storage->version++;
            if (rv && h[4] == rv) rv->storage->version++;
        }
    }
    release_all(h, 5);
    tensor_release(hcl);
    tensor_release(gmean);
    free(gvs);
    if (!ok) {
        release_all(tmp, 6);
        return NULL;
    }
    tensor_release(alpha);
    tensor_release(beta);
    tensor_release(vs);
    out = op_result_in_format_steal(to_dev(out, dev), layout_suggest_format(x)); /* empty_like(x, suggested) */
    mean = to_dev(mean, dev);
    invstd = to_dev(invstd, dev);
    NormCtx ctx = {NORM_BATCH, eps, train, 1, 0, 0};
    Tensor *ins[3] = {x, w, b}, *saves[4] = {x, w, mean, invstd};
    Tensor *r = mean && invstd ? ag_record_steal(out, NODE_NativeBatchNormBackward0, ins, 3, saves, 4, &ctx, sizeof ctx)
                               : (tensor_release(out), NULL);
    tensor_release(mean);
    tensor_release(invstd);
    return r;
}

static Tensor *rows_norm(int kind, Tensor *x, Tensor *w, Tensor *b, double eps, int64_t rows, int64_t n, int64_t G) {
    DType dt = x->dtype;
    Device dev = x->storage->device;
    Tensor *in[3] = {x, w, b}, *h[3];
    if (!hosts_of(in, 3, h)) return NULL;
    Tensor *mean = vec(dt, rows), *rstd = vec(dt, rows), *out = tensor_empty(dt, x->ndim, x->shape, device_cpu());
    bool ok = mean && rstd && out;
    if (ok && tensor_numel(x) > 0) {
        kernel_row_moments(dt, rows, n, tensor_data(h[0]), eps, tensor_data(mean), tensor_data(rstd));
        if (kind == NORM_LAYER)
            kernel_layer_norm_apply(dt, rows, n, tensor_data(h[0]), tensor_data(mean), tensor_data(rstd),
                                    data_or_null(h[1]), data_or_null(h[2]), tensor_data(out));
        else
            kernel_group_norm_apply(dt, x->shape[0], x->shape[1], tensor_numel(x) / (x->shape[0] * x->shape[1]), G,
                                    tensor_data(h[0]), tensor_data(mean), tensor_data(rstd), data_or_null(h[1]),
                                    data_or_null(h[2]), tensor_data(out));
    }
    release_all(h, 3);
    if (!ok) {
        tensor_release(mean);
        tensor_release(rstd);
        tensor_release(out);
        return NULL;
    }
    out = to_dev(out, dev);
    if (kind == NORM_GROUP) out = op_result_in_format_steal(out, layout_suggest_format(x));
    mean = to_dev(mean, dev);
    rstd = to_dev(rstd, dev);
    NormCtx ctx = {kind, eps, true, G, rows, n};
    Tensor *ins[3] = {x, w, b}, *saves[4] = {x, w, mean, rstd};
    GradNodeKind nk = kind == NORM_LAYER ? NODE_NativeLayerNormBackward0 : NODE_NativeGroupNormBackward0;
    Tensor *r = mean && rstd ? ag_record_steal(out, nk, ins, 3, saves, 4, &ctx, sizeof ctx) : (tensor_release(out), NULL);
    tensor_release(mean);
    tensor_release(rstd);
    return r;
}

Tensor *op_layer_norm(Tensor *x, int nd, const int64_t *shape, Tensor *w, Tensor *b, double eps) {
    char s1[256], s2[256];
    snprintf(s1, sizeof s1, "[");
    for (int i = 0; i < nd; i++)
        snprintf(s1 + strlen(s1), sizeof s1 - strlen(s1), "%s%lld", i ? ", " : "", (long long)shape[i]);
    snprintf(s1 + strlen(s1), sizeof s1 - strlen(s1), "]");
    if (nd < 1) {
        tsr_raise(ERR_RuntimeError,
                  "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = %s",
                  s1);
        return NULL;
    }
    Tensor *ps[2] = {w, b};
    for (int k = 0; k < 2; k++) {
        Tensor *p = ps[k];
        if (p && (p->ndim != nd || memcmp(p->shape, shape, sizeof(int64_t) * (size_t)nd))) {
            op_dims_str(p, s2, sizeof s2);
            tsr_raise(ERR_RuntimeError, "Expected %s to be of same shape as normalized_shape, but got %s of shape %s and normalized_shape = %s",
                      k ? "bias" : "weight", k ? "bias" : "weight", s2, s1);
            return NULL;
        }
    }
    bool match = x->ndim >= nd;
    for (int i = 0; match && i < nd; i++)
        if (x->shape[x->ndim - nd + i] != shape[i]) match = false;
    if (!match) {
        char s3[256];
        op_dims_str(x, s2, sizeof s2);
        snprintf(s3, sizeof s3, "[*");
        for (int i = 0; i < nd; i++) snprintf(s3 + strlen(s3), sizeof s3 - strlen(s3), ", %lld", (long long)shape[i]);
        snprintf(s3 + strlen(s3), sizeof s3 - strlen(s3), "]");
        tsr_raise(ERR_RuntimeError, "Given normalized_shape=%s, expected input with shape %s, but got input of size%s",
                  s1, s3, s2);
        return NULL;
    }
    if (!float_only(x, "LayerNormKernelImpl")) return NULL;
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= shape[i];
    return rows_norm(NORM_LAYER, x, w, b, eps, n ? tensor_numel(x) / n : 0, n, 1);
}

Tensor *op_group_norm(Tensor *x, int64_t G, Tensor *w, Tensor *b, double eps) {
    char s1[256], s2[256];
    op_dims_str(x, s2, sizeof s2);
    int64_t C = x->ndim >= 2 ? x->shape[1] : 0;
    if (G <= 0 || C % G) {
        tsr_raise(ERR_RuntimeError,
                  "Expected number of channels in input to be divisible by num_groups, but got input of shape %s and num_groups=%lld",
                  s2, (long long)G);
        return NULL;
    }
    Tensor *ps[2] = {w, b};
    for (int k = 0; k < 2; k++)
        if (ps[k] && (ps[k]->ndim != 1 || ps[k]->shape[0] != C)) {
            op_dims_str(ps[k], s1, sizeof s1);
            tsr_raise(ERR_RuntimeError,
                      "Expected %s to be a vector of size equal to the number of channels in input, but got %s of shape %s and input of shape %s",
                      k ? "bias" : "weight", k ? "bias" : "weight", s1, s2);
            return NULL;
        }
    if (!float_only(x, "GroupNormKernelImpl")) return NULL;
    int64_t rows = x->shape[0] * G;
    return rows_norm(NORM_GROUP, x, w, b, eps, rows, rows ? tensor_numel(x) / rows : 0, G);
}

bool op_norm_backward(const NormCtx *c, Tensor *grad, Tensor *x, Tensor *w, Tensor *s0, Tensor *s1,
                      const bool need[3], Tensor *res[3]) {
    res[0] = res[1] = res[2] = NULL;
    DType dt = x->dtype;
    Device dev = x->storage->device;
    Tensor *gc = NULL;
    NO_GRAD(gc = op_to_dtype(grad, dt));
    if (!gc) return false;
    Tensor *in[5] = {gc, x, w, s0, s1}, *h[5];
    int64_t N = x->shape[0], C = c->kind == NORM_LAYER ? c->n : x->shape[1], S = 1;
    if (c->kind != NORM_LAYER)
        for (int i = 2; i < x->ndim; i++) S *= x->shape[i];
    /* the channels-last kernels: gradient and input read as (N * spatial, C) rows */
    bool cl = c->kind == NORM_BATCH && S > 1 && bn_channels_last(x) && bn_channels_last(grad);
    /* batch_norm's kernel wants both contiguous in one format; else ATen's
     * generic loop, with the gradient's sums from at::sum */
    bool generic = c->kind == NORM_BATCH && !(bn_contiguous(x) && bn_contiguous(gc) &&
                                              layout_suggest_format(x) == layout_suggest_format(gc));
    Tensor *gsum = NULL;
    if (generic) {
        gsum = per_channel_host(gc, false);
        if (!gsum) {
            tensor_release(gc);
            return false;
        }
        cl = false;
    }
    bool ok = hosts_of(in + 2, 3, h + 2);
    h[0] = h[1] = NULL;
    if (ok && cl) ok = (h[0] = host_nhwc(gc)) && (h[1] = host_nhwc(x));
    else if (ok) ok = (h[0] = op_host_contiguous(gc)) && (h[1] = op_host_contiguous(x));
    tensor_release(gc);
    if (!ok) {
        release_all(h, 5);
        tensor_release(gsum);
        return false;
    }
    int64_t pn = c->kind == NORM_LAYER ? c->n : C;
    int64_t perm[5], back[5];
    if (cl) nhwc_perms(x->ndim, perm, back);
    if (need[0] && cl) {
        int64_t sh[5];
        for (int i = 0; i < x->ndim; i++) sh[i] = x->shape[perm[i]];
        res[0] = tensor_empty(dt, x->ndim, sh, device_cpu());
    } else if (need[0]) {
        res[0] = tensor_empty(dt, x->ndim, x->shape, device_cpu());
    }
    if (need[1]) res[1] = tensor_zeros(dt, 1, &pn, device_cpu());
    if (need[2]) res[2] = tensor_zeros(dt, 1, &pn, device_cpu());
    for (int i = 0; i < 3; i++)
        if (need[i] && !res[i]) ok = false;
    if (ok && tensor_numel(x) > 0) {
        void *gi = data_or_null(res[0]), *gw = data_or_null(res[1]), *gb = data_or_null(res[2]);
        if (generic)
            kernel_bn_backward_generic(dt, N, C, S, tensor_data(h[0]), tensor_data(h[1]), tensor_data(h[3]),
                                       tensor_data(h[4]), data_or_null(h[2]), c->train, tensor_data(gsum), gi, gw, gb);
        else if (c->kind == NORM_BATCH)
            kernel_bn_backward(dt, cl ? N * S : N, C, cl ? 1 : S, tensor_data(h[0]), tensor_data(h[1]), tensor_data(h[3]),
                               tensor_data(h[4]), data_or_null(h[2]), c->train, gi, gw, gb);
        else if (c->kind == NORM_LAYER)
            kernel_layer_norm_backward(dt, c->rows, c->n, tensor_data(h[0]), tensor_data(h[1]), tensor_data(h[3]),
                                       tensor_data(h[4]), data_or_null(h[2]), gi, gw, gb);
        else {
            int64_t sn = 2 * N * C;
            Tensor *sc = tensor_empty(dt, 1, &sn, device_cpu());
            if (sc)
                kernel_group_norm_backward(dt, N, C, S, c->G, tensor_data(h[0]), tensor_data(h[1]),
                                           tensor_data(h[3]), tensor_data(h[4]), data_or_null(h[2]), gi, gw, gb,
                                           tensor_data(sc));
            else
                ok = false;
            tensor_release(sc);
        }
    }
    release_all(h, 5);
    tensor_release(gsum);
    if (ok && cl && res[0]) { /* back to (N, C, spatial...): a channels-last tensor */
        Tensor *v = NULL;
        NO_GRAD(v = op_permute(res[0], x->ndim, back));
        tensor_release(res[0]);
        if (!(res[0] = v)) ok = false;
    } else if (ok && res[0] && c->kind == NORM_BATCH) { /* empty_like(input, suggest_memory_format) */
        if (!(res[0] = op_result_in_format_steal(res[0], layout_suggest_format(x)))) ok = false;
    }
    for (int i = 0; i < 3; i++) {
        if (ok && res[i] && i > 0 && w && c->kind == NORM_LAYER) {
            Tensor *v = op_view(res[i], w->ndim, w->shape);
            tensor_release(res[i]);
            res[i] = v;
            if (!v) ok = false;
        }
        if (ok && res[i] && !(res[i] = to_dev(res[i], dev))) ok = false;
    }
    if (!ok) release_all(res, 3);
    return ok;
}

/* ---------------------------------------------------------- embedding */

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* ATen's embedding_renorm_cpu_: the rows named by indices, each once in
 * sorted order, scaled by max_norm / (norm + 1e-7) where their norm
 * exceeds max_norm (row.norm(p), row *= scale) */
Tensor *op_embedding_renorm_(Tensor *self, Tensor *indices, double max_norm, double norm_type) {
    if (self->ndim != 2) {
        tsr_raise(ERR_RuntimeError,
                  "Expected 2-dimensional tensor, but got %d-dimensional tensor for argument #1 'self' (while "
                  "checking arguments for embedding_renorm_)",
                  self->ndim);
        return NULL;
    }
    if (indices->dtype != DT_INT64 && indices->dtype != DT_INT32) {
        tsr_raise(ERR_RuntimeError,
                  "Expected tensor for argument #2 'indices' to have one of the following scalar types: Long, Int; "
                  "but got %s%s instead (while checking arguments for embedding_renorm_)",
                  tensor_is_cuda(indices) ? "torch.cuda." : "torch.", tsr_dtype_info[indices->dtype].tensor_type);
        return NULL;
    }
    if (!ag_check_inplace(self, ag_any_requires_grad(&self, 1))) return NULL;
    Tensor *i64 = op_to_dtype(indices, DT_INT64), *hi = i64 ? op_host_contiguous(i64) : NULL;
    tensor_release(i64);
    if (!hi) return NULL;
    int64_t n = tensor_numel(hi);
    int64_t *idx = tsr_malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
    bool ok = idx != NULL;
    if (ok) {
        memcpy(idx, tensor_data(hi), sizeof(int64_t) * (size_t)n);
        qsort(idx, (size_t)n, sizeof *idx, cmp_i64);
    }
    tensor_release(hi);
    bool prev = ag_grad_enabled;
    ag_grad_enabled = false;
    for (int64_t i = 0; ok && i < n; i++) {
        if (i > 0 && idx[i] == idx[i - 1]) continue;
        Tensor *row = op_select(self, 0, idx[i]);
        Tensor *nt = row ? op_norm(row, norm_type, false, 0, NULL, false) : NULL;
        Tensor *hn = nt ? op_host_contiguous(nt) : NULL;
        ok = hn != NULL;
        if (ok) {
            double norm = tensor_get_f64(hn, 0);
            if (norm > max_norm) {
                Tensor *sc = tensor_wrapped_float(max_norm / (norm + 1e-7));
                Tensor *r = sc ? op_binary_(BIN_MUL, row, sc) : NULL;
                ok = r != NULL;
                tensor_release(r);
                tensor_release(sc);
            }
        }
        tensor_release(hn);
        tensor_release(nt);
        tensor_release(row);
    }
    ag_grad_enabled = prev;
    free(idx);
    return ok ? tensor_retain(self) : NULL;
}

Tensor *op_embedding(Tensor *weight, Tensor *indices, int64_t padding_idx) {
    if (indices->dtype != DT_INT64 && indices->dtype != DT_INT32) {
        tsr_raise(ERR_RuntimeError,
                  "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got %s%s instead (while checking arguments for embedding)",
                  tensor_is_cuda(indices) ? "torch.cuda." : "torch.", tsr_dtype_info[indices->dtype].tensor_type);
        return NULL;
    }
    if (weight->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "'weight' must be 2-D");
        return NULL;
    }
    Tensor *flat = NULL, *sel = NULL, *r = NULL;
    int64_t m1 = -1;
    NO_GRAD({
        flat = op_reshape(indices, 1, &m1);
        sel = flat ? op_index_select(weight, 0, flat) : NULL;
        if (sel) {
            int64_t sh[TSR_MAX_DIMS];
            memcpy(sh, indices->shape, sizeof(int64_t) * (size_t)indices->ndim);
            sh[indices->ndim] = weight->shape[1];
            r = op_view(sel, indices->ndim + 1, sh);
        }
    });
    tensor_release(flat);
    tensor_release(sel);
    if (!r) return NULL;
    NormCtx ctx = {NORM_EMBEDDING, 0, true, 1, weight->shape[0], padding_idx};
    return ag_record_steal(r, NODE_EmbeddingBackward0, &weight, 1, &indices, 1, &ctx, sizeof ctx);
}

Tensor *op_embedding_backward(Tensor *grad, Tensor *indices, int64_t num_weights, int64_t padding_idx) {
    int64_t D = grad->shape[grad->ndim - 1], sh[2] = {num_weights, D};
    DType dt = grad->dtype;
    Tensor *hg = NULL, *hi = NULL, *out = tensor_zeros(dt, 2, sh, device_cpu()), *gc = NULL;
    NO_GRAD(gc = op_contiguous(grad));
    if (gc) hg = op_host_contiguous(gc);
    tensor_release(gc);
    Tensor *ic = NULL;
    NO_GRAD(ic = op_to_dtype(indices, DT_INT64));
    if (ic) hi = op_host_contiguous(ic);
    tensor_release(ic);
    if (!out || !hg || !hi) goto fail;
    if (!dtype_is_float(dt)) {
        tsr_raise(ERR_RuntimeError, "\"embedding_backward\" not implemented for '%s'", dtype_scalar_name(dt));
        goto fail;
    }
    kernel_embedding_backward(dt, tensor_numel(hi), D, (const int64_t *)tensor_data(hi), tensor_data(hg), num_weights,
                              padding_idx, tensor_data(out));
    tensor_release(hg);
    tensor_release(hi);
    return to_dev(out, grad->storage->device);
fail:
    tensor_release(hg);
    tensor_release(hi);
    tensor_release(out);
    return NULL;
}
