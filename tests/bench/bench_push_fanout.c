/* Benchmark, not a test: N simulated screens, each the project's own push client (its thread,
 * its MQTT connection) verifying every notice it receives with the project's payload parser and
 * minisign check, against one broker. libmosquitto's loop uses select(), which cannot watch a
 * descriptor above 1023, and each client holds three: so the screens run in processes of at most
 * 250 (forked), which report each verification over a pipe. A desk connection
 * (push_fleet_publish_notice) publishes each signed notice of DIR to "all"; the time from
 * publish to the last of the N screens verified is measured.
 *   bench_push_fanout BROKER_URL N DIR PUBKEY [CA_FILE]
 * DIR holds 1.json, 1.json.minisig, 2.json … (signed by scripts/bench-push). Prints p50/p99/max
 * of publish → every screen verified, and RSS per screen. */
#include "bangtin/clock.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/push.h"
#include "bangtin/util.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PER_PROCESS 250

struct screen {
    struct push_client *c;
};

static struct notify_key key;
static int report_fd = -1;

/* Child: verify, then tell the parent "V <notice number> <mono ms>". */
static void deliver(void *ctx, struct push_batch *b)
{
    struct screen *s = ctx;
    for (size_t i = 0; i < b->n; i++) {
        char *n = NULL, *sig = NULL, err[128], line[64];
        size_t nl, sl;
        const struct notify_key *signer;
        const char *id = push_topic_notice_id(b->msgs[i].topic);
        if (b->msgs[i].len == 0 || !id)
            continue;
        bool ok = push_payload_parse(b->msgs[i].payload, b->msgs[i].len, &n, &nl, &sig, &sl, err,
                                     sizeof err) &&
                  notify_check_signature(&key, 1, n, nl, sig, sl, &signer, err, sizeof err) ==
                      NOTIFY_ACCEPTED;
        int len = snprintf(line, sizeof line, "%c %s %lld\n", ok ? 'V' : 'F', id,
                           (long long)clock_mono_ms());
        if (write(report_fd, line, (size_t)len) != len)
            abort();
        free(n);
        free(sig);
    }
    push_batch_free(b);
    push_client_batch_done(s->c);
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* A child: screens [first, first + n); reports "R <connected> <rss growth KiB>", then V lines
 * until the parent closes its end (stdin of the pipe pair). */
static void child(const struct push_conn *conn, int first, int n, int wr, int rd)
{
    report_fd = wr;
    long rss0 = rss_kib();
    struct screen *sc = xcalloc((size_t)n, sizeof *sc);
    int64_t t0 = clock_mono_ms();
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "bench-%05d", first + i);
        struct push_client_config pc = {.conn = *conn,
                                        .device_id = id,
                                        .province_code = "19",
                                        .commune_code = "05569",
                                        .deliver = deliver,
                                        .ctx = &sc[i]};
        sc[i].c = push_client_start(&pc);
        if (!sc[i].c)
            _exit(1);
        usleep(5000); /* offices do not all connect in the same millisecond */
    }
    int connected = 0;
    while (connected < n && clock_mono_ms() - t0 < 180000) {
        usleep(200 * 1000);
        connected = 0;
        for (int i = 0; i < n; i++) {
            struct push_state st;
            push_client_state(sc[i].c, &st);
            connected += st.state == PUSH_CONNECTED;
        }
    }
    sleep(2); /* subscriptions settle */
    char line[64];
    int len = snprintf(line, sizeof line, "R %d %ld\n", connected, rss_kib() - rss0);
    if (write(wr, line, (size_t)len) != len)
        _exit(1);
    char c;
    while (read(rd, &c, 1) > 0)
        ;
    for (int i = 0; i < n; i++)
        push_client_stop(sc[i].c);
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench_push_fanout BROKER_URL N DIR PUBKEY [CA_FILE]\n");
        return 2;
    }
    log_init(LOG_LEVEL_ERR);
    int n = atoi(argv[2]);
    const char *dir = argv[3];
    char err[256];
    if (!notify_key_parse(argv[4], "bench", &key, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    struct push_conn conn = {
        .broker = argv[1], .ca_file = argc > 5 ? argv[5] : NULL, .keepalive_s = 60};
    int k = (n + PER_PROCESS - 1) / PER_PROCESS;
    int up[2], down[2];
    if (pipe(up) != 0 || pipe(down) != 0)
        return 1;
    int64_t t0 = clock_mono_ms();
    pid_t *kids = xcalloc((size_t)k, sizeof *kids);
    for (int j = 0; j < k; j++) {
        int first = j * PER_PROCESS, m = n - first < PER_PROCESS ? n - first : PER_PROCESS;
        kids[j] = fork();
        if (kids[j] == 0) {
            close(up[0]);
            close(down[1]);
            child(&conn, first, m, up[1], down[0]);
        }
    }
    close(up[1]);
    close(down[0]);
    FILE *in = fdopen(up[0], "r");
    char line[128];
    int connected = 0, ready = 0;
    long rss = 0;
    while (ready < k && fgets(line, sizeof line, in)) {
        int c;
        long r;
        if (sscanf(line, "R %d %ld", &c, &r) == 2)
            ready++, connected += c, rss += r;
    }
    printf("%d of %d screens connected after %lld ms (%d processes)\n", connected, n,
           (long long)(clock_mono_ms() - t0), k);
    printf("RSS growth: %ld KiB for %d screens: %.1f KiB per screen\n", rss, n, (double)rss / n);
    fcntl(up[0], F_SETFL, fcntl(up[0], F_GETFL) | O_NONBLOCK);
    struct push_fleet *desk = push_fleet_open(&conn, 30000, err, sizeof err);
    if (!desk) {
        fprintf(stderr, "desk: %s\n", err);
        return 1;
    }
    int64_t *all = xcalloc((size_t)connected * 100 + 1, sizeof *all), worst[100];
    size_t n_all = 0, rounds = 0;
    int failures = 0;
    for (int r = 1; r <= 100; r++) {
        char *path = xasprintf("%s/%d.json", dir, r), *spath = xasprintf("%s.minisig", path);
        char *doc = NULL, *sig = NULL;
        size_t dl, sl;
        bool have =
            util_read_file(path, 1 << 20, &doc, &dl) && util_read_file(spath, 1 << 20, &sig, &sl);
        free(path), free(spath);
        if (!have) {
            free(doc), free(sig);
            break;
        }
        char id[16];
        snprintf(id, sizeof id, "bench-%d", r);
        const char *targets[] = {"all"};
        int64_t p0 = clock_mono_ms(), w = 0;
        if (!push_fleet_publish_notice(desk, targets, 1, id, doc, dl, sig, sl, 10000, err,
                                       sizeof err)) {
            fprintf(stderr, "publish: %s\n", err);
            return 1;
        }
        int done = 0;
        struct pollfd pfd = {.fd = up[0], .events = POLLIN};
        while (done < connected && clock_mono_ms() - p0 < 30000) {
            /* Lines stdio already buffered first; poll only when it has none. */
            if (!fgets(line, sizeof line, in)) {
                clearerr(in);
                poll(&pfd, 1, 100);
                continue;
            }
            char kind, nid[32];
            long long t;
            if (sscanf(line, "%c %31s %lld", &kind, nid, &t) != 3 || strcmp(nid, id) != 0)
                continue;
            if (kind != 'V') {
                failures++;
                continue;
            }
            done++;
            all[n_all++] = t - p0;
            if (t - p0 > w)
                w = t - p0;
        }
        worst[rounds++] = done == connected ? w : 30000;
        printf("notice %d: %d/%d verified, last after %lld ms\n", r, done, connected, (long long)w);
        free(doc), free(sig);
        push_fleet_clear_notice(desk, targets, 1, id, 10000, err, sizeof err);
        usleep(500 * 1000);
    }
    qsort(all, n_all, sizeof *all, cmp64);
    qsort(worst, rounds, sizeof *worst, cmp64);
    if (n_all)
        printf("publish → one screen verified over %zu deliveries: p50 %lld ms, p99 %lld ms, "
               "max %lld ms\n",
               n_all, (long long)all[n_all / 2], (long long)all[n_all * 99 / 100],
               (long long)all[n_all - 1]);
    if (rounds)
        printf("publish → all %d verified over %zu notices: p50 %lld ms, p99 %lld ms, max %lld "
               "ms\n",
               connected, rounds, (long long)worst[rounds / 2],
               (long long)worst[(rounds * 99) / 100], (long long)worst[rounds - 1]);
    printf("verification failures: %d\n", failures);
    push_fleet_close(desk);
    close(down[1]);
    for (int j = 0; j < k; j++)
        waitpid(kids[j], NULL, 0);
    fclose(in);
    free(kids);
    free(all);
    notify_key_free(&key);
    return 0;
}
