// The bundled demo program for `npm run demo`: a tiny "service" that loads
// its configuration (trying a missing file first), writes a report and
// talks to itself over a pipe — the kinds of syscalls a real program makes.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int load_config(const char *path) {
  int fd = open(path, O_RDONLY);  // @syscall openat (fails for the first candidate: ENOENT)
  if (fd < 0) return -1;
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return (int)n;
}

static void write_report(const char *path, int config_bytes) {
  FILE *f = fopen(path, "w");
  if (!f) return;
  fprintf(f, "config bytes: %d\n", config_bytes);
  fclose(f);
}

static int ping_worker(void) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    write(fds[1], "pong", 4);
    _exit(0);
  }
  close(fds[1]);
  char buf[8] = {0};
  ssize_t n = read(fds[0], buf, sizeof buf - 1);
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return n == 4 && strcmp(buf, "pong") == 0 ? 0 : -1;
}

int main(void) {
  int bytes = load_config("/etc/demo-service/config.toml");
  if (bytes < 0) bytes = load_config("/etc/hostname");
  write_report("demo-report.txt", bytes);
  struct stat st;
  stat("demo-report.txt", &st);
  int ok = ping_worker();
  unlink("demo-report.txt");
  printf("demo: config %d bytes, worker %s\n", bytes, ok == 0 ? "answered" : "failed");
  return ok == 0 ? 0 : 1;
}
