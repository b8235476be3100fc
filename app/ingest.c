/* ingest: fetch results → the cache. Parsing happens here, on the main thread (or in the CLI
 * commands), one transaction per result; a failure never touches cached content. */
#define LOG_MODULE "ingest"
#include "app.h"
#include "images.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct config_source *ingest_find_source(const struct config *cfg, const char *id)
{
    for (size_t i = 0; i < cfg->n_sources; i++) {
        if (strcmp(cfg->sources[i].id, id) == 0)
            return &cfg->sources[i];
    }
    return NULL;
}

static const char *source_label(const struct config_source *src)
{
    return src->name ? src->name : src->id;
}

/* Page 1 and any further pages of a paged listing → one feed. *complete is false when a
 * further page was not fetched (net) or does not parse: such a listing proves no removal. */
static bool parse_listing(const struct net_response *resp, const char *url, struct feed *f,
                          bool *complete, char *err, size_t err_len)
{
    *complete = !resp->listing_partial;
    if (!feed_parse(resp->body, resp->len, resp->charset, url, f, err, err_len))
        return false;
    f->wp_total_pages = resp->wp_total_pages;
    for (size_t i = 0; i < resp->n_more; i++) {
        const struct net_page *p = &resp->more[i];
        struct feed page;
        char page_err[256];
        if (!feed_parse(p->body, p->len, p->charset, url, &page, page_err, sizeof page_err)) {
            LOG_WARN("%s: page %zu: %s (keeping the other pages)", url, i + 2, page_err);
            *complete = false;
            continue;
        }
        feed_append(f, &page);
    }
    return true;
}

/* A signed source: one notice (url + url.minisig) or a notice list. A notice for other
 * communes, or the one already applied fetched again, is the normal state of a polled URL:
 * unchanged, never an error. */
static enum ingest_outcome ingest_signed(struct store *st, const struct config *cfg,
                                         const struct config_source *src,
                                         const struct net_result *r, int64_t now, char *err,
                                         size_t err_len)
{
    const struct net_response *resp = &r->resp;
    if (notify_is_list(resp->body, resp->len)) {
        struct notify_list_result lr;
        notify_accept_list(st, cfg, src->id, resp->body, resp->len, now, clock_is_trusted(), &lr,
                           err, err_len);
        LOG_INFO("%s: notice list: %d applied, %d unchanged, %d refused", source_label(src),
                 lr.applied, lr.unchanged, lr.refused);
        if (lr.refused)
            store_mark_error(st, src->id, err, now);
        else
            store_mark_not_modified(st, src->id, now);
        return lr.applied ? INGEST_CHANGED : lr.refused ? INGEST_FAILED : INGEST_UNCHANGED;
    }
    if (!r->sig) {
        snprintf(err, err_len, "no signature (%s.minisig) for a source that requires one", r->url);
        store_mark_error(st, src->id, err, now);
        return INGEST_FAILED;
    }
    enum notify_verdict v = notify_accept_signed(st, cfg, src->id, resp->body, resp->len, r->sig,
                                                 r->sig_len, now, clock_is_trusted(), err, err_len);
    if (v == NOTIFY_ACCEPTED || v == NOTIFY_CANCELLED) {
        store_mark_not_modified(st, src->id, now);
        return INGEST_CHANGED;
    }
    if (v == NOTIFY_UNCHANGED || v == NOTIFY_NOT_TARGETED) {
        err[0] = '\0';
        store_mark_not_modified(st, src->id, now);
        return INGEST_UNCHANGED;
    }
    store_mark_error(st, src->id, err, now);
    return INGEST_FAILED;
}

static enum ingest_outcome ingest_urgent(struct store *st, const struct config *cfg,
                                         const struct config_source *src,
                                         const struct net_result *r, int64_t now, char *err,
                                         size_t err_len)
{
    const struct net_response *resp = &r->resp;
    if (src->require_signature)
        return ingest_signed(st, cfg, src, r, now, err, err_len);
    struct feed f;
    bool complete;
    if (!parse_listing(resp, r->url, &f, &complete, err, err_len)) {
        store_mark_error(st, src->id, err, now);
        return INGEST_FAILED;
    }
    struct store_urgent *list = NULL;
    size_t n = notify_from_feed(cfg, src, &f, now, &list);
    bool ok =
        store_urgent_replace_source(st, src->id, list, n, resp->etag, resp->last_modified, now);
    store_urgent_free(list, n);
    feed_free(&f);
    if (!ok) {
        snprintf(err, err_len, "could not store urgent notices");
        return INGEST_FAILED;
    }
    return INGEST_CHANGED;
}

enum ingest_outcome ingest_result(struct store *st, const struct config *cfg,
                                  const struct config_source *src, const struct net_result *r,
                                  int64_t now, char *err, size_t err_len)
{
    const struct net_response *resp = &r->resp;
    err[0] = '\0';
    switch (resp->status) {
    case NET_NOT_MODIFIED: store_mark_not_modified(st, src->id, now); return INGEST_UNCHANGED;
    case NET_OK: break;
    case NET_WAITING_FOR_TIME:
        snprintf(err, err_len, "waiting for time (the clock is not set, TLS cannot be checked)");
        store_mark_error(st, src->id, err, now);
        return INGEST_FAILED;
    default:
        snprintf(err, err_len, "%s", resp->error[0] ? resp->error : net_status_name(resp->status));
        store_mark_error(st, src->id, err, now);
        return INGEST_FAILED;
    }
    if (src->kind == CONFIG_SOURCE_URGENT)
        return ingest_urgent(st, cfg, src, r, now, err, err_len);

    struct feed f;
    bool complete;
    if (!parse_listing(resp, r->url, &f, &complete, err, err_len)) {
        store_mark_error(st, src->id, err, now);
        return INGEST_FAILED;
    }
    struct store_apply a = {
        .source_id = src->id,
        .source_name = src->name ? src->name : (f.title ? f.title : src->id),
        .feed = &f,
        .etag = resp->etag,
        .last_modified = resp->last_modified,
        /* A listing read in recovery mode, or missing a page, may miss items: it never
         * removes any. */
        .full_listing = r->unconditional && !f.recovered && complete,
        .max_items = src->max_items,
        .now = now,
    };
    int changed = store_apply_feed(st, &a);
    LOG_INFO("%s: %zu items (%s%s), %d new or changed", source_label(src), f.n_items,
             feed_format_name(f.format), resp->n_more ? ", paged" : "", changed < 0 ? 0 : changed);
    feed_free(&f);
    if (changed < 0) {
        snprintf(err, err_len, "could not store the items (cache unchanged)");
        return INGEST_FAILED;
    }
    return changed > 0 ? INGEST_CHANGED : INGEST_UNCHANGED;
}

int ingest_purge(struct store *st, const struct config *cfg)
{
    if (!clock_is_trusted()) {
        LOG_DBG("clock not trustworthy: nothing purged");
        return 0;
    }
    if (cfg->max_age_days <= 0)
        return 0;
    /* Keep the rotation's worth of newest items whatever their age: never a blank screen. */
    int n =
        store_purge(st, (int64_t)cfg->max_age_days * 86400, (size_t)cfg->max_items, clock_now());
    if (n > 0)
        LOG_INFO("purged %d items older than %d days", n, cfg->max_age_days);
    return n;
}

void app_net_limits(const struct config *cfg, struct net_limits *lim)
{
    net_limits_default(lim);
    lim->connect_timeout_s = cfg->connect_timeout_s;
    lim->total_timeout_s = cfg->total_timeout_s;
    lim->low_speed_time_s = cfg->low_speed_time_s;
    lim->low_speed_limit = cfg->low_speed_limit;
    lim->max_bytes = cfg->max_feed_bytes;
    lim->max_redirects = cfg->max_redirects;
    lim->user_agent = cfg->user_agent;
}

int ingest_want_items(const struct config *cfg, const struct config_source *src)
{
    return src->max_items > 0 ? src->max_items : cfg->max_items;
}

/* Fetch one source synchronously into a net_result (signature too when required). */
static void fetch_source(const struct config *cfg, const struct config_source *src,
                         const char *etag, const char *last_modified, struct net_result *r)
{
    struct net_limits lim;
    app_net_limits(cfg, &lim);
    memset(r, 0, sizeof *r);
    r->source_id = xstrdup(src->id);
    r->url = xstrdup(src->url);
    r->unconditional = !etag && !last_modified;
    struct net_request req = {
        .url = src->url, .etag = etag, .last_modified = last_modified, .allow_file = src->local};
    net_fetch_listing(&lim, &req, ingest_want_items(cfg, src), &r->resp);
    if (r->resp.status == NET_OK && src->require_signature) {
        char *sig_url = xasprintf("%s.minisig", src->url);
        struct net_request sreq = {.url = sig_url, .allow_file = src->local};
        struct net_response sresp;
        if (net_fetch(&lim, &sreq, &sresp) == NET_OK) {
            r->sig = sresp.body;
            r->sig_len = sresp.len;
            sresp.body = NULL;
        }
        net_response_free(&sresp);
        free(sig_url);
    }
}

int ingest_fetch_all(struct store *st, const struct config *cfg, bool only_local)
{
    int failed = 0;
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const struct config_source *src = &cfg->sources[i];
        if (str_empty(src->url) || (only_local && !str_starts_with(src->url, "file://")))
            continue;
        struct store_source_state ss;
        store_source_state_get(st, src->id, &ss);
        struct net_result *r = xcalloc(1, sizeof *r);
        /* Local files are cheap: always read them whole, so the listing is complete. */
        bool cond = !str_starts_with(src->url, "file://");
        fetch_source(cfg, src, cond ? ss.etag : NULL, cond ? ss.last_modified : NULL, r);
        char err[256];
        enum ingest_outcome o = ingest_result(st, cfg, src, r, clock_now(), err, sizeof err);
        if (o == INGEST_FAILED) {
            LOG_WARN("%s: %s (cached items kept)", source_label(src), err);
            failed++;
        } else if (r->resp.status == NET_NOT_MODIFIED) {
            LOG_INFO("%s: not modified", source_label(src));
        }
        net_result_free(r);
        store_source_state_free(&ss);
    }
    return failed;
}

int app_fetch_once(const struct config *cfg)
{
    if (cfg->n_sources == 0) {
        LOG_ERR("no sources to fetch (add [source …] to the config or use --source URL)");
        return 1;
    }
    struct store *st = store_open(cfg->data_dir);
    if (!st)
        return 1;
    int failed = ingest_fetch_all(st, cfg, false);
    images_fetch_all(st, cfg, false);
    ingest_purge(st, cfg);
    struct store_urgent *urgent;
    size_t n_urgent = store_urgent_active(st, clock_now(), clock_is_trusted(), &urgent);
    store_urgent_free(urgent, n_urgent);
    LOG_INFO("fetch-once: %zu sources, %d failed, %zu items cached, %zu urgent notice%s active",
             cfg->n_sources, failed, store_count_items(st), n_urgent, n_urgent == 1 ? "" : "s");
    store_close(st);
    return failed ? 1 : 0;
}

int app_dump(const struct config *cfg, const char *source)
{
    struct net_limits lim;
    app_net_limits(cfg, &lim);
    char *url = strstr(source, "://") ? xstrdup(source) : NULL;
    struct net_response resp;
    memset(&resp, 0, sizeof resp);
    if (url) {
        struct net_request req = {.url = url, .allow_file = str_starts_with(url, "file://")};
        net_fetch_listing(&lim, &req, cfg->max_items, &resp);
    } else if (util_read_file(source, lim.max_bytes, &resp.body, &resp.len)) {
        resp.status = NET_OK;
    } else {
        resp.status = NET_BAD_DATA;
        snprintf(resp.error, sizeof resp.error,
                 "cannot read %s (missing, unreadable or over %zu"
                 " bytes)",
                 source, lim.max_bytes);
    }
    int rc = 1;
    if (resp.status != NET_OK) {
        fprintf(stderr, "bangtin: %s: %s\n", source,
                resp.error[0] ? resp.error : net_status_name(resp.status));
    } else {
        struct feed f;
        char err[256];
        bool complete;
        if (!parse_listing(&resp, url, &f, &complete, err, sizeof err)) {
            fprintf(stderr, "bangtin: %s: %s\n", source, err);
        } else {
            struct buf out;
            buf_init(&out, 0);
            feed_dump_jsonl(&f, &out);
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
            buf_free(&out);
            fprintf(stderr, "bangtin: %s: %s, %zu items", source, feed_format_name(f.format),
                    f.n_items);
            if (resp.n_more)
                fprintf(stderr, " from %zu of %d pages%s", resp.n_more + 1, resp.wp_total_pages,
                        complete ? "" : " (some pages missing)");
            fputc('\n', stderr);
            rc = f.n_items ? 0 : 1;
            if (!f.n_items)
                fprintf(stderr, "bangtin: %s: the feed has no items\n", source);
            feed_free(&f);
        }
    }
    net_response_free(&resp);
    free(url);
    return rc;
}
