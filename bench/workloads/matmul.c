/* Double-precision matrix multiply on static arrays: f64 loads, stores, mul/add. */
#include "kernels.h"

#define MAXN 384
static double a[MAXN * MAXN], b[MAXN * MAXN], c[MAXN * MAXN];

uint32_t matmul(uint32_t n) {
  if (n > MAXN) n = MAXN;
  for (uint32_t i = 0; i < n * n; ++i) {
    a[i] = (double)(i % 17) * 0.5;
    b[i] = (double)(i % 13) * 0.25 + 1.0;
  }
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t j = 0; j < n; ++j) {
      double s = 0.0;
      for (uint32_t k = 0; k < n; ++k) s += a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
  double sum = 0.0;
  for (uint32_t i = 0; i < n * n; ++i) sum += c[i];
  return (uint32_t)(uint64_t)sum;
}
