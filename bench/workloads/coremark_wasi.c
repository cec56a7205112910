/* WASI command around the CoreMark-like kernel (coremark.c), for the
 * end-to-end `tandem run` benchmark in bench/compare (row "coremark-run"):
 * `coremark_wasi.wasm N` runs coremark(N) and prints "coremark N checksum".
 * The runner measures the whole process (start-up, compile, run) from outside. */
#include "kernels.h"
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: coremark_wasi.wasm ITERATIONS\n");
    return 2;
  }
  uint32_t n = (uint32_t)strtoul(argv[1], 0, 10);
  printf("coremark %u %u\n", n, coremark(n));
  return 0;
}
