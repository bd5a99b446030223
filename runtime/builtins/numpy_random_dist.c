/* numpy_random_dist.c: the distribution methods shared by numpy's
 * Generator and the legacy RandomState (random/_common.pyx's cont and
 * disc): argument specs, numpy's constraint kinds and messages, scalar
 * and broadcast array parameters, over the draws of
 * tensor/numpy_distributions.c. */
#include <math.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "interp_internal.h"
#include "numpy.h"
#include "numpy_distributions.h"
#include "ops.h"
#include "pyfmt.h"


static void np_shape_str(StrBuf *b, const int64_t *shape, int nd)
{
    pybuf_putc(b, '(');
    for (int i = 0; i < nd; i++) sb_printf(b, i ? ", %lld" : "%lld", (long long)shape[i]);
    if (nd == 1) pybuf_putc(b, ',');
    pybuf_putc(b, ')');
}

/* np.broadcast(args...)'s shape, or its "shape mismatch" ValueError */
bool np_multi_broadcast(int n, const int64_t *const *shapes, const int *nds, int64_t *out, int *out_nd)
{
    int nd = 0;
    for (int i = 0; i < n; i++) nd = nds[i] > nd ? nds[i] : nd;
    for (int k = 0; k < nd; k++) {
        int64_t size = 1;
        int owner = -1;
        for (int i = 0; i < n; i++) {
            int j = nds[i] - nd + k;
            if (j < 0 || shapes[i][j] == 1) continue;
            if (owner < 0 || size == 1) {
                size = shapes[i][j];
                owner = i;
            } else if (shapes[i][j] != size) {
                StrBuf b = {0};
                sb_printf(&b, "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg %d with shape ", owner);
                np_shape_str(&b, shapes[owner], nds[owner]);
                sb_printf(&b, " and arg %d with shape ", i);
                np_shape_str(&b, shapes[i], nds[i]);
                pybuf_putc(&b, '.');
                tsr_raise(ERR_ValueError, "%s", b.data ? b.data : "");
                pybuf_free(&b);
                return false;
            }
        }
        out[k] = size;
    }
    *out_nd = nd;
    return true;
}

/* _common.pyx's constraint kinds */
typedef enum { CONS_NONE, CONS_NON_NEGATIVE, CONS_POSITIVE, CONS_BOUNDED_0_1, CONS_BOUNDED_GT_0_1, CONS_POISSON } Cons;

#define POISSON_LAM_MAX (9.2233720368547758e18 - 10 * sqrt(9.2233720368547758e18))

/* check_constraint (scalar) and check_array_constraint (array) */
static bool check_cons(const Tensor *t, const char *name, Cons c, bool array)
{
    const double *p = (const double *)tensor_data(t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n; i++) {
        double v = p[i];
        const char *fmt = NULL;
        switch (c) {
        case CONS_NONE: break;
        case CONS_NON_NEGATIVE: if (!isnan(v) && signbit(v)) fmt = "%s < 0"; break;
        case CONS_POSITIVE: if (v <= 0) fmt = "%s <= 0"; break;
        case CONS_BOUNDED_0_1:
            if (!(v >= 0) || !(v <= 1)) fmt = array ? "%1$s < 0, %1$s > 1 or %1$s contains NaNs" : "%1$s < 0, %1$s > 1 or %1$s is NaN";
            break;
        case CONS_BOUNDED_GT_0_1: if (!(v > 0) || !(v <= 1)) fmt = "%1$s <= 0, %1$s > 1 or %1$s contains NaNs"; break;
        case CONS_POISSON:
            if (array) {
                bool too_large = false, bad = false;
                for (int64_t j = 0; j < n; j++) {
                    too_large = too_large || !(p[j] <= POISSON_LAM_MAX);
                    bad = bad || !(p[j] >= 0);
                }
                if (too_large) fmt = "%s value too large";
                else if (bad) fmt = "%1$s < 0 or %1$s contains NaNs";
                i = n;
            } else if (!(v >= 0)) {
                fmt = "%1$s < 0 or %1$s is NaN";
            } else if (!(v <= POISSON_LAM_MAX)) {
                fmt = "%s value too large";
            }
            break;
        }
        if (fmt) {
            tsr_raise(ERR_ValueError, fmt, name);
            return false;
        }
    }
    return true;
}

typedef struct Param {
    const char *name; /* as the messages say it; "" for no checks */
    double dflt;      /* NAN: required */
    Cons cons;
} Param;

/* A distribution method: its argument spec (the parameters, then size=),
 * its parameters in numpy's checking order (check[i] is the argument
 * position of the i-th check), and its draw (one of the two). */
typedef struct Dist {
    const char *fn, *spec, *legacy_spec; /* legacy_spec: RandomState's, NULL when the same */
    int np;
    Param p[3];
    int check[3];
    double (*draw)(const NpSource *g, const double *a);
    int64_t (*idraw)(const NpSource *g, const double *a);
    /* extra checks over each element's parameters (triangular) */
    const char *(*precheck)(const double *a);
} Dist;

/* A parameter as numpy reads it (PyArray_FROM_OTF to double): a float64
 * tensor, 0-dim for Python numbers and absent defaults. */
static Tensor *param_tensor(Value *v, double dflt)
{
    if (!v || is_none(v)) {
        if (v || isnan(dflt)) {
            tsr_raise(ERR_TypeError, "%s", "float() argument must be a string or a real number, not 'NoneType'");
            return NULL;
        }
        Tensor *t = tensor_empty(DT_FLOAT64, 0, NULL, device_cpu());
        if (t) *(double *)tensor_data(t) = dflt;
        return t;
    }
    Tensor *src = np_tensor_of(v);
    if (!src) return NULL;
    Tensor *t = tensor_clone(src, DT_FLOAT64);
    tensor_release(src);
    return t;
}

/* cont / disc of _common.pyx: scalars give a Python number (size=None)
 * or a filled array; arrays broadcast with each other and with size */
static Value *dist_run(const NpSource *g, const Dist *d, Value *const *vals, Value *size)
{
    Tensor *pt[3] = {0}, *pc[3] = {0}, *res = NULL;
    Value *r = NULL;
    int64_t shape[TSR_MAX_DIMS], bshape[TSR_MAX_DIMS];
    int nd, bnd = 0;
    bool scalar, all_scalar = true;
    int64_t count;
    for (int i = 0; i < d->np; i++) {
        if (!(pt[i] = param_tensor(vals[i], d->p[i].dflt))) goto done;
        all_scalar = all_scalar && pt[i]->ndim == 0;
    }
    for (int i = 0; i < d->np; i++) {
        int k = d->check[i];
        if (!check_cons(pt[k], d->p[k].name, d->p[k].cons, !all_scalar)) goto done;
    }
    if (!np_arg_size(size, shape, &nd, &scalar, &count)) goto done;
    if (all_scalar) {
        memcpy(bshape, shape, sizeof(int64_t) * (size_t)nd);
        bnd = nd;
    } else {
        const int64_t *shapes[4] = {shape};
        int nds[4] = {nd};
        for (int i = 0; i < d->np; i++) shapes[i + 1] = pt[i]->shape, nds[i + 1] = pt[i]->ndim;
        int first = scalar ? 1 : 0;
        if (!np_multi_broadcast(d->np + 1 - first, shapes + first, nds + first, bshape, &bnd)) goto done;
        if (!scalar && (bnd != nd || memcmp(bshape, shape, sizeof(int64_t) * (size_t)nd) != 0)) {
            StrBuf b = {0};
            sb_appends(&b, "Output size ");
            np_shape_str(&b, shape, nd);
            sb_appends(&b, " is not compatible with broadcast dimensions of inputs ");
            np_shape_str(&b, bshape, bnd);
            pybuf_putc(&b, '.');
            tsr_raise(ERR_ValueError, "%s", b.data ? b.data : "");
            pybuf_free(&b);
            goto done;
        }
    }
    for (int i = 0; i < d->np; i++) {
        Tensor *e = op_expand(pt[i], bnd, bshape);
        pc[i] = e ? tensor_contiguous(e) : NULL;
        tensor_release(e);
        if (!pc[i]) goto done;
    }
    int64_t n = 1;
    for (int i = 0; i < bnd; i++) n *= bshape[i];
    if (d->precheck)
        for (int64_t j = 0; j < n; j++) {
            double a[3];
            for (int i = 0; i < d->np; i++) a[i] = ((const double *)tensor_data(pc[i]))[j];
            const char *msg = d->precheck(a);
            if (msg) {
                tsr_raise(ERR_ValueError, "%s", msg);
                goto done;
            }
        }
    bool one = all_scalar && scalar;
    res = tensor_empty(d->idraw ? DT_INT64 : DT_FLOAT64, one ? 0 : bnd, bshape, device_cpu());
    if (!res) goto done;
    for (int64_t j = 0; j < n; j++) {
        double a[3];
        for (int i = 0; i < d->np; i++) a[i] = ((const double *)tensor_data(pc[i]))[j];
        if (d->idraw) ((int64_t *)tensor_data(res))[j] = d->idraw(g, a);
        else ((double *)tensor_data(res))[j] = d->draw(g, a);
    }
    if (one) {
        r = d->idraw ? val_int(*(int64_t *)tensor_data(res)) : val_float(*(double *)tensor_data(res));
    } else {
        r = ndarray_from_tensor_steal(res);
        res = NULL;
    }
done:
    for (int i = 0; i < 3; i++) {
        tensor_release(pt[i]);
        tensor_release(pc[i]);
    }
    tensor_release(res);
    return r;
}

static double d_normal(const NpSource *g, const double *a) { return a[0] + a[1] * g->normal(g->state); }
static double d_uniform(const NpSource *g, const double *a) { return a[0] + a[1] * g->next_double(g->state); }
static double d_exponential(const NpSource *g, const double *a) { return a[0] * g->exponential(g->state); }
static double d_standard_exponential(const NpSource *g, const double *a) { return g->exponential(g->state); }
static double d_standard_gamma(const NpSource *g, const double *a) { return npdist_standard_gamma(g, a[0]); }
static double d_gamma(const NpSource *g, const double *a) { return a[1] * npdist_standard_gamma(g, a[0]); }
static double d_beta(const NpSource *g, const double *a) { return npdist_beta(g, a[0], a[1]); }
static double d_chisquare(const NpSource *g, const double *a) { return 2.0 * npdist_standard_gamma(g, a[0] / 2.0); }
static double d_f(const NpSource *g, const double *a)
{
    double num = 2.0 * npdist_standard_gamma(g, a[0] / 2.0) * a[1];
    return num / (2.0 * npdist_standard_gamma(g, a[1] / 2.0) * a[0]);
}
static double d_standard_cauchy(const NpSource *g, const double *a)
{
    double num = g->normal(g->state);
    return num / g->normal(g->state);
}
static double d_standard_t(const NpSource *g, const double *a) { return npdist_standard_t(g, a[0]); }
static double d_pareto(const NpSource *g, const double *a) { return npdist_pareto(g, a[0]); }
static double d_weibull(const NpSource *g, const double *a) { return npdist_weibull(g, a[0]); }
static double d_power(const NpSource *g, const double *a) { return npdist_power(g, a[0]); }
static double d_laplace(const NpSource *g, const double *a) { return npdist_laplace(g, a[0], a[1]); }
static double d_gumbel(const NpSource *g, const double *a) { return npdist_gumbel(g, a[0], a[1]); }
static double d_logistic(const NpSource *g, const double *a) { return npdist_logistic(g, a[0], a[1]); }
static double d_lognormal(const NpSource *g, const double *a) { return exp(a[0] + a[1] * g->normal(g->state)); }
static double d_rayleigh(const NpSource *g, const double *a) { return npdist_rayleigh(g, a[0]); }
static double d_wald(const NpSource *g, const double *a) { return npdist_wald(g, a[0], a[1]); }
static double d_triangular(const NpSource *g, const double *a) { return npdist_triangular(g, a[0], a[1], a[2]); }
static int64_t d_poisson(const NpSource *g, const double *a) { return npdist_poisson(g, a[0]); }
static int64_t d_binomial(const NpSource *g, const double *a) { return npdist_binomial(g, a[1], (int64_t)a[0]); }
static int64_t d_geometric(const NpSource *g, const double *a) { return npdist_geometric(g, a[0]); }

static const char *triangular_check(const double *a)
{
    if (a[0] > a[1]) return "left > mode";
    if (a[1] > a[2]) return "mode > right";
    if (a[0] == a[2]) return "left == right";
    return NULL;
}

#define REQ NAN
/* fn, spec, np, params, check order, draw, idraw, precheck */
static const Dist dists[] = {
    {"normal", "loc=, scale=, size=", NULL, 2, {{"", 0.0, CONS_NONE}, {"scale", 1.0, CONS_NON_NEGATIVE}}, {0, 1}, d_normal, NULL, NULL},
    {"exponential", "scale=, size=", NULL, 1, {{"scale", 1.0, CONS_NON_NEGATIVE}}, {0}, d_exponential, NULL, NULL},
    {"gamma", "shape, scale=, size=", NULL, 2, {{"shape", REQ, CONS_NON_NEGATIVE}, {"scale", 1.0, CONS_NON_NEGATIVE}}, {0, 1}, d_gamma, NULL, NULL},
    {"beta", "a, b, size=", NULL, 2, {{"a", REQ, CONS_POSITIVE}, {"b", REQ, CONS_POSITIVE}}, {0, 1}, d_beta, NULL, NULL},
    {"chisquare", "df, size=", NULL, 1, {{"df", REQ, CONS_POSITIVE}}, {0}, d_chisquare, NULL, NULL},
    {"f", "dfnum, dfden, size=", NULL, 2, {{"dfnum", REQ, CONS_POSITIVE}, {"dfden", REQ, CONS_POSITIVE}}, {0, 1}, d_f, NULL, NULL},
    {"standard_cauchy", "size=", NULL, 0, {{0}}, {0}, d_standard_cauchy, NULL, NULL},
    {"standard_t", "df, size=", NULL, 1, {{"df", REQ, CONS_POSITIVE}}, {0}, d_standard_t, NULL, NULL},
    {"pareto", "a, size=", NULL, 1, {{"a", REQ, CONS_POSITIVE}}, {0}, d_pareto, NULL, NULL},
    {"weibull", "a, size=", NULL, 1, {{"a", REQ, CONS_NON_NEGATIVE}}, {0}, d_weibull, NULL, NULL},
    {"power", "a, size=", NULL, 1, {{"a", REQ, CONS_POSITIVE}}, {0}, d_power, NULL, NULL},
    {"laplace", "loc=, scale=, size=", NULL, 2, {{"", 0.0, CONS_NONE}, {"scale", 1.0, CONS_NON_NEGATIVE}}, {0, 1}, d_laplace, NULL, NULL},
    {"gumbel", "loc=, scale=, size=", NULL, 2, {{"", 0.0, CONS_NONE}, {"scale", 1.0, CONS_NON_NEGATIVE}}, {0, 1}, d_gumbel, NULL, NULL},
    {"logistic", "loc=, scale=, size=", NULL, 2, {{"", 0.0, CONS_NONE}, {"scale", 1.0, CONS_NON_NEGATIVE}}, {0, 1}, d_logistic, NULL, NULL},
    {"lognormal", "mean=, sigma=, size=", NULL, 2, {{"", 0.0, CONS_NONE}, {"sigma", 1.0, CONS_NON_NEGATIVE}}, {0, 1}, d_lognormal, NULL, NULL},
    {"rayleigh", "scale=, size=", NULL, 1, {{"scale", 1.0, CONS_NON_NEGATIVE}}, {0}, d_rayleigh, NULL, NULL},
    {"wald", "mean, scale, size=", NULL, 2, {{"mean", REQ, CONS_POSITIVE}, {"scale", REQ, CONS_POSITIVE}}, {0, 1}, d_wald, NULL, NULL},
    {"triangular", "left, mode, right, size=", NULL, 3, {{"", REQ, CONS_NONE}, {"", REQ, CONS_NONE}, {"", REQ, CONS_NONE}}, {0, 1, 2}, d_triangular, NULL, triangular_check},
    {"poisson", "lam=, size=", NULL, 1, {{"lam", 1.0, CONS_POISSON}}, {0}, NULL, d_poisson, NULL},
    {"binomial", "n, p, size=", NULL, 2, {{"n", REQ, CONS_NON_NEGATIVE}, {"p", REQ, CONS_BOUNDED_0_1}}, {1, 0}, NULL, d_binomial, NULL},
    {"geometric", "p, size=", NULL, 1, {{"p", REQ, CONS_BOUNDED_GT_0_1}}, {0}, NULL, d_geometric, NULL},
    /* RandomState's only: Generator's has dtype= and method= (numpy_generator.c) */
    {"standard_exponential", "size=", NULL, 0, {{0}}, {0}, d_standard_exponential, NULL, NULL},
    {"standard_gamma", "shape, size=, dtype=, out=", "shape, size=", 1, {{"shape", REQ, CONS_NON_NEGATIVE}}, {0}, d_standard_gamma, NULL, NULL},
};

/* uniform(low, high): range = high - low must be finite (OverflowError) */
/* Generator.uniform */
static Value *dist_uniform(const NpSource *g, const CallArgs *a)
{
    ARGS(3);
    PARSE("uniform", "low=, high=, size=");
    Tensor *lo = param_tensor(v_[0], 0.0), *hi = lo ? param_tensor(v_[1], 1.0) : NULL;
    Tensor *range = hi ? op_binary(BIN_SUB, hi, lo) : NULL;
    Value *r = NULL;
    if (range) {
        bool finite = true;
        const double *p = (const double *)tensor_data(range);
        for (int64_t i = 0; i < tensor_numel(range); i++) finite = finite && isfinite(p[i]);
        bool scalar = lo->ndim == 0 && hi->ndim == 0;
        if (!finite) {
            tsr_raise(ERR_OverflowError, "%s", scalar ? "high - low range exceeds valid bounds" : "Range exceeds valid bounds");
        } else {
            static const Dist uniform = {"uniform", "", NULL, 2, {{"", 0.0, CONS_NONE}, {"high - low", 0.0, CONS_NON_NEGATIVE}}, {0, 1}, d_uniform, NULL, NULL};
            Value *vals[3] = {val_tensor_steal(tensor_retain(lo)), val_tensor_steal(tensor_retain(range)), NULL};
            if (vals[0] && vals[1]) r = dist_run(g, &uniform, vals, v_[2]);
            val_release(vals[0]);
            val_release(vals[1]);
        }
    }
    tensor_release(lo);
    tensor_release(hi);
    tensor_release(range);
    return r;
}

/* where the i-th name of an argument spec ("a, b=, size=") starts, and
 * its length */
static size_t spec_offset(const char *spec, int i)
{
    const char *p = spec;
    for (; i > 0 && *p; p++)
        if (*p == ',') {
            i--;
            while (p[1] == ' ') p++;
        }
    return (size_t)(p - spec);
}

static size_t spec_len(const char *spec, int i)
{
    const char *p = spec + spec_offset(spec, i);
    return strcspn(p, ",=");
}

Value *np_dist_call(const NpSource *g, const char *fn, const CallArgs *a)
{
    if (strcmp(fn, "uniform") == 0) return dist_uniform(g, a);
    const Dist *d = NULL;
    for (size_t i = 0; i < sizeof dists / sizeof dists[0] && !d; i++)
        if (strcmp(dists[i].fn, fn) == 0) d = &dists[i];
    if (!d) {
        tsr_raise(ERR_SystemError, "tsr: no distribution %s", fn);
        return NULL;
    }
    const char *spec = g->legacy && d->legacy_spec ? d->legacy_spec : d->spec;
    /* Cython's message for a missing required parameter */
    int required = 0;
    for (int i = 0; i < d->np; i++) required += isnan(d->p[i].dflt);
    for (int i = a->nargs; i < required; i++) {
        const char *name = spec + spec_offset(spec, i);
        size_t len = spec_len(spec, i);
        bool by_kw = false;
        for (int k = 0; k < a->nkw; k++)
            by_kw = by_kw || (strncmp(a->kwnames[k], name, len) == 0 && a->kwnames[k][len] == 0);
        if (!by_kw) {
            tsr_raise(ERR_TypeError, "%s() takes at least %d positional argument%s (%d given)", d->fn, required,
                      required == 1 ? "" : "s", a->nargs);
            return NULL;
        }
    }
    Value *v_[4] = {0};
    if (!args_parse(a, 0, d->fn, spec, v_)) return NULL;
    /* standard_gamma's dtype= and out= */
    DType dt = DT_UNDEFINED;
    if (d->np < 3 && v_[d->np + 1] && !np_arg_dtype(v_[d->np + 1], &dt)) return NULL;
    if ((dt != DT_UNDEFINED && dt != DT_FLOAT64) || (d->np < 2 && v_[d->np + 2] && !is_none(v_[d->np + 2]))) {
        tsr_raise(ERR_NotImplementedError, "tsr: Generator.%s with dtype=%s or out= is not supported", d->fn,
                  dt == DT_UNDEFINED ? "float64" : dtype_name(dt));
        return NULL;
    }
    Value *vals[3] = {v_[0], v_[1], v_[2]};
    return dist_run(g, d, vals, v_[d->np]);
}

