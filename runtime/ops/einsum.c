/* einsum.c: torch.einsum, following ATen's algorithm so results and
 * grad_fn names match: each operand is diagonalised for repeated labels,
 * unsqueezed and permuted to "output dims + contraction dims"; operands are
 * then contracted pairwise (left to right) by sumproduct_pair, which lowers
 * to permute/reshape/bmm; single-operand contractions are a sum. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ops.h"

#define N_LABELS 52
#define ELL 255 /* the ellipsis in a label list */

static int label_of(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
    return -1;
}
static char subscript_of(int l) { return (char)(l < 26 ? 'A' + l : 'a' + (l - 26)); }

/* Replaces *t by r (steals r); false when r is NULL. */
static bool swap_in(Tensor **t, Tensor *r) {
    tensor_release(*t);
    *t = r;
    return r != NULL;
}

/* (left * right).sum(sum_dims) with keepdim, by permute + reshape + bmm. */
Tensor *op_sumproduct_pair(Tensor *left_, Tensor *right_, int nsum, const int64_t *sum_dims) {
    if (nsum == 0) return op_binary(BIN_MUL, left_, right_);
    int dim = left_->ndim;
    bool is_sum[TSR_MAX_DIMS] = {false};
    for (int i = 0; i < nsum; i++) is_sum[sum_dims[i]] = true;
    Tensor *left = tensor_retain(left_), *right = tensor_retain(right_), *res = NULL;
    int64_t lro[TSR_MAX_DIMS], lo[TSR_MAX_DIMS], ro[TSR_MAX_DIMS];
    int nlro = 0, nlo = 0, nro = 0;
    int64_t lro_size = 1, lo_size = 1, ro_size = 1, sum_size = 1;
    for (int i = 0; i < dim; i++) {
        bool sl = left->shape[i] != 1, sr = right->shape[i] != 1;
        int64_t d = i;
        if (is_sum[i]) {
            if (sl && sr) sum_size *= left->shape[i];
            else if (sl) {
                if (!swap_in(&left, op_sum(left, 1, &d, true, DT_UNDEFINED))) goto fail;
            } else if (sr) {
                if (!swap_in(&right, op_sum(right, 1, &d, true, DT_UNDEFINED))) goto fail;
            }
        } else if (sl && sr) {
            lro[nlro++] = i;
            lro_size *= left->shape[i];
        } else if (sl) {
            lo[nlo++] = i;
            lo_size *= left->shape[i];
        } else {
            ro[nro++] = i;
            ro_size *= right->shape[i];
        }
    }
    int64_t out_size[TSR_MAX_DIMS], lperm[TSR_MAX_DIMS], rperm[TSR_MAX_DIMS], operm[TSR_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < nlro; i++) out_size[n++] = left->shape[lro[i]];
    for (int i = 0; i < nlo; i++) out_size[n++] = left->shape[lo[i]];
    for (int i = 0; i < nsum; i++) out_size[n++] = 1;
    for (int i = 0; i < nro; i++) out_size[n++] = right->shape[ro[i]];
    int k = 0;
    for (int i = 0; i < nlro; i++) lperm[k++] = lro[i];
    for (int i = 0; i < nlo; i++) lperm[k++] = lo[i];
    for (int i = 0; i < nsum; i++) lperm[k++] = sum_dims[i];
    for (int i = 0; i < nro; i++) lperm[k++] = ro[i];
    k = 0;
    for (int i = 0; i < nlro; i++) rperm[k++] = lro[i];
    for (int i = 0; i < nsum; i++) rperm[k++] = sum_dims[i];
    for (int i = 0; i < nro; i++) rperm[k++] = ro[i];
    for (int i = 0; i < nlo; i++) rperm[k++] = lo[i];
    k = 0;
    for (int i = 0; i < nlro; i++) operm[lro[i]] = k++;
    for (int i = 0; i < nlo; i++) operm[lo[i]] = k++;
    for (int i = 0; i < nsum; i++) operm[sum_dims[i]] = k++;
    for (int i = 0; i < nro; i++) operm[ro[i]] = k++;
    int64_t ls[3] = {lro_size, lo_size, sum_size}, rs[3] = {lro_size, sum_size, ro_size};
    if (!swap_in(&left, op_permute(left, dim, lperm)) || !swap_in(&left, op_reshape(left, 3, ls)) ||
        !swap_in(&right, op_permute(right, dim, rperm)) || !swap_in(&right, op_reshape(right, 3, rs)))
        goto fail;
    res = op_bmm(left, right);
    if (!res || !swap_in(&res, op_view(res, n, out_size)) || !swap_in(&res, op_permute(res, dim, operm)))
        goto fail;
    tensor_release(left);
    tensor_release(right);
    return res;
fail:
    tensor_release(left);
    tensor_release(right);
    tensor_release(res);
    return NULL;
}

Tensor *op_einsum(const char *eq, Tensor *const *operands, int num_ops) {
    if (num_ops == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "einsum(): must provide at least one operand");
        return NULL;
    }
    /* ---- parse the inputs */
    const char *arrow = strstr(eq, "->");
    size_t lhs_len = arrow ? (size_t)(arrow - eq) : strlen(eq);
    unsigned char (*op_labels)[TSR_MAX_DIMS + 1] = tsr_calloc((size_t)num_ops, sizeof *op_labels);
    int *op_nlabels = tsr_calloc((size_t)num_ops, sizeof(int));
    Tensor **ops = tsr_calloc((size_t)num_ops, sizeof(Tensor *));
    Tensor *result = NULL;
    if (!op_labels || !op_nlabels || !ops) goto done;
    int cur = 0;
    bool ell_in_input = false;
    for (size_t i = 0; i < lhs_len; i++) {
        unsigned char c = (unsigned char)eq[i];
        if (c == ' ') continue;
        if (c == '.') {
            if (ell_in_input) {
                tsr_raise(ERR_RuntimeError,
                          "einsum(): found '.' for operand %d for which an ellipsis was already found", cur);
                goto done;
            }
            if (!(i + 2 < lhs_len && eq[i + 1] == '.' && eq[i + 2] == '.')) {
                tsr_raise(ERR_RuntimeError, "einsum(): found '.' for operand %d that is not part of any ellipsis",
                          cur);
                goto done;
            }
            i += 2;
            if (op_nlabels[cur] < TSR_MAX_DIMS + 1) op_labels[cur][op_nlabels[cur]++] = ELL;
            ell_in_input = true;
        } else if (c == ',') {
            cur++;
            if (cur >= num_ops) {
                tsr_raise(ERR_RuntimeError, "%s",
                          "einsum(): fewer operands were provided than specified in the equation");
                goto done;
            }
            ell_in_input = false;
        } else {
            int l = label_of(c);
            if (l < 0) {
                tsr_raise(ERR_RuntimeError,
                          "einsum(): invalid subscript given at index %zu in the equation string, subscripts "
                          "must be in [a-zA-Z]",
                          i);
                goto done;
            }
            if (op_nlabels[cur] >= TSR_MAX_DIMS + 1) {
                tsr_raise(ERR_RuntimeError,
                          "einsum(): the number of subscripts in the equation (%d) does not match the number "
                          "of dimensions (%d) for operand %d and no ellipsis was given",
                          op_nlabels[cur] + 1, operands[cur]->ndim, cur);
                goto done;
            }
            op_labels[cur][op_nlabels[cur]++] = (unsigned char)l;
        }
    }
    if (cur != num_ops - 1) {
        tsr_raise(ERR_RuntimeError, "%s", "einsum(): more operands were provided than specified in the equation");
        goto done;
    }
    int64_t label_count[N_LABELS] = {0};
    int ell_num_dim = 0;
    for (int i = 0; i < num_ops; i++) {
        int ndims = operands[i]->ndim, nlabels = op_nlabels[i];
        bool has_ell = false;
        for (int k = 0; k < op_nlabels[i]; k++) {
            if (op_labels[i][k] == ELL) {
                nlabels--;
                has_ell = true;
            } else {
                label_count[op_labels[i][k]]++;
            }
        }
        if (has_ell && ndims - nlabels > ell_num_dim) ell_num_dim = ndims - nlabels;
        if (has_ell ? nlabels > ndims : nlabels != ndims) {
            tsr_raise(ERR_RuntimeError,
                      "einsum(): the number of subscripts in the equation (%d) does not match the number of "
                      "dimensions (%d) for operand %d%s",
                      nlabels, ndims, i, has_ell ? "" : " and no ellipsis was given");
            goto done;
        }
    }
    /* ---- the output: label -> index in the permuted shape */
    int label_perm[N_LABELS];
    for (int l = 0; l < N_LABELS; l++) label_perm[l] = -1;
    int perm_index = 0, ell_index = 0;
    bool ell_in_output = false;
    if (!arrow) {
        perm_index = ell_num_dim;
        ell_in_output = true;
        for (int l = 0; l < N_LABELS; l++)
            if (label_count[l] == 1) label_perm[l] = perm_index++;
    } else {
        const char *rhs = arrow + 2;
        size_t rlen = strlen(rhs);
        for (size_t i = 0; i < rlen; i++) {
            unsigned char c = (unsigned char)rhs[i];
            if (c == ' ') continue;
            if (c == '.') {
                if (ell_in_output) {
                    tsr_raise(ERR_RuntimeError, "%s",
                              "einsum(): found '.' for output but an ellipsis (...) was already found");
                    goto done;
                }
                if (!(i + 2 < rlen && rhs[i + 1] == '.' && rhs[i + 2] == '.')) {
                    tsr_raise(ERR_RuntimeError, "%s",
                              "einsum(): found '.' for output that is not part of any ellipsis (...)");
                    goto done;
                }
                i += 2;
                ell_index = perm_index;
                perm_index += ell_num_dim;
                ell_in_output = true;
                continue;
            }
            int l = label_of(c);
            if (l < 0) {
                tsr_raise(ERR_RuntimeError,
                          "einsum(): invalid subscript given at index %zu in the equation string, subscripts "
                          "must be in [a-zA-Z]",
                          lhs_len + 2 + i);
                goto done;
            }
            if (!(label_count[l] > 0 && label_perm[l] == -1)) {
                tsr_raise(ERR_RuntimeError, "einsum(): output subscript %c%s", c,
                          label_perm[l] > -1 ? " appears more than once in the output"
                                             : " does not appear in the equation for any input operand");
                goto done;
            }
            label_perm[l] = perm_index++;
        }
    }
    int out_size = perm_index;
    if (!ell_in_output) {
        ell_index = perm_index;
        perm_index += ell_num_dim;
    }
    for (int l = 0; l < N_LABELS; l++)
        if (label_count[l] > 0 && label_perm[l] == -1) label_perm[l] = perm_index++;
    if (perm_index > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "einsum(): tsr supports at most %d dimensions", TSR_MAX_DIMS);
        goto done;
    }
    /* ---- align every operand to perm_index dims */
    int64_t label_size[N_LABELS], ell_sizes[TSR_MAX_DIMS];
    int64_t dim_counts[TSR_MAX_DIMS] = {0};
    for (int l = 0; l < N_LABELS; l++) label_size[l] = 1;
    for (int j = 0; j < ell_num_dim; j++) ell_sizes[j] = 1;
    for (int i = 0; i < num_ops; i++) {
        Tensor *op = tensor_retain(operands[i]);
        int64_t perm[TSR_MAX_DIMS];
        for (int k = 0; k < perm_index; k++) perm[k] = -1;
        int dim = 0;
        for (int k = 0; k < op_nlabels[i]; k++) {
            int s = op_labels[i][k];
            if (s == ELL) {
                int ndim = operands[i]->ndim - (op_nlabels[i] - 1);
                for (int j = ell_num_dim - ndim; j < ell_num_dim; j++) {
                    if (op->shape[dim] != 1) {
                        if (ell_sizes[j] != 1 && ell_sizes[j] != op->shape[dim]) {
                            tsr_raise(ERR_RuntimeError,
                                      "einsum(): dimension %d covered by ellipsis in operand %dhas size %lld "
                                      "which does not broadcast with previously seen ellipsis with size %lld "
                                      "for the respective dimension",
                                      dim, i, (long long)op->shape[dim], (long long)ell_sizes[j]);
                            tensor_release(op);
                            goto done;
                        }
                        ell_sizes[j] = op->shape[dim];
                        dim_counts[ell_index + j]++;
                    }
                    perm[ell_index + j] = dim++;
                }
            } else if (perm[label_perm[s]] == -1) {
                if (op->shape[dim] != 1) {
                    if (label_size[s] != 1 && label_size[s] != op->shape[dim]) {
                        tsr_raise(ERR_RuntimeError,
                                  "einsum(): subscript %c has size %lld for operand %d which does not "
                                  "broadcast with previously seen size %lld",
                                  subscript_of(s), (long long)op->shape[dim], i, (long long)label_size[s]);
                        tensor_release(op);
                        goto done;
                    }
                    label_size[s] = op->shape[dim];
                    dim_counts[label_perm[s]]++;
                }
                perm[label_perm[s]] = dim++;
            } else {
                int64_t prev = perm[label_perm[s]];
                if (op->shape[dim] != op->shape[prev]) {
                    tsr_raise(ERR_RuntimeError,
                              "einsum(): subscript %c is repeated for operand %d but the sizes don't match, "
                              "%lld != %lld",
                              subscript_of(s), i, (long long)op->shape[dim], (long long)op->shape[prev]);
                    tensor_release(op);
                    goto done;
                }
                int64_t last = -1;
                if (!swap_in(&op, op_diagonal(op, 0, prev, dim)) ||
                    !swap_in(&op, op_movedim(op, 1, &last, &prev))) {
                    tensor_release(op);
                    goto done;
                }
            }
        }
        for (int k = 0; k < perm_index; k++) {
            if (perm[k] != -1) continue;
            if (!swap_in(&op, op_unsqueeze(op, dim))) goto done;
            perm[k] = dim++;
        }
        if (!swap_in(&op, op_permute(op, perm_index, perm))) goto done;
        ops[i] = op;
    }
    /* ---- contract pairwise, left to right; the result goes first */
    int nops = num_ops;
    while (nops > 1) {
        Tensor *a = ops[0], *b = ops[1];
        memmove(ops, ops + 2, sizeof(Tensor *) * (size_t)(nops - 2));
        nops -= 2;
        ops[nops] = ops[nops + 1] = NULL;
        int64_t sum_dims[TSR_MAX_DIMS], a_sum[TSR_MAX_DIMS], b_sum[TSR_MAX_DIMS];
        int ns = 0, na = 0, nb = 0;
        for (int d = out_size; d < perm_index; d++) {
            if (a->shape[d] != 1 && b->shape[d] != 1) {
                if (--dim_counts[d] == 1) {
                    sum_dims[ns++] = d;
                    dim_counts[d] = 0;
                }
            } else if (dim_counts[d] == 1) {
                if (a->shape[d] != 1) {
                    a_sum[na++] = d;
                    dim_counts[d] = 0;
                } else if (b->shape[d] != 1) {
                    b_sum[nb++] = d;
                    dim_counts[d] = 0;
                }
            }
        }
        bool ok = (!na || swap_in(&a, op_sum(a, na, a_sum, true, DT_UNDEFINED))) &&
                  (!nb || swap_in(&b, op_sum(b, nb, b_sum, true, DT_UNDEFINED)));
        Tensor *r = ok ? op_sumproduct_pair(a, b, ns, sum_dims) : NULL;
        tensor_release(a);
        tensor_release(b);
        if (!r) goto done;
        memmove(ops + 1, ops, sizeof(Tensor *) * (size_t)nops);
        ops[0] = r;
        nops++;
    }
    /* ---- sum out (or, after contractions, view away) the contraction dims */
    if (perm_index - out_size > 0) {
        if (num_ops > 1) {
            result = op_view(ops[0], out_size, ops[0]->shape);
        } else {
            int64_t sd[TSR_MAX_DIMS];
            for (int d = out_size; d < perm_index; d++) sd[d - out_size] = d;
            result = op_sum(ops[0], perm_index - out_size, sd, false, DT_UNDEFINED);
        }
    } else {
        result = tensor_retain(ops[0]);
    }
done:
    for (int i = 0; ops && i < num_ops; i++) tensor_release(ops[i]);
    free(ops);
    free(op_labels);
    free(op_nlabels);
    return result;
}
