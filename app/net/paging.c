/* paging: following a WordPress REST listing past its first page (X-WP-TotalPages). */
#define LOG_MODULE "net"
#include "bangtin/log.h"

#include <stdlib.h>
#include <string.h>

#include "bangtin/clock.h"
#include "bangtin/net.h"
#include "bangtin/util.h"
#include "net_internal.h"

#define WP_DEFAULT_PER_PAGE 10 /* what WordPress uses when the URL gives no per_page */

/* The query of url as [begin, end): after '?', before '#'. false when there is none. */
static bool url_query(const char *url, const char **begin, const char **end)
{
    const char *hash = strchr(url, '#');
    const char *q = memchr(url, '?', hash ? (size_t)(hash - url) : strlen(url));
    if (!q)
        return false;
    *begin = q + 1;
    *end = hash ? hash : url + strlen(url);
    return true;
}

/* The parameter `name` in [p, end): its value as [*v, *v_end). */
static bool query_find(const char *p, const char *end, const char *name, const char **key,
                       const char **v, const char **v_end)
{
    size_t name_len = strlen(name);
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *field_end = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(field_end - p));
        const char *key_end = eq ? eq : field_end;
        if ((size_t)(key_end - p) == name_len && memcmp(p, name, name_len) == 0) {
            *key = p;
            *v = eq ? eq + 1 : field_end;
            *v_end = field_end;
            return true;
        }
        p = field_end + 1;
    }
    return false;
}

int net_url_query_int(const char *url, const char *name, int fallback)
{
    const char *qb, *qe, *key, *v, *ve;
    if (!url || !url_query(url, &qb, &qe) || !query_find(qb, qe, name, &key, &v, &ve))
        return fallback;
    long n = 0;
    if (v == ve || ve - v > 9)
        return fallback;
    for (const char *c = v; c < ve; c++) {
        if (*c < '0' || *c > '9')
            return fallback;
        n = n * 10 + (*c - '0');
    }
    return (int)n;
}

char *net_url_with_page(const char *url, int page)
{
    const char *qb, *qe, *key, *v, *ve;
    if (url_query(url, &qb, &qe) && query_find(qb, qe, "page", &key, &v, &ve))
        return xasprintf("%.*s%s%d%s", (int)(v - url), url, v[-1] == '=' ? "" : "=", page, ve);
    const char *hash = strchr(url, '#');
    size_t head = hash ? (size_t)(hash - url) : strlen(url);
    const char *q = memchr(url, '?', head);
    const char *sep = !q ? "?" : (url[head - 1] == '&' || q == url + head - 1) ? "" : "&";
    return xasprintf("%.*s%spage=%d%s", (int)head, url, sep, page, hash ? hash : "");
}

int net_listing_pages_wanted(const char *url, int want_items)
{
    int page = net_url_query_int(url, "page", 1);
    if (page != 1)
        return 1; /* staff asked for that page: take it as it is */
    if (want_items <= 0)
        return NET_MAX_PAGES;
    int per_page = net_url_query_int(url, "per_page", WP_DEFAULT_PER_PAGE);
    if (per_page <= 0)
        per_page = WP_DEFAULT_PER_PAGE;
    int pages = want_items / per_page + (want_items % per_page != 0);
    return pages < 1 ? 1 : pages > NET_MAX_PAGES ? NET_MAX_PAGES : pages;
}

/* Pages 2… of a listing whose page 1 is in out. */
static void listing_follow(CURL *curl, const struct net_limits *lim, const struct net_request *req,
                           const struct net_hooks *hooks, int last_page, int64_t started_ms,
                           struct net_response *out)
{
    size_t used = out->len;
    /* The whole walk shares one time budget, as it shares the byte cap: the single fetch
     * thread must get back to urgent sources within total_timeout, as after one fetch. */
    int64_t deadline = started_ms + (int64_t)lim->total_timeout_s * 1000;
    out->more = xcalloc((size_t)(last_page - 1), sizeof(*out->more));
    for (int page = 2; page <= last_page; page++) {
        int64_t left_ms = deadline - clock_mono_ms();
        if (used >= lim->max_bytes || left_ms < 1000) {
            out->listing_partial = true;
            if (used >= lim->max_bytes)
                LOG_WARN("%s: pages %d–%d not fetched: the listing reached the %zu-byte cap",
                         req->url, page, last_page, lim->max_bytes);
            else
                LOG_WARN("%s: pages %d–%d not fetched: the listing took the whole %ld s "
                         "time-out",
                         req->url, page, last_page, lim->total_timeout_s);
            return;
        }
        struct net_limits page_lim = *lim;
        page_lim.max_bytes = lim->max_bytes - used;
        page_lim.total_timeout_s = (long)(left_ms / 1000);
        char *url = net_url_with_page(req->url, page);
        struct net_request page_req = {.url = url, .allow_file = req->allow_file};
        struct net_response r;
        enum net_status s = net_fetch_on(curl, &page_lim, &page_req, hooks, &r);
        if (s == NET_OK && r.wp_total != out->wp_total) {
            /* posts published or removed meanwhile: items moved across page boundaries */
            out->listing_partial = true;
            LOG_INFO("%s: the listing changed while it was read (%ld posts, then %ld); "
                     "its items are kept, none removed this time",
                     url, out->wp_total, r.wp_total);
        }
        if (s == NET_OK) {
            struct net_page *p = &out->more[out->n_more++];
            p->body = r.body;
            p->len = r.len;
            p->charset = r.charset;
            r.body = r.charset = NULL;
            used += p->len;
        } else if (s == NET_BAD_DATA && r.http_code == 400) {
            /* posts were removed since page 1 was read: this page is now past the end */
            out->listing_partial = true;
            LOG_INFO("%s: HTTP 400: the listing shrank while it was read and now ends at "
                     "page %d; its items are kept, none removed this time",
                     url, page - 1);
            page = last_page;
        } else {
            out->listing_partial = true;
            if (page == 2)
                LOG_WARN("%s: %s (%s); keeping page 1", url, net_status_name(s), r.error);
            else
                LOG_WARN("%s: %s (%s); keeping pages 1–%d", url, net_status_name(s), r.error,
                         page - 1);
            page = last_page;
        }
        out->request_bytes += r.request_bytes;
        out->header_bytes += r.header_bytes;
        net_response_free(&r);
        free(url);
    }
}

enum net_status net_fetch_listing_on(CURL *curl, const struct net_limits *lim,
                                     const struct net_request *req, const struct net_hooks *hooks,
                                     int want_items, struct net_response *out)
{
    int64_t started = clock_mono_ms();
    enum net_status s = net_fetch_on(curl, lim, req, hooks, out);
    if (s != NET_OK || out->wp_total_pages < 2)
        return s;
    int last = net_listing_pages_wanted(req->url, want_items);
    if (out->wp_total_pages < last)
        last = out->wp_total_pages;
    if (last >= 2)
        listing_follow(curl, lim, req, hooks, last, started, out);
    LOG_DBG("%s: %zu of %d pages", req->url, out->n_more + 1, out->wp_total_pages);
    return s;
}

enum net_status net_fetch_listing(const struct net_limits *lim, const struct net_request *req,
                                  int want_items, struct net_response *out)
{
    CURL *curl = net_global_init() ? curl_easy_init() : NULL;
    if (!curl)
        return net_fetch(lim, req, out); /* fills out with the same failure */
    enum net_status s = net_fetch_listing_on(curl, lim, req, NULL, want_items, out);
    curl_easy_cleanup(curl);
    return s;
}
