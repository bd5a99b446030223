/* stdlib_random_seq.c: random.choice, choices, shuffle and sample over
 * Python sequences, drawing as CPython 3.11's random.py does. */
#include <math.h>
#include <stdlib.h>

#include "builtins.h"
#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"
#include "stdlib_random.h"

/* A population read as Python reads it: len(p) and p[i]. Lists and
 * tuples are read directly, ranges computed, str materialized into its
 * characters; anything else goes through len() and p[i]. */
typedef struct {
    Value *obj;
    Value *chars; /* str: a LIST of its characters */
    int64_t n;
} Pop;

static bool pop_open(Pop *p, Value *obj) {
    *p = (Pop){obj, NULL, 0};
    switch (obj->kind) {
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: p->n = obj->seq.len; return true;
    case VK_RANGE: p->n = range_len(obj); return true;
    case VK_STR:
        if (!(p->chars = iterate_to_list(obj))) return false;
        p->n = p->chars->seq.len;
        return true;
    default: break;
    }
    Value *len = dict_get(tsr_interp->builtins->dict, "len");
    Value *args[1] = {obj};
    CallArgs ca = {args, 1, NULL, NULL, 0};
    Value *r = len ? call_value(len, &ca) : NULL;
    bool ok = r && val_as_int(r, &p->n);
    val_release(r);
    return ok;
}

static void pop_close(Pop *p) { val_release(p->chars); }

/* p[i], a new reference */
static Value *pop_item(Pop *p, int64_t i) {
    Value *seq = p->chars ? p->chars : p->obj;
    if (val_is_seq(seq) && i >= 0 && i < seq->seq.len) return val_retain(seq->seq.items[i]);
    if (seq->kind == VK_RANGE && i >= 0 && i < p->n) return val_int(seq->range.start + i * seq->range.step);
    Value *iv = val_int(i);
    Value *r = iv ? get_item(seq, iv) : NULL;
    val_release(iv);
    return r;
}

static Value *r_choice(Value *self, const CallArgs *a) {
    ARGS(1);
    RANDOM_PARSE("Random.choice", "seq");
    Pop p;
    if (!pop_open(&p, v_[0])) return NULL;
    Value *r = NULL;
    if (p.n <= 0) tsr_raise(ERR_IndexError, "%s", "Cannot choose from an empty sequence");
    else r = pop_item(&p, (int64_t)pyrandom_below((uint64_t)p.n));
    pop_close(&p);
    return r;
}

/* list(itertools.accumulate(v)) with Python's + */
static Value *accumulate(Value *v) {
    Value *items = iterate_to_list(v);
    if (!items) return NULL;
    for (int64_t i = 1; i < items->seq.len; i++) {
        Value *sum = binary_op(B_ADD, items->seq.items[i - 1], items->seq.items[i]);
        if (!sum) {
            val_release(items);
            return NULL;
        }
        val_release(items->seq.items[i]);
        items->seq.items[i] = sum;
    }
    return items;
}

/* bisect.bisect_right(list, x, 0, hi) with Python's <; -1 on error */
static int64_t bisect_right(Value *list, Value *x, int64_t hi) {
    int64_t lo = 0;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        Value *lt = compare_op(C_LT, x, list->seq.items[mid]);
        int t = lt ? val_truthy(lt) : -1;
        val_release(lt);
        if (t < 0) return -1;
        if (t) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* choices' cumulative weights, checked: a LIST of n items, and its total
 * as a float-or-tensor Value (cum_weights[-1] + 0.0) */
static Value *weights_total(Value *cum, int64_t n) {
    if (cum->seq.len != n) {
        tsr_raise(ERR_ValueError, "%s", "The number of weights does not match the population");
        return NULL;
    }
    if (!n) {
        tsr_raise(ERR_IndexError, "%s", "list index out of range");
        return NULL;
    }
    Value *zero = val_float(0.0);
    Value *total = zero ? binary_op(B_ADD, cum->seq.items[n - 1], zero) : NULL;
    Value *le = total ? compare_op(C_LE, total, zero) : NULL;
    val_release(zero);
    int t = le ? val_truthy(le) : -1;
    val_release(le);
    double d;
    if (t == 1) tsr_raise(ERR_ValueError, "%s", "Total of weights must be greater than zero");
    else if (t == 0 && val_as_double(total, &d) && !isfinite(d))
        tsr_raise(ERR_ValueError, "%s", "Total of weights must be finite");
    if (tsr_err_occurred()) {
        val_release(total);
        return NULL;
    }
    return total;
}

/* choices() with cumulative weights: population[bisect(cum, random() * total, 0, n - 1)] */
static bool choices_weighted(Pop *p, Value *cum, int64_t k, Value *out) {
    Value *total = weights_total(cum, p->n);
    if (!total) return false;
    bool ok = true;
    for (int64_t i = 0; ok && i < k; i++) {
        Value *r = val_float(pyrandom_double());
        Value *x = r ? binary_op(B_MUL, r, total) : NULL;
        int64_t at = x ? bisect_right(cum, x, p->n - 1) : -1;
        ok = at >= 0 && val_list_append_steal(out, pop_item(p, at));
        val_release(r);
        val_release(x);
    }
    val_release(total);
    return ok;
}

static Value *r_choices(Value *self, const CallArgs *a) {
    ARGS(4);
    RANDOM_PARSE("Random.choices", "population, weights=, *, cum_weights=, k=");
    Value *weights = v_[1], *cum = v_[2];
    int64_t k = 1;
    if (v_[3] && !val_as_int(v_[3], &k)) return NULL;
    Pop p;
    if (!pop_open(&p, v_[0])) return NULL;
    Value *out = val_list_new(k > 0 && k < 4096 ? k : 0);
    bool ok = out != NULL;
    if (ok && is_none(cum) && is_none(weights)) {
        double n = (double)p.n;
        for (int64_t i = 0; ok && i < k; i++)
            ok = val_list_append_steal(out, pop_item(&p, (int64_t)floor(pyrandom_double() * n)));
    } else if (ok && !is_none(cum) && !is_none(weights)) {
        tsr_raise(ERR_TypeError, "%s", "Cannot specify both weights and cumulative weights");
        ok = false;
    } else if (ok && weights && (weights->kind == VK_INT || weights->kind == VK_BOOL)) {
        tsr_raise(ERR_TypeError, "The number of choices must be a keyword argument: k=%lld",
                  (long long)(weights->kind == VK_INT ? weights->i : weights->b));
        ok = false;
    } else if (ok) {
        Value *list = is_none(cum) ? accumulate(weights) : iterate_to_list(cum);
        ok = list && choices_weighted(&p, list, k, out);
        val_release(list);
    }
    pop_close(&p);
    if (!ok) {
        val_release(out);
        return NULL;
    }
    return out;
}

static Value *r_shuffle(Value *self, const CallArgs *a) {
    ARGS(1);
    RANDOM_PARSE("Random.shuffle", "x");
    Value *x = v_[0];
    Pop p;
    if (!pop_open(&p, x)) return NULL;
    pop_close(&p);
    for (int64_t i = p.n - 1; i > 0; i--) {
        int64_t j = (int64_t)pyrandom_below((uint64_t)i + 1);
        if (x->kind == VK_LIST && i < x->seq.len) {
            Value *t = x->seq.items[i];
            x->seq.items[i] = x->seq.items[j];
            x->seq.items[j] = t;
            continue;
        }
        /* x[i], x[j] = x[j], x[i], in Python's order (tensors' rows are
         * views, so a tensor comes out as Python leaves it) */
        Value *iv = val_int(i), *jv = val_int(j);
        Value *xj = iv && jv ? get_item(x, jv) : NULL;
        Value *xi = xj ? get_item(x, iv) : NULL;
        bool ok = xi && set_item(x, iv, xj) && set_item(x, jv, xi);
        val_release(iv), val_release(jv), val_release(xi), val_release(xj);
        if (!ok) return NULL;
    }
    return val_none();
}

/* ---- sample */

/* A set of indices >= 0, open addressing (-1 empty) */
typedef struct {
    int64_t *slot;
    uint64_t mask;
} IndexSet;

static bool iset_init(IndexSet *s, int64_t k) {
    uint64_t cap = 8;
    while (cap < (uint64_t)k * 2) cap *= 2;
    s->mask = cap - 1;
    s->slot = tsr_malloc(sizeof *s->slot * cap);
    if (!s->slot) return false;
    for (uint64_t i = 0; i < cap; i++) s->slot[i] = -1;
    return true;
}

/* true when j was not in the set (and is now) */
static bool iset_add(IndexSet *s, int64_t j) {
    uint64_t h = ((uint64_t)j * 0x9e3779b97f4a7c15ull) >> 17;
    for (;; h++) {
        int64_t *at = &s->slot[h & s->mask];
        if (*at == j) return false;
        if (*at < 0) {
            *at = j;
            return true;
        }
    }
}

/* The k indices CPython's sample draws from range(n) into a new array:
 * the pool algorithm for small n, else the set of picks. */
static int64_t *sample_indices(int64_t n, int64_t k) {
    if (k < 0 || k > n) {
        tsr_raise(ERR_ValueError, "%s", "Sample larger than population or is negative");
        return NULL;
    }
    int64_t *out = tsr_malloc(sizeof *out * (k ? k : 1));
    if (!out) return NULL;
    double setsize = 21;
    if (k > 5) setsize += pow(4, ceil(log((double)(k * 3)) / log(4.0)));
    if ((double)n <= setsize) {
        int64_t *pool = tsr_malloc(sizeof *pool * (n ? n : 1));
        if (!pool) {
            free(out);
            return NULL;
        }
        for (int64_t i = 0; i < n; i++) pool[i] = i;
        for (int64_t i = 0; i < k; i++) {
            int64_t j = (int64_t)pyrandom_below((uint64_t)(n - i));
            out[i] = pool[j];
            pool[j] = pool[n - i - 1];
        }
        free(pool);
        return out;
    }
    IndexSet s;
    if (!iset_init(&s, k)) {
        free(out);
        return NULL;
    }
    for (int64_t i = 0; i < k; i++) {
        int64_t j = (int64_t)pyrandom_below((uint64_t)n);
        while (!iset_add(&s, j)) j = (int64_t)pyrandom_below((uint64_t)n);
        out[i] = j;
    }
    free(s.slot);
    return out;
}

/* sample(..., counts=): the picks of range(total) mapped back by bisect
 * over the cumulative counts */
static bool sample_counts(Pop *p, Value *counts, int64_t k, Value *out) {
    Value *cum = accumulate(counts);
    if (!cum) return false;
    bool ok = false;
    int64_t *idx = NULL;
    if (cum->seq.len != p->n) {
        tsr_raise(ERR_ValueError, "%s", "The number of counts does not match the population");
        goto done;
    }
    if (!p->n) {
        tsr_raise(ERR_IndexError, "%s", "pop from empty list");
        goto done;
    }
    Value *total = cum->seq.items[p->n - 1];
    if (total->kind != VK_INT && total->kind != VK_BOOL) {
        tsr_raise(ERR_TypeError, "%s", "Counts must be integers");
        goto done;
    }
    int64_t t = total->kind == VK_INT ? total->i : total->b;
    if (t <= 0) {
        tsr_raise(ERR_ValueError, "%s", "Total of counts must be greater than zero");
        goto done;
    }
    if (!(idx = sample_indices(t, k))) goto done;
    ok = true;
    for (int64_t i = 0; ok && i < k; i++) {
        Value *s = val_int(idx[i]);
        int64_t at = s ? bisect_right(cum, s, p->n - 1) : -1;
        ok = at >= 0 && val_list_append_steal(out, pop_item(p, at));
        val_release(s);
    }
done:
    free(idx);
    val_release(cum);
    return ok;
}

static bool is_sequence(Value *v) {
    switch (v->kind) {
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: case VK_STR: case VK_RANGE: return true;
    default: return false;
    }
}

static Value *r_sample(Value *self, const CallArgs *a) {
    ARGS(3);
    RANDOM_PARSE("Random.sample", "population, k, *, counts=");
    if (!is_sequence(v_[0])) {
        tsr_raise(ERR_TypeError, "%s", "Population must be a sequence.  For dicts or sets, use sorted(d).");
        return NULL;
    }
    int64_t k;
    Pop p;
    if (!val_as_int(v_[1], &k) || !pop_open(&p, v_[0])) return NULL;
    Value *out = val_list_new(k > 0 && k <= p.n ? k : 0);
    bool ok = out != NULL;
    if (ok && !is_none(v_[2])) {
        ok = sample_counts(&p, v_[2], k, out);
    } else if (ok) {
        int64_t *idx = sample_indices(p.n, k);
        ok = idx != NULL;
        for (int64_t i = 0; ok && i < k; i++) ok = val_list_append_steal(out, pop_item(&p, idx[i]));
        free(idx);
    }
    pop_close(&p);
    if (!ok) {
        val_release(out);
        return NULL;
    }
    return out;
}

const Builtin random_seq_functions[] = {
    {"choice", r_choice},
    {"choices", r_choices},
    {"shuffle", r_shuffle},
    {"sample", r_sample},
    {NULL, NULL},
};
