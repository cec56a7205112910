/* Sieve of Eratosthenes over a byte array: byte loads/stores and branches. */
#include "kernels.h"

#define MAXN (1u << 24)
static uint8_t composite[MAXN];

uint32_t sieve(uint32_t n) {
  if (n > MAXN) n = MAXN;
  for (uint32_t i = 0; i < n; ++i) composite[i] = 0;
  uint32_t count = 0;
  for (uint32_t i = 2; i < n; ++i) {
    if (composite[i]) continue;
    ++count;
    for (uint32_t j = i * 2; j < n; j += i) composite[j] = 1;
  }
  return count;
}
