/* Spawns the python loopback server; see net_test_server.h. */
#include "net_test_server.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/net.h"
#include "bangtin/util.h"

static void test_server_child(int in_fd, int out_fd, bool tls)
{
    /* the server must not outlive a crashed test (closing stdin is the polite way) */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(in_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    execlp("python3", "python3", SOURCE_DIR "/tests/unit/net/hostile_server.py",
           tls ? "--tls" : (char *)NULL, (char *)NULL);
    _exit(127);
}

static bool test_server_read_ports(struct test_server *s, int fd)
{
    char line[512] = "";
    size_t n = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (n < sizeof(line) - 1 && !memchr(line, '\n', n)) {
        if (poll(&p, 1, 15000) <= 0)
            return false;
        ssize_t r = read(fd, line + n, sizeof(line) - 1 - n);
        if (r <= 0)
            return false;
        n += (size_t)r;
        line[n] = '\0';
    }
    s->ca_file[0] = '\0';
    int got =
        sscanf(line, "%d %d %d %255s", &s->port, &s->tls_ok_port, &s->tls_future_port, s->ca_file);
    if (got < 4)
        s->tls_ok_port = s->tls_future_port = 0;
    return got >= 1 && s->port > 0;
}

bool test_server_start(struct test_server *s, bool tls)
{
    memset(s, 0, sizeof(*s));
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0)
        return false;
    s->pid = fork();
    if (s->pid == 0) {
        close(in[1]);
        close(out[0]);
        test_server_child(in[0], out[1], tls);
    }
    close(in[0]);
    close(out[1]);
    s->stdin_fd = in[1];
    bool up = s->pid > 0 && test_server_read_ports(s, out[0]);
    close(out[0]);
    if (!up) {
        fprintf(stderr, "hostile_server.py did not start (is python3 installed?)\n");
        test_server_stop(s);
        return false;
    }
    return true;
}

void test_server_stop(struct test_server *s)
{
    if (s->stdin_fd >= 0)
        close(s->stdin_fd);
    s->stdin_fd = -1;
    /* give it a moment to remove its temporary CA, then insist */
    for (int i = 0; s->pid > 0 && i < 30; i++) {
        if (waitpid(s->pid, NULL, WNOHANG) == s->pid)
            s->pid = 0;
        else
            test_sleep_ms(100);
    }
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    s->pid = 0;
}

char *test_server_url(const struct test_server *s, const char *path)
{
    return xasprintf("http://127.0.0.1:%d%s", s->port, path);
}

static void test_copy_field(const char *body, const char *key, char *out, size_t len)
{
    if (!out)
        return;
    out[0] = '\0';
    const char *p = strstr(body, key);
    if (!p)
        return;
    p += strlen(key);
    size_t n = strcspn(p, "\n");
    if (n >= len)
        n = len - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

int test_server_seen(const struct test_server *s, const char *path, char *inm, size_t inm_len,
                     char *ims, size_t ims_len)
{
    char *stats_path = xasprintf("/_stats%s", path);
    char *url = test_server_url(s, stats_path);
    struct net_limits lim;
    net_limits_default(&lim);
    struct net_request req = {.url = url};
    struct net_response r;
    int count = -1;
    if (net_fetch(&lim, &req, &r) == NET_OK) {
        count = atoi(strstr(r.body, "count=") + 6);
        test_copy_field(r.body, "\ninm=", inm, inm_len);
        test_copy_field(r.body, "\nims=", ims, ims_len);
    }
    net_response_free(&r);
    free(url);
    free(stats_path);
    return count;
}

double test_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void test_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}
