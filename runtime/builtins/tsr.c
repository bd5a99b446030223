/* tsr.c: tsr's teaching extensions that are not about autograd:
 * tsr.layout(x) shows how a tensor's elements sit in its storage, and
 * tsr.whos() lists the session's variables. Only reachable as tsr.NAME. */
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "builtins.h"
#include "error.h"
#include "interp_internal.h"
#include "pyfmt.h"

#define MAX_ROWS 8 /* rows of the element map shown before eliding */

static bool emit(StrBuf *b) {
    bool ok = !b->data || tsr_write_stdout(b->data, b->len);
    free(b->data);
    return ok;
}

static void tuple_text(StrBuf *b, const int64_t *v, int n) {
    sb_appends(b, "(");
    for (int i = 0; i < n; i++) sb_printf(b, "%s%lld", i ? ", " : "", (long long)v[i]);
    sb_appends(b, n == 1 ? ",)" : ")");
}

static void elem_text(StrBuf *b, const Tensor *t, int64_t storage_index) {
    const char *p = (const char *)storage_host(t->storage) + storage_index * (int64_t)dtype_size(t->dtype);
    if (dtype_is_float(t->dtype)) {
        char buf[64];
        pyfmt_float_repr(dtype_load_f64(t->dtype, p), buf, sizeof buf);
        sb_appends(b, buf);
    } else if (t->dtype == DT_BOOL) {
        sb_appends(b, dtype_load_i64(t->dtype, p) ? "True" : "False");
    } else {
        sb_printf(b, "%lld", (long long)dtype_load_i64(t->dtype, p));
    }
}

static Value *tsr_layout(Value *self, const CallArgs *a) {
    Value *v[1] = {0};
    if (!args_parse(a, 0, "layout", "tensor", v)) return NULL;
    if (v[0]->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "layout(): argument 'tensor' must be Tensor, not %s", val_type_name(v[0]));
        return NULL;
    }
    Tensor *t = v[0]->tensor;
    int64_t es = (int64_t)dtype_size(t->dtype), slen = t->storage->nbytes / es;
    StrBuf b = {0};
    sb_appends(&b, "shape ");
    tuple_text(&b, t->shape, t->ndim);
    sb_appends(&b, "  stride ");
    tuple_text(&b, t->stride, t->ndim);
    sb_printf(&b, "  offset %lld  %s  %s\n", (long long)t->offset, dtype_name(t->dtype),
              tensor_is_contiguous(t) ? "contiguous" : "not contiguous");
    sb_printf(&b, "storage: %lld x %s (%lld bytes), shared by %lld tensor%s\n", (long long)slen,
              dtype_name(t->dtype), (long long)t->storage->nbytes, (long long)t->storage->rc,
              t->storage->rc == 1 ? "" : "s");
    if (t->storage->device.type == DEV_CPU && slen <= 64) {
        sb_appends(&b, "  [");
        for (int64_t i = 0; i < slen; i++) {
            sb_appends(&b, i ? ", " : "");
            elem_text(&b, t, i);
        }
        sb_appends(&b, "]\n");
    }
    /* where element (i, j, ...) lives */
    sb_appends(&b, "element ");
    const char *names = "ijklmnpqrs";
    if (t->ndim == 0) {
        sb_printf(&b, "() is storage[%lld]\n", (long long)t->offset);
    } else {
        sb_appends(&b, "(");
        for (int d = 0; d < t->ndim; d++)
            sb_printf(&b, "%s%c", d ? ", " : "", d < 10 ? names[d] : '?');
        sb_printf(&b, ") is storage[%lld", (long long)t->offset);
        for (int d = 0; d < t->ndim; d++)
            sb_printf(&b, " + %c*%lld", d < 10 ? names[d] : '?', (long long)t->stride[d]);
        sb_appends(&b, "]\n");
        /* the storage positions of each row (last dim) */
        int64_t rows = 1, cols = t->shape[t->ndim - 1];
        for (int d = 0; d < t->ndim - 1; d++) rows *= t->shape[d];
        int64_t idx[TSR_MAX_DIMS] = {0};
        for (int64_t r = 0; r < rows && cols > 0; r++) {
            if (r == MAX_ROWS && rows > MAX_ROWS + 1) {
                sb_printf(&b, "  ... (%lld more rows)\n", (long long)(rows - MAX_ROWS));
                break;
            }
            int64_t base = t->offset;
            sb_appends(&b, "  x[");
            for (int d = 0; d < t->ndim - 1; d++) {
                sb_printf(&b, "%lld, ", (long long)idx[d]);
                base += idx[d] * t->stride[d];
            }
            sb_appends(&b, ":] -> storage[");
            for (int64_t c = 0; c < cols && c < 16; c++)
                sb_printf(&b, "%s%lld", c ? ", " : "", (long long)(base + c * t->stride[t->ndim - 1]));
            sb_appends(&b, cols > 16 ? ", ...]\n" : "]\n");
            for (int d = t->ndim - 2; d >= 0; d--) {
                if (++idx[d] < t->shape[d]) break;
                idx[d] = 0;
            }
        }
    }
    return emit(&b) ? val_none() : NULL;
}

static void whos_info(StrBuf *b, Value *v) {
    switch (v->kind) {
    case VK_TENSOR: {
        Tensor *t = v->tensor;
        sb_printf(b, "%s ", dtype_name(t->dtype));
        tuple_text(b, t->shape, t->ndim);
        if (t->storage->device.type == DEV_CUDA) sb_appends(b, " cuda");
        if (t->requires_grad) sb_appends(b, t->grad_fn ? " grad_fn=" : " requires_grad");
        if (t->grad_fn) sb_appends(b, ag_node_name(t->grad_fn));
        if (!tensor_is_contiguous(t)) sb_appends(b, " (view, not contiguous)");
        break;
    }
    case VK_FUNCTION: sb_printf(b, "%s()", v->fn->name); break;
    case VK_MODULE: sb_appends(b, v->module.name); break;
    case VK_LIST: case VK_TUPLE: case VK_DICT:
        sb_printf(b, "n=%lld", (long long)(v->kind == VK_DICT ? dict_len(v->dict) : v->seq.len));
        break;
    default: {
        Value *r = val_repr(v);
        if (!r) {
            tsr_err_clear();
            return;
        }
        sb_append(b, r->str.s, r->str.len > 60 ? 60 : r->str.len);
        if (r->str.len > 60) sb_appends(b, "...");
        val_release(r);
    }
    }
}

static Value *tsr_whos(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "whos", "", NULL)) return NULL;
    Dict *g = tsr_interp->globals->dict;
    int64_t it = 0, width = 8;
    const char *k;
    Value *v;
    while (dict_next(g, &it, &k, &v))
        if (k[0] != '_' && (int64_t)strlen(k) > width) width = (int64_t)strlen(k);
    StrBuf b = {0};
    sb_printf(&b, "%-*s  %-10s  %s\n", (int)width, "Variable", "Type", "Data/Info");
    sb_printf(&b, "%-*s  %-10s  %s\n", (int)width, "--------", "----", "---------");
    int shown = 0;
    for (it = 0; dict_next(g, &it, &k, &v);) {
        if (k[0] == '_') continue;
        sb_printf(&b, "%-*s  %-10s  ", (int)width, k, val_type_name(v));
        whos_info(&b, v);
        sb_appends(&b, "\n");
        shown++;
    }
    if (!shown) {
        free(b.data);
        b = (StrBuf){0};
        sb_appends(&b, "Interactive namespace is empty.\n");
    }
    return emit(&b) ? val_none() : NULL;
}

const Builtin tsr_teaching_functions[] = {
    {"layout", tsr_layout},
    {"whos", tsr_whos},
    {NULL, NULL},
};
