/* Helpers of the glue tests: a temporary data directory, an RSS body, and fetch results as the
 * net worker hands them to the main thread. */
#ifndef BANGTIN_TEST_APP_FIXTURE_H
#define BANGTIN_TEST_APP_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bangtin/config.h"
#include "bangtin/net.h"
#include "bangtin/util.h"

/* 2026-11-27 08:00 UTC. */
#define APP_T0 ((int64_t)1795766400)

/* A fresh directory under TMPDIR; caller frees (and removes it with rm -rf). */
static inline char *app_tmpdir(const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    char *d = xasprintf("%s/bangtin-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    if (!mkdtemp(d)) {
        perror("mkdtemp");
        exit(2);
    }
    return d;
}

static inline void app_rmrf(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(cmd);
}

/* RSS 2.0 with items numbered first..last (guid https://x.vn/?p=N, one day apart, newest
 * first); words: body words per item. Caller frees. */
static inline char *app_rss(int first, int last, int words)
{
    struct buf b;
    buf_init(&b, 0);
    buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
                   "<title>Cổng TTĐT xã</title><link>https://x.vn/</link>");
    for (int i = last; i >= first; i--) {
        buf_printf(&b,
                   "<item><title>Thông báo số %d về lịch tiếp công dân</title>"
                   "<link>https://x.vn/?p=%d</link><guid>https://x.vn/?p=%d</guid>"
                   "<pubDate>%s, %02d Nov 2026 08:00:00 +0000</pubDate><description>",
                   i, i, i, "Mon", 1 + i % 28);
        for (int w = 0; w < words; w++)
            buf_printf(&b, "%s", w % 12 == 11 ? "đợt. " : "người dân ");
        buf_printf(&b, "</description></item>");
    }
    buf_printf(&b, "</channel></rss>");
    return b.data;
}

/* A result as the worker delivers it: status, body (taken), flags. */
static inline struct net_result *app_result(const char *source_id, enum net_status status,
                                            char *body, bool unconditional, bool partial)
{
    struct net_result *r = xcalloc(1, sizeof *r);
    r->source_id = xstrdup(source_id);
    r->url = xasprintf("https://x.vn/%s/feed/", source_id);
    r->unconditional = unconditional;
    r->resp.status = status;
    r->resp.http_code = status == NET_OK ? 200 : status == NET_NOT_MODIFIED ? 304 : 500;
    r->resp.body = body;
    r->resp.len = body ? strlen(body) : 0;
    r->resp.listing_partial = partial;
    if (status == NET_RETRY)
        snprintf(r->resp.error, sizeof r->resp.error, "HTTP 500 Internal Server Error");
    return r;
}

/* A config with one news source "tinh" and the data folder dir. */
static inline void app_config(struct config *cfg, const char *dir)
{
    config_init(cfg);
    free(cfg->data_dir);
    cfg->data_dir = xstrdup(dir);
    config_add_source_url(cfg, "https://x.vn/tinh/feed/", false);
    free(cfg->sources[0].id);
    cfg->sources[0].id = xstrdup("tinh");
}

#endif
