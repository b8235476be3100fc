/* Helpers shared by the store tests: a temporary data directory, hand-built feeds, a log
 * sink that remembers what the store said. */
#ifndef BANGTIN_TEST_STORE_FIXTURE_H
#define BANGTIN_TEST_STORE_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

/* 2026-11-27 08:00 UTC: a plausible, trusted "now". */
#define T0  ((int64_t)1795766400)
#define DAY ((int64_t)86400)

static char fx_root[256];

static inline void fx_mkroot(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(fx_root, sizeof fx_root, "%s/bangtin-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fx_root)) {
        perror("mkdtemp");
        exit(2);
    }
}

/* A fresh data directory below the root for each case. Caller frees. */
static inline char *fx_dir(const char *name)
{
    return xasprintf("%s/%s", fx_root, name);
}

/* rm -rf path (no symlinks are followed: lstat). */
static inline void fx_rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *sub = xasprintf("%s/%s", path, e->d_name);
            fx_rm_tree(sub);
            free(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static inline void fx_rmroot(void)
{
    fx_rm_tree(fx_root);
}

static inline struct feed_item fx_item(const char *guid, const char *link, const char *title,
                                       int64_t date)
{
    struct feed_item it;
    memset(&it, 0, sizeof it);
    it.guid = (char *)guid;
    it.link = (char *)link;
    it.title = (char *)title;
    it.text = (char *)"Nội dung thông báo.";
    it.date = date;
    return it;
}

static inline struct feed fx_feed(struct feed_item *items, size_t n)
{
    struct feed f;
    memset(&f, 0, sizeof f);
    f.format = FEED_FORMAT_RSS;
    f.items = items;
    f.n_items = n;
    return f;
}

static inline int fx_apply(struct store *s, const char *source, struct feed_item *items, size_t n,
                           const char *etag, bool full, int max_items, int64_t now)
{
    struct feed f = fx_feed(items, n);
    struct store_apply a = {.source_id = source,
                            .source_name = source,
                            .feed = &f,
                            .etag = etag,
                            .last_modified = NULL,
                            .full_listing = full,
                            .max_items = max_items,
                            .now = now};
    return store_apply_feed(s, &a);
}

/* Log capture: the errors the store logged since the last reset. */
static char fx_log[8192];

static inline void fx_sink(void *ctx, enum log_level level, const char *module, const char *msg)
{
    (void)ctx;
    if (level != LOG_LEVEL_ERR)
        return;
    size_t used = strlen(fx_log);
    snprintf(fx_log + used, sizeof fx_log - used, "%s: %s\n", module, msg);
}

static inline void fx_log_reset(void)
{
    fx_log[0] = '\0';
    log_set_sink(fx_sink, NULL);
}

#endif
