// Prints a greeting: the smallest WASI command (fd_write on stdout).
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 0;
}
