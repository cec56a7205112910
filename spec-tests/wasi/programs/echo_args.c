// Prints argc, every argv entry, and the environment variables whose names
// start with TANDEM_ (sorted), one per line.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

static int compare(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  const char* vars[64];
  int n = 0;
  for (char** e = environ; *e && n < 64; ++e)
    if (strncmp(*e, "TANDEM_", 7) == 0) vars[n++] = *e;
  qsort(vars, (size_t)n, sizeof vars[0], compare);
  for (int i = 0; i < n; ++i) printf("env %s\n", vars[i]);
  const char* one = getenv("TANDEM_ONE");
  printf("getenv(TANDEM_ONE)=%s\n", one ? one : "(null)");
  return 0;
}
