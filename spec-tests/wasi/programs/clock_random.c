// Clocks, sleeping (poll_oneoff with a clock subscription) and random bytes.
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  struct timespec t0, t1, res;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct timespec nap = {0, 20 * 1000 * 1000};
  nanosleep(&nap, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long long ms = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000LL;
  printf("slept >= 20ms: %s\n", ms >= 20 ? "yes" : "no");
  printf("clock_getres ok: %s\n", clock_getres(CLOCK_REALTIME, &res) == 0 ? "yes" : "no");
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  printf("realtime after 2020: %s\n", now.tv_sec > 1577836800 ? "yes" : "no");
  unsigned char bytes[32] = {0};
  int nonzero = 0;
  if (getentropy(bytes, sizeof bytes) != 0) return 1;
  for (int i = 0; i < 32; ++i) nonzero += bytes[i] != 0;
  printf("random bytes: %s\n", nonzero > 8 ? "yes" : "no");
  return 0;
}
