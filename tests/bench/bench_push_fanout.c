/* Benchmark, not a test: N simulated screens in one process, each the project's own push
 * client (its thread, its MQTT connection) verifying every notice it receives with the
 * project's payload parser and minisign check, against one broker. A desk connection
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

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct screen {
    struct push_client *c;
    _Atomic int64_t verified_ms; /* mono ms of the last verified notice */
    atomic_int n_verified;
};

static struct notify_key key;
static atomic_int failures;

static void deliver(void *ctx, struct push_batch *b)
{
    struct screen *s = ctx;
    for (size_t i = 0; i < b->n; i++) {
        char *n, *sig, err[128];
        size_t nl, sl;
        const struct notify_key *signer;
        if (b->msgs[i].len == 0)
            continue;
        if (push_payload_parse(b->msgs[i].payload, b->msgs[i].len, &n, &nl, &sig, &sl, err,
                               sizeof err) &&
            notify_check_signature(&key, 1, n, nl, sig, sl, &signer, err, sizeof err) ==
                NOTIFY_ACCEPTED) {
            atomic_store(&s->verified_ms, clock_mono_ms());
            atomic_fetch_add(&s->n_verified, 1);
        } else {
            atomic_fetch_add(&failures, 1);
        }
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
    long rss0 = rss_kib();
    struct screen *sc = xcalloc((size_t)n, sizeof *sc);
    int64_t t0 = clock_mono_ms();
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "bench-%05d", i);
        struct push_client_config pc = {.conn = conn,
                                        .device_id = id,
                                        .province_code = "19",
                                        .commune_code = "05569",
                                        .deliver = deliver,
                                        .ctx = &sc[i]};
        sc[i].c = push_client_start(&pc);
        if (!sc[i].c)
            return 1;
    }
    for (int connected = 0; connected < n && clock_mono_ms() - t0 < 600000;) {
        usleep(200 * 1000);
        connected = 0;
        for (int i = 0; i < n; i++) {
            struct push_state st;
            push_client_state(sc[i].c, &st);
            connected += st.state == PUSH_CONNECTED;
        }
    }
    printf("%d screens connected in %lld ms\n", n, (long long)(clock_mono_ms() - t0));
    sleep(3); /* subscriptions settle */
    long rss1 = rss_kib();
    printf("RSS: %ld KiB before, %ld KiB with %d screens: %.1f KiB per screen\n", rss0, rss1, n,
           (double)(rss1 - rss0) / n);
    struct push_fleet *desk = push_fleet_open(&conn, 10000, err, sizeof err);
    if (!desk) {
        fprintf(stderr, "desk: %s\n", err);
        return 1;
    }
    int64_t *all = xcalloc((size_t)n * 100, sizeof *all), worst[100];
    size_t n_all = 0, rounds = 0;
    for (int k = 1; k <= 100; k++) {
        char *path = xasprintf("%s/%d.json", dir, k), *spath = xasprintf("%s.minisig", path);
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
        snprintf(id, sizeof id, "bench-%d", k);
        const char *targets[] = {"all"};
        for (int i = 0; i < n; i++)
            atomic_store(&sc[i].verified_ms, 0);
        int64_t p0 = clock_mono_ms();
        if (!push_fleet_publish_notice(desk, targets, 1, id, doc, dl, sig, sl, 10000, err,
                                       sizeof err)) {
            fprintf(stderr, "publish: %s\n", err);
            return 1;
        }
        int done = 0;
        while (done < n && clock_mono_ms() - p0 < 60000) {
            usleep(1000);
            done = 0;
            for (int i = 0; i < n; i++)
                done += atomic_load(&sc[i].verified_ms) != 0;
        }
        int64_t w = 0;
        for (int i = 0; i < n; i++) {
            int64_t t = atomic_load(&sc[i].verified_ms);
            int64_t d = t ? t - p0 : 60000;
            all[n_all++] = d;
            if (d > w)
                w = d;
        }
        worst[rounds++] = w;
        printf("notice %d: %d/%d screens verified, last after %lld ms\n", k, done, n, (long long)w);
        free(doc), free(sig);
        /* Clear it so the next round's screens are not busy with the previous retained one. */
        push_fleet_clear_notice(desk, targets, 1, id, 10000, err, sizeof err);
        usleep(300 * 1000);
    }
    qsort(all, n_all, sizeof *all, cmp64);
    qsort(worst, rounds, sizeof *worst, cmp64);
    if (n_all)
        printf("publish → screen verified over %zu deliveries: p50 %lld ms, p99 %lld ms, max %lld "
               "ms\n",
               n_all, (long long)all[n_all / 2], (long long)all[n_all * 99 / 100],
               (long long)all[n_all - 1]);
    if (rounds)
        printf("publish → all %d verified over %zu notices: p50 %lld ms, p99 %lld ms, max %lld "
               "ms\n",
               n, rounds, (long long)worst[rounds / 2], (long long)worst[(rounds * 99) / 100],
               (long long)worst[rounds - 1]);
    printf("verification failures: %d\n", atomic_load(&failures));
    push_fleet_close(desk);
    for (int i = 0; i < n; i++)
        push_client_stop(sc[i].c);
    free(sc);
    free(all);
    notify_key_free(&key);
    return 0;
}
