/* SIMD kernel (issue 5): each round runs an f32 "y = 0.5*y + s*x" update and
 * an f32 dot product over 4 KiB vectors, then a sum of absolute byte
 * differences (SAD, as in motion search) over 16 KiB at a shifting offset,
 * then a wrapping byte update. The wasm32 build (-msimd128) uses
 * wasm_simd128.h: f32x4 mul/add, i8x16 min_u/max_u/sub/add,
 * extadd_pairwise, i32x4 add, lane extracts and v128 loads/stores. The native
 * baseline (gcc -O2) runs the plain C path with the same arithmetic in the
 * same order: the dot product keeps four lane accumulators (lane = index mod
 * 4) and adds them as (l0 + l1) + (l2 + l3), so the f32 bits, and the
 * checksum, are identical on every engine. Build with -ffp-contract=off (no
 * fused multiply-add: wasm has none outside relaxed SIMD). x is never zero
 * and y is bounded, so no value becomes subnormal. */
#include "kernels.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

#define NF 1024   /* f32 elements per vector (4 KiB) */
#define NB 16384  /* bytes compared by the SAD per round */
#define SHIFT 256 /* the SAD offset cycles through 0..SHIFT-1 */

static float vx[NF], vy[NF];
static uint8_t ba[NB], bb[NB + SHIFT];

static uint32_t float_bits(float f) {
  union {
    float f;
    uint32_t u;
  } v = {f};
  return v.u;
}

static void init(void) {
  for (uint32_t i = 0; i < NF; ++i) {
    vx[i] = (float)((i * 37u) % 101u + 1u) * (1.0f / 128.0f);
    vy[i] = (float)((i * 11u) % 53u) * (1.0f / 64.0f);
  }
  for (uint32_t i = 0; i < NB; ++i) ba[i] = (uint8_t)(i * 7u + (i >> 5));
  for (uint32_t i = 0; i < NB + SHIFT; ++i) bb[i] = (uint8_t)(i * 13u ^ (i >> 3));
}

#if defined(__wasm_simd128__)

static float update_and_dot(float s) {
  v128_t half = wasm_f32x4_splat(0.5f), sv = wasm_f32x4_splat(s);
  v128_t acc = wasm_f32x4_splat(0.0f);
  for (uint32_t i = 0; i < NF; i += 4) {
    v128_t x = wasm_v128_load(&vx[i]);
    v128_t y = wasm_v128_load(&vy[i]);
    y = wasm_f32x4_add(wasm_f32x4_mul(y, half), wasm_f32x4_mul(x, sv));
    wasm_v128_store(&vy[i], y);
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(x, y));
  }
  return (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) +
         (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
}

static uint32_t sad_and_update(uint32_t off, uint8_t bump) {
  v128_t sum = wasm_i32x4_splat(0);
  v128_t add = wasm_i8x16_splat((int8_t)bump);
  for (uint32_t i = 0; i < NB; i += 16) {
    v128_t a = wasm_v128_load(&ba[i]);
    v128_t b = wasm_v128_load(&bb[i + off]);
    v128_t diff = wasm_i8x16_sub(wasm_u8x16_max(a, b), wasm_u8x16_min(a, b));
    sum = wasm_i32x4_add(sum,
                         wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(diff)));
    wasm_v128_store(&ba[i], wasm_i8x16_add(wasm_i8x16_add(a, b), add));
  }
  return (uint32_t)wasm_i32x4_extract_lane(sum, 0) + (uint32_t)wasm_i32x4_extract_lane(sum, 1) +
         (uint32_t)wasm_i32x4_extract_lane(sum, 2) + (uint32_t)wasm_i32x4_extract_lane(sum, 3);
}

#else /* plain C: the same arithmetic, lane by lane */

static float update_and_dot(float s) {
  float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (uint32_t i = 0; i < NF; i += 4)
    for (uint32_t l = 0; l < 4; ++l) {
      float y = vy[i + l] * 0.5f + vx[i + l] * s;
      vy[i + l] = y;
      acc[l] = acc[l] + vx[i + l] * y;
    }
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

static uint32_t sad_and_update(uint32_t off, uint8_t bump) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < NB; ++i) {
    uint8_t a = ba[i], b = bb[i + off];
    sum += a > b ? (uint32_t)(a - b) : (uint32_t)(b - a);
    ba[i] = (uint8_t)(a + b + bump);
  }
  return sum;
}

#endif

uint32_t vecmix(uint32_t rounds) {
  init();
  uint32_t h = 2166136261u;
  for (uint32_t r = 0; r < rounds; ++r) {
    float dot = update_and_dot((float)(r & 7u) * 0.125f);
    uint32_t sad = sad_and_update((r * 37u) % SHIFT, (uint8_t)r);
    h = (h ^ float_bits(dot)) * 16777619u;
    h = (h ^ sad) * 16777619u;
  }
  return h;
}
