/* unicode.c: look-ups in the Unicode tables of unicode_data.c. */
#include <stddef.h>

#include "unicode_data.h"

/* The last entry of a sorted table whose key is <= c, or -1. */
#define FIND_LE(table, n, key, c)                         \
    do {                                                  \
        int lo_ = 0, hi_ = (n) - 1;                       \
        found = -1;                                       \
        while (lo_ <= hi_) {                              \
            int mid_ = (lo_ + hi_) / 2;                   \
            if ((table)[mid_].key <= (c)) {               \
                found = mid_;                             \
                lo_ = mid_ + 1;                           \
            } else {                                      \
                hi_ = mid_ - 1;                           \
            }                                             \
        }                                                 \
    } while (0)

uint32_t uc_flags(uint32_t c) {
    int found;
    FIND_LE(uc_runs, uc_runs_len, start, c);
    return found < 0 ? 0 : uc_runs[found].flags;
}

uint32_t uc_simple_map(const UcCase *t, int n, uint32_t c) {
    int found;
    FIND_LE(t, n, lo, c);
    if (found < 0 || c > t[found].hi || (c - t[found].lo) % t[found].step) return c;
    return (uint32_t)((int32_t)c + t[found].delta);
}

const char *uc_full_map(const UcFull *t, int n, uint32_t c) {
    int found;
    FIND_LE(t, n, c, c);
    return found >= 0 && t[found].c == c ? t[found].s : NULL;
}
