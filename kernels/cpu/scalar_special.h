/* scalar_special.h: the special functions of the elementwise ops (erfinv,
 * digamma, i0, sinc, xlogy, ...), for float and double, included by
 * scalar_ops.h (inside its namespace tsr_scalar in C++). The bodies are
 * written once, in scalar_special_impl.h, and expanded per type: in C as
 * NAME_f and NAME_d behind a _Generic macro NAME, in C++ as overloads.
 * A float argument computes in float (ATen's float kernels do; the
 * exceptions are noted in the bodies). */
#ifndef TSR_SCALAR_SPECIAL_H
#define TSR_SCALAR_SPECIAL_H

#include "scalar_erfcx_table.h"
#include "scalar_igamma_table.h"

#ifdef __cplusplus
#define SF(n) n
#define SC float
#include "scalar_special_impl.h"
#include "scalar_special_normal_impl.h"
#include "scalar_special_igamma_impl.h"
#include "scalar_special_bessel_impl.h"
#include "scalar_special_poly_impl.h"
#undef SC
#define SC double
#include "scalar_special_impl.h"
#include "scalar_special_normal_impl.h"
#include "scalar_special_igamma_impl.h"
#include "scalar_special_bessel_impl.h"
#include "scalar_special_poly_impl.h"
#undef SC
#undef SF
#else
#define SC float
#define SF(n) n##_f
#include "scalar_special_impl.h"
#include "scalar_special_normal_impl.h"
#include "scalar_special_igamma_impl.h"
#include "scalar_special_bessel_impl.h"
#include "scalar_special_poly_impl.h"
#undef SC
#undef SF
#define SC double
#define SF(n) n##_d
#include "scalar_special_impl.h"
#include "scalar_special_normal_impl.h"
#include "scalar_special_igamma_impl.h"
#include "scalar_special_bessel_impl.h"
#include "scalar_special_poly_impl.h"
#undef SC
#undef SF
#define TSR_SPECIAL_GENERIC1(n, a) _Generic((a), float: n##_f, default: n##_d)
#define sp_erfinv(a) TSR_SPECIAL_GENERIC1(sp_erfinv, a)(a)
#define sp_digamma(a) TSR_SPECIAL_GENERIC1(sp_digamma, a)(a)
#define sp_i0(a) TSR_SPECIAL_GENERIC1(sp_i0, a)(a)
#define sp_sinc(a) TSR_SPECIAL_GENERIC1(sp_sinc, a)(a)
#define sp_xlogy(a, b) TSR_SPECIAL_GENERIC1(sp_xlogy, a)(a, b)
#define sp_logaddexp2(a, b) TSR_SPECIAL_GENERIC1(sp_logaddexp2, a)(a, b)
#define sp_xlog1py(a, b) TSR_SPECIAL_GENERIC1(sp_xlog1py, a)(a, b)
#define sp_logit(a, b) TSR_SPECIAL_GENERIC1(sp_logit, a)(a, b)
#define sp_fmax(a, b) TSR_SPECIAL_GENERIC1(sp_fmax, a)(a, b)
#define sp_fmin(a, b) TSR_SPECIAL_GENERIC1(sp_fmin, a)(a, b)
#define sp_entr(a) TSR_SPECIAL_GENERIC1(sp_entr, a)(a)
#define sp_i1(a) TSR_SPECIAL_GENERIC1(sp_i1, a)(a)
#define sp_i1e(a) TSR_SPECIAL_GENERIC1(sp_i1e, a)(a)
#define sp_i0e(a) TSR_SPECIAL_GENERIC1(sp_i0e, a)(a)
#define sp_trigamma(a) TSR_SPECIAL_GENERIC1(sp_trigamma, a)(a)
#define sp_zeta(a, b) TSR_SPECIAL_GENERIC1(sp_zeta, a)(a, b)
#define sp_polygamma(a, b) TSR_SPECIAL_GENERIC1(sp_polygamma, a)(a, b)
#define sp_erfcx(a) TSR_SPECIAL_GENERIC1(sp_erfcx, a)(a)
#define sp_log_ndtr(a) TSR_SPECIAL_GENERIC1(sp_log_ndtr, a)(a)
#define sp_ndtri(a) TSR_SPECIAL_GENERIC1(sp_ndtri, a)(a)
#define sp_igamma(a, b) TSR_SPECIAL_GENERIC1(sp_igamma, a)(a, b)
#define sp_igammac(a, b) TSR_SPECIAL_GENERIC1(sp_igammac, a)(a, b)
#define sp_bessel_j0(a) TSR_SPECIAL_GENERIC1(sp_bessel_j0, a)(a)
#define sp_bessel_j1(a) TSR_SPECIAL_GENERIC1(sp_bessel_j1, a)(a)
#define sp_bessel_y0(a) TSR_SPECIAL_GENERIC1(sp_bessel_y0, a)(a)
#define sp_bessel_y1(a) TSR_SPECIAL_GENERIC1(sp_bessel_y1, a)(a)
#define sp_bessel_i0(a) TSR_SPECIAL_GENERIC1(sp_bessel_i0, a)(a)
#define sp_bessel_i1(a) TSR_SPECIAL_GENERIC1(sp_bessel_i1, a)(a)
#define sp_bessel_k0(a) TSR_SPECIAL_GENERIC1(sp_bessel_k0, a)(a)
#define sp_bessel_k1(a) TSR_SPECIAL_GENERIC1(sp_bessel_k1, a)(a)
#define sp_bessel_k0e(a) TSR_SPECIAL_GENERIC1(sp_bessel_k0e, a)(a)
#define sp_bessel_k1e(a) TSR_SPECIAL_GENERIC1(sp_bessel_k1e, a)(a)
#define sp_spherical_j0(a) TSR_SPECIAL_GENERIC1(sp_spherical_j0, a)(a)
#define sp_airy_ai(a) TSR_SPECIAL_GENERIC1(sp_airy_ai, a)(a)
#define sp_chebyshev_t(a, b) TSR_SPECIAL_GENERIC1(sp_chebyshev_t, a)(a, b)
#define sp_chebyshev_u(a, b) TSR_SPECIAL_GENERIC1(sp_chebyshev_u, a)(a, b)
#define sp_chebyshev_v(a, b) TSR_SPECIAL_GENERIC1(sp_chebyshev_v, a)(a, b)
#define sp_chebyshev_w(a, b) TSR_SPECIAL_GENERIC1(sp_chebyshev_w, a)(a, b)
#define sp_shifted_chebyshev_t(a, b) TSR_SPECIAL_GENERIC1(sp_shifted_chebyshev_t, a)(a, b)
#define sp_shifted_chebyshev_u(a, b) TSR_SPECIAL_GENERIC1(sp_shifted_chebyshev_u, a)(a, b)
#define sp_shifted_chebyshev_v(a, b) TSR_SPECIAL_GENERIC1(sp_shifted_chebyshev_v, a)(a, b)
#define sp_shifted_chebyshev_w(a, b) TSR_SPECIAL_GENERIC1(sp_shifted_chebyshev_w, a)(a, b)
#define sp_hermite_h(a, b) TSR_SPECIAL_GENERIC1(sp_hermite_h, a)(a, b)
#define sp_hermite_he(a, b) TSR_SPECIAL_GENERIC1(sp_hermite_he, a)(a, b)
#define sp_laguerre_l(a, b) TSR_SPECIAL_GENERIC1(sp_laguerre_l, a)(a, b)
#define sp_legendre_p(a, b) TSR_SPECIAL_GENERIC1(sp_legendre_p, a)(a, b)
#endif

#endif
