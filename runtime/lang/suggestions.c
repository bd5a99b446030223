/* suggestions.c: CPython 3.11's "Did you mean" for NameError and
 * AttributeError (Python/suggestions.c: the Levenshtein distance with
 * its costs and cutoffs, and the names each error looks among), which
 * its default error printer appends to the last line of the report:
 *   NameError: name 'prnt' is not defined. Did you mean: 'print'?
 * The hint belongs to the error just raised (hint_serial); it is not
 * part of str(e). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "class.h"
#include "interp_internal.h"

#define MAX_CANDIDATE_ITEMS 750
#define MAX_STRING_SIZE 40
#define MOVE_COST 2
#define CASE_COST 1
#define LEAST_FIVE_BITS(n) ((n) & 31)

static int substitution_cost(char a, char b) {
    if (LEAST_FIVE_BITS(a) != LEAST_FIVE_BITS(b)) return MOVE_COST; /* not the same, not a case flip */
    if (a == b) return 0;
    if ('A' <= a && a <= 'Z') a += 'a' - 'A';
    if ('A' <= b && b <= 'Z') b += 'a' - 'A';
    return a == b ? CASE_COST : MOVE_COST;
}

/* The distance between a and b, or max_cost + 1 once it exceeds max_cost. */
static size_t levenshtein_distance(const char *a, size_t a_size, const char *b, size_t b_size, size_t max_cost) {
    size_t buffer[MAX_STRING_SIZE];
    if (a == b) return 0;
    /* trim away common affixes */
    while (a_size && b_size && a[0] == b[0]) {
        a++, a_size--;
        b++, b_size--;
    }
    while (a_size && b_size && a[a_size - 1] == b[b_size - 1]) a_size--, b_size--;
    if (a_size == 0 || b_size == 0) return (a_size + b_size) * MOVE_COST;
    if (a_size > MAX_STRING_SIZE || b_size > MAX_STRING_SIZE) return max_cost + 1;
    if (b_size < a_size) { /* prefer the shorter buffer */
        const char *t = a;
        a = b;
        b = t;
        size_t ts = a_size;
        a_size = b_size;
        b_size = ts;
    }
    if ((b_size - a_size) * MOVE_COST > max_cost) return max_cost + 1; /* a match is impossible */
    size_t tmp = MOVE_COST;
    for (size_t i = 0; i < a_size; i++) { /* cost from b[:0] to a[:i+1] */
        buffer[i] = tmp;
        tmp += MOVE_COST;
    }
    size_t result = 0;
    for (size_t bi = 0; bi < b_size; bi++) {
        char code = b[bi];
        size_t distance = result = bi * MOVE_COST;
        size_t minimum = SIZE_MAX;
        for (size_t i = 0; i < a_size; i++) {
            size_t substitute = distance + (size_t)substitution_cost(code, a[i]);
            distance = buffer[i];
            size_t insert_delete = (result < distance ? result : distance) + MOVE_COST;
            result = insert_delete < substitute ? insert_delete : substitute;
            buffer[i] = result;
            if (result < minimum) minimum = result;
        }
        if (minimum > max_cost) return max_cost + 1; /* everything in this row is too expensive */
    }
    return result;
}

/* calculate_suggestions: the first item closest to name, none in a list
 * of MAX_CANDIDATE_ITEMS or more. */
static const char *closest(const char *name, const char *const *items, int64_t n) {
    if (n >= MAX_CANDIDATE_ITEMS) return NULL;
    size_t name_size = strlen(name), best_distance = SIZE_MAX;
    const char *best = NULL;
    for (int64_t i = 0; i < n; i++) {
        const char *item = items[i];
        if (!strcmp(name, item)) continue;
        size_t item_size = strlen(item);
        /* no more than 1/3 of the involved characters should need changed */
        size_t max_distance = (name_size + item_size + 3) * MOVE_COST / 6;
        if (best_distance - 1 < max_distance) max_distance = best_distance - 1; /* don't take matches already beaten */
        size_t d = levenshtein_distance(name, name_size, item, item_size, max_distance);
        if (d > max_distance) continue;
        if (!best || d < best_distance) {
            best = item;
            best_distance = d;
        }
    }
    return best;
}

/* ------------------------------------------------------------ name lists */

void names_add(Names *l, const char *s) {
    if (l->failed) return;
    if (l->n == l->cap) {
        int64_t cap = l->cap ? l->cap * 2 : 64;
        const char **items = realloc(l->items, sizeof *items * (size_t)cap);
        if (!items) {
            l->failed = true;
            return;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = s;
}

void names_of_dict(Names *l, Dict *d) {
    int64_t it = 0;
    const char *k;
    Value *v;
    while (d && dict_next(d, &it, &k, &v)) names_add(l, k);
}

int cmp_names(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static void set_hint(struct Interp *in, const char *s) {
    free(in->hint);
    in->hint = s ? strdup(s) : NULL;
    in->hint_serial = tsr_err_serial();
}

const char *suggest_current(struct Interp *in) {
    return in->hint && in->hint_serial == tsr_err_serial() ? in->hint : NULL;
}

char *suggest_take(struct Interp *in) {
    char *h = suggest_current(in) ? in->hint : NULL;
    if (h) in->hint = NULL;
    return h;
}

void suggest_restore(struct Interp *in, char *hint) {
    free(in->hint);
    in->hint = hint;
    in->hint_serial = tsr_err_serial();
}

/* offer_suggestions_for_name_error: the frame's local names, else its
 * globals, else the builtins. The program's globals are, in Python, the
 * namespace the prelude filled with `from torch import *` (some 850
 * names, over the cutoff of 750): CPython suggests none of them, so
 * neither does tsr; a standard module's globals are looked at. */
void suggest_name_error(struct Interp *in, Frame *f, const char *name) {
    Names l = {0};
    const char *found = NULL;
    if (f->locals && !f->class_body) {
        names_of_dict(&l, f->locals->dict);
        found = closest(name, l.items, l.n);
    }
    if (!found && f->globals) {
        l.n = 0;
        names_of_dict(&l, f->globals);
        found = closest(name, l.items, l.n);
    }
    if (!found) {
        l.n = 0;
        names_of_dict(&l, in->builtins->dict);
        found = closest(name, l.items, l.n);
    }
    set_hint(in, found);
    free(l.items);
}

/* offer_suggestions_for_attribute_error over dir(obj): sorted, so the
 * first of equally close names is the alphabetical one. */
void suggest_attribute_error(struct Interp *in, Value *obj, const char *name) {
    Names l = {0};
    /* PyTorch's dir(torch) has some 1250 names, over the cutoff: CPython
     * suggests none for torch.NAME, so neither does tsr (whose torch has
     * fewer). Its sub-modules and Tensor's 721 names are under it. */
    if (obj == in->torch) return;
    if (obj->kind == VK_MODULE) {
        Dict *members = module_members(obj);
        if (!members) {
            tsr_err_clear();
            return;
        }
        names_of_dict(&l, members);
    } else if (obj->kind == VK_TENSOR) {
        for (const Builtin *const *t = in->hooks.tensor_method_tables; t && *t; t++)
            for (const Builtin *b = *t; b->name; b++)
                if (b->name[0]) names_add(&l, b->name);
        for (int i = 0; tensor_attr_names[i]; i++) names_add(&l, tensor_attr_names[i]);
    } else if (obj->kind == VK_INSTANCE || obj->kind == VK_CLASS) {
        if (obj->kind == VK_INSTANCE) names_of_dict(&l, obj->inst.dict->dict);
        MroWalk w;
        mro_begin(&w, obj->kind == VK_INSTANCE ? obj->inst.cls : obj);
        for (Value *c; (c = mro_step(&w));) names_of_dict(&l, c->cls->dict->dict);
    } else if (obj->kind == VK_NAMEDTUPLE) {
        for (int i = 0; i < obj->seq.nt->n; i++) names_add(&l, obj->seq.nt->fields[i]);
    }
    if (l.n) qsort(l.items, (size_t)l.n, sizeof *l.items, cmp_names);
    int64_t u = 0; /* dir() lists a name once */
    for (int64_t i = 0; i < l.n; i++)
        if (!u || strcmp(l.items[u - 1], l.items[i])) l.items[u++] = l.items[i];
    l.n = u;
    set_hint(in, closest(name, l.items, l.n));
    free(l.items);
}
