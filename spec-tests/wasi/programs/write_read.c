// Writes a file (argv[1]), appends to it, reads it back with seeks, checks
// its size with stat, then prints what it read.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  FILE* f = fopen(argv[1], "w");
  if (!f) {
    fprintf(stderr, "open for writing: %s\n", strerror(errno));
    return 1;
  }
  fputs("first line\n", f);
  fclose(f);
  f = fopen(argv[1], "a");
  if (!f) return 1;
  fputs("second line\n", f);
  fclose(f);
  struct stat st;
  if (stat(argv[1], &st) != 0) return 1;
  printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode) ? 1 : 0);
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return 1;
  char buf[64] = {0};
  off_t end = lseek(fd, 0, SEEK_END);
  lseek(fd, 6, SEEK_SET);
  ssize_t n = read(fd, buf, 4);
  printf("end=%lld read@6=%.*s tell=%lld\n", (long long)end, (int)n, buf,
         (long long)lseek(fd, 0, SEEK_CUR));
  lseek(fd, 0, SEEK_SET);
  n = read(fd, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("content:\n%s", buf);
  close(fd);
  return 0;
}
