/* Backward formulas of the shape/view/index/reduction/linalg nodes
 * (autograd_formulas_shape.c): exact values from PyTorch 1.13 and float64
 * central-difference checks. A small engine here runs the formulas (only
 * this file's table plus clone's identity), so the tests do not depend on
 * autograd_engine.c. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "backward.h"
#include "ops.h"

/* ------------------------------------------------------------ helpers */

static Tensor *mk(int ndim, const int64_t *shape, const double *v) {
    Tensor *t = tensor_empty(DT_FLOAT64, ndim, shape, device_cpu());
    assert_non_null(t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n; i++) ((double *)t->storage->data)[i] = v ? v[i] : sin(1.3 * (double)i + 0.7) * 2 + 0.1 * (double)i;
    return t;
}
#define SH(...) ((const int64_t[]){__VA_ARGS__})
#define V(...) ((const double[]){__VA_ARGS__})

static Tensor *leaf(Tensor *t) {
    t->requires_grad = true;
    return t;
}

/* A non-contiguous leaf: the transpose of a contiguous (shape[1], shape[0]) tensor. */
static Tensor *leaf_t(int64_t r, int64_t c) {
    Tensor *base = mk(2, SH(c, r), NULL);
    Tensor *t = tensor_as_strided(base, 2, SH(r, c), SH(1, r), 0);
    tensor_release(base);
    return leaf(t);
}

static void expect_values(Tensor *t, int64_t n, const double *v) {
    assert_non_null(t);
    assert_int_equal(tensor_numel(t), n);
    for (int64_t i = 0; i < n; i++) {
        double got = tensor_get_f64(t, i);
        if (!(fabs(got - v[i]) <= 1e-9 * (1 + fabs(v[i])))) fail_msg("element %lld: got %.17g, expected %.17g", (long long)i, got, v[i]);
    }
}

static bool clone_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (go[0] && node->next[0].node) gi[0] = tensor_retain(go[0]);
    return true;
}

/* ------------------------------------------------------- mini engine */

enum { MAXN = 64 };
typedef struct {
    GradNode *node;
    Tensor *go[64];
    int deps;
} Item;
typedef struct {
    Item it[MAXN];
    int n;
} Graph;

static Item *find(Graph *g, GradNode *n) {
    for (int i = 0; i < g->n; i++)
        if (g->it[i].node == n) return &g->it[i];
    return NULL;
}

static void collect(Graph *g, GradNode *n) {
    if (!n || find(g, n)) return;
    assert_true(g->n < MAXN);
    memset(&g->it[g->n], 0, sizeof g->it[0]);
    g->it[g->n++].node = n;
    for (int i = 0; i < n->n_next; i++) collect(g, n->next[i].node);
}

static void add_into(Tensor **slot, Tensor *g) {
    if (!*slot) {
        *slot = tensor_retain(g);
        return;
    }
    Tensor *s = op_binary(BIN_ADD, *slot, g);
    assert_non_null(s);
    tensor_release(*slot);
    *slot = s;
}

/* Gradients of sum_i sum(outs[i] * w[i]) (w[i] NULL: unused output) for
 * each leaf in xs (results[j], new references or NULL). Returns false
 * with an error raised when a formula fails. */
static bool mini_backward(Tensor **outs, Tensor **w, int nout, Tensor **xs, int nx, Tensor **results) {
    Graph *g = calloc(1, sizeof *g);
    bool ok = true;
    for (int i = 0; i < nout; i++) collect(g, outs[i]->grad_fn);
    for (int i = 0; i < g->n; i++)
        for (int j = 0; j < g->it[i].node->n_next; j++)
            if (g->it[i].node->next[j].node) find(g, g->it[i].node->next[j].node)->deps++;
    for (int i = 0; i < nout; i++)
        if (w[i]) add_into(&find(g, outs[i]->grad_fn)->go[outs[i]->output_nr], w[i]);
    for (int done = 0; done < g->n;) {
        Item *cur = NULL;
        for (int i = 0; i < g->n && !cur; i++)
            if (g->it[i].deps == 0 && g->it[i].node) cur = &g->it[i];
        assert_non_null(cur);
        GradNode *node = cur->node;
        cur->node = NULL;
        done++;
        if (node->kind == NODE_AccumulateGrad) {
            for (int j = 0; j < nx; j++)
                if (node->leaf == xs[j] && cur->go[0]) add_into(&results[j], cur->go[0]);
        } else if (ok) {
            BackwardFn fn = node->kind == NODE_CloneBackward0 ? clone_backward : ag_formulas[node->kind];
            if (!fn) fail_msg("no formula for %s", ag_node_name(node));
            Tensor *gi[64] = {0};
            ok = fn(node, cur->go, gi);
            for (int j = 0; j < node->n_next; j++) {
                if (ok && gi[j] && node->next[j].node) {
                    GradEdge *e = &node->next[j];
                    assert_int_equal(gi[j]->ndim, e->ndim);
                    for (int d = 0; d < e->ndim; d++) assert_int_equal(gi[j]->shape[d], e->shape[d]);
                    assert_int_equal(gi[j]->dtype, e->dtype);
                    add_into(&find(g, e->node)->go[e->input_nr], gi[j]);
                }
                tensor_release(gi[j]);
            }
        }
        for (int j = 0; j < node->n_next; j++)
            if (node->next[j].node) find(g, node->next[j].node)->deps--;
        for (int k = 0; k < 64; k++) tensor_release(cur->go[k]), cur->go[k] = NULL;
    }
    free(g);
    return ok;
}

/* ----------------------------------------------------- finite differences */

typedef int (*Fwd)(Tensor **xs, Tensor **outs);

static double loss(Tensor **outs, Tensor **w, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
        if (!w[i]) continue;
        int64_t m = tensor_numel(outs[i]);
        for (int64_t k = 0; k < m; k++) s += tensor_get_f64(outs[i], k) * tensor_get_f64(w[i], k);
    }
    return s;
}

static double *elem_ptr(Tensor *t, int64_t flat) {
    int64_t off = t->offset;
    for (int d = t->ndim - 1; d >= 0; d--) {
        off += (flat % t->shape[d]) * t->stride[d];
        flat /= t->shape[d];
    }
    return (double *)t->storage->data + off;
}

/* Checks the formulas' gradient of sum(out_i * w_i) against central
 * differences for every element of every input. unused: bitmask of
 * outputs whose incoming grad is NULL. */
static void fd_check(Fwd f, Tensor **xs, int nx, unsigned unused) {
    Tensor *outs[16] = {0}, *w[16] = {0}, *grads[8] = {0};
    int nout = f(xs, outs);
    assert_true(nout > 0);
    for (int i = 0; i < nout; i++) {
        assert_non_null(outs[i]->grad_fn);
        if (!(unused & (1u << i))) {
            w[i] = mk(outs[i]->ndim, outs[i]->shape, NULL);
            for (int64_t k = 0; k < tensor_numel(w[i]); k++) ((double *)w[i]->storage->data)[k] = cos(0.9 * (double)k + i) + 0.5;
        }
    }
    if (!mini_backward(outs, w, nout, xs, nx, grads)) fail_msg("backward failed: %s", tsr_err_msg());
    for (int i = 0; i < nout; i++) tensor_release(outs[i]);
    ag_grad_enabled = false;
    const double h = 1e-6;
    for (int j = 0; j < nx; j++) {
        int64_t n = tensor_numel(xs[j]);
        for (int64_t e = 0; e < n; e++) {
            double *p = elem_ptr(xs[j], e), orig = *p;
            Tensor *o[16];
            *p = orig + h;
            int m = f(xs, o);
            double lp = loss(o, w, m);
            for (int i = 0; i < m; i++) tensor_release(o[i]);
            *p = orig - h;
            m = f(xs, o);
            double lm = loss(o, w, m);
            for (int i = 0; i < m; i++) tensor_release(o[i]);
            *p = orig;
            double num = (lp - lm) / (2 * h), ana = grads[j] ? tensor_get_f64(grads[j], e) : 0;
            if (fabs(num - ana) > 1e-5 * (1 + fabs(num)))
                fail_msg("input %d element %lld: analytic %.10g, numeric %.10g", j, (long long)e, ana, num);
        }
    }
    ag_grad_enabled = true;
    for (int i = 0; i < nout; i++) tensor_release(w[i]);
    for (int j = 0; j < nx; j++) tensor_release(grads[j]);
}

static void release_all(Tensor **xs, int n) {
    for (int i = 0; i < n; i++) tensor_release(xs[i]);
}

/* Ops whose nodes need their input (and result) saved: saves the input
 * when the op did not (the contract the formulas document). */
static Tensor *with_input(Tensor *out, Tensor *in) {
    assert_non_null(out);
    if (out->grad_fn && out->grad_fn->n_saved == 0) assert_true(ag_save(out->grad_fn, in));
    return out;
}

/* --------------------------------------------------------- FD: views */

static int f_views(Tensor **x, Tensor **o) {
    Tensor *a = op_reshape(x[0], 2, SH(3, -1));          /* non-contiguous: clone + unsafe view */
    Tensor *b = op_transpose(a, -1, 0);
    Tensor *c = op_unsqueeze(b, -1);
    Tensor *d = op_permute(c, 3, SH(-1, 0, 1));
    Tensor *e = op_squeeze(d, 1, SH(0));
    Tensor *f = op_t(e);
    Tensor *g = op_expand(f, 3, SH(2, 3, 4));
    o[0] = op_view(x[1], 2, SH(6, 1));
    o[1] = op_squeeze(o[0], 0, NULL);
    o[2] = g;
    tensor_release(a), tensor_release(b), tensor_release(c), tensor_release(d), tensor_release(e), tensor_release(f);
    return 3;
}

static void test_fd_views(void **state) {
    Tensor *xs[2] = {leaf_t(4, 3), leaf(mk(2, SH(2, 3), NULL))};
    fd_check(f_views, xs, 2, 0);
    fd_check(f_views, xs, 2, 1u << 1);
    release_all(xs, 2);
}

static int f_select_slice(Tensor **x, Tensor **o) {
    o[0] = op_select(x[0], -1, 1);
    o[1] = op_slice(x[0], 0, 1, 5, 2);
    o[2] = op_narrow(x[0], 1, 1, 2);
    return 3;
}

static void test_fd_select_slice(void **state) {
    Tensor *xs[1] = {leaf_t(4, 3)};
    fd_check(f_select_slice, xs, 1, 0);
    release_all(xs, 1);
}

static int f_cat_stack(Tensor **x, Tensor **o) {
    o[0] = op_cat(x, 3, -1);
    Tensor *s[2] = {x[1], x[1]};
    o[1] = op_stack(s, 2, 1);
    return 2;
}

static void test_fd_cat_stack(void **state) {
    Tensor *xs[3] = {leaf_t(3, 2), leaf(mk(2, SH(3, 4), NULL)), leaf(mk(2, SH(3, 1), NULL))};
    fd_check(f_cat_stack, xs, 3, 0);
    release_all(xs, 3);
}

static int f_split(Tensor **x, Tensor **o) {
    Tensor **p = NULL;
    int n = op_split(x[0], 2, -2, &p);
    for (int i = 0; i < n; i++) o[i] = p[i];
    free(p);
    return n;
}

static int f_split_sizes(Tensor **x, Tensor **o) {
    Tensor **p = NULL;
    int n = op_split_sizes(x[0], 3, SH(1, 0, 2), 1, &p);
    for (int i = 0; i < n; i++) o[i] = p[i];
    free(p);
    return n;
}

static int f_unbind(Tensor **x, Tensor **o) {
    Tensor **p = NULL;
    int n = op_unbind(x[0], -1, &p);
    for (int i = 0; i < n; i++) o[i] = p[i];
    free(p);
    return n;
}

static void test_fd_split_unbind(void **state) {
    Tensor *xs[1] = {leaf_t(5, 3)};
    fd_check(f_split, xs, 1, 0);
    fd_check(f_split, xs, 1, 1u << 1); /* the middle piece unused */
    fd_check(f_split_sizes, xs, 1, 1u << 0);
    fd_check(f_unbind, xs, 1, 1u << 2);
    release_all(xs, 1);
}

static int f_flip_repeat(Tensor **x, Tensor **o) {
    o[0] = op_flip(x[0], 2, SH(0, -1));
    o[1] = op_repeat(x[0], 3, SH(2, 1, 3));
    return 2;
}

static void test_fd_flip_repeat(void **state) {
    Tensor *xs[1] = {leaf_t(2, 3)};
    fd_check(f_flip_repeat, xs, 1, 0);
    release_all(xs, 1);
}

/* --------------------------------------------------------- FD: indexing */

static int f_index(Tensor **x, Tensor **o) {
    Tensor *ix = tensor_empty(DT_INT64, 1, SH(4), device_cpu());
    int64_t *p = (int64_t *)ix->storage->data;
    p[0] = 0, p[1] = 2, p[2] = 0, p[3] = -1; /* repeated: gradients accumulate */
    TensorIndex a[2] = {{.kind = IDX_TENSOR, .tensor = ix}, {.kind = IDX_SLICE, .step = 1, .has_start = true, .start = 1}};
    o[0] = op_index(x[0], a, 2);
    TensorIndex b[1] = {{.kind = IDX_TENSOR, .tensor = ix}};
    o[1] = op_index(x[1], b, 1);
    tensor_release(ix);
    return 2;
}

static void test_fd_index(void **state) {
    Tensor *xs[2] = {leaf_t(4, 3), leaf(mk(1, SH(5), NULL))};
    fd_check(f_index, xs, 2, 0);
    release_all(xs, 2);
}

static int f_copyslices(Tensor **x, Tensor **o) {
    Tensor *b = op_clone(x[0]);
    TensorIndex ix[2] = {{.kind = IDX_SLICE, .step = 1}, {.kind = IDX_INT, .i = -2}};
    assert_true(op_index_put_(b, ix, 2, x[1]));
    o[0] = b;
    return 1;
}

static void test_fd_copyslices(void **state) {
    Tensor *xs[2] = {leaf(mk(2, SH(2, 3), NULL)), leaf(mk(2, SH(1, 1), NULL))}; /* value broadcasts */
    fd_check(f_copyslices, xs, 2, 0);
    tensor_release(xs[1]);
    xs[1] = leaf(mk(1, SH(2), NULL));
    fd_check(f_copyslices, xs, 2, 0);
    release_all(xs, 2);
}

/* --------------------------------------------------------- FD: reductions */

static int f_sums(Tensor **x, Tensor **o) {
    o[0] = op_sum(x[0], 0, NULL, false, DT_UNDEFINED);
    o[1] = op_sum(x[0], 2, SH(0, -1), true, DT_UNDEFINED);
    o[2] = op_mean(x[0], 1, SH(-2), false, DT_UNDEFINED);
    o[3] = op_mean(x[0], 0, NULL, false, DT_UNDEFINED);
    o[4] = op_cumsum(x[0], -1, DT_UNDEFINED);
    return 5;
}

static int f_prod(Tensor **x, Tensor **o) {
    o[0] = with_input(op_prod(x[0], 0, NULL, false, DT_UNDEFINED), x[0]);
    o[1] = with_input(op_prod(x[0], 1, SH(-1), false, DT_UNDEFINED), x[0]);
    o[2] = with_input(op_prod(x[0], 1, SH(0), true, DT_UNDEFINED), x[0]);
    return 3;
}

static int f_minmax(Tensor **x, Tensor **o) {
    Tensor *ix = NULL;
    o[0] = with_input(op_amax(x[0], 1, SH(-1), true), x[0]);
    o[1] = with_input(op_amin(x[0], 0, NULL, false), x[0]);
    o[2] = op_max_all(x[0]);
    o[3] = op_min_all(x[0]);
    assert_true(op_max_dim(x[0], 0, false, &o[4], &ix));
    tensor_release(ix);
    assert_true(op_min_dim(x[0], -1, true, &o[5], &ix));
    tensor_release(ix);
    assert_true(op_sort(x[0], 0, true, false, &o[6], &ix));
    tensor_release(ix);
    return 7;
}

static int f_var(Tensor **x, Tensor **o) {
    o[0] = with_input(op_var(x[0], 1, SH(-1), 1, false, false), x[0]);
    o[1] = with_input(op_var(x[0], 0, NULL, 0, false, false), x[0]);
    o[2] = with_input(op_var(x[0], 1, SH(0), 1, true, true), x[0]);
    o[3] = with_input(op_var(x[0], 0, NULL, 1, false, true), x[0]);
    return 4;
}

static void test_fd_reductions(void **state) {
    Tensor *xs[1] = {leaf_t(4, 3)};
    fd_check(f_sums, xs, 1, 0);
    fd_check(f_prod, xs, 1, 0);
    fd_check(f_minmax, xs, 1, 0);
    fd_check(f_var, xs, 1, 0);
    release_all(xs, 1);
}

/* --------------------------------------------------------- FD: linalg */

static int f_linalg(Tensor **x, Tensor **o) {
    o[0] = op_mm(x[0], x[1]);                 /* (4,3) non-contiguous @ (3,2) */
    o[1] = op_matmul(x[2], x[1]);             /* (2,1,2,3) @ (3,2): broadcast batch */
    o[2] = op_matmul(x[1], x[3]);             /* (3,2) @ (2,) : mv */
    o[3] = op_matmul(x[3], x[3]);             /* dot */
    o[4] = op_matmul(x[3], x[4]);             /* (2,) @ (2,5): 1-D @ 2-D */
    o[5] = op_matmul(x[2], x[5]);             /* (2,1,2,3) @ (3,3,2): bmm broadcast both */
    return 6;
}

static void test_fd_linalg(void **state) {
    Tensor *xs[6] = {leaf_t(4, 3), leaf(mk(2, SH(3, 2), NULL)), leaf(mk(4, SH(2, 1, 2, 3), NULL)),
                     leaf(mk(1, SH(2), NULL)), leaf(mk(2, SH(2, 5), NULL)), leaf(mk(3, SH(3, 3, 2), NULL))};
    fd_check(f_linalg, xs, 6, 0);
    release_all(xs, 6);
}

/* ------------------------------------------------- exact values (oracle) */

/* grads of sum(f(x) * w) for one leaf */
static Tensor *grad1(Tensor *out, Tensor *w, Tensor *x) {
    Tensor *outs[1] = {out}, *ws[1] = {w}, *res[1] = {NULL};
    if (!mini_backward(outs, ws, 1, &x, 1, res)) fail_msg("backward failed: %s", tsr_err_msg());
    tensor_release(out);
    tensor_release(w);
    return res[0];
}

static Tensor *ones_like(Tensor *t) { return tensor_full_f64(t->dtype, t->ndim, t->shape, 1.0, device_cpu()); }

static void test_index_repeated(void **state) {
    Tensor *x = leaf(mk(1, SH(4), V(1, 2, 3, 4)));
    Tensor *ix = tensor_empty(DT_INT64, 1, SH(3), device_cpu());
    int64_t *p = (int64_t *)ix->storage->data;
    p[0] = 0, p[1] = 0, p[2] = 3;
    TensorIndex a[1] = {{.kind = IDX_TENSOR, .tensor = ix}};
    Tensor *g = grad1(op_index(x, a, 1), mk(1, SH(3), V(1, 2, 3)), x);
    expect_values(g, 4, V(3, 0, 0, 3));
    tensor_release(g);
    tensor_release(ix);
    tensor_release(x);
}

static void test_prod_zeros(void **state) {
    Tensor *x = leaf(mk(1, SH(4), V(2, 0, 3, 4)));
    Tensor *g = grad1(with_input(op_prod(x, 0, NULL, false, DT_UNDEFINED), x), mk(0, NULL, V(1)), x);
    expect_values(g, 4, V(0, 24, 0, 0));
    tensor_release(g);
    tensor_release(x);
    x = leaf(mk(1, SH(4), V(2, 0, 3, 0)));
    g = grad1(with_input(op_prod(x, 0, NULL, false, DT_UNDEFINED), x), mk(0, NULL, V(1)), x);
    expect_values(g, 4, V(0, 0, 0, 0));
    tensor_release(g);
    tensor_release(x);
    x = leaf(mk(2, SH(2, 2), V(2, 0, 3, 4)));
    g = grad1(with_input(op_prod(x, 1, SH(1), false, DT_UNDEFINED), x), mk(1, SH(2), V(1, 2)), x);
    expect_values(g, 4, V(0, 2, 8, 6));
    tensor_release(g);
    tensor_release(x);
    x = leaf(mk(2, SH(2, 3), V(2, 1, 5, 3, 4, 0.5)));
    g = grad1(with_input(op_prod(x, 1, SH(-1), true, DT_UNDEFINED), x), mk(2, SH(2, 1), V(1, 2)), x);
    expect_values(g, 6, V(5, 10, 2, 4, 3, 24));
    tensor_release(g);
    tensor_release(x);
}

static void test_minmax_ties(void **state) {
    Tensor *x = leaf(mk(1, SH(4), V(1, 3, 3, 2)));
    Tensor *g = grad1(with_input(op_amax(x, 0, NULL, false), x), mk(0, NULL, V(1)), x);
    expect_values(g, 4, V(0, 0.5, 0.5, 0));
    tensor_release(g);
    g = grad1(op_max_all(x), mk(0, NULL, V(1)), x);
    expect_values(g, 4, V(0, 0.5, 0.5, 0));
    tensor_release(g);
    tensor_release(x);
    x = leaf(mk(1, SH(4), V(1, 3, 1, 2)));
    g = grad1(op_min_all(x), mk(0, NULL, V(1)), x);
    expect_values(g, 4, V(0.5, 0, 0.5, 0));
    tensor_release(g);
    tensor_release(x);
    x = leaf(mk(2, SH(2, 2), V(1, 3, 1, 2)));
    g = grad1(with_input(op_amax(x, 1, SH(0), false), x), mk(1, SH(2), V(2, 4)), x);
    expect_values(g, 4, V(1, 4, 1, 0));
    tensor_release(g);
    tensor_release(x);
    Tensor *v, *ix;
    x = leaf(mk(2, SH(2, 3), V(1, 5, 2, 7, 0, 3)));
    assert_true(op_max_dim(x, 1, false, &v, &ix));
    tensor_release(ix);
    g = grad1(v, mk(1, SH(2), V(1, 2)), x);
    expect_values(g, 6, V(0, 1, 0, 2, 0, 0));
    tensor_release(g);
    assert_true(op_min_dim(x, -2, true, &v, &ix));
    tensor_release(ix);
    g = grad1(v, mk(2, SH(1, 3), V(1, 2, 3)), x);
    expect_values(g, 6, V(1, 0, 3, 0, 2, 0));
    tensor_release(g);
    tensor_release(x);
}

static void test_var_std_values(void **state) {
    Tensor *x = leaf(mk(2, SH(2, 3), V(1, 2, 4, 3, 5, 9)));
    Tensor *g = grad1(with_input(op_var(x, 1, SH(1), 1, false, false), x), mk(1, SH(2), V(1, 2)), x);
    expect_values(g, 6, V(-1.3333333333333335, -0.3333333333333335, 1.6666666666666665, -5.333333333333334, -1.333333333333334, 6.666666666666666));
    tensor_release(g);
    g = grad1(with_input(op_var(x, 0, NULL, 1, false, false), x), mk(0, NULL, V(1)), x);
    expect_values(g, 6, V(-1.2000000000000002, -0.8, 0.0, -0.4, 0.4, 2.0));
    tensor_release(g);
    g = grad1(with_input(op_var(x, 1, SH(1), 0, false, true), x), mk(1, SH(2), V(1, 2)), x);
    expect_values(g, 6, V(-0.35634832254989923, -0.08908708063747484, 0.44543540318737396, -0.7126966450997985, -0.17817416127494967, 0.8908708063747479));
    tensor_release(g);
    tensor_release(x);
    /* zero std: masked to 0 */
    x = leaf(mk(2, SH(2, 3), V(1, 2, 4, 3, 2, 9)));
    g = grad1(with_input(op_var(x, 1, SH(0), 1, true, true), x), mk(2, SH(1, 3), V(1, 2, 3)), x);
    expect_values(g, 6, V(-0.7071067811865475, 0.0, -2.1213203435596424, 0.7071067811865475, 0.0, 2.1213203435596424));
    tensor_release(g);
    tensor_release(x);
}

static void test_shape_values(void **state) {
    Tensor *x = leaf(mk(2, SH(3, 2), V(1, 2, 3, 4, 5, 6)));
    Tensor *g = grad1(op_cumsum(x, 0, DT_UNDEFINED), mk(2, SH(3, 2), V(1, 2, 3, 4, 5, 6)), x);
    expect_values(g, 6, V(9, 12, 8, 10, 5, 6));
    tensor_release(g);
    tensor_release(x);
    x = leaf(mk(2, SH(2, 2), V(1, 2, 3, 4)));
    Tensor *w = mk(3, SH(2, 2, 4), NULL);
    for (int i = 0; i < 16; i++) ((double *)w->storage->data)[i] = i;
    g = grad1(op_repeat(x, 3, SH(2, 1, 2)), w, x);
    expect_values(g, 4, V(20, 24, 36, 40));
    tensor_release(g);
    tensor_release(x);
    x = leaf(mk(2, SH(2, 3), V(3, 1, 2, 0, 5, 4)));
    Tensor *v, *ix;
    assert_true(op_sort(x, 1, true, false, &v, &ix));
    tensor_release(ix);
    g = grad1(v, mk(2, SH(2, 3), V(1, 2, 3, 4, 5, 6)), x);
    expect_values(g, 6, V(1, 3, 2, 6, 4, 5));
    tensor_release(g);
    tensor_release(x);
    x = leaf(mk(3, SH(2, 3, 2), NULL));
    g = grad1(op_mean(x, 2, SH(0, 2), false, DT_UNDEFINED), mk(1, SH(3), V(1, 2, 3)), x);
    expect_values(g, 12, V(0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75));
    tensor_release(g);
    tensor_release(x);
    /* x.clone()[:, 1] = v with w = arange(6): grads [[0,0,2],[3,0,5]] and [5] */
    Tensor *xs[2] = {leaf(mk(2, SH(2, 3), NULL)), leaf(mk(1, SH(1), V(5)))};
    Tensor *b = op_clone(xs[0]);
    TensorIndex ti[2] = {{.kind = IDX_SLICE, .step = 1}, {.kind = IDX_INT, .i = 1}};
    assert_true(op_index_put_(b, ti, 2, xs[1]));
    w = mk(2, SH(2, 3), V(0, 1, 2, 3, 4, 5));
    Tensor *res[2] = {NULL, NULL};
    assert_true(mini_backward(&b, &w, 1, xs, 2, res));
    expect_values(res[0], 6, V(0, 0, 2, 3, 0, 5));
    expect_values(res[1], 1, V(5));
    release_all(res, 2);
    tensor_release(w);
    tensor_release(b);
    release_all(xs, 2);
}

static void test_linalg_values(void **state) {
    Tensor *a = leaf(mk(4, SH(2, 1, 2, 3), V(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
    Tensor *b = leaf(mk(2, SH(3, 2), V(0, 1, 2, 3, 4, 5)));
    Tensor *out = op_matmul(a, b);
    Tensor *w = ones_like(out);
    Tensor *xs[2] = {a, b}, *res[2] = {NULL, NULL};
    assert_true(mini_backward(&out, &w, 1, xs, 2, res));
    expect_values(res[0], 12, V(1, 5, 9, 1, 5, 9, 1, 5, 9, 1, 5, 9));
    expect_values(res[1], 6, V(18, 18, 22, 22, 26, 26));
    release_all(res, 2);
    tensor_release(w);
    tensor_release(out);
    release_all(xs, 2);
}

/* ----------------------------------------------- dtype, create_graph, errors */

static void test_dtype_and_graph(void **state) {
    /* float32 input summed as float64: the grad comes back float32 */
    Tensor *x = tensor_full_f64(DT_FLOAT32, 1, SH(3), 2.0, device_cpu());
    x->requires_grad = true;
    Tensor *s = op_sum(x, 0, NULL, false, DT_FLOAT64);
    Tensor *w = tensor_scalar_f64(DT_FLOAT64, 1.5);
    Tensor *g = grad1(s, w, x);
    assert_int_equal(g->dtype, DT_FLOAT32);
    expect_values(g, 3, V(1.5, 1.5, 1.5));
    tensor_release(g);
    /* with grad mode on and a grad that requires grad, the formulas record */
    Tensor *ix = tensor_empty(DT_INT64, 1, SH(2), device_cpu());
    ((int64_t *)ix->storage->data)[0] = 1, ((int64_t *)ix->storage->data)[1] = 1;
    TensorIndex a[1] = {{.kind = IDX_TENSOR, .tensor = ix}};
    Tensor *y = op_index(x, a, 1);
    Tensor *go = tensor_full_f64(DT_FLOAT32, 1, SH(2), 1.0, device_cpu());
    go->requires_grad = true;
    Tensor *gi[1] = {NULL};
    assert_true(ag_formulas[NODE_IndexBackward0](y->grad_fn, &go, gi));
    assert_true(gi[0]->requires_grad);
    assert_string_equal(ag_node_name(gi[0]->grad_fn), "IndexPutImplBackward0");
    expect_values(gi[0], 3, V(0, 2, 0));
    tensor_release(gi[0]);
    gi[0] = NULL;
    Tensor *sel = op_select(x, 0, -1);
    Tensor *g0 = tensor_scalar_f64(DT_FLOAT32, 4.0);
    g0->requires_grad = true;
    assert_true(ag_formulas[NODE_SelectBackward0](sel->grad_fn, &g0, gi));
    assert_true(gi[0]->requires_grad);
    assert_string_equal(ag_node_name(gi[0]->grad_fn), "SelectBackwardBackward0");
    expect_values(gi[0], 3, V(0, 0, 4));
    tensor_release(gi[0]);
    tensor_release(g0);
    tensor_release(sel);
    tensor_release(go);
    tensor_release(y);
    tensor_release(ix);
    tensor_release(x);
}

static void test_missing_saved_input(void **state) {
    Tensor *x = leaf(mk(1, SH(3), V(1, 2, 3)));
    Tensor *v = op_var(x, 0, NULL, 1, false, false);
    if (v->grad_fn->n_saved == 0) { /* until ops_reduce.c saves the input */
        Tensor *go = tensor_scalar_f64(DT_FLOAT64, 1), *gi[1] = {NULL};
        assert_false(ag_formulas[NODE_VarBackward0](v->grad_fn, &go, gi));
        assert_non_null(strstr(tsr_err_msg(), "did not save"));
        tsr_err_clear();
        tensor_release(go);
    }
    tensor_release(v);
    tensor_release(x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fd_views),        cmocka_unit_test(test_fd_select_slice),
        cmocka_unit_test(test_fd_cat_stack),    cmocka_unit_test(test_fd_split_unbind),
        cmocka_unit_test(test_fd_flip_repeat),  cmocka_unit_test(test_fd_index),
        cmocka_unit_test(test_fd_copyslices),   cmocka_unit_test(test_fd_reductions),
        cmocka_unit_test(test_fd_linalg),       cmocka_unit_test(test_index_repeated),
        cmocka_unit_test(test_prod_zeros),      cmocka_unit_test(test_minmax_ties),
        cmocka_unit_test(test_var_std_values),  cmocka_unit_test(test_shape_values),
        cmocka_unit_test(test_linalg_values),   cmocka_unit_test(test_dtype_and_graph),
        cmocka_unit_test(test_missing_saved_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
