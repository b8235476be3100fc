/* net internals shared by fetch.c and worker.c (and the unit test). Not a public contract. */
#ifndef BANGTIN_NET_INTERNAL_H
#define BANGTIN_NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

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

#endif
