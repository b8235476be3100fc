/* net internals shared by fetch.c and worker.c (and the unit test). Not a public contract. */
#ifndef BANGTIN_NET_INTERNAL_H
#define BANGTIN_NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "bangtin/log.h"
#include "bangtin/net.h"

/* Lets the worker abort a transfer in flight and keep its heartbeat fresh: called from curl's
 * progress callback about once a second (more often while data flows). Return false to abort. */
struct net_hooks {
    bool (*keep_going)(void *ctx);
    void *ctx;
};

/* net_fetch on a caller-owned easy handle (reset here first, so connections are reused across
 * polls). hooks may be NULL. */
enum net_status net_fetch_on(CURL *curl, const struct net_limits *lim,
                             const struct net_request *req, const struct net_hooks *hooks,
                             struct net_response *out);

/* net_fetch_listing on a caller-owned easy handle (the worker's). */
enum net_status net_fetch_listing_on(CURL *curl, const struct net_limits *lim,
                                     const struct net_request *req, const struct net_hooks *hooks,
                                     int want_items, struct net_response *out);

/* Everything the classifier needs to know about a finished transfer. */
struct net_facts {
    CURLcode rc;
    long http_code;
    const char *curl_error; /* CURLOPT_ERRORBUFFER text, may be "" */
    long os_errno;
    bool over_cap;
    bool aborted; /* the hooks asked to stop */
    bool connected;
    bool is_file;
    bool clock_trusted;
    size_t body_len; /* decoded bytes received */
    long total_s;
};

/* Pure: the status and the one-line error for a finished transfer. */
enum net_status net_classify(const struct net_facts *f, const struct net_limits *lim, char *err,
                             size_t errlen);

/* The ETag to send back in If-None-Match: Apache mod_deflate/mod_brotli append "-gzip"/"-br"
 * to the ETag of compressed responses but compare conditional requests against the original
 * one (probes.txt §2), so the suffix is removed. Caller frees; NULL if unusable. */
char *net_etag_for_request(const char *etag);

/* "text/xml; Charset=\"ISO-8859-1\"" -> "iso-8859-1"; NULL when absent. Caller frees. */
char *net_charset_from_content_type(const char *content_type);

/* ---- one job as the worker runs it, in this process or in the fetch process ---- */
#define NET_SIG_MAX (16 * 1024) /* a minisig file is ~300 bytes */
struct net_wire_job {
    struct net_limits lim;  /* strings owned when decoded (net_wire_job_free) */
    struct net_request req; /* likewise */
    bool listing;           /* net_fetch_listing (paged WordPress listing), else net_fetch */
    bool fetch_signature;   /* after a 200, also url + ".minisig" */
    int want_items;
    int64_t clock_evidence; /* the asker's clock_evidence(): TLS's "not yet valid" needs it */
    enum log_level log_level;
};
/* Runs the job on curl: the fetch (a listing or one URL), then the detached signature when
 * asked and the fetch gave 200 (its failure keeps NET_OK and says "signature not fetched: …"
 * in out->error). *sig is the signature or NULL. */
enum net_status net_job_run(CURL *curl, const struct net_wire_job *j, const struct net_hooks *hooks,
                            struct net_response *out, char **sig, size_t *sig_len);

/* ---- frames between the kiosk and its fetch process (wire.c; pure) ---- */
#define NET_WIRE_HEADER       8 /* magic + payload length */
#define NET_WIRE_JOB_MAGIC    "BTJ1"
#define NET_WIRE_RESULT_MAGIC "BTR1"
#define NET_WIRE_JOB_MAX      (256u * 1024u)       /* URLs, validators, a CA path */
#define NET_WIRE_BODY_MAX     (256L * 1024 * 1024) /* the largest max_bytes a job may ask */
#define NET_WIRE_RESULT_MAX   ((size_t)NET_WIRE_BODY_MAX + 4u * 1024u * 1024u)
/* Encoders: the whole frame (header included), malloc'd; *len its size. */
char *net_wire_job_encode(const struct net_wire_job *j, size_t *len);
char *net_wire_result_encode(const struct net_response *r, const char *sig, size_t sig_len,
                             size_t *len);
/* A frame header: false unless it starts with magic and announces at most cap bytes. */
bool net_wire_header(const unsigned char *h, const char magic[4], size_t cap, size_t *payload);
/* Decoders of a whole frame: false (and nothing to free) for anything malformed. */
bool net_wire_job_decode(const void *frame, size_t len, struct net_wire_job *j);
void net_wire_job_free(struct net_wire_job *j);
bool net_wire_result_decode(const void *frame, size_t len, struct net_response *out, char **sig,
                            size_t *sig_len);
/* The worker's way into the fetch process (proc.c): the whole job, hooks polled meanwhile
 * (keep_going false kills the child: "stopped"). */
enum net_status net_proc_run(struct net_proc *p, const struct net_wire_job *job,
                             const struct net_hooks *hooks, struct net_response *out, char **sig,
                             size_t *sig_len);
#endif
