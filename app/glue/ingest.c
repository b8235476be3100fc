/* ingest: fetch results → the cache. Parsing happens here, on the main thread (or in the
 * one-shot commands), one transaction per result; a failure never touches cached content. */
#define LOG_MODULE "ingest"
#include "ingest.h"
#include "setup.h"

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

bool ingest_parse_listing(const struct net_response *resp, const char *url, struct feed *f,
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
        LOG_INFO("%s: notice list: %d applied, %d unchanged, %d refused", config_source_label(src),
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
    if (!ingest_parse_listing(resp, r->url, &f, &complete, err, err_len)) {
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
    if (resp->status == NET_OK || resp->status == NET_NOT_MODIFIED)
        clock_note_evidence(resp->server_date); /* a server's Date: what time it really is */
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
    if (!ingest_parse_listing(resp, r->url, &f, &complete, err, err_len)) {
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
    /* A poll that changed nothing is a debug line: on a board every journal line costs the SD
     * card whole pages, and an urgent source without validators is read every 30 s. */
    log_msg(changed > 0 ? LOG_LEVEL_INFO : LOG_LEVEL_DBG, LOG_MODULE,
            "%s: %zu items (%s%s), %d new or changed", config_source_label(src), f.n_items,
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
    if (!clock_is_settled()) {
        LOG_DBG("clock not trusted (or not for long enough): nothing purged");
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

int ingest_want_items(const struct config *cfg, const struct config_source *src)
{
    return src->max_items > 0 ? src->max_items : cfg->max_items;
}

/* Fetch one source synchronously into a net_result (signature too when required). */
static void fetch_source(const struct config *cfg, const struct config_source *src,
                         const char *etag, const char *last_modified, struct net_result *r)
{
    struct net_limits lim;
    setup_net_limits(cfg, &lim);
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
            LOG_WARN("%s: %s (cached items kept)", config_source_label(src), err);
            failed++;
        } else if (r->resp.status == NET_NOT_MODIFIED) {
            LOG_INFO("%s: not modified", config_source_label(src));
        }
        net_result_free(r);
        store_source_state_free(&ss);
    }
    return failed;
}

void ingest_last_success(struct store *st, const struct config *cfg, int64_t *per_source)
{
    for (size_t i = 0; i < cfg->n_sources; i++) {
        struct store_source_state ss;
        per_source[i] = store_source_state_get(st, cfg->sources[i].id, &ss) ? ss.last_success : 0;
        store_source_state_free(&ss);
    }
}
