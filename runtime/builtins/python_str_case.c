/* python_str_case.c: Unicode character classes and case mapping, and the
 * str methods built on them (upper, lower, casefold, swapcase, capitalize,
 * title, isalpha ... isupper), as CPython 3.11 (Unicode 14) computes them
 * for the ranges python_str.h lists. Code points outside those ranges are
 * uncased and count as neither letters nor digits. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pyfmt.h"
#include "python_str.h"

typedef struct { uint32_t lo, hi; } Range;

static bool in_ranges(uint32_t c, const Range *r, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (c >= r[i].lo && c <= r[i].hi) return true;
    return false;
}
#define IN(c, table) in_ranges(c, table, sizeof table / sizeof table[0])

/* Simple case pairs: each code point of [lo, hi] that is lo plus a
 * multiple of step is lowercase and maps to its uppercase by +delta.
 * oneway: a second lowercase form (final sigma, dotless i, long s, micro
 * sign), which the uppercase letter does not map back to. */
typedef struct { uint32_t lo, hi; uint8_t step; bool oneway; int32_t delta; } CasePairs;

static const CasePairs case_pairs[] = {
    {0x61, 0x7A, 1, false, -32},   {0xB5, 0xB5, 1, true, 0x39C - 0xB5},
    {0xE0, 0xF6, 1, false, -32},   {0xF8, 0xFE, 1, false, -32},
    {0xFF, 0xFF, 1, false, 0x178 - 0xFF},
    {0x101, 0x12F, 2, false, -1},  {0x131, 0x131, 1, true, 0x49 - 0x131},
    {0x133, 0x137, 2, false, -1},  {0x13A, 0x148, 2, false, -1},
    {0x14B, 0x177, 2, false, -1},  {0x17A, 0x17E, 2, false, -1},
    {0x17F, 0x17F, 1, true, 0x53 - 0x17F},
    {0x3AC, 0x3AC, 1, false, -38}, {0x3AD, 0x3AF, 1, false, -37},
    {0x3B1, 0x3C1, 1, false, -32}, {0x3C2, 0x3C2, 1, true, -31},
    {0x3C3, 0x3CB, 1, false, -32}, {0x3CC, 0x3CC, 1, false, -64},
    {0x3CD, 0x3CE, 1, false, -63},
    {0x430, 0x44F, 1, false, -32}, {0x450, 0x45F, 1, false, -80},
    {0x461, 0x481, 2, false, -1},  {0x48B, 0x4BF, 2, false, -1},
    {0x4C2, 0x4CE, 2, false, -1},  {0x4CF, 0x4CF, 1, false, -15},
    {0x4D1, 0x52F, 2, false, -1},
};
#define N_PAIRS (sizeof case_pairs / sizeof case_pairs[0])

static bool pair_has(const CasePairs *p, uint32_t c, int32_t shift) {
    int64_t lo = (int64_t)p->lo + shift, hi = (int64_t)p->hi + shift;
    return c >= lo && c <= hi && ((int64_t)c - lo) % p->step == 0;
}

static uint32_t simple_upper(uint32_t c) {
    for (size_t i = 0; i < N_PAIRS; i++)
        if (pair_has(&case_pairs[i], c, 0)) return (uint32_t)((int32_t)c + case_pairs[i].delta);
    return c;
}

static uint32_t simple_lower(uint32_t c) {
    for (size_t i = 0; i < N_PAIRS; i++)
        if (!case_pairs[i].oneway && pair_has(&case_pairs[i], c, case_pairs[i].delta))
            return (uint32_t)((int32_t)c - case_pairs[i].delta);
    return c;
}

/* Full mappings that differ from the simple ones (SpecialCasing.txt,
 * CaseFolding.txt); NULL: the simple mapping. UTF-8 text. */
typedef struct { uint32_t c; const char *upper, *title, *lower, *fold; } Special;

static const Special specials[] = {
    {0xB5, NULL, NULL, NULL, "\u03bc"},
    {0xDF, "SS", "Ss", NULL, "ss"},
    {0x130, NULL, NULL, "i\u0307", "i\u0307"},
    {0x149, "\u02bcN", "\u02bcN", NULL, "\u02bcn"},
    {0x17F, NULL, NULL, NULL, "s"},
    {0x390, "\u0399\u0308\u0301", "\u0399\u0308\u0301", NULL, "\u03b9\u0308\u0301"},
    {0x3B0, "\u03a5\u0308\u0301", "\u03a5\u0308\u0301", NULL, "\u03c5\u0308\u0301"},
    {0x3C2, NULL, NULL, NULL, "\u03c3"},
    {0xFB00, "FF", "Ff", NULL, "ff"},
    {0xFB01, "FI", "Fi", NULL, "fi"},
    {0xFB02, "FL", "Fl", NULL, "fl"},
    {0xFB03, "FFI", "Ffi", NULL, "ffi"},
    {0xFB04, "FFL", "Ffl", NULL, "ffl"},
    {0xFB05, "ST", "St", NULL, "st"},
    {0xFB06, "ST", "St", NULL, "st"},
};

static const Special *special_of(uint32_t c) {
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
        if (specials[i].c == c) return &specials[i];
    return NULL;
}

static bool uc_islower(uint32_t c) {
    if (simple_upper(c) != c || c == 0xAA || c == 0xBA || c == 0x138) return true;
    const Special *sp = special_of(c);
    return sp && sp->upper;
}
static bool uc_isupper(uint32_t c) { return simple_lower(c) != c || c == 0x130; }
static bool uc_iscased(uint32_t c) { return uc_islower(c) || uc_isupper(c); }

static const Range case_ignorable[] = {
    {0x27, 0x27}, {0x2E, 0x2E}, {0x3A, 0x3A}, {0x5E, 0x5E}, {0x60, 0x60}, {0xA8, 0xA8},
    {0xAD, 0xAD}, {0xAF, 0xAF}, {0xB4, 0xB4}, {0xB7, 0xB8}, {0x2B0, 0x36F}, {0x374, 0x375},
    {0x37A, 0x37A}, {0x384, 0x385}, {0x387, 0x387}, {0x483, 0x489}, {0x200B, 0x200F},
    {0x2018, 0x2019}, {0x2024, 0x2024}, {0x2027, 0x2027}, {0x2060, 0x2064}, {0xFE00, 0xFE0F},
};

static const Range alpha[] = {
    {0x41, 0x5A},     {0x61, 0x7A},     {0xAA, 0xAA},     {0xB5, 0xB5},     {0xBA, 0xBA},
    {0xC0, 0xD6},     {0xD8, 0xF6},     {0xF8, 0x2C1},    {0x2C6, 0x2D1},   {0x2E0, 0x2E4},
    {0x2EC, 0x2EC},   {0x2EE, 0x2EE},   {0x370, 0x374},   {0x376, 0x377},   {0x37A, 0x37D},
    {0x37F, 0x37F},   {0x386, 0x386},   {0x388, 0x38A},   {0x38C, 0x38C},   {0x38E, 0x3A1},
    {0x3A3, 0x3F5},   {0x3F7, 0x481},   {0x48A, 0x52F},   {0x5D0, 0x5EA},   {0x620, 0x64A},
    {0x3041, 0x3096}, {0x30A1, 0x30FA}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xFB00, 0xFB06},
};
static const Range decimal[] = {
    {0x30, 0x39},   {0x660, 0x669}, {0x6F0, 0x6F9}, {0x7C0, 0x7C9},
    {0x966, 0x96F}, {0x9E6, 0x9EF}, {0xE50, 0xE59}, {0xFF10, 0xFF19},
};
/* digits that are not decimal: superscripts, subscripts, circled ... */
static const Range digit_extra[] = {
    {0xB2, 0xB3},     {0xB9, 0xB9},     {0x2070, 0x2070}, {0x2074, 0x2079}, {0x2080, 0x2089},
    {0x2460, 0x2468}, {0x2474, 0x247C}, {0x2488, 0x2490}, {0x24EA, 0x24EA}, {0x24F5, 0x24FD},
    {0x24FF, 0x24FF}, {0x2776, 0x277E}, {0x2780, 0x2788}, {0x278A, 0x2792},
};
/* numerics that are not digits: fractions, Roman numerals, CJK numerals ... */
static const Range numeric_extra[] = {
    {0xBC, 0xBE},     {0x2150, 0x2182}, {0x2185, 0x2189}, {0x2469, 0x2473}, {0x247D, 0x2487},
    {0x2491, 0x249B}, {0x24EB, 0x24F4}, {0x24FE, 0x24FE}, {0x277F, 0x277F}, {0x2789, 0x2789},
    {0x2793, 0x2793}, {0x3007, 0x3007}, {0x3021, 0x3029}, {0x4E00, 0x4E00}, {0x4E03, 0x4E03},
    {0x4E07, 0x4E07}, {0x4E09, 0x4E09}, {0x4E5D, 0x4E5D}, {0x4E8C, 0x4E8C}, {0x4E94, 0x4E94},
    {0x5104, 0x5104}, {0x516B, 0x516B}, {0x516D, 0x516D}, {0x5341, 0x5341}, {0x5343, 0x5343},
    {0x56DB, 0x56DB}, {0x767E, 0x767E}, {0x96F6, 0x96F6},
};
static const Range space[] = {
    {0x9, 0xD},       {0x1C, 0x20},     {0x85, 0x85},     {0xA0, 0xA0},     {0x1680, 0x1680},
    {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000},
};
/* not printable: controls, format characters, separators other than ' ',
 * surrogates, private use, noncharacters */
static const Range unprintable[] = {
    {0x0, 0x1F},       {0x7F, 0xA0},      {0xAD, 0xAD},       {0x600, 0x605},   {0x61C, 0x61C},
    {0x6DD, 0x6DD},    {0x70F, 0x70F},    {0x1680, 0x1680},   {0x180E, 0x180E}, {0x2000, 0x200F},
    {0x2028, 0x202F},  {0x205F, 0x2064},  {0x2066, 0x206F},   {0x3000, 0x3000}, {0xD800, 0xF8FF},
    {0xFEFF, 0xFEFF},  {0xFFF9, 0xFFFB},  {0xFFFE, 0xFFFF},   {0xE0001, 0xE0001},
    {0xE0020, 0xE007F}, {0xF0000, 0x10FFFF},
};

static bool uc_isalpha(uint32_t c) { return IN(c, alpha); }
static bool uc_isdecimal(uint32_t c) { return IN(c, decimal); }
static bool uc_isdigit(uint32_t c) { return uc_isdecimal(c) || IN(c, digit_extra); }
static bool uc_isnumeric(uint32_t c) { return uc_isdigit(c) || IN(c, numeric_extra); }
static bool uc_isalnum(uint32_t c) { return uc_isalpha(c) || uc_isnumeric(c); }
static bool uc_isprintable(uint32_t c) { return !IN(c, unprintable); }
bool uc_isspace(uint32_t c) { return IN(c, space); }

uint32_t utf8_next(const char *s, int64_t n, int64_t *i) {
    int l = utf8_seq_len((unsigned char)s[*i]);
    if (l > n - *i) l = (int)(n - *i);
    uint32_t c = utf8_decode(s + *i, l);
    *i += l;
    return c;
}

uint32_t *utf8_to_cps(const char *s, int64_t n, int64_t *count) {
    uint32_t *cps = tsr_malloc((unsigned long long)(n + 1) * sizeof *cps);
    if (!cps) return NULL;
    int64_t k = 0;
    for (int64_t i = 0; i < n;) cps[k++] = utf8_next(s, n, &i);
    *count = k;
    return cps;
}

static bool put_cp(StrBuf *b, uint32_t c) {
    char u[4];
    return sb_append(b, u, utf8_encode(c, u));
}

/* Capital sigma is final (ς) after a cased letter and not before one,
 * case-ignorable characters skipped both ways (CPython's
 * handle_capital_sigma). */
static uint32_t lower_sigma(const uint32_t *cps, int64_t n, int64_t i) {
    int64_t j = i - 1;
    while (j >= 0 && IN(cps[j], case_ignorable)) j--;
    bool final = j >= 0 && uc_iscased(cps[j]);
    if (final) {
        j = i + 1;
        while (j < n && IN(cps[j], case_ignorable)) j++;
        final = j == n || !uc_iscased(cps[j]);
    }
    return final ? 0x3C2 : 0x3C3;
}

typedef enum { MAP_UPPER, MAP_LOWER, MAP_TITLE, MAP_FOLD } CaseMap;

/* Appends the full mapping of cps[i]. */
static bool put_mapped(StrBuf *b, const uint32_t *cps, int64_t n, int64_t i, CaseMap m) {
    uint32_t c = cps[i];
    const Special *sp = special_of(c);
    const char *full = !sp ? NULL
                       : m == MAP_UPPER ? sp->upper
                       : m == MAP_TITLE ? sp->title
                       : m == MAP_LOWER ? sp->lower
                                        : sp->fold;
    if (full) return sb_appends(b, full);
    if (m == MAP_UPPER || m == MAP_TITLE) return put_cp(b, simple_upper(c));
    if (c == 0x3A3 && m == MAP_LOWER) return put_cp(b, lower_sigma(cps, n, i));
    return put_cp(b, simple_lower(c));
}

typedef enum { CONV_UPPER, CONV_LOWER, CONV_FOLD, CONV_SWAP, CONV_CAPITALIZE, CONV_TITLE } Conv;

static Value *convert(Value *self, const CallArgs *a, const char *name, Conv conv) {
    if (!str_args(a, name, STR_NOARGS, 0, 0, NULL)) return NULL;
    int64_t n;
    uint32_t *cps = utf8_to_cps(self->str.s, self->str.len, &n);
    if (!cps) return NULL;
    StrBuf b = {0};
    bool ok = sb_append(&b, "", 0), prev_cased = false;
    for (int64_t i = 0; ok && i < n; i++) {
        uint32_t c = cps[i];
        CaseMap m;
        switch (conv) {
        case CONV_UPPER: m = MAP_UPPER; break;
        case CONV_LOWER: m = MAP_LOWER; break;
        case CONV_FOLD: m = MAP_FOLD; break;
        case CONV_SWAP: m = uc_isupper(c) ? MAP_LOWER : MAP_UPPER; break;
        case CONV_CAPITALIZE: m = i == 0 ? MAP_TITLE : MAP_LOWER; break;
        default: m = prev_cased ? MAP_LOWER : MAP_TITLE; break;
        }
        if (conv == CONV_SWAP && !uc_isupper(c) && !uc_islower(c)) ok = put_cp(&b, c);
        else ok = put_mapped(&b, cps, n, i, m);
        prev_cased = uc_iscased(c);
    }
    free(cps);
    if (!ok) {
        free(b.data);
        return NULL;
    }
    return val_str_steal(b.data, b.len);
}

Value *str_upper(Value *s, const CallArgs *a) { return convert(s, a, "upper", CONV_UPPER); }
Value *str_lower(Value *s, const CallArgs *a) { return convert(s, a, "lower", CONV_LOWER); }
Value *str_casefold(Value *s, const CallArgs *a) { return convert(s, a, "casefold", CONV_FOLD); }
Value *str_swapcase(Value *s, const CallArgs *a) { return convert(s, a, "swapcase", CONV_SWAP); }
Value *str_capitalize(Value *s, const CallArgs *a) { return convert(s, a, "capitalize", CONV_CAPITALIZE); }
Value *str_title(Value *s, const CallArgs *a) { return convert(s, a, "title", CONV_TITLE); }

/* The predicates true of a non-empty string whose every character has
 * the class (isascii: of any string). */
static Value *all_chars(Value *self, const CallArgs *a, const char *name, bool (*cls)(uint32_t),
                        bool empty) {
    if (!str_args(a, name, STR_NOARGS, 0, 0, NULL)) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len;
    for (int64_t i = 0; i < n;)
        if (!cls(utf8_next(s, n, &i))) return val_bool(false);
    return val_bool(n > 0 || empty);
}

static bool uc_isascii(uint32_t c) { return c < 0x80; }

Value *str_isalnum(Value *s, const CallArgs *a) { return all_chars(s, a, "isalnum", uc_isalnum, false); }
Value *str_isalpha(Value *s, const CallArgs *a) { return all_chars(s, a, "isalpha", uc_isalpha, false); }
Value *str_isascii(Value *s, const CallArgs *a) { return all_chars(s, a, "isascii", uc_isascii, true); }
Value *str_isdecimal(Value *s, const CallArgs *a) { return all_chars(s, a, "isdecimal", uc_isdecimal, false); }
Value *str_isdigit(Value *s, const CallArgs *a) { return all_chars(s, a, "isdigit", uc_isdigit, false); }
Value *str_isnumeric(Value *s, const CallArgs *a) { return all_chars(s, a, "isnumeric", uc_isnumeric, false); }
Value *str_isprintable(Value *s, const CallArgs *a) {
    return all_chars(s, a, "isprintable", uc_isprintable, true);
}
Value *str_isspace(Value *s, const CallArgs *a) { return all_chars(s, a, "isspace", uc_isspace, false); }

/* XID_Start and XID_Continue, approximated by letters, '_', decimal
 * digits and combining marks (keywords are identifiers, as in CPython) */
Value *str_isidentifier(Value *self, const CallArgs *a) {
    if (!str_args(a, "isidentifier", STR_NOARGS, 0, 0, NULL)) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len, i = 0;
    bool ok = n > 0;
    if (ok) {
        uint32_t c = utf8_next(s, n, &i);
        ok = c == '_' || uc_isalpha(c);
    }
    while (ok && i < n) {
        uint32_t c = utf8_next(s, n, &i);
        ok = c == '_' || uc_isalpha(c) || uc_isdecimal(c) || (c >= 0x300 && c <= 0x36F);
    }
    return val_bool(ok);
}

/* islower/isupper: at least one cased character, none of the other case */
static Value *one_case(Value *self, const CallArgs *a, const char *name, bool (*want)(uint32_t),
                       bool (*other)(uint32_t)) {
    if (!str_args(a, name, STR_NOARGS, 0, 0, NULL)) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len;
    bool cased = false;
    for (int64_t i = 0; i < n;) {
        uint32_t c = utf8_next(s, n, &i);
        if (other(c)) return val_bool(false);
        cased = cased || want(c);
    }
    return val_bool(cased);
}

Value *str_islower(Value *s, const CallArgs *a) { return one_case(s, a, "islower", uc_islower, uc_isupper); }
Value *str_isupper(Value *s, const CallArgs *a) { return one_case(s, a, "isupper", uc_isupper, uc_islower); }

/* Uppercase only after uncased characters, lowercase only after cased
 * ones, and at least one cased character. */
Value *str_istitle(Value *self, const CallArgs *a) {
    if (!str_args(a, "istitle", STR_NOARGS, 0, 0, NULL)) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len;
    bool cased = false, prev_cased = false;
    for (int64_t i = 0; i < n;) {
        uint32_t c = utf8_next(s, n, &i);
        if (uc_isupper(c) || uc_islower(c)) {
            if (prev_cased == uc_isupper(c)) return val_bool(false);
            prev_cased = cased = true;
        } else {
            prev_cased = false;
        }
    }
    return val_bool(cased);
}
