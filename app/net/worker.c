/* worker: the fetch thread. Polls each job on its own monotonic schedule, backs off on
 * failure, refetches unconditionally now and then, and hands every result to cfg->deliver. */
#define LOG_MODULE "net"
#include "bangtin/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/clock.h"
#include "bangtin/net.h"
#include "bangtin/util.h"
#include "net_internal.h"

#define WORKER_TICK_MS 500 /* longest wait without a heartbeat */
/* The fetch process is kept while the next poll is due within this; otherwise it ends, and
 * with it the memory of libcurl and TLS. A source polled more often than this would keep it
 * for good: then two processes cost more than one (kiosk + child 23.6 MiB PSS against
 * 18.1 for one process, measured with a 30 s poll), and a child per poll would cost ~40 ms of
 * CPU each time, so such a worker fetches on its own thread. */
#define WORKER_PROC_LINGER_MS (45 * 1000)

struct worker_job {
    struct net_job job;         /* deep copy */
    char *etag, *last_modified; /* guarded by net_worker.mu */
    int64_t next_due_ms;
    int64_t last_full_ms;
    int failures;
};

struct net_worker {
    struct net_worker_config cfg;
    char *user_agent, *ca_file; /* cfg.limits' strings point here */
    struct worker_job *jobs;
    size_t n_jobs;
    CURL *curl;            /* in-process fetching: keeps connections alive between polls */
    struct net_proc *proc; /* or the fetch process (cfg.fetch_exe) */
    char *fetch_exe;
    uint64_t rng;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool poked;    /* guarded by mu */
    bool stopping; /* guarded by mu; mirrored in stop_flag for the progress callback */
    atomic_bool stop_flag;
    _Atomic int64_t heartbeat;
    char *freeze_path; /* test fault: see worker_freeze_if_asked */
};

static double worker_rand01(struct net_worker *w)
{
    /* xorshift64*: jitter only needs to differ between boards, not be secret */
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    return (double)((w->rng * 0x2545F4914F6CDD1DULL) >> 11) / (double)(1ULL << 53);
}

static void worker_seed(struct net_worker *w)
{
    if (getrandom(&w->rng, sizeof(w->rng), GRND_NONBLOCK) != (ssize_t)sizeof(w->rng))
        w->rng = (uint64_t)clock_mono_ms() ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)w;
    if (w->rng == 0)
        w->rng = 0x9E3779B97F4A7C15ULL;
}

static bool worker_keep_going(void *ctx)
{
    struct net_worker *w = ctx;
    atomic_store(&w->heartbeat, clock_mono_ms());
    return !atomic_load(&w->stop_flag);
}

#ifdef BANGTIN_TEST_FAULTS
/* BANGTIN_FAULT_FREEZE_WORKER=<path>: while the file exists, hang without a heartbeat so a
 * test can watch the watchdog pings stop. Still honours stop so the test can finish. */
static void worker_freeze_if_asked(struct net_worker *w)
{
    struct stat st;
    struct timespec nap = {0, 50 * 1000 * 1000};
    while (w->freeze_path && !atomic_load(&w->stop_flag) && stat(w->freeze_path, &st) == 0)
        nanosleep(&nap, NULL);
}
#else
static void worker_freeze_if_asked(struct net_worker *w)
{
}
#endif

static void worker_wait_until(struct net_worker *w, int64_t deadline_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t wait_ms = deadline_ms - clock_mono_ms();
    if (wait_ms <= 0)
        return;
    ts.tv_sec += (time_t)(wait_ms / 1000);
    ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&w->cond, &w->mu, &ts);
}

/* Among jobs already due, the one polled most often first (urgent feeds must not queue
 * behind a slow ordinary source); otherwise the earliest. */
static bool worker_job_before(const struct worker_job *a, const struct worker_job *b, int64_t now)
{
    bool a_due = a->next_due_ms <= now, b_due = b->next_due_ms <= now;
    if (a_due && b_due && a->job.interval_ms != b->job.interval_ms)
        return a->job.interval_ms < b->job.interval_ms;
    return a->next_due_ms < b->next_due_ms;
}

/* The job to run now, or NULL after waiting (at most a tick) for one to become due. */
static struct worker_job *worker_next_due(struct net_worker *w)
{
    struct worker_job *due = NULL;
    pthread_mutex_lock(&w->mu);
    int64_t now = clock_mono_ms();
    if (w->poked) {
        w->poked = false;
        for (size_t i = 0; i < w->n_jobs; i++)
            w->jobs[i].next_due_ms = now;
    }
    for (size_t i = 0; i < w->n_jobs; i++)
        if (!due || worker_job_before(&w->jobs[i], due, now))
            due = &w->jobs[i];
    if (!w->stopping && (!due || due->next_due_ms > now)) {
        int64_t deadline = now + WORKER_TICK_MS;
        if (due && due->next_due_ms < deadline)
            deadline = due->next_due_ms;
        worker_wait_until(w, deadline);
        due = NULL;
    }
    if (w->stopping)
        due = NULL;
    pthread_mutex_unlock(&w->mu);
    return due;
}

static void worker_reschedule(struct net_worker *w, struct worker_job *j,
                              const struct net_result *r, int64_t started_ms)
{
    int64_t now = clock_mono_ms();
    enum net_status s = r->resp.status;
    if (s == NET_OK || s == NET_NOT_MODIFIED) {
        if (j->failures)
            LOG_INFO("%s: reachable again after %d failures", j->job.source_id, j->failures);
        j->failures = 0;
        if (s == NET_OK && r->unconditional)
            j->last_full_ms = started_ms;
        j->next_due_ms = now + j->job.interval_ms;
        return;
    }
    j->failures++;
    int64_t base_s = j->job.interval_ms / 1000;
    base_s = base_s < 1 ? 1 : base_s > 10 ? 10 : base_s;
    int64_t max_s = w->cfg.backoff_max_ms / 1000;
    if (s == NET_WAITING_FOR_TIME && max_s > 60)
        max_s = 60; /* NTP usually needs a minute or two: be there soon after it */
    int64_t delay = net_backoff_ms(j->failures, base_s, max_s, worker_rand01(w));
    j->next_due_ms = now + delay;
    LOG_WARN("%s: %s (%s), failure %d, next try in %lld s", j->job.source_id, net_status_name(s),
             r->resp.error, j->failures, (long long)(delay / 1000));
}

static void worker_run_job(struct net_worker *w, struct worker_job *j)
{
    int64_t started = clock_mono_ms();
    bool full = w->cfg.full_refetch_ms > 0 && started - j->last_full_ms >= w->cfg.full_refetch_ms;
    char *etag = NULL, *lm = NULL;
    if (!full) {
        pthread_mutex_lock(&w->mu);
        etag = xstrdup(j->etag);
        lm = xstrdup(j->last_modified);
        pthread_mutex_unlock(&w->mu);
    }
    struct net_request req = {
        .url = j->job.url, .etag = etag, .last_modified = lm, .allow_file = j->job.allow_file};
    struct net_hooks hooks = {.keep_going = worker_keep_going, .ctx = w};
    struct net_result *r = xcalloc(1, sizeof(*r));
    r->source_id = xstrdup(j->job.source_id);
    r->url = xstrdup(j->job.url);
    r->unconditional = str_empty(etag) && str_empty(lm);
    struct net_wire_job wj = {.lim = w->cfg.limits,
                              .req = req,
                              .listing = true,
                              .fetch_signature = j->job.fetch_signature,
                              .want_items = j->job.want_items,
                              .clock_evidence = clock_evidence(),
                              .log_level = log_get_level()};
    if (w->proc)
        net_proc_run(w->proc, &wj, &hooks, &r->resp, &r->sig, &r->sig_len);
    else
        net_job_run(w->curl, &wj, &hooks, &r->resp, &r->sig, &r->sig_len);
    free(etag);
    free(lm);
    if (atomic_load(&w->stop_flag)) {
        net_result_free(r); /* a transfer cut short by stop is not a result */
        return;
    }
    worker_reschedule(w, j, r, started);
    w->cfg.deliver(w->cfg.ctx, r);
}

/* After a poll: end the fetch process unless another poll is due soon. */
static void worker_maybe_idle(struct net_worker *w)
{
    if (!net_proc_running(w->proc))
        return;
    pthread_mutex_lock(&w->mu);
    int64_t soonest = INT64_MAX;
    for (size_t i = 0; i < w->n_jobs; i++)
        if (w->jobs[i].next_due_ms < soonest)
            soonest = w->jobs[i].next_due_ms;
    bool poked = w->poked;
    pthread_mutex_unlock(&w->mu);
    if (!poked && soonest - clock_mono_ms() > w->cfg.proc_linger_ms)
        net_proc_idle(w->proc);
}

static void *worker_main(void *arg)
{
    struct net_worker *w = arg;
    while (!atomic_load(&w->stop_flag)) {
        worker_freeze_if_asked(w);
        atomic_store(&w->heartbeat, clock_mono_ms());
        struct worker_job *j = worker_next_due(w);
        if (j) {
            worker_run_job(w, j);
            worker_maybe_idle(w);
        }
    }
    return NULL;
}

static void worker_copy_jobs(struct net_worker *w, const struct net_job *jobs, size_t n)
{
    int64_t now = clock_mono_ms();
    w->jobs = xcalloc(n ? n : 1, sizeof(*w->jobs));
    w->n_jobs = n;
    for (size_t i = 0; i < n; i++) {
        struct worker_job *j = &w->jobs[i];
        j->job = jobs[i];
        j->job.source_id = xstrdup(jobs[i].source_id ? jobs[i].source_id : "");
        j->job.url = xstrdup(jobs[i].url ? jobs[i].url : "");
        if (j->job.interval_ms <= 0) {
            LOG_WARN("%s: no poll interval, using 15 min", j->job.source_id);
            j->job.interval_ms = 15 * 60 * 1000;
        }
        /* offices power on together: spread the first fetches */
        j->next_due_ms = now + (int64_t)(worker_rand01(w) * (double)w->cfg.startup_delay_max_ms);
        j->last_full_ms = now;
    }
}

static void worker_destroy(struct net_worker *w)
{
    for (size_t i = 0; i < w->n_jobs; i++) {
        free(w->jobs[i].job.source_id);
        free(w->jobs[i].job.url);
        free(w->jobs[i].etag);
        free(w->jobs[i].last_modified);
    }
    free(w->jobs);
    if (w->curl)
        curl_easy_cleanup(w->curl);
    net_proc_free(w->proc);
    free(w->fetch_exe);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->mu);
    free(w->user_agent);
    free(w->ca_file);
    free(w->freeze_path);
    free(w);
}

struct net_worker *net_worker_start(const struct net_worker_config *cfg, const struct net_job *jobs,
                                    size_t n_jobs)
{
    struct net_worker *w = xcalloc(1, sizeof(*w));
    w->cfg = *cfg;
    w->user_agent = xstrdup(cfg->limits.user_agent);
    w->cfg.limits.user_agent = w->user_agent;
    w->ca_file = xstrdup(cfg->limits.ca_file);
    w->cfg.limits.ca_file = w->ca_file;
    if (w->cfg.startup_delay_max_ms < 0)
        w->cfg.startup_delay_max_ms = 0;
    worker_seed(w);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&w->mu, NULL);
    worker_copy_jobs(w, jobs, n_jobs);
    atomic_store(&w->heartbeat, clock_mono_ms());
#ifdef BANGTIN_TEST_FAULTS
    w->freeze_path = xstrdup(getenv("BANGTIN_FAULT_FREEZE_WORKER"));
#endif
    int64_t shortest = INT64_MAX;
    for (size_t i = 0; i < w->n_jobs; i++)
        if (w->jobs[i].job.interval_ms < shortest)
            shortest = w->jobs[i].job.interval_ms;
    if (w->cfg.proc_linger_ms <= 0)
        w->cfg.proc_linger_ms = WORKER_PROC_LINGER_MS;
    bool proc = cfg->fetch_process && shortest >= w->cfg.proc_linger_ms;
    if (cfg->fetch_process && !proc)
        LOG_INFO("a source is polled every %lld s: fetching on the worker's thread, not in a "
                 "fetch process that could not end between polls",
                 (long long)(shortest / 1000));
    if (proc) {
        w->fetch_exe = xstrdup(cfg->fetch_exe);
        w->cfg.fetch_exe = w->fetch_exe;
        w->proc = net_proc_new(w->fetch_exe);
    } else {
        w->curl = net_global_init() ? curl_easy_init() : NULL;
    }
    int err = w->curl || w->proc ? pthread_create(&w->thread, NULL, worker_main, w) : ENOMEM;
    if (err) {
        LOG_ERR("cannot start the fetch worker: %s", strerror(err));
        worker_destroy(w);
        return NULL;
    }
    LOG_INFO("fetch worker started with %zu sources%s", n_jobs,
             w->proc ? ", fetching in a separate process" : "");
    return w;
}

void net_worker_set_validators(struct net_worker *w, const char *source_id, const char *etag,
                               const char *last_modified)
{
    if (!w || !source_id)
        return;
    pthread_mutex_lock(&w->mu);
    bool found = false;
    for (size_t i = 0; i < w->n_jobs; i++) {
        struct worker_job *j = &w->jobs[i];
        if (strcmp(j->job.source_id, source_id) != 0)
            continue;
        free(j->etag);
        free(j->last_modified);
        j->etag = xstrdup(etag);
        j->last_modified = xstrdup(last_modified);
        found = true;
    }
    pthread_mutex_unlock(&w->mu);
    if (!found)
        LOG_WARN("validators for unknown source '%s' ignored", source_id);
}

void net_worker_poke(struct net_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->poked = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mu);
}

int64_t net_worker_heartbeat(struct net_worker *w)
{
    return w ? atomic_load(&w->heartbeat) : 0;
}

void net_worker_stop(struct net_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    atomic_store(&w->stop_flag, true);
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    worker_destroy(w);
    LOG_INFO("fetch worker stopped");
}

void net_result_free(struct net_result *r)
{
    if (!r)
        return;
    free(r->source_id);
    free(r->url);
    net_response_free(&r->resp);
    free(r->sig);
    free(r);
}
