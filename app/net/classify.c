/* classify: what a finished transfer means for the poller (pure), and small header helpers. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bangtin/net.h"
#include "bangtin/util.h"
#include "net_internal.h"

static enum net_status classify_say(char *err, size_t errlen, enum net_status s, const char *fmt,
                                    ...) __attribute__((format(printf, 4, 5)));

static enum net_status classify_say(char *err, size_t errlen, enum net_status s, const char *fmt,
                                    ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    /* one line for the log and the status page, whatever curl put in its buffer */
    for (char *p = err; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return s;
}

/* The transfer completed: judge the HTTP status. */
static enum net_status classify_http(const struct net_facts *f, char *err, size_t errlen)
{
    long code = f->http_code;
    if (f->is_file || code == 200 || code == 203) {
        if (f->body_len == 0)
            return classify_say(err, errlen, NET_RETRY, "empty body");
        err[0] = '\0';
        return NET_OK;
    }
    if (code == 304) {
        err[0] = '\0';
        return NET_NOT_MODIFIED;
    }
    if (code == 429 || code >= 500 || code < 200 || (code > 200 && code < 300))
        return classify_say(err, errlen, NET_RETRY, "HTTP %ld", code);
    if (code >= 300 && code < 400)
        return classify_say(err, errlen, NET_BAD_DATA, "HTTP %ld without a usable Location", code);
    return classify_say(err, errlen, NET_BAD_DATA, "HTTP %ld", code);
}

static enum net_status classify_timeout(const struct net_facts *f, const struct net_limits *lim,
                                        char *err, size_t errlen)
{
    if (!f->connected)
        return classify_say(err, errlen, NET_RETRY, "connect timed out after %ld s", f->total_s);
    if (strstr(f->curl_error, "too slow"))
        return classify_say(err, errlen, NET_RETRY,
                            "too slow: under %ld bytes/s for %ld s (%zu bytes after %ld s)",
                            lim->low_speed_limit, lim->low_speed_time_s, f->body_len, f->total_s);
    return classify_say(err, errlen, NET_RETRY, "timed out after %ld s with %zu bytes", f->total_s,
                        f->body_len);
}

static enum net_status classify_tls(const struct net_facts *f, char *err, size_t errlen)
{
    /* With no RTC the clock may say 1970 and every certificate is "not yet valid"; that is
     * not the server's fault and fixes itself once NTP has run. */
    if (strstr(f->curl_error, "not yet valid") || !f->clock_trusted)
        return classify_say(err, errlen, NET_WAITING_FOR_TIME,
                            "waiting for time: certificate not yet valid (%s)", f->curl_error);
    return classify_say(err, errlen, NET_BAD_DATA, "TLS certificate rejected: %s", f->curl_error);
}

static enum net_status classify_connect(const struct net_facts *f, char *err, size_t errlen)
{
    if (f->os_errno == ECONNREFUSED)
        return classify_say(err, errlen, NET_RETRY, "connection refused");
    if (f->os_errno == ENETUNREACH || f->os_errno == EHOSTUNREACH)
        return classify_say(err, errlen, NET_RETRY, "network unreachable");
    return classify_say(err, errlen, NET_RETRY, "cannot connect: %s", f->curl_error);
}

static enum net_status classify_scheme(const struct net_facts *f, const char *why, char *err,
                                       size_t errlen)
{
    /* curl says: Protocol "file" not supported or disabled in libcurl */
    const char *q = strchr(why, '"');
    int n = q ? (int)strcspn(q + 1, "\"") : 0;
    const char *what = f->http_code >= 300 && f->http_code < 400 ? "redirect to a " : "";
    if (n > 0 && n < 20)
        return classify_say(err, errlen, NET_BAD_DATA, "%sscheme not allowed: %.*s", what, n,
                            q + 1);
    return classify_say(err, errlen, NET_BAD_DATA, "%sscheme not allowed: %s", what, why);
}

enum net_status net_classify(const struct net_facts *f, const struct net_limits *lim, char *err,
                             size_t errlen)
{
    if (f->over_cap || f->rc == CURLE_FILESIZE_EXCEEDED)
        return classify_say(err, errlen, NET_BAD_DATA, "body over %zu bytes", lim->max_bytes);
    if (f->aborted)
        return classify_say(err, errlen, NET_RETRY, "stopped");
    const char *why = f->curl_error && *f->curl_error ? f->curl_error : curl_easy_strerror(f->rc);
    struct net_facts g = *f;
    g.curl_error = why;
    switch (f->rc) {
    case CURLE_OK: return classify_http(f, err, errlen);
    case CURLE_OPERATION_TIMEDOUT: return classify_timeout(&g, lim, err, errlen);
    case CURLE_COULDNT_CONNECT: return classify_connect(&g, err, errlen);
    case CURLE_PEER_FAILED_VERIFICATION: return classify_tls(&g, err, errlen);
    case CURLE_UNSUPPORTED_PROTOCOL: return classify_scheme(f, why, err, errlen);
    case CURLE_TOO_MANY_REDIRECTS:
        return classify_say(err, errlen, NET_BAD_DATA, "more than %ld redirects",
                            lim->max_redirects);
    case CURLE_URL_MALFORMAT: return classify_say(err, errlen, NET_BAD_DATA, "bad URL: %s", why);
    case CURLE_BAD_CONTENT_ENCODING:
        return classify_say(err, errlen, NET_BAD_DATA, "bad content encoding: %s", why);
    case CURLE_PARTIAL_FILE:
        return classify_say(err, errlen, NET_RETRY, "truncated: %zu bytes, then closed",
                            f->body_len);
    case CURLE_COULDNT_RESOLVE_HOST:
        return classify_say(err, errlen, NET_RETRY, "cannot resolve host: %s", why);
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        if (f->os_errno == ECONNRESET)
            return classify_say(err, errlen, NET_RETRY, "connection reset");
        return classify_say(err, errlen, NET_RETRY, "network error: %s", why);
    default: return classify_say(err, errlen, NET_RETRY, "%s", why);
    }
}

char *net_etag_for_request(const char *etag)
{
    if (str_empty(etag) || strlen(etag) > 512)
        return NULL;
    for (const char *p = etag; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            return NULL; /* never let a stored value inject header lines */
    static const char *const suffixes[] = {"-gzip\"", "-br\"", "-zstd\""};
    size_t len = strlen(etag);
    for (size_t i = 0; i < ARRAY_LEN(suffixes); i++) {
        size_t sl = strlen(suffixes[i]);
        if (len > sl + 1 && str_ends_with(etag, suffixes[i])) {
            char *s = xstrndup(etag, len - sl + 1);
            s[len - sl] = '"';
            return s;
        }
    }
    return xstrdup(etag);
}

char *net_charset_from_content_type(const char *ct)
{
    if (!ct)
        return NULL;
    for (const char *p = strchr(ct, ';'); p; p = strchr(p + 1, ';')) {
        const char *q = p + 1;
        while (*q == ' ' || *q == '\t')
            q++;
        if (strncasecmp(q, "charset", 7) != 0)
            continue;
        q += 7;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q++ != '=')
            continue;
        while (*q == ' ' || *q == '\t' || *q == '"' || *q == '\'')
            q++;
        size_t n = strcspn(q, "\"'; \t");
        if (n == 0 || n > 40)
            return NULL;
        char *cs = xstrndup(q, n);
        for (char *c = cs; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        return cs;
    }
    return NULL;
}

const char *net_status_name(enum net_status s)
{
    switch (s) {
    case NET_OK: return "ok";
    case NET_NOT_MODIFIED: return "not-modified";
    case NET_RETRY: return "retry";
    case NET_BAD_DATA: return "bad-data";
    case NET_WAITING_FOR_TIME: return "waiting-for-time";
    }
    return "?";
}

void net_response_free(struct net_response *r)
{
    if (!r)
        return;
    free(r->body);
    free(r->etag);
    free(r->last_modified);
    free(r->content_type);
    free(r->charset);
    r->body = r->etag = r->last_modified = r->content_type = r->charset = NULL;
    r->len = 0;
    for (size_t i = 0; i < r->n_more; i++) {
        free(r->more[i].body);
        free(r->more[i].charset);
    }
    free(r->more);
    r->more = NULL;
    r->n_more = 0;
}

int64_t net_backoff_ms(int failures, int64_t base_s, int64_t max_s, double rnd01)
{
    if (base_s < 1)
        base_s = 1;
    if (max_s < base_s)
        max_s = base_s;
    if (failures < 1)
        failures = 1;
    if (rnd01 < 0 || rnd01 >= 1 || rnd01 != rnd01)
        rnd01 = 0;
    /* base × 2^failures, then jitter in [0.5, 1]: the first retry lands in [base, 2·base] */
    int64_t exp_ms = max_s * 1000;
    if (failures < 40 && base_s * 1000 <= (max_s * 1000) >> failures)
        exp_ms = (base_s * 1000) << failures;
    int64_t ms = (int64_t)((double)exp_ms * (0.5 + 0.5 * rnd01));
    if (ms < base_s * 1000)
        ms = base_s * 1000;
    if (ms > max_s * 1000)
        ms = max_s * 1000;
    return ms;
}
