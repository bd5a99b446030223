/* numpy_random.c: np.random, numpy 1.24's legacy global RandomState
 * (mtrand.pyx): the arguments, shapes, result types and messages around
 * the draws of tensor/numpy_random.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "interp_internal.h"
#include "numpy.h"
#include "numpy_distributions.h"
#include "numpy_random.h"
#include "ops.h"

static NpRandomState global_state;
static bool global_seeded;
/* the generator of the RandomState whose method is running, else NULL */
static NpRandomState *current;

/* the generator a draw takes from: the running method's instance's, or
 * the module's global one (seeded from the OS on first use) */
static NpRandomState *gstate(void)
{
    if (current) return current;
    if (!global_seeded) {
        nprand_seed_entropy(&global_state);
        global_seeded = true;
    }
    return &global_state;
}

/* ------------------------------------------------------------ seed */

static bool seed_range_ok(int64_t v)
{
    if (v < 0 || v > 0xFFFFFFFFll) {
        tsr_raise(ERR_ValueError, "%s", "Seed must be between 0 and 2**32 - 1");
        return false;
    }
    return true;
}

static bool cast_error(Value *v)
{
    if (v->kind == VK_FLOAT)
        tsr_raise(ERR_TypeError, "%s", "Cannot cast scalar from dtype('float64') to dtype('int64') according to the rule 'safe'");
    else if (v->kind == VK_STR)
        tsr_raise(ERR_TypeError, "Cannot cast scalar from dtype('<U%lld') to dtype('int64') according to the rule 'safe'",
                  (long long)(v->str.len ? v->str.len : 1));
    else
        tsr_raise(ERR_TypeError, "Cannot cast scalar from dtype('O') to dtype('int64') according to the rule 'safe'");
    return false;
}

/* _legacy_seeding */
static bool np_seed_value(NpRandomState *s, Value *v)
{
    if (!v || is_none(v)) {
        nprand_seed_entropy(s);
        return true;
    }
    v = val_unwrap(v);
    if (v->kind == VK_INT || v->kind == VK_BOOL) {
        int64_t x = v->kind == VK_INT ? v->i : v->b;
        if (!seed_range_ok(x)) return false;
        nprand_seed(s, (uint32_t)x);
        return true;
    }
    if (v->kind == VK_TENSOR && v->tensor->ndim == 0) {
        if (!dtype_is_float(v->tensor->dtype) || v->tensor->dtype == DT_BOOL) {
            Tensor *t = tensor_clone(v->tensor, DT_INT64);
            if (!t) return false;
            int64_t x = *(int64_t *)tensor_data(t);
            tensor_release(t);
            if (!seed_range_ok(x)) return false;
            nprand_seed(s, (uint32_t)x);
            return true;
        }
        tsr_raise(ERR_TypeError, "%s", "Cannot cast scalar from dtype('float64') to dtype('int64') according to the rule 'safe'");
        return false;
    }
    if (v->kind != VK_LIST && v->kind != VK_TUPLE && v->kind != VK_TENSOR) return cast_error(v);
    Tensor *t = np_tensor_of(v);
    if (!t) return false;
    bool ok = false;
    if (tensor_numel(t) == 0)
        tsr_raise(ERR_ValueError, "%s", "Seed must be non-empty");
    else if (dtype_is_float(t->dtype))
        tsr_raise(ERR_TypeError, "%s", "Cannot cast array data from dtype('float64') to dtype('int64') according to the rule 'safe'");
    else if (t->ndim != 1)
        tsr_raise(ERR_ValueError, "%s", "Seed array must be 1-d");
    else {
        Tensor *k = tensor_clone(t, DT_INT64);
        if (k) {
            int64_t n = tensor_numel(k), *d = (int64_t *)tensor_data(k);
            uint32_t *key = tsr_calloc((size_t)n, sizeof *key);
            ok = key != NULL;
            for (int64_t i = 0; ok && i < n; i++) {
                ok = seed_range_ok(d[i]);
                if (ok) key[i] = (uint32_t)d[i];
            }
            if (ok) nprand_seed_by_array(s, key, (size_t)n);
            free(key);
            tensor_release(k);
        }
    }
    tensor_release(t);
    return ok;
}

static Value *np_seed(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("seed", "seed=");
    NpRandomState *s = gstate();
    if (!np_seed_value(s, v_[0])) return NULL;
    s->has_gauss = false;
    s->gauss = 0.0;
    return val_none();
}

/* ------------------------------------------------------------ sizes */

bool np_arg_dim(Value *v, int64_t *out)
{
    v = val_unwrap(v);
    if (v->kind == VK_INT || v->kind == VK_BOOL) {
        *out = v->kind == VK_INT ? v->i : v->b;
        return true;
    }
    if (v->kind == VK_TENSOR && v->tensor->ndim == 0 && !dtype_is_float(v->tensor->dtype)) {
        Tensor *t = tensor_clone(v->tensor, DT_INT64);
        if (!t) return false;
        *out = *(int64_t *)tensor_data(t);
        tensor_release(t);
        return true;
    }
    tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer", val_type_name(v));
    return false;
}

bool np_arg_size(Value *v, int64_t *shape, int *ndim, bool *scalar, int64_t *count)
{
    *scalar = false;
    *ndim = 0;
    *count = 1;
    if (!v || is_none(v)) {
        *scalar = true;
        return true;
    }
    v = val_unwrap(v);
    Value **items = &v;
    int64_t n = 1;
    if (v->kind == VK_TUPLE || v->kind == VK_LIST) {
        items = v->seq.items;
        n = v->seq.len;
    }
    if (n > TSR_MAX_DIMS) {
        tsr_raise(ERR_ValueError, "maximum supported dimension for an ndarray is %d, found %lld", TSR_MAX_DIMS, (long long)n);
        return false;
    }
    for (int64_t i = 0; i < n; i++) {
        if (!np_arg_dim(items[i], &shape[i])) return false;
        if (shape[i] < 0) {
            tsr_raise(ERR_ValueError, "%s", "negative dimensions are not allowed");
            return false;
        }
        *count *= shape[i];
    }
    *ndim = (int)n;
    return true;
}

static Tensor *new_array(DType d, const int64_t *shape, int ndim)
{
    return tensor_empty(d, ndim, shape, device_cpu());
}

typedef enum { DRAW_DOUBLE, DRAW_GAUSS, DRAW_UNIFORM } DrawKind;

/* float64 draws: a Python float when size is None, else an array */
static Value *draw(DrawKind k, double p0, double p1, const int64_t *shape, int ndim, bool scalar)
{
    NpRandomState *s = gstate();
    double one;
    Tensor *t = NULL;
    double *out = &one;
    size_t n = 1;
    if (!scalar) {
        t = new_array(DT_FLOAT64, shape, ndim);
        if (!t) return NULL;
        out = (double *)tensor_data(t);
        n = (size_t)tensor_numel(t);
    }
    switch (k) {
    case DRAW_DOUBLE: nprand_fill_double(s, out, n); break;
    case DRAW_GAUSS: nprand_fill_gauss(s, out, n); break;
    case DRAW_UNIFORM: nprand_fill_uniform(s, p0, p1, out, n); break;
    }
    return scalar ? val_float(one) : ndarray_from_tensor_steal(t);
}

/* rand(d0, d1, ...) / randn(...) */
static Value *dims_draw(const CallArgs *a, const char *fn, DrawKind k)
{
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s() got an unexpected keyword argument '%s'", fn, a->kwnames[0]);
        return NULL;
    }
    int64_t shape[TSR_MAX_DIMS];
    if (a->nargs > TSR_MAX_DIMS) {
        tsr_raise(ERR_ValueError, "maximum supported dimension for an ndarray is %d, found %d", TSR_MAX_DIMS, a->nargs);
        return NULL;
    }
    for (int i = 0; i < a->nargs; i++) {
        if (!np_arg_dim(a->args[i], &shape[i])) return NULL;
        if (shape[i] < 0) {
            tsr_raise(ERR_ValueError, "%s", "negative dimensions are not allowed");
            return NULL;
        }
    }
    return draw(k, 0, 0, shape, a->nargs, a->nargs == 0);
}

static Value *np_rand(Value *self, const CallArgs *a) { return dims_draw(a, "rand", DRAW_DOUBLE); }
static Value *np_randn(Value *self, const CallArgs *a) { return dims_draw(a, "randn", DRAW_GAUSS); }

static Value *sample(const CallArgs *a, const char *fn, DrawKind k)
{
    ARGS(1);
    PARSE(fn, "size=");
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    bool scalar;
    int64_t count;
    if (!np_arg_size(v_[0], shape, &nd, &scalar, &count)) return NULL;
    return draw(k, 0, 0, shape, nd, scalar);
}

static Value *np_random_sample(Value *self, const CallArgs *a) { return sample(a, "random_sample", DRAW_DOUBLE); }
static Value *np_random(Value *self, const CallArgs *a) { return sample(a, "random", DRAW_DOUBLE); }
static Value *np_standard_normal(Value *self, const CallArgs *a) { return sample(a, "standard_normal", DRAW_GAUSS); }

/* A scalar float parameter (array parameters are not supported). */
static bool param(Value *v, const char *fn, const char *name, double dflt, double *out)
{
    if (v && val_unwrap(v)->kind == VK_TENSOR && val_unwrap(v)->tensor->ndim > 0) {
        tsr_raise(ERR_NotImplementedError, "tsr: np.random.%s with an array %s is not supported", fn, name);
        return false;
    }
    return arg_double(v, fn, name, dflt, out);
}

static Value *np_uniform(Value *self, const CallArgs *a)
{
    ARGS(3);
    PARSE("uniform", "low=, high=, size=");
    double lo, hi;
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    bool scalar;
    if (!param(v_[0], "uniform", "low", 0.0, &lo) || !param(v_[1], "uniform", "high", 1.0, &hi)) return NULL;
    if (!isfinite(hi - lo)) {
        tsr_raise(ERR_OverflowError, "%s", "Range exceeds valid bounds");
        return NULL;
    }
    int64_t count;
    if (!np_arg_size(v_[2], shape, &nd, &scalar, &count)) return NULL;
    return draw(DRAW_UNIFORM, lo, hi - lo, shape, nd, scalar);
}

/* the distributions RandomState shares with Generator (numpy_random_dist.c) */
#define LEGACY_DISTS(X) NP_SHARED_DISTS(X) X(standard_exponential)

#define X(name)                                                  \
    static Value *np_##name(Value *self, const CallArgs *a)      \
    {                                                            \
        NpSource src;                                            \
        nprand_source(gstate(), &src);                           \
        return np_dist_call(&src, #name, a);                     \
    }
LEGACY_DISTS(X)
#undef X

/* ------------------------------------------------------------ randint */

bool np_int_dtype_arg(Value *v, const char *fn, bool dflt_py, DType *d, bool *py_type)
{
    *d = DT_INT64;
    *py_type = dflt_py;
    if (!v || is_none(v)) return true;
    v = val_unwrap(v);
    *py_type = v->kind == VK_TYPE && (v->type == T_INT || v->type == T_BOOL);
    if (!np_arg_dtype(v, d)) return false;
    if (*d == DT_UNDEFINED) *d = DT_INT64;
    if (dtype_is_float(*d)) {
        tsr_raise(ERR_TypeError, "Unsupported dtype dtype('%s') for %s", dtype_name(*d), fn);
        return false;
    }
    return true;
}

static int dtype_bits(DType d) { return d == DT_BOOL ? 1 : 8 * (int)dtype_size(d); }

static Value *np_randint(Value *self, const CallArgs *a)
{
    ARGS(4);
    PARSE("randint", "low, high=, size=, dtype=");
    int64_t low = 0, high;
    Value *hv = v_[1] && !is_none(v_[1]) ? v_[1] : NULL;
    if (!np_arg_dim(hv ? v_[0] : v_[0], hv ? &low : &high)) return NULL;
    if (hv && !np_arg_dim(hv, &high)) return NULL;
    DType d;
    bool py_type;
    if (!np_int_dtype_arg(v_[3], "randint", true, &d, &py_type)) return NULL;
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    bool scalar;
    int64_t numel;
    if (!np_arg_size(v_[2], shape, &nd, &scalar, &numel)) return NULL;
    if (!scalar && numel == 0) return ndarray_from_tensor_steal(new_array(d, shape, nd));
    uint64_t off, rng;
    const char *msg = nprand_randint_bounds(d, low, high, false, &off, &rng);
    if (msg) {
        tsr_raise(ERR_ValueError, "%s", msg);
        return NULL;
    }
    Tensor *t = new_array(d, shape, scalar ? 0 : nd);
    if (!t) return NULL;
    NpRandomState *s = gstate();
    char *p = tensor_data(t);
    size_t n = (size_t)tensor_numel(t);
    switch (dtype_bits(d)) {
    case 64: nprand_bounded_u64_fill(s, off, rng, (uint64_t *)p, n); break;
    case 32: nprand_bounded_u32_fill(s, (uint32_t)off, (uint32_t)rng, (uint32_t *)p, n); break;
    case 16: nprand_bounded_u16_fill(s, (uint16_t)off, (uint16_t)rng, (uint16_t *)p, n); break;
    case 8: nprand_bounded_u8_fill(s, (uint8_t)off, (uint8_t)rng, (uint8_t *)p, n); break;
    default: nprand_bounded_bool_fill(s, off != 0, rng != 0, (bool *)p, n); break;
    }
    if (scalar && py_type) {
        Value *r = d == DT_BOOL ? val_bool(*(bool *)p) : val_int(*(int64_t *)p);
        tensor_release(t);
        return r;
    }
    /* size=None: a numpy scalar; size=(): a 0-d array */
    return scalar ? numpy_result_steal(t) : ndarray_from_tensor_steal(t);
}

/* ------------------------------------------------------------ shuffle */

static bool shuffle_tensor(Tensor *t)
{
    if (t->ndim == 0) {
        tsr_raise(ERR_TypeError, "%s", "len() of unsized object");
        return false;
    }
    if (tensor_numel(t) == 0) return true;
    if (!tensor_is_contiguous(t)) {
        tsr_raise(ERR_NotImplementedError, "%s", "tsr: np.random.shuffle of a non-contiguous array is not supported");
        return false;
    }
    size_t row = (size_t)(tensor_numel(t) / t->shape[0]) * dtype_size(t->dtype);
    char *buf = tsr_malloc(row);
    if (!buf) return false;
    nprand_shuffle_rows(gstate(), (size_t)t->shape[0], row, (ptrdiff_t)row, tensor_data(t), buf);
    free(buf);
    return true;
}

static Value *np_shuffle(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("shuffle", "x");
    Value *x = val_unwrap(v_[0]);
    if (x->kind == VK_TENSOR) return shuffle_tensor(x->tensor) ? val_none() : NULL;
    if (x->kind == VK_LIST) {
        for (int64_t i = x->seq.len - 1; i > 0; i--) {
            int64_t j = (int64_t)nprand_interval(gstate(), (uint64_t)i);
            Value *tmp = x->seq.items[i];
            x->seq.items[i] = x->seq.items[j];
            x->seq.items[j] = tmp;
        }
        return val_none();
    }
    tsr_raise(ERR_TypeError, "object of type '%s' has no len()", val_type_name(x));
    return NULL;
}

Tensor *np_arange_i64(int64_t n)
{
    Tensor *t = tensor_empty(DT_INT64, 1, &n, device_cpu());
    if (!t) return NULL;
    int64_t *p = (int64_t *)tensor_data(t);
    for (int64_t i = 0; i < n; i++) p[i] = i;
    return t;
}

static Value *np_permutation(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("permutation", "x");
    Value *x = val_unwrap(v_[0]);
    Tensor *t;
    if (x->kind == VK_INT || (x->kind == VK_TENSOR && x->tensor->ndim == 0 && !dtype_is_float(x->tensor->dtype) &&
                              x->tensor->dtype != DT_BOOL)) {
        int64_t n;
        if (!np_arg_dim(x, &n)) return NULL;
        t = np_arange_i64(n < 0 ? 0 : n);
    } else {
        Tensor *src = np_tensor_of(x);
        if (!src) return NULL;
        if (src->ndim < 1) {
            tensor_release(src);
            tsr_raise(ERR_IndexError, "%s", "x must be an integer or at least 1-dimensional");
            return NULL;
        }
        t = tensor_clone(src, src->dtype);
        tensor_release(src);
    }
    if (!t || !shuffle_tensor(t)) {
        tensor_release(t);
        return NULL;
    }
    return ndarray_from_tensor_steal(t);
}

/* ------------------------------------------------------------ choice */

static double legacy_uniform(void *s) { return nprand_double(s); }

static Value *np_choice(Value *self, const CallArgs *a)
{
    ARGS(4);
    PARSE("choice", "a, size=, replace=, p=");
    bool replace;
    if (!arg_bool(v_[2], "choice", "replace", true, &replace)) return NULL;
    Value *av = val_unwrap(v_[0]);
    Tensor *pop = NULL;
    int64_t pop_size;
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    bool scalar;
    int64_t size;
    if (!np_arg_size(v_[1], shape, &nd, &scalar, &size)) return NULL;
    if (av->kind == VK_INT || av->kind == VK_BOOL || (av->kind == VK_TENSOR && av->tensor->ndim == 0)) {
        if (av->kind == VK_TENSOR && dtype_is_float(av->tensor->dtype)) {
            tsr_raise(ERR_ValueError, "%s", "a must be 1-dimensional or an integer");
            return NULL;
        }
        if (!np_arg_dim(av, &pop_size)) return NULL;
        if (pop_size <= 0 && size != 0) {
            tsr_raise(ERR_ValueError, "%s", "a must be greater than 0 unless no samples are taken");
            return NULL;
        }
    } else {
        if (av->kind == VK_FLOAT) {
            tsr_raise(ERR_ValueError, "%s", "a must be 1-dimensional or an integer");
            return NULL;
        }
        pop = np_tensor_of(av);
        if (!pop) return NULL;
        if (pop->ndim != 1) {
            tensor_release(pop);
            tsr_raise(ERR_ValueError, "%s", "a must be 1-dimensional");
            return NULL;
        }
        pop_size = pop->shape[0];
        if (pop_size == 0 && size != 0) {
            tensor_release(pop);
            tsr_raise(ERR_ValueError, "%s", "'a' cannot be empty unless no samples are taken");
            return NULL;
        }
    }
    Tensor *pt = NULL;
    const char *err = NULL;
    if (v_[3] && !is_none(v_[3])) {
        Tensor *p0 = np_tensor_of(v_[3]);
        pt = p0 ? tensor_clone(p0, DT_FLOAT64) : NULL;
        tensor_release(p0);
        if (!pt) {
            tensor_release(pop);
            return NULL;
        }
        const double *pd = (const double *)tensor_data(pt);
        int64_t d = tensor_numel(pt);
        double sum = nprand_kahan_sum(pd, (size_t)d);
        bool neg = false;
        for (int64_t i = 0; i < d; i++) neg |= pd[i] < 0;
        if (pt->ndim != 1) err = "'p' must be 1-dimensional";
        else if (d != pop_size) err = "'a' and 'p' must have same size";
        else if (isnan(sum)) err = "probabilities contain NaN";
        else if (neg) err = "probabilities are not non-negative";
        else if (fabs(sum - 1.0) > sqrt(2.220446049250313e-16)) err = "probabilities do not sum to 1";
    }
    if (!err && !replace && size > pop_size) err = "Cannot take a larger sample than population when 'replace=False'";
    Tensor *idx = NULL;
    if (!err && pt && !replace) {
        int64_t nz = 0;
        const double *pd = (const double *)tensor_data(pt);
        for (int64_t i = 0; i < pop_size; i++) nz += pd[i] > 0;
        if (nz < size) err = "Fewer non-zero entries in p than size";
    }
    if (err) {
        tsr_raise(ERR_ValueError, "%s", err);
        tensor_release(pt);
        tensor_release(pop);
        return NULL;
    }
    NpRandomState *s = gstate();
    idx = tensor_empty(DT_INT64, scalar ? 0 : nd, shape, device_cpu());
    int64_t *out = idx ? (int64_t *)tensor_data(idx) : NULL;
    bool ok = idx != NULL;
    if (ok && replace && pt) {
        double *cdf = tsr_malloc(sizeof(double) * (size_t)pop_size);
        ok = cdf != NULL;
        if (ok) nprand_choice_p(legacy_uniform, s, (const double *)tensor_data(pt), (size_t)pop_size, cdf, out, (size_t)size);
        free(cdf);
    } else if (ok && replace) {
        nprand_bounded_u64_fill(s, 0, (uint64_t)pop_size - 1, (uint64_t *)out, (size_t)size);
    } else if (ok && pt) {
        double *scratch = tsr_malloc(sizeof(double) * (size_t)(pop_size + size + 1));
        ok = scratch != NULL;
        if (ok)
            nprand_choice_p_noreplace(legacy_uniform, s, (double *)tensor_data(pt), (size_t)pop_size, scratch, scratch + pop_size,
                                      out, (size_t)size);
        free(scratch);
    } else if (ok) {
        Tensor *perm = np_arange_i64(pop_size);
        ok = perm && shuffle_tensor(perm);
        if (ok) memcpy(out, tensor_data(perm), sizeof(int64_t) * (size_t)size);
        tensor_release(perm);
    }
    tensor_release(pt);
    if (!ok) {
        tensor_release(idx);
        tensor_release(pop);
        return NULL;
    }
    if (!pop) {
        if (scalar) {
            Value *r = val_int(out[0]);
            tensor_release(idx);
            return r;
        }
        return ndarray_from_tensor_steal(idx);
    }
    /* a[idx], shaped as idx */
    int64_t flat = size;
    Tensor *idx1 = op_reshape(idx, 1, &flat);
    Tensor *res = idx1 ? op_index_select(pop, 0, idx1) : NULL;
    tensor_release(idx1);
    if (res) {
        Tensor *shaped = op_reshape(res, scalar ? 0 : nd, shape);
        tensor_release(res);
        res = shaped ? tensor_contiguous(shaped) : NULL;
        tensor_release(shaped);
    }
    tensor_release(idx);
    tensor_release(pop);
    return scalar ? numpy_result_steal(res) : ndarray_from_tensor_steal(res);
}

/* ------------------------------------------------------------ state */

/* get_state(legacy=True): ('MT19937', key, pos, has_gauss, gauss), or
 * numpy's dict form. The key is an int64 array (numpy's is uint32; tsr
 * has no uint32 dtype), with the same values. */
static Value *np_get_state(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("get_state", "legacy=");
    bool legacy;
    if (!arg_bool(v_[0], "get_state", "legacy", true, &legacy)) return NULL;
    NpRandomState *s = gstate();
    uint32_t key[RNG_STATE_N];
    int pos;
    nprand_get_state(s, key, &pos);
    int64_t n = RNG_STATE_N;
    Tensor *k = tensor_empty(DT_INT64, 1, &n, device_cpu());
    if (!k) return NULL;
    for (int i = 0; i < RNG_STATE_N; i++) ((int64_t *)tensor_data(k))[i] = key[i];
    Value *karr = ndarray_from_tensor_steal(k);
    if (!karr) return NULL;
    Value *r;
    if (legacy) {
        r = val_tuple_new(5);
        if (r) {
            r->seq.items[0] = val_cstr("MT19937");
            r->seq.items[1] = val_retain(karr);
            r->seq.items[2] = val_int(pos);
            r->seq.items[3] = val_int(s->has_gauss);
            r->seq.items[4] = val_float(s->gauss);
        }
    } else {
        r = val_dict_new();
        Value *st = val_dict_new(), *name = val_cstr("MT19937"), *p = val_int(pos), *hg = val_int(s->has_gauss),
              *g = val_float(s->gauss);
        bool ok = r && st && name && p && hg && g && dict_set(st->dict, "key", karr) && dict_set(st->dict, "pos", p) &&
                  dict_set(r->dict, "bit_generator", name) && dict_set(r->dict, "state", st) &&
                  dict_set(r->dict, "has_gauss", hg) && dict_set(r->dict, "gauss", g);
        val_release(st), val_release(name), val_release(p), val_release(hg), val_release(g);
        if (!ok) {
            val_release(r);
            r = NULL;
        }
    }
    val_release(karr);
    return r;
}

/* a Python int of the state (numpy reads these through int()) */
static bool state_int(Value *v, int64_t *out)
{
    return arg_int(v, "set_state", "state", 0, out);
}

static Value *np_set_state(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("set_state", "state");
    Value *st = val_unwrap(v_[0]);
    Value *name = NULL, *key = NULL, *pos = NULL, *hg = NULL, *g = NULL;
    if (st->kind == VK_DICT) {
        name = dict_get(st->dict, "bit_generator");
        Value *inner = dict_get(st->dict, "state");
        if (!name || !inner) {
            tsr_raise(ERR_ValueError, "%s", "state dictionary is not valid.");
            return NULL;
        }
        if (inner->kind == VK_DICT) {
            key = dict_get(inner->dict, "key");
            pos = dict_get(inner->dict, "pos");
        }
        hg = dict_get(st->dict, "has_gauss");
        g = dict_get(st->dict, "gauss");
    } else if (st->kind == VK_TUPLE || st->kind == VK_LIST) {
        if (st->seq.len != 3 && st->seq.len != 5) {
            tsr_raise(ERR_ValueError, "tsr: set_state takes a tuple of 3 or 5 items, not %lld", (long long)st->seq.len);
            return NULL;
        }
        name = st->seq.items[0];
        key = st->seq.items[1];
        pos = st->seq.items[2];
        if (st->seq.len == 5) hg = st->seq.items[3], g = st->seq.items[4];
    } else {
        tsr_raise(ERR_TypeError, "%s", "state must be a dict or a tuple.");
        return NULL;
    }
    if (name->kind != VK_STR || strcmp(name->str.s, "MT19937") != 0) {
        tsr_raise(ERR_ValueError, "%s",
                  st->kind == VK_DICT ? "state must be for a MT19937 PRNG"
                                      : "set_state can only be used with legacy MT19937state instances.");
        return NULL;
    }
    if (!key || !pos) {
        tsr_raise(ERR_ValueError, "%s", "state dictionary is not valid.");
        return NULL;
    }
    int64_t p, has_gauss = 0;
    double gauss = 0.0;
    if (!state_int(pos, &p) || (hg && !state_int(hg, &has_gauss)) ||
        (g && !arg_double(g, "set_state", "gauss", 0.0, &gauss)))
        return NULL;
    if (p < 0 || p > RNG_STATE_N) {
        tsr_raise(ERR_ValueError, "tsr: set_state: pos must be in 0..%d, not %lld", RNG_STATE_N, (long long)p);
        return NULL;
    }
    Tensor *kt = np_tensor_of(key);
    if (!kt) return NULL;
    Tensor *k64 = !dtype_is_float(kt->dtype) && kt->ndim == 1 && kt->shape[0] == RNG_STATE_N
                      ? tensor_clone(kt, DT_INT64)
                      : NULL;
    bool shaped = k64 || tsr_err_occurred();
    tensor_release(kt);
    if (!k64) {
        if (!shaped) tsr_raise(ERR_ValueError, "%s", "state must be 624 32-bit unsigned integers");
        return NULL;
    }
    uint32_t words[RNG_STATE_N];
    for (int i = 0; i < RNG_STATE_N; i++) words[i] = (uint32_t)((int64_t *)tensor_data(k64))[i];
    tensor_release(k64);
    nprand_set_state(gstate(), words, (int)p, has_gauss != 0, gauss);
    return val_none();
}

/* ------------------------------------------------------------ RandomState */

/* Every function of np.random is also a RandomState method. */
#define NP_RANDOM_FUNCTIONS(X)                                                                \
    X(seed) X(rand) X(randn) X(random) X(random_sample) X(standard_normal) X(uniform) X(randint) \
    X(shuffle) X(permutation) X(choice) X(get_state) X(set_state) LEGACY_DISTS(X)

static Value *randomstate_class; /* borrowed: the module holds it */

/* The generator of self, a RandomState instance (seeded from the OS the
 * first time when a subclass's __init__ did not call RandomState's); NULL
 * with numpy's TypeError for anything else. */
static NpRandomState *instance_state(Value *self, const char *method)
{
    if (!self || self->kind != VK_INSTANCE || !randomstate_class ||
        !class_is_subclass(self->inst.cls, randomstate_class)) {
        tsr_raise(ERR_TypeError,
                  "descriptor '%s' for 'numpy.random.mtrand.RandomState' objects doesn't apply to a '%s' object",
                  method, self ? val_type_name(self) : "NoneType");
        return NULL;
    }
    if (!self->inst.native) {
        NpRandomState *s = tsr_calloc(1, sizeof *s);
        if (!s) return NULL;
        nprand_seed_entropy(s);
        self->inst.native = s;
    }
    return self->inst.native;
}

/* r.method(...), or RandomState.method(r, ...): the module's function
 * run with r's generator as the current one */
static Value *on_instance(Value *self, const CallArgs *a, BuiltinFn impl, const char *name)
{
    CallArgs rest;
    if (!self) {
        if (a->nargs < 1) {
            tsr_raise(ERR_TypeError, "descriptor '%s' of 'numpy.random.mtrand.RandomState' object needs an argument",
                      name);
            return NULL;
        }
        self = a->args[0];
        rest = (CallArgs){a->args + 1, a->nargs - 1, a->kwnames, a->kwvals, a->nkw};
        a = &rest;
    }
    NpRandomState *s = instance_state(self, name);
    if (!s) return NULL;
    NpRandomState *prev = current;
    current = s;
    Value *r = impl(NULL, a);
    current = prev;
    return r;
}

#define X(name) \
    static Value *method_##name(Value *self, const CallArgs *a) { return on_instance(self, a, np_##name, #name); }
NP_RANDOM_FUNCTIONS(X)
#undef X

/* RandomState(seed=None) */
static Value *randomstate_init(Value *self, const CallArgs *a)
{
    return on_instance(self, a, np_seed, "__init__") ? val_none() : NULL;
}

static Value *randomstate_repr(Value *self, const CallArgs *a)
{
    if (!instance_state(self, "__repr__")) return NULL;
    return val_cstr("RandomState(MT19937)");
}

static const Builtin randomstate_methods[] = {
#define X(name) {#name, method_##name},
    NP_RANDOM_FUNCTIONS(X)
#undef X
    {"__init__", randomstate_init},
    {"__repr__", randomstate_repr},
    {NULL, NULL},
};

const Builtin numpy_random_functions[] = {
#define X(name) {#name, np_##name},
    NP_RANDOM_FUNCTIONS(X)
#undef X
    {NULL, NULL},
};

bool stdlib_numpy_random_open(Value *module)
{
    Value *cls = class_new_builtin("RandomState", "numpy.random.mtrand", class_object, randomstate_methods);
    bool ok = cls && module_install(module, numpy_random_functions) &&
              dict_set(module->module.members, "RandomState", cls) && numpy_generator_open(module);
    randomstate_class = cls;
    val_release(cls);
    return ok;
}
