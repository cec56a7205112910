// Lists a directory (argv[1]) sorted by name, without "." and "..", with
// d/f/l/? for the entry type.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  DIR* d = opendir(argv[1]);
  if (!d) {
    fprintf(stderr, "opendir %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  char* names[256];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 256) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char kind = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
    size_t len = strlen(e->d_name);
    names[n] = malloc(len + 3);
    names[n][0] = kind;
    names[n][1] = ' ';
    memcpy(names[n] + 2, e->d_name, len + 1);
    ++n;
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], compare);
  for (int i = 0; i < n; ++i) printf("%s\n", names[i]);
  return 0;
}
