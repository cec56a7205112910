/* Native (gcc -O2) driver for the kernels: times each kernel in-process and
 * prints "kernel arg checksum seconds cpu-seconds" (wall clock and process CPU
 * time) for bench/compare. */
#include "kernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s KERNEL ARG\n", argv[0]);
    return 2;
  }
  uint32_t arg = (uint32_t)strtoul(argv[2], 0, 10);
  uint32_t (*fn)(uint32_t) = 0;
  if (!strcmp(argv[1], "fib"))
    fn = fib;
  else if (!strcmp(argv[1], "matmul"))
    fn = matmul;
  else if (!strcmp(argv[1], "sieve"))
    fn = sieve;
  else if (!strcmp(argv[1], "bytehash"))
    fn = bytehash;
  else if (!strcmp(argv[1], "coremark"))
    fn = coremark;
  else if (!strcmp(argv[1], "vecmix"))
    fn = vecmix;
  if (!fn) {
    fprintf(stderr, "unknown kernel %s\n", argv[1]);
    return 2;
  }
  double c0 = now(CLOCK_PROCESS_CPUTIME_ID);
  double t0 = now(CLOCK_MONOTONIC);
  uint32_t r = fn(arg);
  double t1 = now(CLOCK_MONOTONIC);
  double c1 = now(CLOCK_PROCESS_CPUTIME_ID);
  printf("%s %u %u %.6f %.6f\n", argv[1], arg, r, t1 - t0, c1 - c0);
  return 0;
}
