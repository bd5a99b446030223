/* stdlib_random.c: Python's `random` module: its generator and seeding,
 * getstate/setstate, random(), getrandbits(), randrange() and randint(),
 * bit for bit as CPython 3.11 (Lib/random.py over
 * Modules/_randommodule.c). The engine is tensor/'s mt19937, seeded here
 * by CPython's init_by_array. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "builtins.h"
#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"
#include "sha512.h"
#include "stdlib_random.h"

/* the module's generator, and the one the functions draw from now (a
 * random.Random instance's while its method runs) */
static PyRandom gen, *cur = &gen;

PyRandom *pyrandom(void) { return cur; }

PyRandom *pyrandom_switch(PyRandom *g) {
    PyRandom *prev = cur;
    cur = g;
    return prev;
}

double pyrandom_double(void) {
    uint32_t a = rng_random(&cur->mt) >> 5, b = rng_random(&cur->mt) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

bool pyrandom_args(const CallArgs *a, const char *fname, const char *spec, int n, Value **out) {
    char full[128];
    snprintf(full, sizeof full, "self, %s", spec);
    CallArgs tmp;
    Value *buf[ARGS_MAX], *parsed[ARGS_MAX] = {0};
    Value *self = val_none();
    const CallArgs *w = args_with_self(self, a, &tmp, buf);
    bool ok = w && args_parse(w, 0, fname, full, parsed);
    for (int i = 0; ok && i < n; i++) out[i] = parsed[i + 1];
    val_release(self);
    return ok;
}

/* getrandbits(k) for 0 < k <= 64: CPython fills 32-bit words from the
 * least significant up, the last one shifted down to its k bits. */
static uint64_t getrandbits64(int k) {
    if (k <= 32) return rng_random(&cur->mt) >> (32 - k);
    uint64_t lo = rng_random(&cur->mt);
    uint64_t hi = rng_random(&cur->mt) >> (64 - k);
    return lo | hi << 32;
}

/* _randbelow(2**64), which randint(-2**63, 2**63 - 1) asks: 65 bits,
 * the last word's top bit the 65th, drawn until it is 0 */
static uint64_t below_2_64(void) {
    for (;;) {
        uint64_t lo = rng_random(&cur->mt);
        uint64_t hi = rng_random(&cur->mt);
        if (!(rng_random(&cur->mt) >> 31)) return lo | hi << 32;
    }
}

uint64_t pyrandom_below(uint64_t n) {
    int k = 64 - __builtin_clzll(n);
    uint64_t r = getrandbits64(k);
    while (r >= n) r = getrandbits64(k);
    return r;
}

/* ---------------------------------------------------------- seeding --- */

static void seed_words(uint64_t n) {
    uint32_t key[2] = {(uint32_t)n, (uint32_t)(n >> 32)};
    rng_seed_by_array(&cur->mt, key, n >> 32 ? 2 : 1);
}

/* random_seed_urandom, or time and pid when /dev/urandom fails */
void pyrandom_seed_os(void) {
    uint32_t key[RNG_STATE_N];
    if (rng_urandom(key, sizeof key)) {
        rng_seed_by_array(&cur->mt, key, RNG_STATE_N);
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint32_t k[4] = {(uint32_t)ts.tv_sec, (uint32_t)((uint64_t)ts.tv_sec >> 32), (uint32_t)ts.tv_nsec,
                     (uint32_t)getpid()};
    rng_seed_by_array(&cur->mt, k, 4);
}

/* seed(text, version=2): the int of the UTF-8 bytes then their SHA-512
 * digest, big-endian, in 32-bit words from the least significant */
static bool seed_text_v2(const char *text, int64_t n) {
    size_t len = (size_t)n + SHA512_DIGEST_BYTES, nwords = (len + 3) / 4;
    uint8_t *bytes = tsr_malloc(len);
    uint32_t *key = bytes ? tsr_malloc(sizeof *key * nwords) : NULL;
    if (!key) {
        free(bytes);
        return false;
    }
    memcpy(bytes, text, (size_t)n);
    sha512(text, (size_t)n, bytes + n);
    for (size_t i = 0; i < nwords; i++) {
        key[i] = 0;
        for (size_t j = 0; j < 4 && 4 * i + j < len; j++) key[i] |= (uint32_t)bytes[len - 1 - (4 * i + j)] << (8 * j);
    }
    while (nwords > 1 && !key[nwords - 1]) nwords--;
    rng_seed_by_array(&cur->mt, key, nwords);
    free(key);
    free(bytes);
    return true;
}

/* seed(text, version=1): CPython 2's string hash of the code points */
static void seed_text_v1(const char *s, int64_t n) {
    uint64_t x = 0, count = 0;
    for (int64_t i = 0; i < n; count++) {
        unsigned char c = (unsigned char)s[i];
        int k = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        uint32_t cp = k == 1 ? c : c & (0x7f >> k);
        for (int j = 1; j < k && i + j < n; j++) cp = cp << 6 | ((unsigned char)s[i + j] & 0x3f);
        i += k;
        if (!count) x = (uint64_t)cp << 7;
        x = (1000003 * x) ^ cp;
    }
    seed_words(x ^ count);
}

static uint64_t abs_u64(int64_t i) { return i < 0 ? -(uint64_t)i : (uint64_t)i; }

static Value *r_seed(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.seed", "a=, version=");
    Value *v = v_[0];
    int64_t h, version = 2;
    if (v_[1] && (v_[1]->kind == VK_INT || v_[1]->kind == VK_BOOL))
        version = v_[1]->kind == VK_INT ? v_[1]->i : v_[1]->b;
    if (is_none(v)) pyrandom_seed_os();
    else if (v->kind == VK_INT) seed_words(abs_u64(v->i));
    else if (v->kind == VK_BOOL) seed_words(v->b);
    else if (v->kind == VK_FLOAT) {
        if (!val_hash(v, &h)) return NULL;
        seed_words((uint64_t)h); /* PyLong_FromSize_t(hash): no abs */
    } else if (v->kind == VK_STR) {
        if (version == 2) {
            if (!seed_text_v2(v->str.s, v->str.len)) return NULL;
        } else if (version == 1) {
            seed_text_v1(v->str.s, v->str.len);
        } else {
            pyrandom_seed_os(); /* CPython seeds from hash(str), randomized per process */
        }
    } else if ((v->kind == VK_BYTES || v->kind == VK_BYTEARRAY) && version == 2) {
        if (!seed_text_v2((const char *)v->bytes.s, v->bytes.len)) return NULL; /* the bytes themselves */
    } else if (v->kind == VK_BYTES && version == 1) { /* the bytes decoded as latin-1 */
        char *u = tsr_malloc((unsigned long long)v->bytes.len * 2 + 1);
        if (!u) return NULL;
        int64_t w = 0;
        for (int64_t i = 0; i < v->bytes.len; i++) {
            unsigned char c = v->bytes.s[i];
            if (c < 0x80) u[w++] = (char)c;
            else {
                u[w++] = (char)(0xc0 | c >> 6);
                u[w++] = (char)(0x80 | (c & 0x3f));
            }
        }
        seed_text_v1(u, w);
        free(u);
    } else if (v->kind == VK_BYTES || v->kind == VK_BYTEARRAY) {
        if (!val_hash(v, &h)) return NULL; /* CPython's C seed hashes it */
        pyrandom_seed_os();
    } else {
        tsr_raise(ERR_TypeError, "%s",
                  "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
        return NULL;
    }
    cur->has_gauss = false;
    return val_none();
}

/* ------------------------------------------------------------ state --- */

static Value *r_getstate(Value *self, const CallArgs *a) {
    if (a->nargs || a->nkw) {
        tsr_raise(ERR_TypeError, "Random.getstate() takes 1 positional argument but %d were given",
                  a->nargs + a->nkw + 1);
        return NULL;
    }
    Value *words = val_tuple_new(RNG_STATE_N + 1);
    Value *st = val_tuple_new(3);
    if (!words || !st) goto fail;
    for (int i = 0; i < RNG_STATE_N; i++)
        if (!(words->seq.items[i] = val_int(cur->mt.state[i]))) goto fail;
    if (!(words->seq.items[RNG_STATE_N] = val_int(rng_mt_index(&cur->mt)))) goto fail;
    st->seq.items[0] = val_int(3);
    st->seq.items[1] = words;
    st->seq.items[2] = cur->has_gauss ? val_float(cur->gauss_next) : val_none();
    if (!st->seq.items[0] || !st->seq.items[2]) {
        val_release(st);
        return NULL;
    }
    return st;
fail:
    val_release(words);
    val_release(st);
    return NULL;
}

/* One word of the state vector (PyLong_AsUnsignedLong, then uint32);
 * version 2 states take each word mod 2**32. */
static bool state_word(Value *v, bool mod, uint32_t *out) {
    if (v->kind != VK_INT && v->kind != VK_BOOL) {
        tsr_raise(ERR_TypeError, "%s", "an integer is required");
        return false;
    }
    int64_t i = v->kind == VK_INT ? v->i : v->b;
    if (i < 0 && !mod) {
        tsr_raise(ERR_OverflowError, "%s", "can't convert negative value to unsigned int");
        return false;
    }
    *out = (uint32_t)(uint64_t)i;
    return true;
}

static Value *r_setstate(Value *self, const CallArgs *a) {
    ARGS(1);
    RANDOM_PARSE("Random.setstate", "state");
    Value *s = v_[0];
    if (s->kind != VK_TUPLE && s->kind != VK_LIST) {
        tsr_raise(ERR_TypeError, "'%s' object is not subscriptable", val_type_name(s));
        return NULL;
    }
    if (s->seq.len == 0) {
        tsr_raise(ERR_IndexError, "%s index out of range", val_type_name(s));
        return NULL;
    }
    Value *version = s->seq.items[0];
    bool v3 = version->kind == VK_INT && version->i == 3, v2 = version->kind == VK_INT && version->i == 2;
    if (!v3 && !v2) {
        Value *vs = val_str_of(version);
        if (vs)
            tsr_raise(ERR_ValueError, "state with version %s passed to Random.setstate() of version 3",
                      vs->str.s);
        val_release(vs);
        return NULL;
    }
    if (s->seq.len != 3) {
        if (s->seq.len > 3) tsr_raise(ERR_ValueError, "%s", "too many values to unpack (expected 3)");
        else tsr_raise(ERR_ValueError, "not enough values to unpack (expected 3, got %lld)", (long long)s->seq.len);
        return NULL;
    }
    Value *inner = s->seq.items[1], *gauss = s->seq.items[2];
    double g = 0;
    if (!is_none(gauss) && !val_as_double(gauss, &g)) return NULL;
    if (inner->kind != VK_TUPLE) {
        tsr_raise(ERR_TypeError, "%s", "state vector must be a tuple");
        return NULL;
    }
    if (inner->seq.len != RNG_STATE_N + 1) {
        tsr_raise(ERR_ValueError, "%s", "state vector is the wrong size");
        return NULL;
    }
    uint32_t words[RNG_STATE_N];
    for (int i = 0; i < RNG_STATE_N; i++)
        if (!state_word(inner->seq.items[i], v2, &words[i])) return NULL;
    int64_t index;
    if (!val_as_int(inner->seq.items[RNG_STATE_N], &index)) return NULL;
    if (v2) index = (int64_t)(uint32_t)index;
    if (index < 0 || index > RNG_STATE_N) {
        tsr_raise(ERR_ValueError, "%s", "invalid state");
        return NULL;
    }
    rng_mt_set(&cur->mt, words, (int)index);
    cur->has_gauss = !is_none(gauss);
    cur->gauss_next = g;
    return val_none();
}

/* ---------------------------------------------------------- integers --- */

static Value *r_random(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "Random.random() takes no keyword arguments");
        return NULL;
    }
    if (a->nargs) {
        tsr_raise(ERR_TypeError, "Random.random() takes no arguments (%d given)", a->nargs);
        return NULL;
    }
    return val_float(pyrandom_double());
}

static Value *r_getrandbits(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "Random.getrandbits() takes no keyword arguments");
        return NULL;
    }
    if (a->nargs != 1) {
        tsr_raise(ERR_TypeError, "Random.getrandbits() takes exactly one argument (%d given)", a->nargs);
        return NULL;
    }
    Value *v = a->args[0];
    if (v->kind != VK_INT && v->kind != VK_BOOL) {
        tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer", val_type_name(v));
        return NULL;
    }
    int64_t k = v->kind == VK_INT ? v->i : v->b;
    if (k < 0) {
        tsr_raise(ERR_ValueError, "%s", "number of bits must be non-negative");
        return NULL;
    }
    if (k > 63) {
        tsr_raise(ERR_OverflowError, "getrandbits(%lld): tsr's ints are 64-bit, so k must be at most 63",
                  (long long)k);
        return NULL;
    }
    return val_int(k ? (int64_t)getrandbits64((int)k) : 0);
}

static void i128_str(__int128 v, char *buf) {
    char tmp[48];
    int n = 0;
    unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
    do tmp[n++] = (char)('0' + (int)(u % 10)), u /= 10;
    while (u);
    if (v < 0) *buf++ = '-';
    while (n) *buf++ = tmp[--n];
    *buf = 0;
}

/* randrange's arguments: an int (operator.index), or what int() makes of
 * one that equals it (3.11 still takes 2.0, with a DeprecationWarning
 * tsr does not print). */
static bool range_arg(Value *v, const char *what, int64_t *out) {
    if (v->kind == VK_INT || v->kind == VK_BOOL) {
        *out = v->kind == VK_INT ? v->i : v->b;
        return true;
    }
    Value *args[1] = {v};
    CallArgs ca = {args, 1, NULL, NULL, 0};
    Value *iv = type_call(T_INT, &ca);
    if (!iv) return false;
    Value *ne = compare_op(C_NE, iv, v);
    int t = ne ? val_truthy(ne) : -1;
    val_release(ne);
    bool ok = t == 0 && val_as_int(iv, out);
    val_release(iv);
    if (t == 1) tsr_raise(ERR_ValueError, "non-integer %s for randrange()", what);
    return ok;
}

static __int128 floordiv128(__int128 a, __int128 b) {
    __int128 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* 0 < n <= 2**64 */
static uint64_t below128(__int128 n) {
    return n >> 64 ? below_2_64() : pyrandom_below((uint64_t)n);
}

/* randrange(istart, istop, step) once start and stop are ints; step NULL
 * is 1. CPython computes in big ints; int128 holds every width of two
 * int64 ends, and n fits 64 bits. */
static Value *randrange_ints(int64_t istart, __int128 istop, Value *step) {
    __int128 width = istop - istart;
    int64_t istep = 1;
    if (step && !range_arg(step, "step", &istep)) return NULL;
    if (istep == 1) {
        if (width > 0) return val_int((int64_t)(istart + (__int128)below128(width)));
        char s[48], e[48], w[48];
        i128_str(istart, s), i128_str(istop, e), i128_str(width, w);
        tsr_raise(ERR_ValueError, "empty range for randrange() (%s, %s, %s)", s, e, w);
        return NULL;
    }
    if (istep == 0) {
        tsr_raise(ERR_ValueError, "%s", "zero step for randrange()");
        return NULL;
    }
    __int128 n = istep > 0 ? floordiv128(width + istep - 1, istep) : floordiv128(width + istep + 1, istep);
    if (n <= 0) {
        tsr_raise(ERR_ValueError, "%s", "empty range for randrange()");
        return NULL;
    }
    return val_int((int64_t)(istart + istep * (__int128)below128(n)));
}

static Value *r_randrange(Value *self, const CallArgs *a) {
    ARGS(3);
    RANDOM_PARSE("Random.randrange", "start, stop=, step=");
    int64_t istart, istop;
    if (!range_arg(v_[0], "arg 1", &istart)) return NULL;
    if (is_none(v_[1])) {
        if (v_[2] && !(v_[2]->kind == VK_INT && v_[2]->i == 1)) {
            tsr_raise(ERR_TypeError, "%s", "Missing a non-None stop argument");
            return NULL;
        }
        if (istart > 0) return val_int((int64_t)pyrandom_below((uint64_t)istart));
        tsr_raise(ERR_ValueError, "%s", "empty range for randrange()");
        return NULL;
    }
    if (!range_arg(v_[1], "stop", &istop)) return NULL;
    return randrange_ints(istart, istop, v_[2]);
}

/* randint(a, b) is randrange(a, b + 1) */
static Value *r_randint(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.randint", "a, b");
    Value *b = v_[1];
    int64_t istart, istop;
    if (b->kind == VK_INT || b->kind == VK_BOOL) {
        if (!range_arg(v_[0], "arg 1", &istart)) return NULL;
        return randrange_ints(istart, (__int128)(b->kind == VK_INT ? b->i : b->b) + 1, NULL);
    }
    Value *one = val_int(1);
    Value *stop = one ? binary_op(B_ADD, b, one) : NULL;
    val_release(one);
    if (!stop) return NULL;
    bool ok = range_arg(v_[0], "arg 1", &istart) && range_arg(stop, "stop", &istop);
    val_release(stop);
    return ok ? randrange_ints(istart, istop, NULL) : NULL;
}

const Builtin random_core_functions[] = {
    {"seed", r_seed},
    {"getstate", r_getstate},
    {"setstate", r_setstate},
    {"random", r_random},
    {"getrandbits", r_getrandbits},
    {"randrange", r_randrange},
    {"randint", r_randint},
    {NULL, NULL},
};

/* Python seeds the module's generator from the OS at import */
bool stdlib_random_open(Value *module) {
    cur = &gen;
    pyrandom_seed_os();
    cur->has_gauss = false;
    return random_class_install(module);
}
