// Directory operations and their errors: mkdir, rename, unlink, rmdir,
// EEXIST, ENOENT, ENOTEMPTY, ENOTDIR, EISDIR. argv[1] is a writable dir.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char* name_of(int e) {
  switch (e) {
  case 0: return "ok";
  case EEXIST: return "EEXIST";
  case ENOENT: return "ENOENT";
  case ENOTEMPTY: return "ENOTEMPTY";
  case ENOTDIR: return "ENOTDIR";
  case EISDIR: return "EISDIR";
  case ENOTCAPABLE: return "ENOTCAPABLE";
  default: return strerror(e);
  }
}

static void report(const char* what, int r) {
  printf("%s: %s\n", what, name_of(r == 0 ? 0 : errno));
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  char a[256], b[256], f[256], g[256];
  snprintf(a, sizeof a, "%s/dir_a", argv[1]);
  snprintf(b, sizeof b, "%s/dir_b", argv[1]);
  snprintf(f, sizeof f, "%s/dir_b/file.txt", argv[1]);
  snprintf(g, sizeof g, "%s/dir_b/file.txt/x", argv[1]);
  report("mkdir a", mkdir(a, 0777));
  report("mkdir a again", mkdir(a, 0777));
  report("rename a b", rename(a, b));
  report("rmdir a (gone)", rmdir(a));
  int fd = open(f, O_WRONLY | O_CREAT | O_EXCL, 0666);
  report("create file", fd < 0 ? -1 : 0);
  if (fd >= 0) close(fd);
  report("create file O_EXCL again", open(f, O_WRONLY | O_CREAT | O_EXCL, 0666) < 0 ? -1 : 0);
  report("open file/x", open(g, O_RDONLY) < 0 ? -1 : 0);
  report("rmdir non-empty b", rmdir(b));
  report("unlink dir b", unlink(b));
  report("unlink file", unlink(f));
  report("unlink file again", unlink(f));
  report("rmdir b", rmdir(b));
  struct stat st;
  report("stat b (gone)", stat(b, &st));
  return 0;
}
