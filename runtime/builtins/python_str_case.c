/* python_str_case.c: Unicode character classes and case mapping, and the
 * str methods built on them (upper, lower, casefold, swapcase, capitalize,
 * title, isalpha ... isupper), as CPython 3.11 computes them, from the
 * Unicode 14 data in python_str_unicode.c. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pyfmt.h"
#include "python_str.h"

static bool uc_islower(uint32_t c) { return uc_flags(c) & UC_LOWER; }
static bool uc_isupper(uint32_t c) { return uc_flags(c) & UC_UPPER; }
static bool uc_istitle(uint32_t c) { return uc_flags(c) & UC_TITLE; }
static bool uc_iscased(uint32_t c) { return uc_flags(c) & (UC_LOWER | UC_UPPER | UC_TITLE); }
static bool uc_isignorable(uint32_t c) { return uc_flags(c) & UC_CASE_IGNORABLE; }
static bool uc_isalpha(uint32_t c) { return uc_flags(c) & UC_ALPHA; }
static bool uc_isdecimal(uint32_t c) { return uc_flags(c) & UC_DECIMAL; }
static bool uc_isdigit(uint32_t c) { return uc_flags(c) & UC_DIGIT; }
static bool uc_isnumeric(uint32_t c) { return uc_flags(c) & UC_NUMERIC; }
static bool uc_isalnum(uint32_t c) { return uc_flags(c) & (UC_ALPHA | UC_DECIMAL | UC_DIGIT | UC_NUMERIC); }
static bool uc_isprintable(uint32_t c) { return uc_flags(c) & UC_PRINTABLE; }
bool uc_isspace(uint32_t c) { return uc_flags(c) & UC_SPACE; }

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
    while (j >= 0 && uc_isignorable(cps[j])) j--;
    bool final = j >= 0 && uc_iscased(cps[j]);
    if (final) {
        j = i + 1;
        while (j < n && uc_isignorable(cps[j])) j++;
        final = j == n || !uc_iscased(cps[j]);
    }
    return final ? 0x3C2 : 0x3C3;
}

typedef enum { MAP_UPPER, MAP_LOWER, MAP_TITLE, MAP_FOLD } CaseMap;

/* Appends the full mapping of cps[i]. */
static bool put_mapped(StrBuf *b, const uint32_t *cps, int64_t n, int64_t i, CaseMap m) {
    uint32_t c = cps[i];
    const char *full = NULL;
    switch (m) {
    case MAP_TITLE:
    case MAP_UPPER: /* title is upper where uc_title_full has no entry */
        if (m == MAP_TITLE && (full = uc_full_map(uc_title_full, uc_title_full_len, c))) return sb_appends(b, full);
        if ((full = uc_full_map(uc_upper_full, uc_upper_full_len, c))) return sb_appends(b, full);
        return put_cp(b, uc_simple_map(uc_upper, uc_upper_len, c));
    case MAP_FOLD:
        if ((full = uc_full_map(uc_fold_full, uc_fold_full_len, c))) return sb_appends(b, full);
        if ((full = uc_full_map(uc_lower_full, uc_lower_full_len, c))) return sb_appends(b, full);
        return put_cp(b, uc_simple_map(uc_lower, uc_lower_len, c));
    default:
        if (c == 0x3A3) return put_cp(b, lower_sigma(cps, n, i));
        if ((full = uc_full_map(uc_lower_full, uc_lower_full_len, c))) return sb_appends(b, full);
        return put_cp(b, uc_simple_map(uc_lower, uc_lower_len, c));
    }
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

Value *str_isidentifier(Value *self, const CallArgs *a) {
    if (!str_args(a, "isidentifier", STR_NOARGS, 0, 0, NULL)) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len;
    for (int64_t i = 0; i < n;) {
        uint32_t want = i == 0 ? UC_XID_START : UC_XID_CONTINUE;
        if (!(uc_flags(utf8_next(s, n, &i)) & want)) return val_bool(false);
    }
    return val_bool(n > 0);
}

/* islower/isupper: at least one cased character, none of the other
 * case or titlecase */
static Value *one_case(Value *self, const CallArgs *a, const char *name, uint32_t want, uint32_t other) {
    if (!str_args(a, name, STR_NOARGS, 0, 0, NULL)) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len;
    bool cased = false;
    for (int64_t i = 0; i < n;) {
        uint32_t f = uc_flags(utf8_next(s, n, &i));
        if (f & (other | UC_TITLE)) return val_bool(false);
        cased = cased || (f & want);
    }
    return val_bool(cased);
}

Value *str_islower(Value *s, const CallArgs *a) { return one_case(s, a, "islower", UC_LOWER, UC_UPPER); }
Value *str_isupper(Value *s, const CallArgs *a) { return one_case(s, a, "isupper", UC_UPPER, UC_LOWER); }

/* Upper- and titlecase only after uncased characters, lowercase only
 * after cased ones, and at least one cased character. */
Value *str_istitle(Value *self, const CallArgs *a) {
    if (!str_args(a, "istitle", STR_NOARGS, 0, 0, NULL)) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len;
    bool cased = false, prev_cased = false;
    for (int64_t i = 0; i < n;) {
        uint32_t c = utf8_next(s, n, &i);
        if (uc_isupper(c) || uc_istitle(c) || uc_islower(c)) {
            if (prev_cased != uc_islower(c)) return val_bool(false);
            prev_cased = cased = true;
        } else {
            prev_cased = false;
        }
    }
    return val_bool(cased);
}
