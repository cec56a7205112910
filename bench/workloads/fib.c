/* Recursive Fibonacci: call-heavy, measures call overhead and frame setup. */
#include "kernels.h"

static uint32_t fib_rec(uint32_t n) { return n < 2 ? n : fib_rec(n - 1) + fib_rec(n - 2); }

uint32_t fib(uint32_t n) { return fib_rec(n); }
