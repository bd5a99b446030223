/* scalar_special_poly_impl.h: torch.special's orthogonal polynomials of x
 * and degree n (Chebyshev T, U, V, W and their shifted forms, Hermite H
 * and He, Laguerre L, Legendre P), for one compute type; included by
 * scalar_special.h beside scalar_special_impl.h (same SC / SF conventions,
 * no include guard on purpose). ATen's Math.h *_forward(x, n): n arrives
 * as the compute type and is truncated to an integer (x86's conversion:
 * NaN, infinities and values out of range become INT64_MIN, a negative
 * degree, whose value is 0); the three-term recurrences with PyTorch's
 * fused multiply-adds. */

TSR_HD int64_t SF(sp_poly_degree)(SC n) {
    if (!(n > (SC)-9223372036854775808.0 && n < (SC)9223372036854775808.0)) return INT64_MIN;
    return (int64_t)n;
}

/* the recurrence r = 2y q - p from q (degree 1) up to degree n, stopping
 * at a NaN (a NaN q gives NaN: ATen's r is then unset, and PyTorch prints
 * NaN) */
TSR_HD SC SF(sp_poly_recur)(SC y2, SC q, int64_t n) {
    SC p = 1, r = q;
    for (int64_t k = 2; k <= n && q == q; k++) {
        r = fma(y2, q, -p);
        p = q;
        q = r;
    }
    return r;
}

/* The Chebyshev polynomials of the four kinds ('t', 'u', 'v', 'w') in y,
 * which is x, or 2x - 1 for the shifted ones: end is +1 or -1 where x is
 * at the upper or lower end of the interval (ATen's closed forms there:
 * |x| == 1, or x == 1 and x == 0 for the shifted ones), else 0; the
 * trigonometric forms above degree `trig` inside (-1, 1); the recurrence
 * from degree 1 otherwise. */
TSR_HD SC SF(sp_chebyshev)(char kind, SC y, int64_t n, int end, int64_t trig, bool shifted) {
    bool even = n % 2 == 0;
    if (n < 0) return 0;
    switch (kind) {
    case 't':
        if (end) return end > 0 || even ? (SC)1 : (SC)-1;
        if (n > trig && fabs(y) < 1) return cos((SC)n * acos(y));
        break;
    case 'u':
        if (end) return end > 0 || even ? (SC)(n + 1) : (SC)(-(n + 1));
        if (n > trig && fabs(y) < 1) {
            if (sin(acos(y)) != 0) return sin((SC)(n + 1) * acos(y)) / sin(acos(y));
            return (SC)(n + 1) * cos((SC)(n + 1) * acos(y)) / y;
        }
        break;
    case 'v':
        if (end > 0) return 1;
        if (end < 0) return even ? (SC)(n + n + 1) : (SC)(-(n + n + 1));
        if (n > trig && fabs(y) < 1) {
            if (sin(acos(y) / (SC)2.0) != 1) return cos(((SC)n + (SC)0.5) * acos(y)) / cos(acos(y) / (SC)2.0);
            return even ? (SC)(n + n + 1) : (SC)(-(n + n + 1));
        }
        break;
    default: /* 'w' */
        if (end > 0) return (SC)(n + n + 1);
        if (end < 0) return even ? (SC)1 : (SC)-1;
        if (n > trig && fabs(y) < 1) {
            if (cos(acos(y) / (SC)2.0) != 1) return sin(((SC)n + (SC)0.5) * acos(y)) / sin(acos(y) / (SC)2.0);
            if (!shifted && y > 0) return (SC)(n + n + 1);
            return even ? (SC)1 : (SC)-1;
        }
    }
    SC q = kind == 't' ? y : kind == 'u' ? y + y : kind == 'v' ? y + y - 1 : y + y + 1;
    if (n == 0) return 1;
    if (n == 1) return q;
    return SF(sp_poly_recur)(y + y, q, n);
}

/* end for the unshifted polynomials: x = 1 or x = -1 */
TSR_HD int SF(sp_chebyshev_end)(SC x) { return fabs(x) == 1 ? (x > 0 ? 1 : -1) : 0; }
/* and for the shifted ones: x = 1 or x = 0 */
TSR_HD int SF(sp_shifted_chebyshev_end)(SC x) { return x == 1 ? 1 : x == 0 ? -1 : 0; }

TSR_HD SC SF(sp_chebyshev_t)(SC x, SC n) {
    return SF(sp_chebyshev)('t', x, SF(sp_poly_degree)(n), SF(sp_chebyshev_end)(x), 6, false);
}
TSR_HD SC SF(sp_chebyshev_u)(SC x, SC n) {
    return SF(sp_chebyshev)('u', x, SF(sp_poly_degree)(n), SF(sp_chebyshev_end)(x), 8, false);
}
TSR_HD SC SF(sp_chebyshev_v)(SC x, SC n) {
    return SF(sp_chebyshev)('v', x, SF(sp_poly_degree)(n), SF(sp_chebyshev_end)(x), 8, false);
}
TSR_HD SC SF(sp_chebyshev_w)(SC x, SC n) {
    return SF(sp_chebyshev)('w', x, SF(sp_poly_degree)(n), SF(sp_chebyshev_end)(x), 8, false);
}
TSR_HD SC SF(sp_shifted_chebyshev_t)(SC x, SC n) {
    return SF(sp_chebyshev)('t', x + x - 1, SF(sp_poly_degree)(n), SF(sp_shifted_chebyshev_end)(x), 6, true);
}
TSR_HD SC SF(sp_shifted_chebyshev_u)(SC x, SC n) {
    return SF(sp_chebyshev)('u', x + x - 1, SF(sp_poly_degree)(n), SF(sp_shifted_chebyshev_end)(x), 6, true);
}
TSR_HD SC SF(sp_shifted_chebyshev_v)(SC x, SC n) {
    return SF(sp_chebyshev)('v', x + x - 1, SF(sp_poly_degree)(n), SF(sp_shifted_chebyshev_end)(x), 6, true);
}
TSR_HD SC SF(sp_shifted_chebyshev_w)(SC x, SC n) {
    return SF(sp_chebyshev)('w', x + x - 1, SF(sp_poly_degree)(n), SF(sp_shifted_chebyshev_end)(x), 4, true);
}

/* Hermite: NaN above degree 128 (float) or 512 (double), as ATen */
TSR_HD SC SF(sp_hermite_h)(SC x, SC nf) {
    int64_t n = SF(sp_poly_degree)(nf);
    if (n < 0) return 0;
    if (n == 0) return 1;
    if (n == 1) return x + x;
    if (n > (sizeof(SC) == sizeof(float) ? 128 : 512)) return (SC)NAN;
    SC p = 1, q = x + x, r = 0;
    for (int64_t k = 2; k < n + n; k += 2) {
        r = fma(x + x, q, -((SC)k * p));
        p = q;
        q = r;
    }
    return r;
}

TSR_HD SC SF(sp_hermite_he)(SC x, SC nf) {
    int64_t n = SF(sp_poly_degree)(nf);
    if (n < 0) return 0;
    if (n == 0) return 1;
    if (n == 1) return x;
    if (n > (sizeof(SC) == sizeof(float) ? 128 : 512)) return (SC)NAN;
    SC p = 1, q = x, r = 0;
    for (int64_t k = 1; k < n; k++) {
        r = fma(x, q, -((SC)k * p));
        p = q;
        q = r;
    }
    return r;
}

TSR_HD SC SF(sp_laguerre_l)(SC x, SC nf) {
    int64_t n = SF(sp_poly_degree)(nf);
    if (n < 0) return 0;
    if (fabs(x) == 0) return 1;
    if (n == 0) return 1;
    if (n == 1) return 1 - x;
    SC p = 1, q = 1 - x, r = q;
    for (int64_t k = 1; k < n && q == q; k++) {
        r = fma((SC)(k + k) + (1 - x), q, -((SC)k * p)) / (SC)(k + 1);
        p = q;
        q = r;
    }
    return r;
}

TSR_HD SC SF(sp_legendre_p)(SC x, SC nf) {
    int64_t n = SF(sp_poly_degree)(nf);
    if (n < 0) return 0;
    if (fabs(x) == 1) return x > 0 || n % 2 == 0 ? (SC)1 : (SC)-1;
    if (n == 0) return 1;
    if (n == 1) return x;
    SC p = 1, q = x, r = q;
    for (int64_t k = 1; k < n && q == q; k++) {
        r = fma((SC)(k + k + 1) * x, q, -((SC)k * p)) / (SC)(k + 1);
        p = q;
        q = r;
    }
    return r;
}
