#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
static volatile int done;
static void *spin(void *a) { (void)a; volatile unsigned long x = 0; while (!done) x++; return NULL; }
static int load(const char *p) {
  int fd = open(p, O_RDONLY);           /* LINE_OPEN */
  if (fd >= 0) { char b[32]; read(fd, b, sizeof b); close(fd); }
  return fd;
}
int main(int argc, char **argv) {
  pthread_t t; pthread_create(&t, NULL, spin, NULL);
  for (int i = 0; i < 5; i++) {
    int r = load(i == 2 ? "/etc/passwd" : "/etc/hostname");   /* LINE_CALL */
    printf("load %d -> %s\n", i, r < 0 ? strerror(errno) : "ok"); fflush(stdout);
  }
  if (open("/no/such/file", O_RDONLY) < 0) perror("missing");
  if (argc > 1) sleep(atoi(argv[1]));
  done = 1; pthread_join(t, NULL);
  return 0;
}
