/* Benchmark kernels shared by the wasm32 build and the native gcc -O2 baseline.
 * Freestanding C: no libc, so the same source builds with -nostdlib for wasm.
 * Every kernel takes a size parameter and returns a checksum, so that the
 * drivers can check the tiers compute the same thing. */
#ifndef TANDEM_BENCH_KERNELS_H
#define TANDEM_BENCH_KERNELS_H
#include <stdint.h>

#if defined(__wasm__)
#define KERNEL_EXPORT(name) __attribute__((export_name(#name)))
#else
#define KERNEL_EXPORT(name)
#endif

KERNEL_EXPORT(fib) uint32_t fib(uint32_t n);
KERNEL_EXPORT(matmul) uint32_t matmul(uint32_t n);
KERNEL_EXPORT(sieve) uint32_t sieve(uint32_t n);
KERNEL_EXPORT(bytehash) uint32_t bytehash(uint32_t rounds);
KERNEL_EXPORT(coremark) uint32_t coremark(uint32_t iterations);
KERNEL_EXPORT(vecmix) uint32_t vecmix(uint32_t rounds); /* SIMD (vecmix.c) */

#endif
