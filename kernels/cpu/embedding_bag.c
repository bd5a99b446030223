/* embedding_bag.c: the loops of torch.embedding_bag and its backward
 * (1.13's EmbeddingBag.cpp; the float fast path is caffe2's
 * EmbeddingLookupIdx, whose AVX2 build fuses each multiply-add). */
#include "embedding_bag.h"

#include <math.h>

#include "matmul.h" /* kernel_blas_dot */

static bool index_ok(const EmbeddingBagLoop *a, int64_t idx) { return idx >= 0 && idx < a->num_weights; }

KernelStatus kernel_embedding_bag_lookup(const EmbeddingBagLoop *a, int64_t *bad_pos, int64_t *bad_idx) {
    int64_t D = a->dim;
    for (int64_t b = 0; b < a->num_bags; b++) {
        int64_t begin = a->bounds[b] > 0 ? a->bounds[b] : 0, end = a->bounds[b + 1] < a->n ? a->bounds[b + 1] : a->n;
        for (int64_t j = begin; j < end; j++) {
            int64_t idx = a->indices[j];
            if (!index_ok(a, idx)) {
                *bad_pos = j;
                *bad_idx = idx;
                return KERNEL_INDEX_OUT_OF_RANGE;
            }
            if (a->dt == DT_FLOAT32) {
                float w = a->psw ? ((const float *)a->psw)[j] : 1.0f;
                const float *row = (const float *)a->weight + idx * D;
                float *o = (float *)a->out + b * D;
                for (int64_t d = 0; d < D; d++) o[d] = fmaf(w, row[d], o[d]);
            } else {
                double w = a->psw ? ((const double *)a->psw)[j] : 1.0;
                const double *row = (const double *)a->weight + idx * D;
                double *o = (double *)a->out + b * D;
                for (int64_t d = 0; d < D; d++) o[d] = fma(w, row[d], o[d]);
            }
        }
    }
    return KERNEL_OK;
}

KernelStatus kernel_embedding_bag_add(const EmbeddingBagLoop *a, int64_t *bad_idx) {
    int64_t D = a->dim;
    for (int64_t i = 0; i < a->n; i++) {
        int64_t idx = a->indices[i], bag = a->offset2bag[i];
        if (!index_ok(a, idx)) {
            *bad_idx = idx;
            return KERNEL_INDEX_OUT_OF_RANGE;
        }
        if (idx == a->padding_idx) {
            a->bag_size[bag]--;
            continue;
        }
        if (a->dt == DT_FLOAT32) {
            const float *row = (const float *)a->weight + idx * D;
            float *o = (float *)a->out + bag * D;
            if (a->psw) {
                float w = ((const float *)a->psw)[i];
                for (int64_t d = 0; d < D; d++) o[d] += row[d] * w;
            } else {
                for (int64_t d = 0; d < D; d++) o[d] += row[d];
            }
        } else {
            const double *row = (const double *)a->weight + idx * D;
            double *o = (double *)a->out + bag * D;
            if (a->psw) {
                double w = ((const double *)a->psw)[i];
                for (int64_t d = 0; d < D; d++) o[d] += row[d] * w;
            } else {
                for (int64_t d = 0; d < D; d++) o[d] += row[d];
            }
        }
    }
    return KERNEL_OK;
}

KernelStatus kernel_embedding_bag_max(const EmbeddingBagLoop *a, int64_t *bad_idx) {
    int64_t D = a->dim;
    /* offset2bag never decreases: a bag's first non-padding index is the
     * first one of a bag other than the last one seen */
    int64_t last_bag = -1;
    for (int64_t i = 0; i < a->n; i++) {
        int64_t idx = a->indices[i], bag = a->offset2bag[i];
        if (!index_ok(a, idx)) {
            *bad_idx = idx;
            return KERNEL_INDEX_OUT_OF_RANGE;
        }
        if (idx == a->padding_idx) {
            a->bag_size[bag]--;
            continue;
        }
        bool first = bag != last_bag;
        last_bag = bag;
        int64_t *mi = a->max_indices + bag * D;
        if (a->dt == DT_FLOAT32) {
            const float *row = (const float *)a->weight + idx * D;
            float *o = (float *)a->out + bag * D;
            for (int64_t d = 0; d < D; d++) {
                if (first || row[d] > o[d]) {
                    o[d] = row[d];
                    mi[d] = idx;
                }
            }
        } else {
            const double *row = (const double *)a->weight + idx * D;
            double *o = (double *)a->out + bag * D;
            for (int64_t d = 0; d < D; d++) {
                if (first || row[d] > o[d]) {
                    o[d] = row[d];
                    mi[d] = idx;
                }
            }
        }
    }
    return KERNEL_OK;
}

void kernel_embedding_bag_backward_sum(DType dt, int64_t n, const int64_t *sorted, const int64_t *bags,
                                       const void *psw, const int64_t *bag_size, bool mean, bool by_freq,
                                       int64_t padding_idx, int64_t num_weights, int64_t num_bags, int64_t dim,
                                       const void *grad, int64_t *counts, void *gw) {
    for (int64_t i = 0; i < n; i++)
        if (sorted[i] >= 0 && sorted[i] < num_weights) counts[sorted[i]]++;
    int64_t run = 0;
    for (int64_t start = 0; start < n; run++) {
        int64_t end = start + 1;
        while (end < n && sorted[end] == sorted[start]) end++;
        int64_t index = sorted[start];
        /* indices past the last offset were never checked: skipped */
        if (index != padding_idx && index >= 0 && index < num_weights) {
            for (int64_t j = start; j < end; j++) {
                int64_t source = bags[j];
                if (source < 0 || source >= num_bags) continue;
                double scale = 1.0;
                if (psw) scale = dt == DT_FLOAT32 ? ((const float *)psw)[j] : ((const double *)psw)[j];
                /* 1.13 reads counts at the run number's sorted index */
                if (by_freq && sorted[run] >= 0 && sorted[run] < num_weights) scale /= (double)counts[sorted[run]];
                if (mean && bag_size[source] != 0) scale /= (double)bag_size[source];
                /* cpublas::axpy as the oracle's build runs it: one fused
                 * multiply-add per element */
                if (dt == DT_FLOAT32) {
                    const float *x = (const float *)grad + dim * source;
                    float *y = (float *)gw + dim * index;
                    for (int64_t d = 0; d < dim; d++) y[d] = fmaf((float)scale, x[d], y[d]);
                } else {
                    const double *x = (const double *)grad + dim * source;
                    double *y = (double *)gw + dim * index;
                    for (int64_t d = 0; d < dim; d++) y[d] = fma(scale, x[d], y[d]);
                }
            }
        }
        start = end;
    }
}

void kernel_embedding_bag_backward_max(DType dt, int64_t num_weights, int64_t num_bags, int64_t dim,
                                       const int64_t *bag_size, const int64_t *max_indices, const void *grad,
                                       void *gw) {
    for (int64_t b = 0; b < num_bags; b++) {
        if (bag_size[b] == 0) continue;
        for (int64_t d = 0; d < dim; d++) {
            int64_t r = max_indices[b * dim + d];
            if (r < 0 || r >= num_weights) continue;
            if (dt == DT_FLOAT32) ((float *)gw)[r * dim + d] += ((const float *)grad)[b * dim + d];
            else ((double *)gw)[r * dim + d] += ((const double *)grad)[b * dim + d];
        }
    }
}

void kernel_embedding_bag_backward_psw(DType dt, int64_t n, const int64_t *indices, const int64_t *offset2bag,
                                       int64_t padding_idx, int64_t num_weights, int64_t num_bags, int64_t dim,
                                       const void *grad, const void *weight, void *out) {
    size_t es = dt == DT_FLOAT32 ? sizeof(float) : sizeof(double);
    for (int64_t i = 0; i < n; i++) {
        if (indices[i] == padding_idx || indices[i] < 0 || indices[i] >= num_weights || offset2bag[i] < 0 ||
            offset2bag[i] >= num_bags)
            continue;
        kernel_blas_dot(dt, dim, (const char *)grad + (size_t)(dim * offset2bag[i]) * es, 1,
                        (const char *)weight + (size_t)(dim * indices[i]) * es, 1, (char *)out + (size_t)i * es);
    }
}
