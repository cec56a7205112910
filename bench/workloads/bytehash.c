/* FNV-1a style hash over a 64 KiB buffer, repeated: a tight integer loop. */
#include "kernels.h"

#define LEN 65536
static uint8_t buf[LEN];

uint32_t bytehash(uint32_t rounds) {
  for (uint32_t i = 0; i < LEN; ++i) buf[i] = (uint8_t)(i * 31 + 7);
  uint32_t h = 2166136261u;
  for (uint32_t r = 0; r < rounds; ++r)
    for (uint32_t i = 0; i < LEN; ++i) {
      h ^= buf[i];
      h *= 16777619u;
    }
  return h;
}
