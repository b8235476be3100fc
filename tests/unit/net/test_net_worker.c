/* The fetch worker against the loopback server: delivery, poke, validators, full refetch,
 * signatures, backoff, stop during a transfer, heartbeat and the freeze fault — first with the
 * fetches in the fetch process (this binary run as `--fetch-job`, like the kiosk's), then on
 * the worker's own thread. And the fetch process's own cases: it ends when nothing is due
 * soon, stays while polls follow each other, and a child that dies, cannot start or answers
 * nonsense makes a NET_RETRY, never a hang; the test process itself never loads libcurl. */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/clock.h"
#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/util.h"
#include "check.h"
#include "net_test_server.h"

#define WP_ETAG_GZ  "\"e77a0c329460a8f3df3414deca0ceeb8-gzip\""
#define WP_LM       "Thu, 26 Nov 2026 10:15:00 GMT"
#define MAX_RESULTS 256

static struct test_server srv = {.stdin_fd = -1};
static bool fetch_process; /* else in-process */

/* What deliver() received, in order. */
struct sink {
    pthread_mutex_t mu;
    struct net_result *r[MAX_RESULTS];
    size_t n;
};

static void sink_deliver(void *ctx, struct net_result *r)
{
    struct sink *s = ctx;
    pthread_mutex_lock(&s->mu);
    if (s->n < MAX_RESULTS)
        s->r[s->n++] = r;
    else
        net_result_free(r);
    pthread_mutex_unlock(&s->mu);
}

static size_t sink_count(struct sink *s)
{
    pthread_mutex_lock(&s->mu);
    size_t n = s->n;
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* Waits (generously) until at least n results arrived; true if they did. */
static bool sink_wait(struct sink *s, size_t n, double timeout_s)
{
    double end = test_now() + timeout_s;
    while (sink_count(s) < n && test_now() < end)
        test_sleep_ms(20);
    return sink_count(s) >= n;
}

/* The latest result for source_id, or NULL. Valid until sink_clear. */
static struct net_result *sink_last(struct sink *s, const char *source_id)
{
    struct net_result *found = NULL;
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->r[i]->source_id, source_id) == 0)
            found = s->r[i];
    pthread_mutex_unlock(&s->mu);
    return found;
}

static void sink_clear(struct sink *s)
{
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->n; i++)
        net_result_free(s->r[i]);
    s->n = 0;
    pthread_mutex_unlock(&s->mu);
}

static struct net_worker_config test_config(struct sink *s)
{
    struct net_worker_config c = {.startup_delay_max_ms = 300,
                                  .full_refetch_ms = 0,
                                  .backoff_max_ms = 5000,
                                  .deliver = sink_deliver,
                                  .ctx = s,
                                  .fetch_process = fetch_process,
                                  /* children for every test job (the shortest polls 50 ms):
                                   * kept while a poll follows within 1 s */
                                  .proc_linger_ms = 1000};
    net_limits_default(&c.limits);
    c.limits.connect_timeout_s = 5;
    c.limits.total_timeout_s = 30;
    return c;
}

static struct net_job job(const char *id, const char *path, int64_t interval_ms)
{
    return (struct net_job){
        .source_id = (char *)id, .url = test_server_url(&srv, path), .interval_ms = interval_ms};
}

static bool heartbeat_fresh(struct net_worker *w, int64_t max_age_ms)
{
    return clock_mono_ms() - net_worker_heartbeat(w) <= max_age_ms;
}

static void test_deliver_poke_validators(struct sink *s)
{
    struct net_worker_config c = test_config(s);
    c.full_refetch_ms = 2500;
    struct net_job jobs[] = {job("feed", "/feed?both=1", 60000), job("wp", "/wp", 60000)};
    struct net_worker *w = net_worker_start(&c, jobs, ARRAY_LEN(jobs));
    CHECK(w != NULL);
    CHECK(sink_wait(s, 2, 10));
    struct net_result *feed = sink_last(s, "feed"), *wp = sink_last(s, "wp");
    CHECK(feed && wp);
    if (!feed || !wp)
        goto out;
    CHECK_INTEQ(feed->resp.status, NET_OK);
    CHECK(feed->unconditional);
    CHECK_STREQ(feed->resp.etag, WP_ETAG_GZ);
    CHECK_INTEQ(wp->resp.wp_total_pages, 3);
    CHECK(feed->sig == NULL);
    CHECK(heartbeat_fresh(w, 1500));

    /* the kiosk committed the validators: the next poll is conditional and costs a 304 */
    net_worker_set_validators(w, "feed", feed->resp.etag, feed->resp.last_modified);
    sink_clear(s);
    net_worker_poke(w); /* interval is a minute: only the poke explains a fetch now */
    CHECK(sink_wait(s, 2, 5));
    feed = sink_last(s, "feed");
    CHECK(feed && feed->resp.status == NET_NOT_MODIFIED && !feed->unconditional);
    char inm[128], ims[128];
    test_server_seen(&srv, "/feed", inm, sizeof(inm), ims, sizeof(ims));
    CHECK_STREQ(inm, "\"e77a0c329460a8f3df3414deca0ceeb8\"");
    CHECK_STREQ(ims, WP_LM);

    /* after full_refetch_ms the poll drops the validators */
    test_sleep_ms(2700);
    sink_clear(s);
    net_worker_poke(w);
    CHECK(sink_wait(s, 2, 5));
    feed = sink_last(s, "feed");
    CHECK(feed && feed->resp.status == NET_OK && feed->unconditional);
    test_server_seen(&srv, "/feed", inm, sizeof(inm), ims, sizeof(ims));
    CHECK_STREQ(inm, "");
    CHECK_STREQ(ims, "");
out:
    net_worker_stop(w);
    sink_clear(s);
    free(jobs[0].url);
    free(jobs[1].url);
}

static void test_signature(struct sink *s)
{
    struct net_worker_config c = test_config(s);
    struct net_job jobs[] = {job("signed", "/notice.json", 60000),
                             job("unsigned", "/nosig.json", 60000)};
    jobs[0].fetch_signature = jobs[1].fetch_signature = true;
    struct net_worker *w = net_worker_start(&c, jobs, ARRAY_LEN(jobs));
    CHECK(sink_wait(s, 2, 10));
    struct net_result *a = sink_last(s, "signed"), *b = sink_last(s, "unsigned");
    CHECK(a && a->resp.status == NET_OK && a->sig && a->sig_len == 31);
    CHECK(a && a->sig && str_starts_with(a->sig, "untrusted comment: test"));
    CHECK(b && b->resp.status == NET_OK && b->sig == NULL);
    CHECK(b && b->resp.body && strcmp(b->resp.body, "{\"title\":\"y\"}") == 0);
    CHECK_MSG(b && strcmp(b->resp.error, "signature not fetched: HTTP 404") == 0, "%s",
              b ? b->resp.error : "");
    net_worker_stop(w);
    sink_clear(s);
    free(jobs[0].url);
    free(jobs[1].url);
}

/* A failing source backs off; a healthy one on the same worker keeps its pace. */
static void test_backoff(struct sink *s)
{
    struct net_worker_config c = test_config(s);
    c.startup_delay_max_ms = 0;
    struct net_job jobs[] = {job("fail", "/fail", 50), job("fast", "/fast", 50)};
    int fail0 = test_server_seen(&srv, "/fail", NULL, 0, NULL, 0);
    int fast0 = test_server_seen(&srv, "/fast", NULL, 0, NULL, 0);
    struct net_worker *w = net_worker_start(&c, jobs, ARRAY_LEN(jobs));
    test_sleep_ms(2500);
    net_worker_stop(w);
    int fails = test_server_seen(&srv, "/fail", NULL, 0, NULL, 0) - fail0;
    int fasts = test_server_seen(&srv, "/fast", NULL, 0, NULL, 0) - fast0;
    printf("in 2.5 s at a 50 ms interval: %d requests to the failing source, %d to the "
           "healthy one\n",
           fails, fasts);
    CHECK_MSG(fails >= 1 && fails <= 4, "failing source polled %d times", fails);
    CHECK_MSG(fasts >= 10, "healthy source polled %d times", fasts);
    struct net_result *f = sink_last(s, "fail");
    CHECK(f && f->resp.status == NET_RETRY && strcmp(f->resp.error, "HTTP 500") == 0);
    sink_clear(s);
    free(jobs[0].url);
    free(jobs[1].url);
}

/* Both due at start: the urgent (shorter interval) one goes first; then stop aborts the
 * slow transfer in flight. */
static void test_stop_during_transfer(struct sink *s)
{
    struct net_worker_config c = test_config(s);
    c.startup_delay_max_ms = 0;
    struct net_job jobs[] = {job("slow", "/trickle", 60000), job("urgent", "/ok", 30000)};
    int seen0 = test_server_seen(&srv, "/trickle", NULL, 0, NULL, 0);
    struct net_worker *w = net_worker_start(&c, jobs, ARRAY_LEN(jobs));
    double end = test_now() + 10;
    while (test_server_seen(&srv, "/trickle", NULL, 0, NULL, 0) == seen0 && test_now() < end)
        test_sleep_ms(50);
    CHECK_INTEQ(sink_count(s), 1);
    CHECK(s->n >= 1 && strcmp(s->r[0]->source_id, "urgent") == 0);
    test_sleep_ms(2500); /* well into the transfer: the heartbeat must keep going */
    CHECK(heartbeat_fresh(w, 2000));
    double t0 = test_now();
    net_worker_stop(w);
    double took = test_now() - t0;
    printf("stop during a trickling transfer took %.2f s\n", took);
    CHECK_MSG(took < 3.0, "stop took %.1f s", took);
    CHECK_INTEQ(sink_count(s), 1); /* the aborted transfer is not delivered */
    sink_clear(s);
    free(jobs[0].url);
    free(jobs[1].url);
}

static void test_freeze_fault(struct sink *s)
{
    char path[] = "/tmp/bangtin-freeze-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    setenv("BANGTIN_FAULT_FREEZE_WORKER", path, 1);
    struct net_worker_config c = test_config(s);
    struct net_job jobs[] = {job("ok", "/ok", 60000)};
    struct net_worker *w = net_worker_start(&c, jobs, 1);
    unsetenv("BANGTIN_FAULT_FREEZE_WORKER");
    test_sleep_ms(1200);
    CHECK(heartbeat_fresh(w, 1500));
    fd = open(path, O_WRONLY | O_CREAT, 0600);
    close(fd);
    test_sleep_ms(2500);
    int64_t age = clock_mono_ms() - net_worker_heartbeat(w);
    printf("heartbeat age while frozen: %lld ms\n", (long long)age);
    CHECK_MSG(age >= 1500, "heartbeat still moving while frozen (%lld ms)", (long long)age);
    unlink(path);
    test_sleep_ms(1200);
    CHECK(heartbeat_fresh(w, 1500));
    double t0 = test_now();
    net_worker_stop(w);
    CHECK(test_now() - t0 < 3.0);
    sink_clear(s);
    free(jobs[0].url);
}

static pthread_mutex_t warn_mu = PTHREAD_MUTEX_INITIALIZER;
static char warnings[256 * 1024]; /* every message of the net module, in order */

static void warn_sink(void *ctx, enum log_level level, const char *module, const char *msg)
{
    (void)ctx;
    (void)module;
    pthread_mutex_lock(&warn_mu);
    if (level <= LOG_LEVEL_DBG && strlen(warnings) + strlen(msg) + 2 < sizeof warnings) {
        strcat(warnings, msg);
        strcat(warnings, "\n");
    }
    pthread_mutex_unlock(&warn_mu);
}

/* How many messages so far contain what. */
static int count_logged(const char *what)
{
    pthread_mutex_lock(&warn_mu);
    int n = 0;
    for (const char *p = strstr(warnings, what); p; p = strstr(p + 1, what))
        n++;
    pthread_mutex_unlock(&warn_mu);
    return n;
}

static bool seen_info(const char *what)
{
    return count_logged(what) > 0;
}

static bool seen_warning(const char *what)
{
    pthread_mutex_lock(&warn_mu);
    bool seen = strstr(warnings, what) != NULL;
    pthread_mutex_unlock(&warn_mu);
    return seen;
}

/* The fetch processes of this process now (comm "bangtin-fetch", parent us): how many, and
 * the pid of one. */
static int fetch_children(pid_t *one)
{
    int n = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[300], line[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        int pid = 0, ppid = 0;
        char comm[64] = "", state = 0;
        if (fgets(line, sizeof line, f) &&
            sscanf(line, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid) == 4 &&
            ppid == (int)getpid() && strcmp(comm, "bangtin-fetch") == 0 && state != 'Z') {
            n++;
            if (one)
                *one = (pid_t)pid;
        }
        fclose(f);
    }
    if (d)
        closedir(d);
    return n;
}

static bool maps_have(const char *what)
{
    char *maps = NULL;
    size_t len;
    bool found = util_read_file("/proc/self/maps", 16u << 20, &maps, &len) && strstr(maps, what);
    free(maps);
    return found;
}

/* One poll, then nothing due for a minute: the child ends. A source polled every 5 s keeps
 * it; stopping the worker ends it too. */
static void test_proc_lifetime(struct sink *s)
{
    struct net_worker_config c = test_config(s);
    c.startup_delay_max_ms = 0;
    struct net_job jobs[] = {job("ok", "/ok", 60000)};
    struct net_worker *w = net_worker_start(&c, jobs, 1);
    CHECK(sink_wait(s, 1, 10));
    CHECK(s->n >= 1 && s->r[0]->resp.status == NET_OK);
    double end = test_now() + 5;
    while (fetch_children(NULL) > 0 && test_now() < end)
        test_sleep_ms(50);
    CHECK_MSG(fetch_children(NULL) == 0, "the fetch process outlived its only poll");
    net_worker_stop(w);
    sink_clear(s);
    free(jobs[0].url);

    /* Two sources due together, polled every minute: one child serves both, then ends. */
    struct net_job two[] = {job("a", "/ok", 60000), job("b", "/ok", 60000)};
    int started0 = count_logged("started (");
    w = net_worker_start(&c, two, 2);
    CHECK(sink_wait(s, 2, 10));
    CHECK(sink_last(s, "a") && sink_last(s, "a")->resp.status == NET_OK);
    CHECK(sink_last(s, "b") && sink_last(s, "b")->resp.status == NET_OK);
    CHECK_INTEQ(count_logged("started (") - started0, 1);
    end = test_now() + 5;
    while (fetch_children(NULL) > 0 && test_now() < end)
        test_sleep_ms(50);
    CHECK_INTEQ(fetch_children(NULL), 0);
    net_worker_stop(w);
    sink_clear(s);
    free(two[0].url);
    free(two[1].url);
}

/* With the kiosk's 45 s: a source polled every 5 s would keep a child for good, so the worker
 * fetches on its own thread. */
static void test_proc_policy(struct sink *s)
{
    struct net_worker_config c = test_config(s);
    c.startup_delay_max_ms = 0;
    c.proc_linger_ms = 0;
    struct net_job often[] = {job("often", "/ok", 5000)};
    struct net_worker *w = net_worker_start(&c, often, 1);
    CHECK(sink_wait(s, 2, 15));
    CHECK(sink_last(s, "often") && sink_last(s, "often")->resp.status == NET_OK);
    CHECK_INTEQ(fetch_children(NULL), 0);
    CHECK(seen_info("fetching on the worker's thread"));
    net_worker_stop(w);
    sink_clear(s);
    free(often[0].url);
}

/* The child killed in the middle of a transfer: a NET_RETRY that says so, and the next poll
 * starts a new child. */
static void test_proc_dies(struct sink *s)
{
    struct net_worker_config c = test_config(s);
    c.startup_delay_max_ms = 0;
    c.backoff_max_ms = 1000;
    struct net_job jobs[] = {job("slow", "/trickle", 2000)}; /* retried after 2–4 s */
    int seen0 = test_server_seen(&srv, "/trickle", NULL, 0, NULL, 0);
    struct net_worker *w = net_worker_start(&c, jobs, 1);
    double end = test_now() + 10;
    while (test_server_seen(&srv, "/trickle", NULL, 0, NULL, 0) == seen0 && test_now() < end)
        test_sleep_ms(50);
    pid_t child = 0;
    CHECK_INTEQ(fetch_children(&child), 1);
    if (child > 0)
        kill(child, SIGKILL);
    CHECK(sink_wait(s, 1, 5));
    struct net_result *r = sink_last(s, "slow");
    CHECK(r && r->resp.status == NET_RETRY);
    CHECK_MSG(r && strstr(r->resp.error, "signal 9"), "error: %s", r ? r->resp.error : "-");
    /* the retry runs in a new child */
    end = test_now() + 20;
    pid_t again = 0;
    while ((fetch_children(&again) == 0 || again == child) && test_now() < end)
        test_sleep_ms(50);
    CHECK(again > 0 && again != child);
    net_worker_stop(w);
    sink_clear(s);
    free(jobs[0].url);
}

/* A fetch program that cannot start (the fetches fall back to this process), and one that
 * answers nonsense (a retry). */
static void test_proc_broken(struct sink *s)
{
    struct net_worker_config c = test_config(s);
    c.startup_delay_max_ms = 0;
    c.fetch_exe = "/nonexistent/bangtin";
    struct net_job jobs[] = {job("ok", "/ok", 60000)};
    struct net_worker *w = net_worker_start(&c, jobs, 1);
    CHECK(sink_wait(s, 1, 5));
    struct net_result *r = sink_last(s, "ok");
    /* no news is worse than news fetched in the screen's process: it falls back, and says so */
    CHECK_MSG(r && r->resp.status == NET_OK, "status %s: %s",
              r ? net_status_name(r->resp.status) : "-", r ? r->resp.error : "-");
    /* (through an emulator the emulator starts, and says it cannot open the program) */
    const char *emu = getenv("BANGTIN_FETCH_EMULATOR");
    CHECK(seen_warning(emu && *emu ? "fetch process exited with status"
                                   : "cannot start the fetch process /nonexistent/bangtin"));
    CHECK(seen_warning("fetching in the screen's own process instead"));
    net_worker_stop(w);
    sink_clear(s);
    if (emu && *emu) {
        printf("the nonsense-answering fetch program (a shell script) is not run through %s\n",
               emu);
        free(jobs[0].url);
        return;
    }

    char path[] = "/tmp/bangtin-badfetch-XXXXXX";
    int fd = mkstemp(path);
    static const char script[] = "#!/bin/sh\nprintf 'HTTP/1.1 200 OK\\r\\n'\nexec sleep 30\n";
    CHECK(write(fd, script, sizeof script - 1) == (ssize_t)(sizeof script - 1));
    fchmod(fd, 0700);
    close(fd);
    c.fetch_exe = path;
    double t0 = test_now();
    w = net_worker_start(&c, jobs, 1);
    CHECK(sink_wait(s, 1, 5));
    r = sink_last(s, "ok");
    CHECK(r && r->resp.status == NET_RETRY);
    CHECK_MSG(r && strstr(r->resp.error, "broken answer"), "error: %s", r ? r->resp.error : "-");
    CHECK(test_now() - t0 < 5);
    net_worker_stop(w);
    sink_clear(s);
    unlink(path);
    free(jobs[0].url);
}

static void run_worker_tests(struct sink *s)
{
    test_deliver_poke_validators(s);
    test_signature(s);
    test_backoff(s);
    test_stop_during_transfer(s);
    test_freeze_fault(s);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--fetch-job") == 0) {
        log_init(LOG_LEVEL_ERR);
        return net_fetch_job_main(argc, argv);
    }
    log_init(LOG_LEVEL_ERR);
    log_set_sink(warn_sink, NULL);
    net_worker_stop(NULL); /* no-op */
    struct sink s = {.mu = PTHREAD_MUTEX_INITIALIZER};
    if (!test_server_start(&srv, false)) {
        CHECK(!"loopback server");
        return CHECK_DONE();
    }
    /* libcurl linked at build time (-DBANGTIN_LATE_NET_LIBS=OFF) is mapped from the start */
    bool curl_late = !maps_have("libcurl");
    fetch_process = true; /* this program, run as --fetch-job */
    printf("== through the fetch process\n");
    /* first, before test_server_seen (which asks the server's counters with net_fetch here) */
    test_proc_lifetime(&s);
    if (curl_late)
        CHECK_MSG(!maps_have("libcurl"), "libcurl loaded although every fetch ran in the child");
    else
        printf("libcurl is linked at build time: its absence here is not checked\n");
    run_worker_tests(&s);
    test_proc_dies(&s);
    test_proc_broken(&s);
    test_proc_policy(&s);
    printf("== on the worker's thread\n");
    fetch_process = false;
    CHECK(net_global_init());
    run_worker_tests(&s);
    test_server_stop(&srv);
    net_global_cleanup();
    return CHECK_DONE();
}
