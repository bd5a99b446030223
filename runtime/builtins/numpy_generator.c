/* numpy_generator.c: np.random.default_rng and numpy 1.24's Generator
 * (random/_generator.pyx, _common.pyx, _bounded_integers.pyx.in): the
 * arguments, shapes, result types and messages around the PCG64 draws of
 * tensor/numpy_generator.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "interp_internal.h"
#include "numpy.h"
#include "numpy_distributions.h"
#include "numpy_generator.h"
#include "numpy_random.h"
#include "ops.h"
#include "pyfmt.h"

static Value *generator_class; /* borrowed: the module holds it */

/* ------------------------------------------------------------ seeding */

typedef struct Words {
    uint32_t *w;
    size_t n, cap;
} Words;

static bool words_push(Words *s, uint32_t v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        uint32_t *w = tsr_realloc(s->w, cap * sizeof *w);
        if (!w) return false;
        s->w = w;
        s->cap = cap;
    }
    s->w[s->n++] = v;
    return true;
}

/* _int_to_uint32_array: the low 32 bits first; 0 is one zero word */
static bool int_words(Words *s, int64_t n)
{
    if (n < 0) {
        tsr_raise(ERR_ValueError, "%s", "expected non-negative integer");
        return false;
    }
    uint64_t u = (uint64_t)n;
    do {
        if (!words_push(s, (uint32_t)u)) return false;
        u >>= 32;
    } while (u);
    return true;
}

/* a seed string inside a sequence: "0x..." hex or decimal digits */
static bool str_words(Words *s, const char *str, int64_t len)
{
    bool hex = len > 2 && str[0] == '0' && str[1] == 'x';
    int base = hex ? 16 : 10;
    int64_t i = hex ? 2 : 0;
    bool ok = i < len;
    uint64_t v = 0;
    for (; ok && i < len; i++) {
        char c = str[i];
        int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                                             : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                                            : -1;
        ok = d >= 0 && v <= (UINT64_MAX >> 1) / (uint64_t)base;
        v = v * (uint64_t)base + (uint64_t)(d < 0 ? 0 : d);
    }
    if (!ok || v > INT64_MAX) {
        tsr_raise(ERR_ValueError, "%s", "unrecognized seed string");
        return false;
    }
    return int_words(s, (int64_t)v);
}

/* _coerce_to_uint32_array over one element of a seed sequence */
static bool elem_words(Words *s, Value *v, int depth)
{
    v = val_unwrap(v);
    if (v->kind == VK_INT || v->kind == VK_BOOL) return int_words(s, v->kind == VK_INT ? v->i : v->b);
    if (v->kind == VK_STR) return str_words(s, v->str.s, v->str.len);
    if (v->kind == VK_FLOAT || (v->kind == VK_TENSOR && dtype_is_float(v->tensor->dtype))) {
        tsr_raise(ERR_TypeError, "%s", "seed must be integer");
        return false;
    }
    if (v->kind == VK_TENSOR) {
        Tensor *t = tensor_clone(v->tensor, DT_INT64);
        if (!t) return false;
        const int64_t *p = (const int64_t *)tensor_data(t);
        bool ok = true;
        for (int64_t i = 0; ok && i < tensor_numel(t); i++) ok = int_words(s, p[i]);
        tensor_release(t);
        return ok;
    }
    if ((v->kind == VK_LIST || v->kind == VK_TUPLE) && depth < 32) {
        for (int64_t i = 0; i < v->seq.len; i++)
            if (!elem_words(s, v->seq.items[i], depth + 1)) return false;
        return true;
    }
    tsr_raise(ERR_TypeError, "object of type '%s' has no len()", val_type_name(v));
    return false;
}

/* PCG64(seed): SeedSequence(seed) for None, an int or a sequence of ints */
static bool seed_generator(NpGenerator *g, Value *seed)
{
    if (!seed || is_none(seed)) {
        npgen_seed_entropy(g);
        return true;
    }
    Value *v = val_unwrap(seed);
    bool accepted = v->kind == VK_INT || v->kind == VK_BOOL || v->kind == VK_LIST || v->kind == VK_TUPLE ||
                    v->kind == VK_RANGE ||
                    (v->kind == VK_TENSOR && v->tensor->numpy &&
                     (v->tensor->numpy == TENSOR_NP_ARRAY || !dtype_is_float(v->tensor->dtype)));
    if (!accepted) {
        Value *s = val_str_of(v);
        if (s) tsr_raise(ERR_TypeError, "SeedSequence expects int or sequence of ints for entropy not %s", s->str.s);
        val_release(s);
        return false;
    }
    Words w = {0};
    bool ok;
    if (v->kind == VK_RANGE) {
        ok = true;
        for (int64_t i = v->range.start; ok && (v->range.step > 0 ? i < v->range.stop : i > v->range.stop);
             i += v->range.step)
            ok = int_words(&w, i);
    } else {
        ok = elem_words(&w, v, 0);
    }
    if (ok) npgen_seed_words(g, w.w, w.n);
    free(w.w);
    return ok;
}

/* ------------------------------------------------------------ instances */

static Value *new_generator(NpGenerator **out)
{
    Value *inst = instance_new(generator_class);
    if (!inst) return NULL;
    NpGenerator *g = tsr_calloc(1, sizeof *g);
    if (!g) {
        val_release(inst);
        return NULL;
    }
    inst->inst.native = g;
    *out = g;
    return inst;
}

static bool is_generator(Value *v)
{
    v = val_unwrap(v);
    return v->kind == VK_INSTANCE && generator_class && class_is_subclass(v->inst.cls, generator_class) &&
           v->inst.native;
}

/* default_rng(seed=None): a Generator passes through */
static Value *np_default_rng(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("default_rng", "seed=");
    if (v_[0] && is_generator(v_[0])) return val_retain(val_unwrap(v_[0]));
    NpGenerator *g;
    Value *inst = new_generator(&g);
    if (!inst) return NULL;
    if (!seed_generator(g, v_[0])) {
        val_release(inst);
        return NULL;
    }
    return inst;
}

/* self's generator, or the TypeError of a method given something else */
static NpGenerator *gen_of(Value *self, const char *method)
{
    if (!self || !is_generator(self)) {
        tsr_raise(ERR_TypeError,
                  "descriptor '%s' for 'numpy.random._generator.Generator' objects doesn't apply to a '%s' object",
                  method, self ? val_type_name(self) : "NoneType");
        return NULL;
    }
    return val_unwrap(self)->inst.native;
}

#define GEN(method)                              \
    NpGenerator *g = gen_of(self, method);       \
    if (!g) return NULL

/* ------------------------------------------------------------ float fills */

typedef enum { FILL_UNIFORM, FILL_NORMAL, FILL_EXP_ZIG, FILL_EXP_INV } FillKind;

static void fill64(NpGenerator *g, FillKind k, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = k == FILL_UNIFORM  ? npgen_double(g)
                 : k == FILL_NORMAL ? npgen_standard_normal(g)
                 : k == FILL_EXP_ZIG ? npgen_standard_exponential(g)
                                     : -log1p(-npgen_double(g));
}

static void fill32(NpGenerator *g, FillKind k, float *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = k == FILL_UNIFORM  ? npgen_float(g)
                 : k == FILL_NORMAL ? npgen_standard_normal_f(g)
                 : k == FILL_EXP_ZIG ? npgen_standard_exponential_f(g)
                                     : -log1pf(-npgen_float(g));
}

/* double_fill / float_fill: a Python float for size=None, else an array */
static Value *float_fill(NpGenerator *g, FillKind k, const char *fn, Value *size, Value *dtype, Value *out)
{
    DType d = DT_FLOAT64;
    if (dtype && !is_none(dtype)) {
        if (!np_arg_dtype(dtype, &d)) return NULL;
        if (d == DT_UNDEFINED) d = DT_FLOAT64;
    }
    if (d != DT_FLOAT64 && d != DT_FLOAT32) {
        tsr_raise(ERR_TypeError, "Unsupported dtype dtype('%s') for %s", dtype_name(d), fn);
        return NULL;
    }
    if (out && !is_none(out)) {
        tsr_raise(ERR_NotImplementedError, "tsr: Generator.%s(out=...) is not supported", fn);
        return NULL;
    }
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    bool scalar;
    int64_t count;
    if (!np_arg_size(size, shape, &nd, &scalar, &count)) return NULL;
    if (scalar) {
        if (d == DT_FLOAT64) {
            double x;
            fill64(g, k, &x, 1);
            return val_float(x);
        }
        float x;
        fill32(g, k, &x, 1);
        return val_float(x);
    }
    Tensor *t = tensor_empty(d, nd, shape, device_cpu());
    if (!t) return NULL;
    if (d == DT_FLOAT64) fill64(g, k, (double *)tensor_data(t), (size_t)count);
    else fill32(g, k, (float *)tensor_data(t), (size_t)count);
    return ndarray_from_tensor_steal(t);
}

static Value *gen_random(Value *self, const CallArgs *a)
{
    GEN("random");
    ARGS(3);
    PARSE("random", "size=, dtype=, out=");
    return float_fill(g, FILL_UNIFORM, "random", v_[0], v_[1], v_[2]);
}

static Value *gen_standard_normal(Value *self, const CallArgs *a)
{
    GEN("standard_normal");
    ARGS(3);
    PARSE("standard_normal", "size=, dtype=, out=");
    return float_fill(g, FILL_NORMAL, "standard_normal", v_[0], v_[1], v_[2]);
}

static Value *gen_standard_exponential(Value *self, const CallArgs *a)
{
    GEN("standard_exponential");
    ARGS(4);
    PARSE("standard_exponential", "size=, dtype=, method=, out=");
    /* numpy checks for 'zig' only: any other method is the inversion */
    FillKind k = FILL_EXP_ZIG;
    if (v_[2]) {
        Value *m = val_unwrap(v_[2]);
        if (m->kind != VK_STR || strcmp(m->str.s, "zig") != 0) k = FILL_EXP_INV;
    }
    return float_fill(g, k, "standard_exponential", v_[0], v_[1], v_[3]);
}

/* ------------------------------------------------------------ distributions */

#define GEN_DISTS(X) NP_SHARED_DISTS(X) X(uniform)

#define X(name)                                                  \
    static Value *gen_##name(Value *self, const CallArgs *a)     \
    {                                                            \
        GEN(#name);                                              \
        NpSource src;                                            \
        npgen_source(g, &src);                                   \
        return np_dist_call(&src, #name, a);                     \
    }
GEN_DISTS(X)
#undef X

/* ------------------------------------------------------------ integers */

static int dtype_bits(DType d) { return d == DT_BOOL ? 1 : 8 * (int)dtype_size(d); }

/* the dtype's range for integers' checks */
static void dtype_range(DType d, int64_t *lo, int64_t *hi)
{
    int bits = dtype_bits(d);
    bool is_signed = d != DT_BOOL && d != DT_UINT8;
    *lo = bits == 64 ? INT64_MIN : is_signed ? -(INT64_C(1) << (bits - 1)) : 0;
    *hi = bits == 64 ? INT64_MAX : is_signed ? (INT64_C(1) << (bits - 1)) - 1 : (INT64_C(1) << bits) - 1;
}

/* an integer bound as an int64 array (0-dim for scalars) */
static Tensor *bound_tensor(Value *v)
{
    Value *u = val_unwrap(v);
    if (u->kind == VK_FLOAT) {
        if (!isfinite(u->f) || u->f >= 9.2233720368547758e18 || u->f < -9.2233720368547758e18) {
            tsr_raise(ERR_OverflowError, "%s", "cannot convert float infinity to integer");
            return NULL;
        }
        Tensor *t = tensor_empty(DT_INT64, 0, NULL, device_cpu());
        if (t) *(int64_t *)tensor_data(t) = (int64_t)u->f;
        return t;
    }
    if (u->kind == VK_INT || u->kind == VK_BOOL) {
        Tensor *t = tensor_empty(DT_INT64, 0, NULL, device_cpu());
        if (t) *(int64_t *)tensor_data(t) = u->kind == VK_INT ? u->i : u->b;
        return t;
    }
    Tensor *src = np_tensor_of(u);
    Tensor *t = src ? tensor_to_dtype(src, DT_INT64) : NULL;
    tensor_release(src);
    return t;
}

/* _rand_<type>_broadcast's range checks of low and high, in numpy's order */
static bool check_bounds_arrays(DType d, const Tensor *lo, const Tensor *hi, bool closed)
{
    int64_t lb, ub;
    dtype_range(d, &lb, &ub);
    const int64_t *pl = (const int64_t *)tensor_data(lo), *ph = (const int64_t *)tensor_data(hi);
    for (int64_t i = 0; i < tensor_numel(lo); i++)
        if (pl[i] < lb) {
            tsr_raise(ERR_ValueError, "low is out of bounds for %s", dtype_name(d));
            return false;
        }
    for (int64_t i = 0; i < tensor_numel(hi); i++)
        if (ph[i] != INT64_MIN && (closed ? ph[i] : ph[i] - 1) > ub) {
            tsr_raise(ERR_ValueError, "high is out of bounds for %s", dtype_name(d));
            return false;
        }
    return true;
}

/* integers(low, high) with array bounds: one draw per element of the
 * broadcast, the 16/8/1-bit buffer kept across elements */
static Tensor *integers_broadcast(NpGenerator *g, DType d, Tensor *lo, Tensor *hi, bool closed, Value *size)
{
    if (!check_bounds_arrays(d, lo, hi, closed) || !np_check_broadcast(lo, hi)) return NULL;
    int64_t shape[TSR_MAX_DIMS], bshape[TSR_MAX_DIMS];
    int nd, bnd;
    bool scalar;
    int64_t count;
    if (!np_arg_size(size, shape, &nd, &scalar, &count)) return NULL;
    const int64_t *shapes[3] = {lo->shape, hi->shape, shape};
    int nds[3] = {lo->ndim, hi->ndim, nd};
    if (!np_multi_broadcast(scalar ? 2 : 3, shapes, nds, bshape, &bnd)) return NULL;
    Tensor *le = op_expand(lo, bnd, bshape), *he = le ? op_expand(hi, bnd, bshape) : NULL;
    Tensor *lc = he ? tensor_contiguous(le) : NULL, *hc = lc ? tensor_contiguous(he) : NULL;
    Tensor *out = NULL;
    if (hc) {
        const int64_t *pl = (const int64_t *)tensor_data(lc), *ph = (const int64_t *)tensor_data(hc);
        int64_t n = tensor_numel(lc);
        bool bad = false, any_low = false;
        for (int64_t i = 0; i < n; i++) {
            any_low = any_low || pl[i];
            bad = bad || (closed ? pl[i] > ph[i] : pl[i] >= ph[i]);
        }
        if (bad) {
            tsr_raise(ERR_ValueError, "%s",
                      !any_low ? (closed ? "high < 0" : "high <= 0") : (closed ? "low > high" : "low >= high"));
        } else if ((out = tensor_empty(d, bnd, bshape, device_cpu()))) {
            int bits = dtype_bits(d);
            uint64_t m = bits == 64 ? UINT64_MAX : bits == 1 ? 1 : (1ull << bits) - 1;
            NpGenBuf b = {0, 0};
            char *o = tensor_data(out);
            for (int64_t i = 0; i < n; i++) {
                uint64_t off = (uint64_t)pl[i] & m;
                uint64_t rng = ((uint64_t)(closed ? ph[i] : ph[i] - 1) - (uint64_t)pl[i]) & m;
                uint64_t v = npgen_bounded_next(g, off, rng, bits, &b);
                switch (bits) {
                case 64: ((uint64_t *)o)[i] = v; break;
                case 32: ((uint32_t *)o)[i] = (uint32_t)v; break;
                case 16: ((uint16_t *)o)[i] = (uint16_t)v; break;
                case 8: ((uint8_t *)o)[i] = (uint8_t)v; break;
                default: ((bool *)o)[i] = v != 0; break;
                }
            }
        }
    }
    tensor_release(le);
    tensor_release(he);
    tensor_release(lc);
    tensor_release(hc);
    return out;
}

static Value *gen_integers(Value *self, const CallArgs *a)
{
    GEN("integers");
    ARGS(5);
    PARSE("integers", "low, high=, size=, dtype=, endpoint=");
    bool endpoint, py_type;
    DType d;
    if (!arg_bool(v_[4], "integers", "endpoint", false, &endpoint) ||
        !np_int_dtype_arg(v_[3], "integers", false, &d, &py_type))
        return NULL;
    bool has_high = v_[1] && !is_none(v_[1]);
    Tensor *lo = has_high ? bound_tensor(v_[0]) : tensor_zeros(DT_INT64, 0, NULL, device_cpu());
    Tensor *hi = lo ? bound_tensor(has_high ? v_[1] : v_[0]) : NULL;
    Tensor *t = NULL;
    Value *r = NULL;
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    bool scalar;
    int64_t numel;
    if (!hi || !np_arg_size(v_[2], shape, &nd, &scalar, &numel)) goto done;
    if (!scalar && numel == 0) {
        r = ndarray_from_tensor_steal(tensor_empty(d, nd, shape, device_cpu()));
        goto done;
    }
    if (lo->ndim || hi->ndim) {
        r = ndarray_from_tensor_steal(integers_broadcast(g, d, lo, hi, endpoint, v_[2]));
        goto done;
    }
    uint64_t off, rng;
    const char *msg = nprand_randint_bounds(d, *(int64_t *)tensor_data(lo), *(int64_t *)tensor_data(hi), endpoint,
                                            &off, &rng);
    if (msg) {
        tsr_raise(ERR_ValueError, "%s", msg);
        goto done;
    }
    t = tensor_empty(d, scalar ? 0 : nd, shape, device_cpu());
    if (!t) goto done;
    npgen_bounded_fill(g, off, rng, dtype_bits(d), tensor_data(t), (size_t)tensor_numel(t));
    if (scalar && py_type) {
        Tensor *i64 = tensor_clone(t, DT_INT64);
        if (i64) r = d == DT_BOOL ? val_bool(*(int64_t *)tensor_data(i64) != 0) : val_int(*(int64_t *)tensor_data(i64));
        tensor_release(i64);
        tensor_release(t);
    } else {
        r = scalar ? numpy_result_steal(t) : ndarray_from_tensor_steal(t);
    }
done:
    tensor_release(lo);
    tensor_release(hi);
    return r;
}

/* ------------------------------------------------------------ shuffles */

/* the permutation the row swaps of a shuffle of n rows make */
static Tensor *shuffled_index(NpGenerator *g, int64_t n)
{
    Tensor *idx = np_arange_i64(n);
    if (!idx) return NULL;
    int64_t buf;
    npgen_shuffle_rows(g, (size_t)n, sizeof(int64_t), sizeof(int64_t), tensor_data(idx), (char *)&buf);
    return idx;
}

static bool normalize_axis(int64_t *axis, int ndim)
{
    if (*axis < -ndim || *axis >= ndim) {
        tsr_raise(ERR_AxisError, "axis %lld is out of bounds for array of dimension %d", (long long)*axis, ndim);
        return false;
    }
    if (*axis < 0) *axis += ndim;
    return true;
}

/* shuffle an ndarray in place along axis: 1-d arrays swap elements
 * directly, others gather along axis by the same swaps' permutation */
static bool shuffle_array(NpGenerator *g, Tensor *t, int64_t axis)
{
    if (t->ndim == 1) {
        if (t->shape[0] == 0) return true;
        size_t item = dtype_size(t->dtype);
        char buf[16];
        npgen_shuffle_rows(g, (size_t)t->shape[0], item, t->stride[0] * (ptrdiff_t)item, tensor_data(t), buf);
        return true;
    }
    if (tensor_numel(t) == 0) return true;
    Tensor *idx = shuffled_index(g, t->shape[axis]);
    Tensor *gathered = idx ? op_index_select(t, axis, idx) : NULL;
    bool ok = gathered && tensor_copy_(t, gathered);
    tensor_release(idx);
    tensor_release(gathered);
    return ok;
}

static Value *gen_shuffle(Value *self, const CallArgs *a)
{
    GEN("shuffle");
    ARGS(2);
    PARSE("shuffle", "x, axis=");
    int64_t axis;
    if (!arg_int(v_[1], "shuffle", "axis", 0, &axis)) return NULL;
    Value *x = val_unwrap(v_[0]);
    if (x->kind == VK_TENSOR) {
        if (x->tensor->ndim == 0) {
            tsr_raise(ERR_TypeError, "%s", "len() of unsized object");
            return NULL;
        }
        if (!normalize_axis(&axis, x->tensor->ndim)) return NULL;
        return shuffle_array(g, x->tensor, axis) ? val_none() : NULL;
    }
    if (x->kind == VK_LIST) {
        if (axis != 0) {
            tsr_raise(ERR_NotImplementedError, "%s", "Axis argument is only supported on ndarray objects");
            return NULL;
        }
        for (int64_t i = x->seq.len - 1; i > 0; i--) {
            int64_t j = (int64_t)npgen_interval(g, (uint64_t)i);
            Value *tmp = x->seq.items[i];
            x->seq.items[i] = x->seq.items[j];
            x->seq.items[j] = tmp;
        }
        return val_none();
    }
    tsr_raise(ERR_TypeError, "object of type '%s' has no len()", val_type_name(x));
    return NULL;
}

static Value *gen_permutation(Value *self, const CallArgs *a)
{
    GEN("permutation");
    ARGS(2);
    PARSE("permutation", "x, axis=");
    int64_t axis;
    if (!arg_int(v_[1], "permutation", "axis", 0, &axis)) return NULL;
    Value *x = val_unwrap(v_[0]);
    if (x->kind == VK_INT || x->kind == VK_BOOL ||
        (x->kind == VK_TENSOR && x->tensor->numpy == TENSOR_NP_SCALAR && !dtype_is_float(x->tensor->dtype))) {
        int64_t n;
        if (!np_arg_dim(x, &n)) return NULL;
        if (n < 0) {
            tsr_raise(ERR_ValueError, "%s", "negative dimensions are not allowed");
            return NULL;
        }
        Tensor *t = np_arange_i64(n);
        if (!t || !shuffle_array(g, t, 0)) {
            tensor_release(t);
            return NULL;
        }
        return ndarray_from_tensor_steal(t);
    }
    Tensor *src = np_tensor_of(x);
    if (!src) return NULL;
    Tensor *r = NULL;
    if (src->ndim == 0) {
        tsr_raise(ERR_AxisError, "axis %lld is out of bounds for array of dimension 0", (long long)axis);
    } else if (normalize_axis(&axis, src->ndim)) {
        if (src->ndim == 1) {
            r = tensor_clone(src, src->dtype);
            if (r && !shuffle_array(g, r, 0)) {
                tensor_release(r);
                r = NULL;
            }
        } else {
            Tensor *idx = shuffled_index(g, src->shape[axis]);
            Tensor *sel = idx ? op_index_select(src, axis, idx) : NULL;
            r = sel ? tensor_contiguous(sel) : NULL;
            tensor_release(idx);
            tensor_release(sel);
        }
    }
    tensor_release(src);
    return r ? ndarray_from_tensor_steal(r) : NULL;
}

/* ------------------------------------------------------------ choice */

static double gen_uniform_draw(void *g) { return npgen_double(g); }

/* Floyd's algorithm over a hash set, as Generator.choice without
 * replacement and without p for small samples */
static bool floyd(NpGenerator *g, int64_t pop, int64_t size, bool shuffle, int64_t *out)
{
    uint64_t mask = nprand_gen_mask((uint64_t)(1.2 * (double)size)), set_size = mask + 1;
    uint64_t *set = tsr_malloc(set_size * sizeof *set);
    if (!set) return false;
    memset(set, 0xff, set_size * sizeof *set);
    for (int64_t j = pop - size; j < pop; j++) {
        uint64_t val = npgen_bounded_u64(g, 0, (uint64_t)j);
        uint64_t loc = val & mask;
        while (set[loc] != UINT64_MAX && set[loc] != val) loc = (loc + 1) & mask;
        if (set[loc] == UINT64_MAX) {
            set[loc] = val;
            out[j - pop + size] = (int64_t)val;
        } else {
            loc = (uint64_t)j & mask;
            while (set[loc] != UINT64_MAX) loc = (loc + 1) & mask;
            set[loc] = (uint64_t)j;
            out[j - pop + size] = j;
        }
    }
    free(set);
    if (shuffle) npgen_shuffle_int(g, (size_t)size, 1, out);
    return true;
}

/* the p argument: a 1-d float64 copy checked as choice checks it */
static Tensor *choice_p(Value *pv, int64_t pop_size)
{
    Tensor *p0 = np_tensor_of(pv);
    Tensor *pt = p0 ? tensor_clone(p0, DT_FLOAT64) : NULL;
    double atol = sqrt(2.220446049250313e-16);
    if (p0 && p0->dtype == DT_FLOAT32 && val_is_ndarray(val_unwrap(pv))) atol = fmax(atol, sqrt(1.1920929e-07));
    tensor_release(p0);
    if (!pt) return NULL;
    const double *pd = (const double *)tensor_data(pt);
    int64_t d = tensor_numel(pt);
    const char *err = NULL;
    if (pt->ndim != 1) err = "p must be 1-dimensional";
    else if (d != pop_size) err = "a and p must have same size";
    else {
        double sum = nprand_kahan_sum(pd, (size_t)d);
        bool neg = false;
        for (int64_t i = 0; i < d; i++) neg |= pd[i] < 0;
        if (isnan(sum)) err = "probabilities contain NaN";
        else if (neg) err = "probabilities are not non-negative";
        else if (fabs(sum - 1.0) > atol) err = "probabilities do not sum to 1";
    }
    if (err) {
        tsr_raise(ERR_ValueError, "%s", err);
        tensor_release(pt);
        return NULL;
    }
    return pt;
}

/* the sample indices (shaped as size) of choice */
static Tensor *choice_indices(NpGenerator *g, int64_t pop_size, const int64_t *shape, int nd, int64_t size,
                              bool replace, Tensor *pt, bool shuffle)
{
    if (!replace && size > pop_size) {
        tsr_raise(ERR_ValueError, "%s", "Cannot take a larger sample than population when replace is False");
        return NULL;
    }
    if (!replace && pt) {
        int64_t nz = 0;
        const double *pd = (const double *)tensor_data(pt);
        for (int64_t i = 0; i < pop_size; i++) nz += pd[i] > 0;
        if (nz < size) {
            tsr_raise(ERR_ValueError, "%s", "Fewer non-zero entries in p than size");
            return NULL;
        }
    }
    Tensor *idx = tensor_empty(DT_INT64, nd, shape, device_cpu());
    if (!idx) return NULL;
    int64_t *out = (int64_t *)tensor_data(idx);
    bool ok = true;
    if (replace && pt) {
        double *cdf = tsr_malloc(sizeof(double) * (size_t)pop_size);
        ok = cdf != NULL;
        if (ok) nprand_choice_p(gen_uniform_draw, g, (const double *)tensor_data(pt), (size_t)pop_size, cdf, out, (size_t)size);
        free(cdf);
    } else if (replace) {
        if (size) npgen_bounded_fill(g, 0, (uint64_t)pop_size - 1, 64, out, (size_t)size);
    } else if (pt) {
        double *scratch = tsr_malloc(sizeof(double) * (size_t)(pop_size + size + 1));
        ok = scratch != NULL;
        if (ok)
            nprand_choice_p_noreplace(gen_uniform_draw, g, (double *)tensor_data(pt), (size_t)pop_size, scratch,
                                      scratch + pop_size, out, (size_t)size);
        free(scratch);
    } else if (pop_size > 10000 && size > pop_size / (shuffle ? 50 : 20)) {
        Tensor *all = np_arange_i64(pop_size);
        ok = all != NULL;
        if (ok) {
            int64_t *ad = (int64_t *)tensor_data(all);
            int64_t first = pop_size - size > 1 ? pop_size - size : 1;
            npgen_shuffle_int(g, (size_t)pop_size, (size_t)first, ad);
            memcpy(out, ad + (pop_size - size), sizeof(int64_t) * (size_t)size);
        }
        tensor_release(all);
    } else {
        ok = floyd(g, pop_size, size, shuffle, out);
    }
    if (!ok) {
        tensor_release(idx);
        return NULL;
    }
    return idx;
}

static Value *gen_choice(Value *self, const CallArgs *a)
{
    GEN("choice");
    ARGS(6);
    PARSE("choice", "a, size=, replace=, p=, axis=, shuffle=");
    bool replace, shuffle;
    int64_t axis;
    if (!arg_bool(v_[2], "choice", "replace", true, &replace) || !arg_int(v_[4], "choice", "axis", 0, &axis) ||
        !arg_bool(v_[5], "choice", "shuffle", true, &shuffle))
        return NULL;
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    bool scalar;
    int64_t size;
    if (!np_arg_size(v_[1], shape, &nd, &scalar, &size)) return NULL;
    Value *av = val_unwrap(v_[0]);
    Tensor *pop = NULL;
    int64_t pop_size;
    bool pop_is_int = av->kind == VK_INT || av->kind == VK_BOOL ||
                      (av->kind == VK_TENSOR && av->tensor->ndim == 0 && !dtype_is_float(av->tensor->dtype));
    if (pop_is_int) {
        if (!np_arg_dim(av, &pop_size)) return NULL;
        if (pop_size <= 0 && size != 0) {
            tsr_raise(ERR_ValueError, "%s", "a must be a positive integer unless no samples are taken");
            return NULL;
        }
    } else {
        pop = np_tensor_of(av);
        if (!pop) return NULL;
        if (pop->ndim == 0) {
            tensor_release(pop);
            tsr_raise(ERR_ValueError, "a must be a sequence or an integer, not <class '%s'>", val_type_name(av));
            return NULL;
        }
        if (!normalize_axis(&axis, pop->ndim)) {
            tensor_release(pop);
            return NULL;
        }
        pop_size = pop->shape[axis];
        if (pop_size == 0 && size != 0) {
            tensor_release(pop);
            tsr_raise(ERR_ValueError, "%s", "a cannot be empty unless no samples are taken");
            return NULL;
        }
    }
    Tensor *pt = NULL;
    if (v_[3] && !is_none(v_[3]) && !(pt = choice_p(v_[3], pop_size))) {
        tensor_release(pop);
        return NULL;
    }
    Tensor *idx = choice_indices(g, pop_size, shape, scalar ? 0 : nd, size, replace, pt, shuffle);
    tensor_release(pt);
    if (!idx) {
        tensor_release(pop);
        return NULL;
    }
    if (!pop) {
        if (scalar) {
            Value *r = val_int(*(int64_t *)tensor_data(idx));
            tensor_release(idx);
            return r;
        }
        return ndarray_from_tensor_steal(idx);
    }
    /* a.take(idx, axis): a's shape with idx's in place of axis */
    int64_t flat = tensor_numel(idx);
    Tensor *idx1 = op_reshape(idx, 1, &flat);
    Tensor *sel = idx1 ? op_index_select(pop, axis, idx1) : NULL;
    Tensor *res = NULL;
    if (sel) {
        int64_t rs[2 * TSR_MAX_DIMS];
        int rn = 0;
        for (int i = 0; i < axis; i++) rs[rn++] = pop->shape[i];
        for (int i = 0; i < idx->ndim; i++) rs[rn++] = idx->shape[i];
        for (int i = (int)axis + 1; i < pop->ndim; i++) rs[rn++] = pop->shape[i];
        if (rn > TSR_MAX_DIMS) {
            tsr_raise(ERR_ValueError, "maximum supported dimension for an ndarray is %d, found %d", TSR_MAX_DIMS, rn);
        } else {
            Tensor *shaped = op_reshape(sel, rn, rs);
            res = shaped ? tensor_contiguous(shaped) : NULL;
            tensor_release(shaped);
        }
    }
    tensor_release(sel);
    tensor_release(idx1);
    tensor_release(idx);
    tensor_release(pop);
    if (!res) return NULL;
    return scalar ? numpy_result_steal(res) : ndarray_from_tensor_steal(res);
}

/* ------------------------------------------------------------ the class */

static Value *gen_str(Value *self, const CallArgs *a)
{
    GEN("__str__");
    (void)g;
    return val_cstr("Generator(PCG64)");
}

/* Generator(PCG64) at 0x7F...: numpy formats id(self) in capitals */
static Value *gen_repr(Value *self, const CallArgs *a)
{
    GEN("__repr__");
    (void)g;
    char buf[64];
    snprintf(buf, sizeof buf, "Generator(PCG64) at 0x%llX", (unsigned long long)(uintptr_t)val_unwrap(self));
    return val_cstr(buf);
}

static Value *gen_init(Value *self, const CallArgs *a)
{
    tsr_raise(ERR_NotImplementedError, "%s",
              "tsr: Generator(bit_generator) is not supported; use np.random.default_rng(seed)");
    return NULL;
}

static const Builtin np_generator_methods[] = {
    {"random", gen_random},
    {"standard_normal", gen_standard_normal},
    {"standard_exponential", gen_standard_exponential},
#define X(name) {#name, gen_##name},
    GEN_DISTS(X)
#undef X
    {"integers", gen_integers},
    {"choice", gen_choice},
    {"shuffle", gen_shuffle},
    {"permutation", gen_permutation},
    {"__init__", gen_init},
    {"__str__", gen_str},
    {"__repr__", gen_repr},
    {NULL, NULL},
};

static const Builtin generator_functions[] = {
    {"default_rng", np_default_rng},
    {NULL, NULL},
};

bool numpy_generator_open(Value *module)
{
    Value *cls = class_new_builtin("Generator", "numpy.random._generator", class_object, np_generator_methods);
    bool ok = cls && module_install(module, generator_functions) && dict_set(module->module.members, "Generator", cls);
    generator_class = cls;
    val_release(cls);
    return ok;
}
