/* net: HTTP(S) fetching with libcurl for an unattended poller, and the fetch worker thread.
 *
 * Rules (DESIGN.md §5): CURLOPT_NOSIGNAL, connect/low-speed/total time-outs, http/https only
 * for requests and redirects (file:// only when the source is local), TLS verification always
 * on, Accept-Encoding for every decoder curl has, a body cap counted on decoded bytes in the
 * write callback, conditional GET with If-None-Match *and* If-Modified-Since.
 *
 * ETags: Apache's mod_deflate answers a gzip client with ETag "X-gzip" but compares
 * conditional requests with "X", and WordPress needs *both* validators to match when both are
 * sent (probes.txt §2), so echoing "X-gzip" always costs a full 200. net_fetch therefore sends
 * If-None-Match without a trailing -gzip/-br/-zstd suffix; store the ETag as received. */
#ifndef BANGTIN_NET_H
#define BANGTIN_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum net_status {
    NET_OK,              /* 200 with a body */
    NET_NOT_MODIFIED,    /* 304 */
    NET_RETRY,           /* transient: time-out, 5xx, connection refused, truncated … */
    NET_BAD_DATA,        /* permanent-looking: 4xx, over the size cap, bad scheme … */
    NET_WAITING_FOR_TIME /* TLS says the certificate is not yet valid: the clock is wrong */
};

struct net_limits {
    long connect_timeout_s; /* default 10 */
    long total_timeout_s;   /* default 60 */
    long low_speed_time_s;  /* default 20 */
    long low_speed_limit;   /* bytes/s, default 64 */
    size_t max_bytes;       /* decoded body cap, default 8 MiB */
    long max_redirects;     /* default 5 */
    const char *user_agent;
    const char *ca_file; /* PEM bundle trusted instead of the system store; NULL = system
                          * store (a province CA, or a test CA). Verification stays on. */
};
void net_limits_default(struct net_limits *l);

struct net_request {
    const char *url;
    const char *etag, *last_modified; /* NULL = unconditional; values with control characters
                                       * are not sent */
    bool allow_file;                  /* file:// allowed (local sources only) */
};

/* One further page of a paged listing: the decoded body and its Content-Type charset. */
struct net_page {
    char *body;
    size_t len;
    char *charset;
};

struct net_response {
    enum net_status status;
    long http_code; /* of the final response; 0 for file:// and no answer */
    char *body;
    size_t len;                   /* NUL-terminated, decoded; set only for NET_OK; caller
                                   * frees via net_response_free */
    char *etag, *last_modified;   /* of the final response after redirects, or NULL */
    char *content_type, *charset; /* charset from Content-Type, lower-case, or NULL */
    int wp_total_pages;           /* X-WP-TotalPages, 0 if absent */
    long wp_total;                /* X-WP-Total (posts in the listing), -1 if absent */
    int64_t server_date;          /* the final response's Date header, 0 if absent: evidence
                                     for the clock (clock_note_evidence) */
    struct net_page *more;        /* pages 2… of a paged listing (net_fetch_listing) */
    size_t n_more;
    bool listing_partial;             /* a further page could not be had (failure, byte
                                       * budget): the pages here are good but the listing is
                                       * not complete, so it proves no item was removed */
    long request_bytes, header_bytes; /* request and response header bytes on the wire (all
                                       * hops of a redirect chain), for the status page */
    char error[256];                  /* one line, for the log and the status page */
};

/* Process-wide init/cleanup (curl_global_init). net_global_init runs it once, from any thread
 * (net_fetch, net_fetch_listing and net_worker_start call it themselves); cleanup only if it
 * ran. */
bool net_global_init(void);
void net_global_cleanup(void);

/* Synchronous fetch (used by the worker, --fetch-once and --dump). Thread-safe (one easy
 * handle per call); out is always filled, free it with net_response_free. */
enum net_status net_fetch(const struct net_limits *lim, const struct net_request *req,
                          struct net_response *out);
void net_response_free(struct net_response *r);

/* ---- paged listings (WordPress REST) ----
 * A REST collection comes in pages (`per_page`, WordPress's default 10, at most 100) and says
 * how many in X-WP-TotalPages; a page past the end answers 400 (rest_post_invalid_page_number,
 * probes.txt §4). */
#define NET_MAX_PAGES 10
/* net_fetch, then — when page 1 answered 200 with X-WP-TotalPages > 1 and the URL does not ask
 * for a later page itself — pages 2, 3 … into out->more: fetched unconditionally with the same
 * limits, the body cap and the total time-out counted over all pages together (the walk takes
 * no longer than one fetch may), until want_items are covered
 * (per_page from the URL; want_items <= 0: no item goal), the last page, or NET_MAX_PAGES.
 * A further page that fails keeps the pages before it and sets listing_partial; so does a
 * listing that changed while it was walked (X-WP-Total differs from page 1's, or a 400 past
 * the end because posts were removed meanwhile): its items shifted between pages, so some
 * may have been skipped. The status is page 1's. */
enum net_status net_fetch_listing(const struct net_limits *lim, const struct net_request *req,
                                  int want_items, struct net_response *out);
/* How many pages net_fetch_listing asks for at most (before X-WP-TotalPages caps it): 1 when
 * the URL names a page other than 1. Pure. */
int net_listing_pages_wanted(const char *url, int want_items);
/* url with its `page` query parameter set to page (replaced, or appended before any
 * fragment). Caller frees. Pure. */
char *net_url_with_page(const char *url, int page);
/* The value of an integer query parameter of url, or fallback when absent or not a number.
 * Pure. */
int net_url_query_int(const char *url, const char *name, int fallback);
const char *net_status_name(enum net_status s);

/* Exponential backoff with jitter: delay before retry number `failures` (1-based):
 * base_s × 2^failures capped at max_s, times jitter in [0.5, 1.0], never below base_s (the
 * first retry lands in [base, 2·base]). rnd01 in [0, 1). Pure. */
int64_t net_backoff_ms(int failures, int64_t base_s, int64_t max_s, double rnd01);

/* ---- the worker thread ---- */
struct net_job {
    char *source_id, *url;
    bool allow_file;
    bool fetch_signature; /* also fetch url + ".minisig" after a 200 (signed notices) */
    int want_items;       /* paged listings: pages are followed until this many items are
                           * covered (net_fetch_listing); <= 0 = up to NET_MAX_PAGES */
    int64_t interval_ms;  /* poll period */
};
/* A finished fetch handed to the main thread; receiver frees with net_result_free.
 * Transfers aborted by net_worker_stop are not delivered. */
struct net_result {
    char *source_id;
    char *url;
    bool unconditional; /* sent without validators (first poll without validators, or the
                         * full refetch every full_refetch_ms): a 200 is the complete listing */
    struct net_response resp;
    char *sig;
    size_t sig_len; /* the detached signature when fetch_signature, else NULL; when
                     * its fetch failed, resp.status stays NET_OK and resp.error says
                     * "signature not fetched: …" */
};
void net_result_free(struct net_result *r);

/* Called on the worker thread for each finished fetch; must take ownership of r quickly
 * (the kiosk pushes an SDL event). */
typedef void (*net_deliver_fn)(void *ctx, struct net_result *r);
/* Validators for a source (called on the worker thread before each fetch; must be
 * thread-safe: the kiosk passes a copy under a mutex). */
struct net_worker_config {
    struct net_limits limits;
    int64_t startup_delay_max_ms; /* random delay before the first fetch */
    int64_t full_refetch_ms;      /* unconditional refetch period */
    int64_t backoff_max_ms;
    net_deliver_fn deliver;
    void *ctx;
    bool fetch_process; /* each poll is a job for the fetch process (net_proc), run as
                         * fetch_exe (NULL: this program), unless a source is polled more
                         * often than every 45 s; false: on the worker's thread */
    const char *fetch_exe;
    int64_t proc_linger_ms; /* the fetch process is kept while a poll is due within this, and
                             * used only if no source is polled more often; 0: 45 s */
};
/* One thread, one easy handle (connections and TLS sessions reused between polls); jobs run
 * one at a time, due urgent (shorter interval) jobs first. cfg and jobs are copied. The first
 * poll of each job comes after a random delay in [0, startup_delay_max_ms] and uses the
 * validators set so far; failures back off with net_backoff_ms(base = the interval clamped
 * to [1 s, 10 s], max = backoff_max_ms, or 60 s for NET_WAITING_FOR_TIME). NULL if the thread
 * cannot start. BANGTIN_TEST_FAULTS builds: env BANGTIN_FAULT_FREEZE_WORKER=<path> freezes the
 * thread (heartbeat stops) while that file exists. */
struct net_worker;
struct net_worker *net_worker_start(const struct net_worker_config *cfg, const struct net_job *jobs,
                                    size_t n_jobs);
/* Set the validators the worker sends next time for a source (after the main thread
 * committed them). Thread-safe. */
void net_worker_set_validators(struct net_worker *w, const char *source_id, const char *etag,
                               const char *last_modified);
/* Ask for an immediate poll of every source (SIGHUP, staff key). Thread-safe. */
void net_worker_poke(struct net_worker *w);
/* Monotonic ms (clock_mono_ms) of the worker's last sign of life, refreshed at least every
 * second, also during long transfers (for the watchdog). */
int64_t net_worker_heartbeat(struct net_worker *w);
/* Stops within about a second (aborts transfers in flight). net_worker_stop(NULL) no-op. */
void net_worker_stop(struct net_worker *w);

/* ---- the fetch process (issue 11: libcurl and its TLS stack stay out of the screen) ----
 * `exe --fetch-job PID` (the kiosk's own binary; /proc/self/exe if an upgrade replaced the file
 * on disk, so the child is always the same version) reads jobs on stdin and answers on stdout; it
 * is started at the first fetch, reused while fetches follow each other, and ended with
 * net_proc_idle. A child that dies, hangs or answers nonsense is killed: that fetch is
 * NET_RETRY with the reason in out->error, and the next one starts a new child. Use from one
 * thread at a time. */
struct net_proc;
/* exe NULL: this very program (its path, or /proc/self/exe once that file was replaced). */
struct net_proc *net_proc_new(const char *exe);
bool net_proc_running(const struct net_proc *p);
/* net_fetch, done by the fetch process (started if needed). */
enum net_status net_proc_fetch(struct net_proc *p, const struct net_limits *lim,
                               const struct net_request *req, struct net_response *out);
/* Ends the child (it finishes nothing: call between fetches). The next fetch starts one. */
void net_proc_idle(struct net_proc *p);
void net_proc_free(struct net_proc *p);
/* The child's main: `bangtin --fetch-job PID` (main() hands it argv before anything else).
 * Exit status 0 at end of input, 2 when not started by its parent, 3 on a broken job. */
int net_fetch_job_main(int argc, char **argv);

#endif
