// Tries to leave the preopened directory in several ways; every attempt must
// fail. Prints one line per attempt and exits 0 only if all of them failed.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int attempt(const char* what, int result) {
  if (result >= 0) {
    printf("%s: ESCAPED\n", what);
    return 1;
  }
  printf("%s: refused (%s)\n", what, errno == ENOTCAPABLE ? "ENOTCAPABLE" : strerror(errno));
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const char* root = argv[1]; // the preopen's guest name
  char path[512];
  int escaped = 0;
  struct stat st;
  snprintf(path, sizeof path, "%s/../../../../etc/passwd", root);
  escaped += attempt("dotdot open", open(path, O_RDONLY));
  snprintf(path, sizeof path, "%s/sub/../../outside.txt", root);
  escaped += attempt("dotdot via subdir", open(path, O_RDONLY));
  snprintf(path, sizeof path, "%s/link_out/outside.txt", root);
  escaped += attempt("symlink dir out", open(path, O_RDONLY));
  snprintf(path, sizeof path, "%s/link_file", root);
  escaped += attempt("symlink file out", open(path, O_RDONLY));
  snprintf(path, sizeof path, "%s/link_abs", root);
  escaped += attempt("absolute symlink", open(path, O_RDONLY));
  escaped += attempt("absolute path", open("/etc/passwd", O_RDONLY));
  snprintf(path, sizeof path, "%s/../outside.txt", root);
  escaped += attempt("stat dotdot", stat(path, &st));
  snprintf(path, sizeof path, "%s/../escaped_dir", root);
  escaped += attempt("mkdir dotdot", mkdir(path, 0777));
  snprintf(path, sizeof path, "%s/link_out/new.txt", root);
  escaped += attempt("create via symlink", open(path, O_WRONLY | O_CREAT, 0666));
  return escaped ? 1 : 0;
}
