/* Spawns tests/unit/net/hostile_server.py on a loopback port for the net tests. */
#ifndef BANGTIN_NET_TEST_SERVER_H
#define BANGTIN_NET_TEST_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct test_server {
    pid_t pid;
    int stdin_fd; /* closing it makes the server exit, even if we crash */
    int port;
    int tls_ok_port, tls_future_port; /* with tls: valid / not-yet-valid certificate; 0 = none */
    char ca_file[256];                /* with tls: the throw-away CA that signed both */
};

/* tls: also serve over TLS (needs the openssl command; the ports stay 0 without it). */
bool test_server_start(struct test_server *s, bool tls);
void test_server_stop(struct test_server *s);
/* "http://127.0.0.1:PORT" + path; caller frees. */
char *test_server_url(const struct test_server *s, const char *path);
/* How many requests the server saw for path (without query), and the If-None-Match and
 * If-Modified-Since of the last one ("" when absent). -1 on error. */
int test_server_seen(const struct test_server *s, const char *path, char *inm, size_t inm_len,
                     char *ims, size_t ims_len);
/* Seconds on the monotonic clock, for generous hang bounds. */
double test_now(void);
void test_sleep_ms(long ms);

#endif
