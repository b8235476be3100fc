/* fetch: one HTTP(S) GET with libcurl, hardened for an unattended poller (DESIGN.md §5). */
#define LOG_MODULE "net"
#include "bangtin/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bangtin/clock.h"
#include "bangtin/net.h"
#include "bangtin/util.h"
#include "net_internal.h"

#define HEADER_VALUE_MAX 512

struct fetch_state {
    struct buf body;
    bool over_cap;
    const struct net_hooks *hooks;
    bool aborted;
    /* validators etc. of the response being received; reset at each status line so only the
     * final response of a redirect chain counts */
    char *etag, *last_modified;
    int wp_total_pages;
    long wp_total;
    int64_t server_date;
};

static void fetch_state_reset_headers(struct fetch_state *st)
{
    free(st->etag);
    free(st->last_modified);
    st->etag = st->last_modified = NULL;
    st->wp_total_pages = 0;
    st->wp_total = -1;
    st->server_date = 0;
}

static size_t fetch_on_write(char *data, size_t size, size_t n, void *ud)
{
    struct fetch_state *st = ud;
    size_t len = size * n;
    /* curl hands us decoded bytes, so the cap bounds memory even for a gzip bomb */
    if (!buf_append(&st->body, data, len)) {
        st->over_cap = true;
        return 0;
    }
    return len;
}

/* A header value we are willing to keep: printable ASCII, not too long. */
static char *fetch_header_value(const char *v, size_t len)
{
    while (len > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    while (len > 0 &&
           (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r' || v[len - 1] == '\n'))
        len--;
    if (len == 0 || len > HEADER_VALUE_MAX)
        return NULL;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
            return NULL;
    return xstrndup(v, len);
}

/* A header holding a count in [0, max]; -1 when absent, malformed or out of range. */
static long fetch_header_count(const char *v, size_t len, long max)
{
    char *s = fetch_header_value(v, len), *end = NULL;
    long n = s ? strtol(s, &end, 10) : -1;
    if (!s || end == s || *end != '\0' || n < 0 || n > max)
        n = -1;
    free(s);
    return n;
}

static size_t fetch_on_header(char *data, size_t size, size_t n, void *ud)
{
    struct fetch_state *st = ud;
    size_t len = size * n;
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        fetch_state_reset_headers(st);
        return len;
    }
    const char *colon = memchr(data, ':', len);
    if (!colon)
        return len;
    size_t name_len = (size_t)(colon - data);
    const char *v = colon + 1;
    size_t vlen = len - name_len - 1;
    if (name_len == 4 && strncasecmp(data, "ETag", 4) == 0) {
        free(st->etag);
        st->etag = fetch_header_value(v, vlen);
    } else if (name_len == 13 && strncasecmp(data, "Last-Modified", 13) == 0) {
        free(st->last_modified);
        st->last_modified = fetch_header_value(v, vlen);
    } else if (name_len == 15 && strncasecmp(data, "X-WP-TotalPages", 15) == 0) {
        long pages = fetch_header_count(v, vlen, 100000);
        st->wp_total_pages = pages > 0 ? (int)pages : 0;
    } else if (name_len == 10 && strncasecmp(data, "X-WP-Total", 10) == 0) {
        st->wp_total = fetch_header_count(v, vlen, 100000000);
    } else if (name_len == 4 && strncasecmp(data, "Date", 4) == 0) {
        char *d = fetch_header_value(v, vlen);
        time_t t = d ? curl_getdate(d, NULL) : -1;
        st->server_date = t > 0 ? (int64_t)t : 0;
        free(d);
    }
    return len;
}

static int fetch_on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                             curl_off_t ulnow)
{
    struct fetch_state *st = ud;
    if (st->hooks && st->hooks->keep_going && !st->hooks->keep_going(st->hooks->ctx)) {
        st->aborted = true;
        return 1;
    }
    return 0;
}

/* If-None-Match and If-Modified-Since, both when we have both: a trashed newest post moves
 * Last-Modified backwards (probes.txt 6c), so If-Modified-Since alone could hide a change. */
static struct curl_slist *fetch_conditional_headers(const struct net_request *req)
{
    struct curl_slist *list = NULL;
    char *etag = net_etag_for_request(req->etag);
    if (etag) {
        char *h = xasprintf("If-None-Match: %s", etag);
        list = curl_slist_append(list, h);
        free(h);
        free(etag);
    }
    char *lm = req->last_modified
                   ? fetch_header_value(req->last_modified, strlen(req->last_modified))
                   : NULL;
    if (lm) {
        char *h = xasprintf("If-Modified-Since: %s", lm);
        list = curl_slist_append(list, h);
        free(h);
        free(lm);
    }
    return list;
}

static void fetch_set_protocols(CURL *curl, bool allow_file)
{
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, allow_file ? "http,https,file" : "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    long protos = CURLPROTO_HTTP | CURLPROTO_HTTPS;
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS, protos | (allow_file ? CURLPROTO_FILE : 0L));
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS, protos);
#endif
}

static void fetch_setup(CURL *curl, const struct net_limits *lim, const struct net_request *req,
                        struct fetch_state *st, struct curl_slist *headers, char *errbuf)
{
    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    fetch_set_protocols(curl, req->allow_file);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, lim->max_redirects);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, lim->connect_timeout_s);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, lim->total_timeout_s);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, lim->low_speed_time_s);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, lim->low_speed_limit);
    /* verification stays on whatever the clock says (never disabled) */
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (lim->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, lim->ca_file);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    /* refuses at the headers a Content-Length that cannot fit; the write callback still
     * counts the decoded bytes (margin: compressed incompressible data grows a little) */
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)(lim->max_bytes + lim->max_bytes / 16 + 4096));
    if (lim->user_agent)
        curl_easy_setopt(curl, CURLOPT_USERAGENT, lim->user_agent);
    if (headers)
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, fetch_on_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, st);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, fetch_on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, st);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, fetch_on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, st);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
}

/* Fills out from the finished transfer; returns its status. */
static enum net_status fetch_finish(CURL *curl, CURLcode rc, const struct net_limits *lim,
                                    struct fetch_state *st, const char *errbuf,
                                    struct net_response *out)
{
    struct net_facts f = {.rc = rc,
                          .curl_error = errbuf,
                          .over_cap = st->over_cap,
                          .aborted = st->aborted,
                          .body_len = st->body.len};
    curl_off_t total_us = 0, connect_us = 0;
    char *scheme = NULL, *ctype = NULL;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &f.http_code);
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &f.os_errno);
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &total_us);
    curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connect_us);
    curl_easy_getinfo(curl, CURLINFO_SCHEME, &scheme);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ctype);
    curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &out->request_bytes);
    curl_easy_getinfo(curl, CURLINFO_HEADER_SIZE, &out->header_bytes);
    f.total_s = (long)((total_us + 500000) / 1000000);
    f.connected = connect_us > 0;
    f.is_file = scheme && strcasecmp(scheme, "file") == 0;
    f.clock_trusted = rc != CURLE_PEER_FAILED_VERIFICATION || clock_is_trusted();

    out->http_code = f.http_code;
    out->status = net_classify(&f, lim, out->error, sizeof(out->error));
    if (ctype) {
        out->content_type = fetch_header_value(ctype, strlen(ctype));
        out->charset = net_charset_from_content_type(out->content_type);
    }
    out->etag = st->etag;
    out->last_modified = st->last_modified;
    st->etag = st->last_modified = NULL;
    out->wp_total_pages = st->wp_total_pages;
    out->wp_total = st->wp_total;
    out->server_date = st->server_date;
    if (out->status == NET_OK) {
        out->len = st->body.len;
        out->body = buf_steal(&st->body);
    }
    return out->status;
}

enum net_status net_fetch_on(CURL *curl, const struct net_limits *lim,
                             const struct net_request *req, const struct net_hooks *hooks,
                             struct net_response *out)
{
    memset(out, 0, sizeof(*out));
    if (!req->url || !*req->url) {
        out->status = NET_BAD_DATA;
        snprintf(out->error, sizeof(out->error), "no URL");
        return out->status;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    struct fetch_state st = {.hooks = hooks, .wp_total = -1};
    buf_init(&st.body, lim->max_bytes);
    struct curl_slist *headers = fetch_conditional_headers(req);

    curl_easy_reset(curl);
    fetch_setup(curl, lim, req, &st, headers, errbuf);
    CURLcode rc = curl_easy_perform(curl);
    enum net_status status = fetch_finish(curl, rc, lim, &st, errbuf, out);
    LOG_DBG("%s: %s (HTTP %ld, %zu bytes, %ld+%ld header bytes)%s%s", req->url,
            net_status_name(status), out->http_code, out->len, out->request_bytes,
            out->header_bytes, out->error[0] ? ": " : "", out->error);

    curl_slist_free_all(headers);
    fetch_state_reset_headers(&st);
    buf_free(&st.body);
    return status;
}

enum net_status net_fetch(const struct net_limits *lim, const struct net_request *req,
                          struct net_response *out)
{
    CURL *curl = net_global_init() ? curl_easy_init() : NULL;
    if (!curl) {
        memset(out, 0, sizeof(*out));
        out->status = NET_RETRY;
        snprintf(out->error, sizeof(out->error), "curl_easy_init failed");
        return out->status;
    }
    enum net_status status = net_fetch_on(curl, lim, req, NULL, out);
    curl_easy_cleanup(curl);
    return status;
}

/* Once per process, by the first user of libcurl (whatever thread): the screen's first frame
 * and --screenshot never get here, so libcurl (loaded at its first call, curl_lib.c) and
 * OpenSSL's set-up stay out of them. pthread_once also serialises curl_global_init, which
 * libcurl before 7.84 does not make thread-safe by itself. */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static atomic_bool global_ok, global_done;

static void global_init_once(void)
{
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK)
        LOG_ERR("curl_global_init: %s", curl_easy_strerror(rc));
    atomic_store(&global_ok, rc == CURLE_OK);
    atomic_store(&global_done, true);
}

bool net_global_init(void)
{
    pthread_once(&global_once, global_init_once);
    return atomic_load(&global_ok);
}

void net_global_cleanup(void)
{
    if (atomic_load(&global_done) && atomic_load(&global_ok))
        curl_global_cleanup();
}

void net_limits_default(struct net_limits *l)
{
    *l = (struct net_limits){
        .connect_timeout_s = 10,
        .total_timeout_s = 60,
        .low_speed_time_s = 20,
        .low_speed_limit = 64,
        .max_bytes = 8u << 20,
        .max_redirects = 5,
        .user_agent = "bangtin/" BANGTIN_VERSION,
    };
}
