/* np_math_simd.c: numpy 1.24's own vectorised float algorithms (not
 * SVML), computed lane by lane: every lane of numpy's vectors is
 * independent, so one element at a time, with fmaf/fma where numpy's code
 * has a fused multiply-add (npyv_muladd / _mm*_fmadd), gives its bits.
 * Ported from numpy (BSD-3-Clause, Copyright (c) 2005-2022 NumPy
 * Developers):
 *   - tanh, float64 and float32 (loops_hyperbolic.dispatch.c.src, numpy's
 *     conversion of SVML's tanh; targets AVX2+FMA3 and AVX512_SKX);
 *   - float32 sin and cos (loops_trigonometric.dispatch.c.src: Cody-Waite
 *     reduction and polynomials within |x| <= 117435.992 (sin) /
 *     71476.0625 (cos), the C library beyond; targets AVX2+FMA3, AVX512F);
 *   - float32 exp and log (loops_exponent_log.dispatch.c.src's
 *     simd_exp_FLOAT / simd_log_FLOAT; AVX2+FMA3 and AVX512F compute the
 *     same values: their getexp/getmant/scalef emulations are exact).
 * numpy's wheels are built by GCC, whose intrinsics are vector
 * expressions that GNU C's default -ffp-contract=fast fuses: an
 * intrinsic multiply feeding an add (x * 2/pi + magic, x * log2(e) +
 * magic) is one fused multiply-add there, and here.
 * np_math.c calls these only where numpy's dispatch would run them. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "np_math_simd.h"

static uint64_t bits64(double x) {
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
static double from64(uint64_t u) {
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}
static uint32_t bits32(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
static float from32(uint32_t u) {
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* ---------------------------------------------------------------- tanh */

/* simd_tanh_f64's lut16x18: 18 rows (b, c0..c16) of 16 intervals */
static const uint64_t tanh_lut64[18 * 16] = {
    0x0ull, 0x3fcc000000000000ull, 0x3fd4000000000000ull, 0x3fdc000000000000ull,
    0x3fe4000000000000ull, 0x3fec000000000000ull, 0x3ff4000000000000ull, 0x3ffc000000000000ull,
    0x4004000000000000ull, 0x400c000000000000ull, 0x4014000000000000ull, 0x401c000000000000ull,
    0x4024000000000000ull, 0x402c000000000000ull, 0x4034000000000000ull, 0x0ull,
    0x0ull, 0x3fcb8fd0416a7c92ull, 0x3fd35f98a0ea650eull, 0x3fda5729ee488037ull,
    0x3fe1bf47eabb8f95ull, 0x3fe686650b8c2015ull, 0x3feb2523bb6b2deeull, 0x3fee1fbf97e33527ull,
    0x3fef9258260a71c2ull, 0x3feff112c63a9077ull, 0x3fefff419668df11ull, 0x3feffffc832750f2ull,
    0x3feffffffdc96f35ull, 0x3fefffffffffcf58ull, 0x3ff0000000000000ull, 0x3ff0000000000000ull,
    0x3ff0000000000000ull, 0x3fee842ca3f08532ull, 0x3fed11574af58f1bull, 0x3fea945b9c24e4f9ull,
    0x3fe6284c3374f815ull, 0x3fe02500a09f8d6eull, 0x3fd1f25131e3a8c0ull, 0x3fbd22ca1c24a139ull,
    0x3f9b3afe1fba5c76ull, 0x3f6dd37d19b22b21ull, 0x3f27ccec13a9ef96ull, 0x3ecbe6c3f33250aeull,
    0x3e41b4865394f75full, 0x3d8853f01bda5f28ull, 0x3c73953c0197ef58ull, 0x0ull,
    0xbbf0b3ea3fdfaa19ull, 0xbfca48aaeb53bc21ull, 0xbfd19921f4329916ull, 0xbfd5e0f09bef8011ull,
    0xbfd893b59c35c882ull, 0xbfd6ba7cb7576538ull, 0xbfce7291743d7555ull, 0xbfbb6d85a01efb80ull,
    0xbf9addae58c7141aull, 0xbf6dc59376c7aa19ull, 0xbf27cc5e74677410ull, 0xbecbe6c0e8b4cc87ull,
    0xbe41b486526b0565ull, 0xbd8853f01bef63a4ull, 0xbc73955be519be31ull, 0x0ull,
    0xbfd5555555555555ull, 0xbfd183afc292ba11ull, 0xbfcc1a4b039c9bfaull, 0xbfc16e1e6d8d0be6ull,
    0xbf92426c751e48a2ull, 0x3fb4f152b2bad124ull, 0x3fbbba40cbef72beull, 0x3fb01ba038be6a3dull,
    0x3f916df44871efc8ull, 0x3f63c6869dfc8870ull, 0x3f1fb9aef915d828ull, 0x3ec299d1e27c6e11ull,
    0x3e379b5ddcca334cull, 0x3d8037f57bc62c9aull, 0x3c6a2d4b50a2cff7ull, 0x0ull,
    0xbce6863ee44ed636ull, 0x3fc04dcd0476c75eull, 0x3fc43d3449a80f08ull, 0x3fc5c26f3699b7e7ull,
    0x3fc1a686f6ab2533ull, 0x3faf203c316ce730ull, 0xbf89c7a02788557cull, 0xbf98157e26e0d541ull,
    0xbf807b55c1c7d278ull, 0xbf53a18d5843190full, 0xbf0fb6bbc89b1a5bull, 0xbeb299c9c684a963ull,
    0xbe279b5dd4fb3d01ull, 0xbd7037f57ae72aa6ull, 0xbc5a2ca2bba78e86ull, 0x0ull,
    0x3fc1111111112ab5ull, 0x3fb5c19efdfc08adull, 0x3fa74c98dc34fbacull, 0xbf790d6a8eff0a77ull,
    0xbfac3c021789a786ull, 0xbfae2196b7326859ull, 0xbf93a7a011ff8c2aull, 0x3f6e4709c7e8430eull,
    0x3f67682afa611151ull, 0x3f3ef2ee77717cbfull, 0x3ef95a4482f180b7ull, 0x3e9dc2c27da3b603ull,
    0x3e12e2afd9f7433eull, 0x3d59f320348679baull, 0x3c44b61d9bbcc940ull, 0x0ull,
    0xbda1ea19ddddb3b4ull, 0xbfb0b8df995ce4dfull, 0xbfb2955cf41e8164ull, 0xbfaf9d05c309f7c6ull,
    0xbf987d27ccff4291ull, 0x3f8b2ca62572b098ull, 0x3f8f1cf6c7f5b00aull, 0x3f60379811e43dd5ull,
    0xbf4793826f78537eull, 0xbf2405695e36240full, 0xbee0e08de39ce756ull, 0xbe83d709ba5f714eull,
    0xbdf92e3fc5ee63e0ull, 0xbd414cc030f2110eull, 0xbc2ba022e8d82a87ull, 0x0ull,
    0xbfaba1ba1990520bull, 0xbf96e37bba52f6fcull, 0x3ecff7df18455399ull, 0x3f97362834d33a4eull,
    0x3f9e7f8380184b45ull, 0x3f869543e7c420d4ull, 0xbf7326bd4914222aull, 0xbf5fc15b0a9d98faull,
    0x3f14cffcfa69fbb6ull, 0x3f057e48e5b79d10ull, 0x3ec33b66d7d77264ull, 0x3e66ac4e578b9b10ull,
    0x3ddcc74b8d3d5c42ull, 0x3d23c589137f92b4ull, 0x3c107f8e2c8707a1ull, 0x0ull,
    0xbe351ca7f096011full, 0x3f9eaaf3320c3851ull, 0x3f9cf823fe761fc1ull, 0x3f9022271754ff1full,
    0xbf731fe77c9c60afull, 0xbf84a6046865ec7dull, 0xbf4ca3f1f2b9192bull, 0x3f4c77dee0afd227ull,
    0x3f04055bce68597aull, 0xbee2bf0cb4a71647ull, 0xbea31eaafe73efd5ull, 0xbe46abb02c4368edull,
    0xbdbcc749ca8079ddull, 0xbd03c5883836b9d2ull, 0xbbf07a5416264aecull, 0x0ull,
    0x3f9664f94e6ac14eull, 0xbf94d3343bae39ddull, 0xbf7bc748e60df843ull, 0xbf8c89372b43ba85ull,
    0xbf8129a092de747aull, 0x3f60c85b4d538746ull, 0x3f5be9392199ec18ull, 0xbf2a0c68a4489f10ull,
    0xbf00462601dc2faaull, 0x3eb7b6a219dea9f4ull, 0x3e80cbcc8d4c5c8aull, 0x3e2425bb231a5e29ull,
    0x3d9992a4beac8662ull, 0x3ce191ba5ed3fb67ull, 0x3bc892450bad44c4ull, 0x0ull,
    0xbea8c4c1fd7852feull, 0xbfccce16b1046f13ull, 0xbf81a16f224bb7b6ull, 0xbf62cbf00406bc09ull,
    0x3f75b29bb02cf69bull, 0x3f607df0f9f90c17ull, 0xbf4b852a6e0758d5ull, 0xbf0078c63d1b8445ull,
    0x3eec12eadd55be7aull, 0xbe6fa600f593181bull, 0xbe5a3c935dce3f7dull, 0xbe001c6d95e3ae96ull,
    0xbd74755a00ea1fd3ull, 0xbcbc1c6c063bb7acull, 0xbba3be9a4460fe00ull, 0x0ull,
    0xbf822404577aa9ddull, 0x403d8b07f7a82aa3ull, 0xbf9f44ab92fbab0aull, 0x3fb2eac604473d6aull,
    0x3f45f87d903aaac8ull, 0xbf5e104671036300ull, 0x3f19bc98ddf0f340ull, 0x3f0d4304bc9246e8ull,
    0xbed13c415f7b9d41ull, 0xbe722b8d9720cdb0ull, 0x3e322666d739bec0ull, 0x3dd76a553d7e7918ull,
    0x3d4de0fa59416a39ull, 0x3c948716cf3681b4ull, 0x3b873f9f2d2fda99ull, 0x0ull,
    0xbefdd99a221ed573ull, 0x4070593a3735bab4ull, 0xbfccab654e44835eull, 0x3fd13ed80037dbacull,
    0xbf6045b9076cc487ull, 0x3f2085ee7e8ac170ull, 0x3f23524622610430ull, 0xbeff12a6626911b4ull,
    0x3eab9008bca408afull, 0x3e634df71865f620ull, 0xbe05bb1bcf83ca73ull, 0xbdaf2ac143fb6762ull,
    0xbd23eae52a3dbf57ull, 0xbc6b5e3e9ca0955eull, 0xbb5eca68e2c1ba2eull, 0x0ull,
    0x3f6e3be689423841ull, 0xc0d263511f5baac1ull, 0x40169f73b15ebe5cull, 0xc025c1dd41cd6cb5ull,
    0xbf58fd89fe05e0d1ull, 0x3f73f7af01d5af7aull, 0xbf1e40bdead17e6bull, 0x3ee224cd6c4513e5ull,
    0xbe24b645e68eeaa3ull, 0xbe4abfebfb72bc83ull, 0x3dd51c38f8695ed3ull, 0x3d8313ac38c6832bull,
    0x3cf7787935626685ull, 0x3c401ffc49c6bc29ull, 0xbabf0b21acfa52abull, 0x0ull,
    0xbf2a1306713a4f3aull, 0xc1045e509116b066ull, 0x4041fab9250984ceull, 0xc0458d090ec3de95ull,
    0xbf74949d60113d63ull, 0x3f7c9fd6200d0adeull, 0x3f02cd40e0ad0a9full, 0xbe858ab8e019f311ull,
    0xbe792fa6323b7cf8ull, 0x3e2df04d67876402ull, 0xbd95c72be95e4d2cull, 0xbd55a89c30203106ull,
    0xbccad6b3bb9eff65ull, 0xbc12705ccd3dd884ull, 0xba8e0a4c47ae75f5ull, 0x0ull,
    0xbf55d7e76dc56871ull, 0x41528c38809c90c7ull, 0xc076d57fb5190b02ull, 0x4085f09f888f8adaull,
    0x3fa246332a2fcba5ull, 0xbfb29d851a896fcdull, 0x3ed9065ae369b212ull, 0xbeb8e1ba4c98a030ull,
    0x3e6ffd0766ad4016ull, 0xbe0c63c29f505f5bull, 0xbd7fab216b9e0e49ull, 0x3d2826b62056aa27ull,
    0x3ca313e31762f523ull, 0x3bea37aa21895319ull, 0x3ae5c7f1fd871496ull, 0x0ull,
    0x3f35e67ab76a26e7ull, 0x41848ee0627d8206ull, 0xc0a216d618b489ecull, 0x40a5b89107c8af4full,
    0x3fb69d8374520edaull, 0xbfbded519f981716ull, 0xbef02d288b5b3371ull, 0x3eb290981209c1a6ull,
    0xbe567e924bf5ff6eull, 0x3de3f7f7de6b0eb6ull, 0x3d69ed18bae3ebbcull, 0xbcf7534c4f3dfa71ull,
    0xbc730b73f1eaff20ull, 0xbbba2cff8135d462ull, 0xbab5a71b5f7d9035ull, 0x0ull,};

/* simd_tanh_f32's lut32x8: 8 rows (b, c0..c6) of 32 intervals */
static const uint32_t tanh_lut32[8 * 32] = {
    0x0u, 0x3d700000u, 0x3d900000u, 0x3db00000u, 0x3dd00000u, 0x3df00000u, 0x3e100000u, 0x3e300000u,
    0x3e500000u, 0x3e700000u, 0x3e900000u, 0x3eb00000u, 0x3ed00000u, 0x3ef00000u, 0x3f100000u, 0x3f300000u,
    0x3f500000u, 0x3f700000u, 0x3f900000u, 0x3fb00000u, 0x3fd00000u, 0x3ff00000u, 0x40100000u, 0x40300000u,
    0x40500000u, 0x40700000u, 0x40900000u, 0x40b00000u, 0x40d00000u, 0x40f00000u, 0x41100000u, 0x0u,
    0x0u, 0x3d6fb9c9u, 0x3d8fc35fu, 0x3daf9169u, 0x3dcf49abu, 0x3deee849u, 0x3e0f0ee8u, 0x3e2e4984u,
    0x3e4d2f8eu, 0x3e6bb32eu, 0x3e8c51cdu, 0x3ea96163u, 0x3ec543f1u, 0x3edfd735u, 0x3f028438u, 0x3f18abf0u,
    0x3f2bc480u, 0x3f3bec1cu, 0x3f4f2e5bu, 0x3f613c53u, 0x3f6ce37du, 0x3f743c4fu, 0x3f7a5febu, 0x3f7dea85u,
    0x3f7f3b3du, 0x3f7fb78cu, 0x3f7fefd4u, 0x3f7ffdd0u, 0x3f7fffb4u, 0x3f7ffff6u, 0x3f7fffffu, 0x3f800000u,
    0x3f800000u, 0x3f7f1f84u, 0x3f7ebd11u, 0x3f7e1e5fu, 0x3f7d609fu, 0x3f7c842du, 0x3f7b00e5u, 0x3f789580u,
    0x3f75b8adu, 0x3f726fd9u, 0x3f6cc59bu, 0x3f63fb92u, 0x3f59ff97u, 0x3f4f11d7u, 0x3f3d7573u, 0x3f24f360u,
    0x3f0cbfe7u, 0x3eec1a69u, 0x3eb0a801u, 0x3e6753a2u, 0x3e132f1au, 0x3db7e7d3u, 0x3d320845u, 0x3c84d3d4u,
    0x3bc477b7u, 0x3b10d3dau, 0x3a01601eu, 0x388c1a3bu, 0x3717b0dau, 0x35a43bceu, 0x338306c6u, 0x0u,
    0xb0343c7bu, 0xbd6ee69du, 0xbd8f0da7u, 0xbdae477du, 0xbdcd2a1fu, 0xbdeba80du, 0xbe0c443bu, 0xbe293cf3u,
    0xbe44f282u, 0xbe5f3651u, 0xbe81c7c0u, 0xbe96d7cau, 0xbea7fb8eu, 0xbeb50e9eu, 0xbec12efeu, 0xbec4be92u,
    0xbebce070u, 0xbead510eu, 0xbe8ef7d6u, 0xbe4b8704u, 0xbe083237u, 0xbdaf7449u, 0xbd2e1ec4u, 0xbc83bf06u,
    0xbbc3e0b5u, 0xbb10aadcu, 0xba0157dbu, 0xb88c18f2u, 0xb717b096u, 0xb5a43baeu, 0xb383012cu, 0x0u,
    0xbeaaaaa5u, 0xbeab0612u, 0xbea7f01fu, 0xbea4e120u, 0xbea387b7u, 0xbea15962u, 0xbe9d57f7u, 0xbe976b5au,
    0xbe90230du, 0xbe880dffu, 0xbe7479b3u, 0xbe4c3d88u, 0xbe212482u, 0xbdeb8cbau, 0xbd5e78adu, 0x3c6b5e6eu,
    0x3d839143u, 0x3dc21ee1u, 0x3de347afu, 0x3dcbec96u, 0x3d99ef2du, 0x3d542ea1u, 0x3cdde701u, 0x3c2cca67u,
    0x3b81cb27u, 0x3ac073a1u, 0x39ac3032u, 0x383a94d9u, 0x36ca081du, 0x355abd4cu, 0x332b3cb6u, 0x0u,
    0xb76dd6b9u, 0xbe1c276du, 0x3c1dcf2fu, 0x3dc1a78du, 0x3d96f985u, 0x3da2b61bu, 0x3dc13397u, 0x3dd2f670u,
    0x3df48a0au, 0x3e06c5a8u, 0x3e1a3abau, 0x3e27c405u, 0x3e2e78d0u, 0x3e2c3e44u, 0x3e1d3097u, 0x3df4a8f4u,
    0x3da38508u, 0x3d31416au, 0x3b562657u, 0xbcaeeac9u, 0xbcce9419u, 0xbcaaeac4u, 0xbc49e7d0u, 0xbba71dddu,
    0xbb003b0eu, 0xba3f9a05u, 0xb92c08a7u, 0xb7ba9232u, 0xb64a0b0fu, 0xb4dac169u, 0xb2ab78acu, 0x0u,
    0x3e0910e9u, 0x43761143u, 0x4165ecdcu, 0xc190f756u, 0xc08c097du, 0xc02ba813u, 0xbf7f6bdau, 0x3f2b1dc0u,
    0x3ece105du, 0x3f426a94u, 0xbadb0dc4u, 0x3da43b17u, 0xbd51ab88u, 0xbcaea23du, 0xbd3b6d8du, 0xbd6caaadu,
    0xbd795bedu, 0xbd5fdddau, 0xbd038f3bu, 0xbc1cad63u, 0x3abb4766u, 0x3b95f10bu, 0x3b825873u, 0x3afaea66u,
    0x3a49f878u, 0x39996bf3u, 0x388f3e6cu, 0x371bb0e3u, 0x35a8a5e6u, 0x34369b17u, 0x322487b0u, 0x0u,
    0xbc0e2f66u, 0x460bda12u, 0x43d638efu, 0xc3e11c3eu, 0xc2baa4e9u, 0xc249da2du, 0xc1859b82u, 0x40dd5b57u,
    0x40494640u, 0x40c730a8u, 0xbf0f160eu, 0x3e30e76fu, 0xbea81387u, 0xbdb26a1cu, 0xbd351e57u, 0xbb4c01a0u,
    0x3c1d7bfbu, 0x3c722cd1u, 0x3c973f1cu, 0x3c33a31bu, 0x3b862ef4u, 0x3a27b3d0u, 0xba3b5907u, 0xba0efc22u,
    0xb97f9f0fu, 0xb8c8af50u, 0xb7bdddfbu, 0xb64f2950u, 0xb4e085b1u, 0xb3731dfau, 0xb15a1f04u, 0x0u,};

double np_simd_tanh_f64(double x) {
    uint64_t u = bits64(x);
    int64_t ndnan = (int64_t)(u & 0x7ff8000000000000ull);
    bool special = ndnan <= 0x7fe0000000000000ll; /* false: |x| huge, inf or nan */
    if (x != x) return NAN;
    /* the index: the high 32 bits of ndnan - 0x3fc0000000000000 (the low
     * ones are zero), clamped to [0, 0x780000] as int32, then >> 19 */
    uint32_t hi_bits = (uint32_t)((uint64_t)(ndnan - 0x3fc0000000000000ll) >> 32);
    int32_t hi = hi_bits > 0x7fffffffu ? -1 : (int32_t)hi_bits;
    if (hi < 0) hi = 0;
    if (hi > 0x780000) hi = 0x780000;
    unsigned idx = (unsigned)hi >> 19;
    const uint64_t *t = tanh_lut64 + idx;
    double b = from64(t[0]), y = fabs(x) - b;
    double r = fma(from64(t[17 * 16]), y, from64(t[16 * 16]));
    for (int k = 15; k >= 1; k--) r = fma(r, y, from64(t[k * 16]));
    if (!special) r = 1.0;
    return from64(bits64(r) | (u & 0x8000000000000000ull));
}

float np_simd_tanh_f32(float x) {
    uint32_t u = bits32(x);
    int32_t ndnan = (int32_t)(u & 0x7fe00000u);
    bool special = ndnan <= 0x7f000000;
    if (x != x) return NAN;
    int32_t i = ndnan - 0x3d400000;
    if (i < 0) i = 0;
    if (i > 0x3e00000) i = 0x3e00000;
    unsigned idx = (unsigned)i >> 21;
    const uint32_t *t = tanh_lut32 + idx;
    float b = from32(t[0]), y = fabsf(x) - b;
    float r = fmaf(from32(t[7 * 32]), y, from32(t[6 * 32]));
    for (int k = 5; k >= 1; k--) r = fmaf(r, y, from32(t[k * 32]));
    if (!special) r = 1.0f;
    return from32(bits32(r) | (u & 0x80000000u));
}

/* ------------------------------------------------------- sin, cos (f32) */

float np_simd_sincos_f32(float x, bool cos_op) {
    float max_cody = cos_op ? 71476.0625f : 117435.992f;
    if (!(fabsf(x) <= max_cody)) return cos_op ? cosf(x) : sinf(x); /* nan, inf, large: libc */
    /* numpy's x * 2/pi + magic: GCC fuses the intrinsics' vector
     * multiply and add (GNU C's default -ffp-contract=fast) */
    float q = fmaf(x, 0x1.45f306p-1f, 0x1.800000p+23f);
    q = q - 0x1.800000p+23f;
    float r = fmaf(q, -0x1.921fb0p+00f, x);
    r = fmaf(q, -0x1.5110b4p-22f, r);
    r = fmaf(q, -0x1.846988p-48f, r);
    float r2 = r * r;
    float c = fmaf(0x1.98e616p-16f, r2, -0x1.6c06dcp-10f);
    c = fmaf(c, r2, 0x1.55553cp-05f);
    c = fmaf(c, r2, -0x1.000000p-01f);
    c = fmaf(c, r2, 0x1.000000p+00f);
    float s = fmaf(0x1.7d3bbcp-19f, r2, -0x1.a06bbap-13f);
    s = fmaf(s, r2, 0x1.11119ap-07f);
    s = fmaf(s, r2, -0x1.555556p-03f);
    s = fmaf(s, r2, 0.0f);
    s = fmaf(s, r, r);
    int32_t iq = (int32_t)q; /* q is integral and |q| < 2^17 */
    if (cos_op) iq += 1;
    float v = (iq & 1) == 0 ? s : c;
    return (iq & 2) == 2 ? 0.0f - v : v;
}

/* ------------------------------------------------------- exp, log (f32) */

float np_simd_exp_f32(float x) {
    const float xmax = 88.72283935546875f, xmin = -103.97208404541015625f;
    if (x != x) return NAN;
    if (x >= xmax) return INFINITY;
    if (x <= xmin) return 0.0f;
    /* x * log2(e) + magic fused, as GCC compiles numpy's intrinsics */
    float q = fmaf(x, 1.442695040888963407359924681001892137F, 0x1.800000p+23f);
    q = q - 0x1.800000p+23f;
    float y = fmaf(q, -6.93145752e-1f, x);
    y = fmaf(q, -1.42860677e-6f, y);
    y = fmaf(q, 0.0f, y);
    float p = fmaf(5.082762527590693718096e-04f, y, 6.757896990527504603057e-03f);
    p = fmaf(p, y, 5.114512081637298353406e-02f);
    p = fmaf(p, y, 2.473615434895520810817e-01f);
    p = fmaf(p, y, 7.257664613233124478488e-01f);
    p = fmaf(p, y, 9.999999999980870924916e-01f);
    float d = fmaf(2.159509375685829852307e-02f, y, -2.742335390411667452936e-01f);
    d = fmaf(d, y, 1.000000000000000000000e+00f);
    return ldexpf(p / d, (int)q); /* scalef: q in [-150, 128] here */
}

float np_simd_log_f32(float x) {
    if (x != x) return NAN;
    if (x < 0.0f) return -NAN;
    if (x == 0.0f) return -INFINITY;
    if (x == INFINITY) return INFINITY;
    int e;
    float m = frexpf(x, &e); /* getmant to [0.5, 1), getexp + 1 */
    float ex = (float)e;
    if (m <= 0.707106781186547524400844362104849039F) {
        m = m + m;
        ex = ex - 1.0f;
    }
    m = m - 1.0f;
    float p = fmaf(2.589979117907922693523e-02f, m, 3.808837741388407920751e-01f);
    p = fmaf(p, m, 1.480000633576506585156e+00f);
    p = fmaf(p, m, 2.112677543073053063722e+00f);
    p = fmaf(p, m, 9.999999999999998702752e-01f);
    p = fmaf(p, m, 0.000000000000000000000e+00f);
    float d = fmaf(5.875095403124574342950e-03f, m, 1.546476374983906719538e-01f);
    d = fmaf(d, m, 9.864942958519418960339e-01f);
    d = fmaf(d, m, 2.453006071784736363091e+00f);
    d = fmaf(d, m, 2.612677543073109236779e+00f);
    d = fmaf(d, m, 1.000000000000000000000e+00f);
    return fmaf(ex, 0.693147180559945309417232121458176568F, p / d);
}
