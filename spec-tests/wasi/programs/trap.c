// Prints a line, then traps (unreachable): tandem must report the trap and exit 1.
#include <stdio.h>

int main(void) {
  printf("before the trap\n");
  fflush(stdout);
  __builtin_trap();
}
