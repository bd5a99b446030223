/* embedding_bag.c: torch.embedding_bag (F.embedding_bag, nn.EmbeddingBag)
 * as 1.13's EmbeddingBag.cpp: checks, the four results (output,
 * offset2bag, bag_size, max_indices), the loops of
 * kernels/cpu/embedding_bag.c on host copies (float16 rows summed in
 * float32, as ATen does), mean's division by max(bag_size, 1) in the
 * output's dtype. One node, EmbeddingBagBackward0 on the output (inputs
 * weight and per_sample_weights), whose formula is
 * _embedding_bag_dense_backward and
 * _embedding_bag_per_sample_weights_backward. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "embedding_bag.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

enum { MODE_SUM, MODE_MEAN, MODE_MAX };

typedef struct {
    int64_t num_weights, padding_idx;
    int mode;
    bool scale_grad_by_freq, has_psw;
} EmbeddingBagCtx;

/* the legacy type name checkScalarTypes prints ("torch.FloatTensor";
 * BFloat16 has only its type object's name) */
static void legacy_type_name(char *buf, size_t n, DType dt, bool cuda) {
    if (dt == DT_BFLOAT16) snprintf(buf, n, "%sBFloat16Type", cuda ? "CUDA" : "CPU");
    else snprintf(buf, n, "%s%s", cuda ? "torch.cuda." : "torch.", tsr_dtype_info[dt].tensor_type);
}

/* indices and offsets are first promoted to one type, then checked */
static bool index_type_ok(DType dt, bool cuda, const char *name) {
    if (dt == DT_INT64 || dt == DT_INT32) return true;
    char tn[64];
    legacy_type_name(tn, sizeof tn, dt, cuda);
    tsr_raise(ERR_RuntimeError,
              "Expected tensor for argument #1 '%s' to have one of the following scalar types: Long, Int; but got "
              "%s instead (while checking arguments for embedding_bag)",
              name, tn);
    return false;
}

/* an int64 host copy of an index tensor */
static Tensor *host_i64(Tensor *t) {
    Tensor *c = NULL, *h = NULL;
    NO_GRAD(c = op_to_dtype(t, DT_INT64));
    if (c) h = op_host_contiguous(c);
    tensor_release(c);
    return h;
}

static Tensor *i64_empty(int64_t n) { return tensor_zeros(DT_INT64, 1, &n, device_cpu()); }

static int64_t *i64(Tensor *t) { return (int64_t *)tensor_data(t); }

/* make_offset2bag over the first n_off offsets: n + 1 zeros, +1 at each
 * offset, [0] -= 1, cumsum, the first n kept */
static Tensor *offset2bag_of(const int64_t *off, int64_t n_off, int64_t n) {
    Tensor *t = i64_empty(n + 1);
    if (!t) return NULL;
    int64_t *p = i64(t);
    for (int64_t k = 0; k < n_off; k++)
        if (off[k] >= 0 && off[k] <= n) p[off[k]]++;
    p[0] -= 1;
    for (int64_t i = 1; i <= n; i++) p[i] += p[i - 1];
    t->shape[0] = n;
    t->stride[0] = 1;
    return t;
}

static bool check_offsets(Tensor *ho, DType odt, int64_t n) {
    int64_t no = ho->shape[0];
    if (no == 0) return true;
    const int64_t *o = i64(ho);
    if (o[0] != 0) {
        tsr_raise(ERR_RuntimeError,
                  "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. "
                  "However, got %lld\n[ torch.%s{} ]",
                  (long long)o[0], tsr_dtype_info[odt].tensor_type);
        return false;
    }
    if (o[no - 1] > n) {
        tsr_raise(ERR_RuntimeError, "offsets[-1] can not be greater than input's length %lld but got offsets[-1] of %lld",
                  (long long)n, (long long)o[no - 1]);
        return false;
    }
    return true;
}

static bool check_psw(Tensor *psw, Tensor *w, int mode, int64_t n) {
    if (mode != MODE_SUM) {
        tsr_raise(ERR_RuntimeError, "%s", "embedding_bag: per_sample_weights only supported with mode='sum'");
        return false;
    }
    if (psw->dtype != w->dtype) {
        char wn[64], pn[64];
        legacy_type_name(wn, sizeof wn, w->dtype, tensor_is_cuda(w));
        legacy_type_name(pn, sizeof pn, psw->dtype, tensor_is_cuda(psw));
        tsr_raise(ERR_RuntimeError,
                  "Expected tensor for argument #1 'weight' to have the same type as tensor for argument #1 "
                  "'per_sample_weights'; but type %s does not equal %s (while checking arguments for "
                  "embedding_bag)",
                  wn, pn);
        return false;
    }
    const char *what = psw->ndim != 1 ? "per_sample_weights.value().dim() == 1"
                       : tensor_numel(psw) != n ? "per_sample_weights.value().numel() == indices.numel()"
                                                : NULL;
    if (what) {
        tsr_raise(ERR_RuntimeError,
                  "Expected %s to be true, but got false.  (Could this error message be improved?  If so, please "
                  "report an enhancement request to PyTorch.)",
                  what);
        return false;
    }
    return true;
}

static bool raise_bad_index(KernelStatus st, bool fast, int64_t pos, int64_t idx, int64_t num_weights) {
    if (st == KERNEL_OK) return true;
    if (fast)
        tsr_raise(ERR_RuntimeError,
                  "[enforce fail at embedding_lookup_idx.cc:214] 0 <= idx && idx < data_size. Index %lld is out of "
                  "bounds: %lld, range 0 to %lld",
                  (long long)pos, (long long)idx, (long long)num_weights);
    else
        tsr_raise(ERR_RuntimeError,
                  "embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be %lld", (long long)idx);
    return false;
}

/* weight (or psw) as a contiguous host float32/float64 copy */
static Tensor *host_rows(Tensor *t) {
    Tensor *c = NULL, *h = NULL;
    if (t->dtype == DT_FLOAT16) {
        NO_GRAD(c = op_to_dtype(t, DT_FLOAT32));
    } else {
        c = tensor_retain(t);
    }
    if (c) h = op_host_contiguous(c);
    tensor_release(c);
    return h;
}

static Tensor *index_result(Tensor *h, DType idt, Device dev) {
    if (!h) return NULL;
    Tensor *c = h;
    if (idt != DT_INT64) {
        NO_GRAD(c = op_to_dtype(h, idt));
        tensor_release(h);
        if (!c) return NULL;
    }
    return op_host_result_to_steal(c, dev);
}

bool op_embedding_bag(Tensor *weight, Tensor *indices, Tensor *offsets, bool scale_grad_by_freq, int64_t mode,
                      bool sparse, Tensor *psw, bool include_last_offset, bool has_padding, int64_t padding_idx,
                      Tensor **results) {
    for (int k = 0; k < 4; k++) results[k] = NULL;
    if (has_padding) {
        if (weight->ndim == 0) {
            tsr_raise(ERR_IndexError, "%s", "Dimension specified as 0 but tensor has no dimensions");
            return false;
        }
        int64_t V = weight->shape[0];
        if (padding_idx < -V || padding_idx >= V) {
            tsr_raise(ERR_RuntimeError,
                      "padding_idx must be within the number of embeddings, -%lld through %lld, but got %lld",
                      (long long)V, (long long)(V - 1), (long long)padding_idx);
            return false;
        }
        if (padding_idx < 0) padding_idx += V;
    } else {
        padding_idx = -1;
    }
    if (mode < MODE_SUM || mode > MODE_MAX) {
        tsr_raise(ERR_RuntimeError, "tsr: embedding_bag's mode must be 0 (sum), 1 (mean) or 2 (max), got %lld",
                  (long long)mode);
        return false;
    }
    if (sparse) {
        tsr_raise(ERR_RuntimeError, "%s", "tsr: embedding_bag(sparse=True) is not supported (no sparse tensors)");
        return false;
    }
    if (indices->ndim != 1 && indices->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "input has to be a 1D or 2D Tensor, but got Tensor of dimension %d", indices->ndim);
        return false;
    }
    if (offsets->ndim != 1) {
        tsr_raise(ERR_RuntimeError, "offsets has to be a 1D Tensor, but got Tensor of dimension %d", offsets->ndim);
        return false;
    }
    DType idt = dtype_promote(indices->dtype, offsets->dtype);
    if (!index_type_ok(idt, tensor_is_cuda(indices), "indices")) return false;
    DType dt = weight->dtype;
    if (dt != DT_FLOAT16 && dt != DT_FLOAT32 && dt != DT_FLOAT64) {
        char tn[64];
        legacy_type_name(tn, sizeof tn, dt, tensor_is_cuda(weight));
        tsr_raise(ERR_RuntimeError,
                  "Expected tensor for argument #1 'weight' to have one of the following scalar types: Half, Float, "
                  "Double; but got %s instead (while checking arguments for embedding_bag)",
                  tn);
        return false;
    }
    int64_t n = indices->shape[0], n_off = offsets->shape[0];
    Tensor *hi = host_i64(indices), *ho = hi ? host_i64(offsets) : NULL;
    Tensor *hw = NULL, *hp = NULL, *out = NULL, *o2b = NULL, *bag_size = NULL, *max_idx = NULL, *bounds = NULL;
    bool ok = ho && check_offsets(ho, idt, n);
    if (ok && psw) ok = check_psw(psw, weight, (int)mode, tensor_numel(indices));
    if (ok && include_last_offset && n_off < 1) {
        tsr_raise(ERR_RuntimeError, "%s", "include_last_offset: number of offset should be at least 1");
        ok = false;
    }
    if (ok && weight->ndim < 2) {
        tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [%d, %d], but got 1)",
                  weight->ndim ? -weight->ndim : -1, weight->ndim ? weight->ndim - 1 : 0);
        ok = false;
    }
    if (!ok) goto done;
    int64_t V = weight->shape[0], D = weight->shape[1];
    int64_t nb = include_last_offset ? n_off - 1 : n_off;
    bool fast = (dt == DT_FLOAT32 || dt == DT_FLOAT16) && weight->stride[1] == 1 && padding_idx < 0 &&
                (!psw || psw->stride[0] == 1);
    bool requires_grad = weight->requires_grad;
    const int64_t *off = i64(ho);
    /* offset2bag: over the offsets but a last one include_last_offset drops */
    if (mode != MODE_SUM || !fast) o2b = offset2bag_of(off, nb, n);
    else o2b = i64_empty(0);
    /* bag_size: each bag's length, the last one's to the end of the input */
    if (requires_grad || mode != MODE_SUM) {
        bag_size = i64_empty(nb);
        if (bag_size) {
            int64_t *bs = i64(bag_size);
            for (int64_t k = 0; k + 1 < nb; k++) bs[k] = off[k + 1] - off[k];
            if (nb > 0) bs[nb - 1] = n - off[nb - 1];
        }
    } else {
        bag_size = i64_empty(n_off);
    }
    int64_t osh[2] = {nb, D};
    Tensor *acc = tensor_zeros(dt == DT_FLOAT16 ? DT_FLOAT32 : dt, 2, osh, device_cpu());
    hw = host_rows(weight);
    if (psw) hp = host_rows(psw);
    ok = o2b && bag_size && acc && hw && (!psw || hp);
    if (ok && mode == MODE_MAX) ok = (max_idx = tensor_zeros(DT_INT64, 2, osh, device_cpu())) != NULL;
    EmbeddingBagLoop L = {acc ? acc->dtype : dt, V, D, hw ? tensor_data(hw) : NULL, n, i64(hi),
                          o2b ? i64(o2b) : NULL, NULL, hp ? tensor_data(hp) : NULL, nb, padding_idx,
                          acc ? tensor_data(acc) : NULL, bag_size ? i64(bag_size) : NULL,
                          max_idx ? i64(max_idx) : NULL};
    if (ok && nb > 0) {
        int64_t pos = 0, idx = 0;
        KernelStatus st;
        if (mode == MODE_MAX) {
            st = kernel_embedding_bag_max(&L, &idx);
        } else if (fast) {
            if (!include_last_offset) {
                bounds = i64_empty(n_off + 1);
                ok = bounds != NULL;
                if (ok) {
                    memcpy(i64(bounds), off, sizeof(int64_t) * (size_t)n_off);
                    i64(bounds)[n_off] = n;
                }
            }
            L.bounds = bounds ? i64(bounds) : off;
            st = ok ? kernel_embedding_bag_lookup(&L, &pos, &idx) : KERNEL_OK;
        } else {
            st = kernel_embedding_bag_add(&L, &idx);
        }
        ok = ok && raise_bad_index(st, fast && mode != MODE_MAX, pos, idx, V);
    }
    if (ok && dt == DT_FLOAT16) {
        Tensor *h = NULL;
        NO_GRAD(h = op_to_dtype(acc, DT_FLOAT16));
        tensor_release(acc);
        acc = h;
        ok = acc != NULL;
    }
    if (ok && mode == MODE_MEAN) {
        /* output /= max(bag_size, 1).to(output's dtype).unsqueeze(1) */
        int64_t dsh[2] = {nb, 1};
        Tensor *cl = tensor_empty(DT_INT64, 2, dsh, device_cpu()), *den = NULL, *q = NULL;
        if (cl) {
            for (int64_t k = 0; k < nb; k++) i64(cl)[k] = i64(bag_size)[k] > 1 ? i64(bag_size)[k] : 1;
            NO_GRAD(den = op_to_dtype(cl, dt));
        }
        if (den) NO_GRAD(q = op_binary(BIN_DIV, acc, den));
        tensor_release(cl);
        tensor_release(den);
        tensor_release(acc);
        acc = q;
        ok = acc != NULL;
    }
    if (ok && mode == MODE_SUM) memset(tensor_data(bag_size), 0, sizeof(int64_t) * (size_t)tensor_numel(bag_size));
    if (ok && mode != MODE_MAX) {
        NO_GRAD(max_idx = op_clone(bag_size));
        ok = max_idx != NULL;
    }
    if (!ok) {
        tensor_release(acc);
        goto done;
    }
    Device dev = weight->storage->device;
    out = op_host_result_to_steal(acc, dev);
    if (out && ag_grad_enabled && (weight->requires_grad || (psw && psw->requires_grad))) {
        EmbeddingBagCtx c = {V, padding_idx, (int)mode, scale_grad_by_freq, psw != NULL};
        Tensor *ins[2] = {weight, psw};
        /* saved: indices, offsets, offset2bag, bag_size, max_indices, weight, psw (int64 host copies) */
        Tensor *saved[7] = {hi, ho, o2b, bag_size, max_idx, weight, psw};
        out = ag_record_steal(out, NODE_EmbeddingBagBackward0, ins, psw ? 2 : 1, saved, psw ? 7 : 6, &c, sizeof c);
    }
    if (!out) goto done;
    results[0] = out;
    results[1] = index_result(tensor_retain(o2b), idt, dev);
    results[2] = results[1] ? index_result(tensor_retain(bag_size), idt, dev) : NULL;
    results[3] = results[2] ? index_result(tensor_retain(max_idx), idt, dev) : NULL;
    ok = results[3] != NULL;
    if (!ok) {
        for (int k = 0; k < 4; k++) {
            tensor_release(results[k]);
            results[k] = NULL;
        }
    }
done:
    tensor_release(hi);
    tensor_release(ho);
    tensor_release(hw);
    tensor_release(hp);
    tensor_release(o2b);
    tensor_release(bag_size);
    tensor_release(max_idx);
    tensor_release(bounds);
    return ok;
}

/* h (a host result, stolen) in dtype dt on dev */
static Tensor *host_result(Tensor *h, DType dt, Device dev) {
    if (h->dtype != dt) {
        Tensor *c = NULL;
        NO_GRAD(c = op_to_dtype(h, dt));
        tensor_release(h);
        if (!c) return NULL;
        h = c;
    }
    return op_host_result_to_steal(h, dev);
}

/* _embedding_bag_dense_backward (weight) and
 * _embedding_bag_per_sample_weights_backward (psw) for the node's saved
 * tensors */
bool op_embedding_bag_backward(Tensor *grad, Tensor *const *saved, const void *ctx, bool need_weight, bool need_psw,
                               Tensor **gw, Tensor **gpsw) {
    const EmbeddingBagCtx *c = ctx;
    Tensor *hi = saved[0], *ho = saved[1], *o2b = saved[2], *bag_size = saved[3], *max_idx = saved[4];
    Tensor *weight = saved[5], *psw = c->has_psw ? saved[6] : NULL;
    *gw = *gpsw = NULL;
    int64_t n = hi->shape[0];
    DType dt = grad->dtype;
    DType cdt = dt == DT_FLOAT16 ? DT_FLOAT32 : dt;
    Tensor *hg = host_rows(grad), *o2b_ = NULL, *gwh = NULL, *out = NULL;
    bool ok = hg != NULL;
    if (ok && n != 0 && o2b->shape[0] == 0) {
        ok = (o2b_ = offset2bag_of(i64(ho), ho->shape[0], n)) != NULL;
    } else if (ok) {
        o2b_ = tensor_retain(o2b);
    }
    int64_t D = grad->shape[1], V = c->num_weights;
    if (ok && need_weight) {
        int64_t sh[2] = {V, D};
        gwh = tensor_zeros(cdt, 2, sh, device_cpu());
        ok = gwh != NULL;
        if (ok && c->mode == MODE_MAX) {
            kernel_embedding_bag_backward_max(cdt, V, grad->shape[0], D, i64(bag_size), i64(max_idx),
                                              tensor_data(hg), tensor_data(gwh));
        } else if (ok) {
            /* indices.sort() (std::sort: ties in its order), their bags
             * and psw in that order */
            Tensor *sv = NULL, *si = NULL, *perm = NULL, *sorted = NULL;
            ok = op_sort(hi, 0, false, false, &sv, &si);
            if (ok) {
                perm = op_host_contiguous(si);
                sorted = op_host_contiguous(sv);
            }
            tensor_release(sv);
            tensor_release(si);
            Tensor *bags = i64_empty(n), *counts = i64_empty(V);
            Tensor *hp = psw ? host_rows(psw) : NULL, *ps = NULL;
            ok = ok && perm && sorted && bags && counts && (!psw || hp);
            if (ok && psw) ok = (ps = tensor_zeros(hp->dtype, 1, &n, device_cpu())) != NULL;
            if (ok) {
                int64_t *p = i64(perm);
                size_t es = hp ? tsr_dtype_info[hp->dtype].size : 0;
                for (int64_t i = 0; i < n; i++) {
                    i64(bags)[i] = i64(o2b_)[p[i]];
                    if (ps) memcpy((char *)tensor_data(ps) + (size_t)i * es, (char *)tensor_data(hp) + (size_t)p[i] * es, es);
                }
                kernel_embedding_bag_backward_sum(cdt, n, i64(sorted), i64(bags), ps ? tensor_data(ps) : NULL,
                                                  i64(bag_size), c->mode == MODE_MEAN, c->scale_grad_by_freq,
                                                  c->padding_idx, V, grad->shape[0], D, tensor_data(hg), i64(counts),
                                                  tensor_data(gwh));
            }
            tensor_release(perm);
            tensor_release(sorted);
            tensor_release(bags);
            tensor_release(counts);
            tensor_release(hp);
            tensor_release(ps);
        }
        if (ok) {
            *gw = host_result(gwh, dt, grad->storage->device);
            gwh = NULL;
            ok = *gw != NULL;
        }
    }
    if (ok && need_psw && psw) {
        Tensor *hw = host_rows(weight);
        out = hw ? tensor_zeros(cdt, 1, &n, device_cpu()) : NULL;
        ok = out != NULL;
        if (ok)
            kernel_embedding_bag_backward_psw(cdt, n, i64(hi), i64(o2b_), c->padding_idx, V, grad->shape[0], D,
                                              tensor_data(hg), tensor_data(hw), tensor_data(out));
        tensor_release(hw);
        if (ok) {
            *gpsw = host_result(out, dt, grad->storage->device);
            out = NULL;
            ok = *gpsw != NULL;
        }
    }
    tensor_release(out);
    tensor_release(gwh);
    tensor_release(hg);
    tensor_release(o2b_);
    if (!ok) {
        tensor_release(*gw);
        tensor_release(*gpsw);
        *gw = *gpsw = NULL;
    }
    return ok;
}
