/* store: applying a fetched feed (one transaction with its validators), purge, lead-image
 * bookkeeping. */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <stdlib.h>
#include <string.h>

#include "bangtin/clock.h"
#include "bangtin/feed.h"
#include "bangtin/store.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "store_private.h"

static const char *nonempty(const char *v)
{
    return str_empty(v) ? NULL : v;
}

/* A GUID only identifies an article across sources when it is a URI (WordPress "?p=123"
 * links, urn:, tag:); short ids like "42" collide between sites. */
static char *guid_key(const char *guid)
{
    if (!guid || !strchr(guid, ':'))
        return NULL;
    char *k = store_url_key(guid);
    return k ? k : xstrdup(guid);
}

/* Insert or update one item; *changed counts rows that were new or differed. */
static bool item_upsert(struct store *s, const struct store_apply *a, const struct feed_item *it,
                        int *changed)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ITEM_UPSERT);
    if (!st)
        return false;
    const char *title = it->title ? it->title : "";
    char *url_key = nonempty(it->link) ? store_url_key(it->link) : NULL;
    char *gkey = guid_key(it->guid);
    char *title_key = text_fold_key(title);
    store_bind_text(st, 1, a->source_id);
    store_bind_text(st, 2, it->guid);
    store_bind_text(st, 3, nonempty(it->link));
    store_bind_text(st, 4, url_key);
    store_bind_text(st, 5, gkey);
    store_bind_text(st, 6, title);
    store_bind_text(st, 7, title_key ? title_key : "");
    store_bind_text(st, 8, it->text ? it->text : "");
    store_bind_text(st, 9, nonempty(it->image_url));
    store_bind_text(st, 10, nonempty(it->image_caption));
    store_bind_text(st, 11, nonempty(it->author));
    sqlite3_bind_int64(st, 12, it->date > 0 ? it->date : 0);
    sqlite3_bind_int64(st, 13, it->updated > 0 ? it->updated : 0);
    sqlite3_bind_int64(st, 14, a->now);
    bool ok = store_exec_stmt(s, st, "item upsert");
    if (ok)
        *changed += sqlite3_changes(s->db) > 0;
    free(url_key);
    free(gkey);
    free(title_key);
    return ok;
}

/* full_listing: the items of the source that the listing no longer has are gone upstream. */
static bool remove_unlisted(struct store *s, const struct store_apply *a, int *changed)
{
    const struct feed *f = a->feed;
    if (f->n_items == 0) {
        /* An empty "complete" listing is far more often a broken page than a site with no
         * posts at all; a failed fetch must never blank the screen. */
        LOG_WARN("%s: empty full listing, keeping the cached items", a->source_id);
        return true;
    }
    const char **guids = xcalloc(f->n_items, sizeof *guids);
    for (size_t i = 0; i < f->n_items; i++)
        guids[i] = f->items[i].guid;
    bool ok = store_listing_fill(s, guids, f->n_items);
    free(guids);
    sqlite3_stmt *st = ok ? store_stmt(s, STMT_ITEM_DELETE_UNLISTED) : NULL;
    if (!st)
        return false;
    store_bind_text(st, 1, a->source_id);
    if (!store_exec_stmt(s, st, "remove vanished items"))
        return false;
    *changed += sqlite3_changes(s->db);
    return true;
}

static bool keep_newest(struct store *s, const struct store_apply *a, int *changed)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ITEM_KEEP_NEWEST);
    if (!st)
        return false;
    store_bind_text(st, 1, a->source_id);
    sqlite3_bind_int64(st, 2, a->max_items);
    if (!store_exec_stmt(s, st, "cap items of source"))
        return false;
    *changed += sqlite3_changes(s->db);
    return true;
}

static bool apply_body(struct store *s, const struct store_apply *a, int *changed)
{
    if (!store_source_ensure(s, a->source_id, a->source_name))
        return false;
    for (size_t i = 0; i < a->feed->n_items; i++) {
        const struct feed_item *it = &a->feed->items[i];
        if (str_empty(it->guid)) {
            LOG_WARN("%s: item without a GUID skipped", a->source_id);
            continue;
        }
        if (!item_upsert(s, a, it, changed))
            return false;
    }
    if (a->full_listing && !remove_unlisted(s, a, changed))
        return false;
    if (a->max_items > 0 && !keep_newest(s, a, changed))
        return false;
    return store_source_success(s, a->source_id, a->etag, a->last_modified, a->full_listing,
                                a->now);
}

int store_apply_feed(struct store *s, const struct store_apply *a)
{
    if (!a || str_empty(a->source_id) || !a->feed) {
        LOG_ERR("apply without a source or feed");
        return -1;
    }
    /* The newest dates a source publishes are evidence of the real time (clock.h). */
    for (size_t i = 0; i < a->feed->n_items; i++)
        clock_note_evidence(a->feed->items[i].date);
    if (!store_tx_begin(s, "apply feed"))
        return -1;
    int changed = 0;
    if (!apply_body(s, a, &changed)) {
        store_tx_rollback(s);
        LOG_ERR("%s: feed not stored, cache unchanged", a->source_id);
        return -1;
    }
    if (!store_tx_commit(s, "apply feed"))
        return -1;
    return changed;
}

/* size_t → SQLite integer; the comparison exists only where size_t is wider (a 32-bit build
 * would warn that it is always false). */
static int64_t size_to_i64(size_t v)
{
#if SIZE_MAX > INT64_MAX
    if (v > (size_t)INT64_MAX)
        return INT64_MAX;
#endif
    return (int64_t)v;
}

int store_purge(struct store *s, int64_t max_age_s, size_t keep_min, int64_t now)
{
    /* Belt and braces: the caller checks the clock, but a 1970 "now" would delete nothing
     * useful and a far-future one would delete everything. */
    if (!clock_trusted_at(now, clock_evidence()) || max_age_s <= 0)
        return 0;
    if (!store_tx_begin(s, "purge"))
        return -1;
    int removed = -1;
    sqlite3_stmt *st = store_stmt(s, STMT_ITEM_PURGE);
    if (st) {
        sqlite3_bind_int64(st, 1, now - max_age_s);
        sqlite3_bind_int64(st, 2, size_to_i64(keep_min));
        if (store_exec_stmt(s, st, "purge"))
            removed = sqlite3_changes(s->db);
    }
    /* Expired notices and old cancellations a week after the fact. */
    if (removed >= 0 && (st = store_stmt(s, STMT_URGENT_PURGE)) != NULL) {
        sqlite3_bind_int64(st, 1, now - 7 * 86400);
        sqlite3_bind_int(st, 2, STORE_URGENT_FEED);
        sqlite3_bind_int(st, 3, STORE_URGENT_CAP);
        if (!store_exec_stmt(s, st, "purge notices"))
            removed = -1;
    }
    if (removed < 0) {
        store_tx_rollback(s);
        return -1;
    }
    if (!store_tx_commit(s, "purge"))
        return -1;
    if (removed)
        LOG_INFO("purged %d old item(s)", removed);
    return removed;
}

bool store_set_image(struct store *s, int64_t item_id, const char *path)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ITEM_SET_IMAGE);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, item_id);
    store_bind_text(st, 2, path);
    if (!store_exec_stmt(s, st, "set image"))
        return false;
    return sqlite3_changes(s->db) > 0;
}

/* Columns 0..11 of the rotation/images queries → one store_item. */
void store_item_from_row(sqlite3_stmt *st, struct store_item *it)
{
    memset(it, 0, sizeof *it);
    it->id = sqlite3_column_int64(st, 0);
    it->source_id = store_col_text(st, 1);
    it->source_name = store_col_text(st, 2);
    it->guid = store_col_text(st, 3);
    it->link = store_col_text(st, 4);
    it->title = store_col_text(st, 5);
    it->text = store_col_text(st, 6);
    it->image_url = store_col_text(st, 7);
    it->image_caption = store_col_text(st, 8);
    const unsigned char *p = sqlite3_column_text(st, 9);
    it->image_path = p && *p ? xstrdup((const char *)p) : NULL; /* "" = gave up */
    it->date = sqlite3_column_int64(st, 10);
    it->first_seen = sqlite3_column_int64(st, 11);
}

size_t store_images_missing(struct store *s, size_t max, struct store_item **out)
{
    *out = NULL;
    sqlite3_stmt *st = store_stmt(s, STMT_ITEM_IMAGES_MISSING);
    if (!st || max == 0)
        return 0;
    sqlite3_bind_int64(st, 1, size_to_i64(max));
    struct store_item *v = xcalloc(max < 64 ? max : 64, sizeof *v);
    size_t n = 0, cap = max < 64 ? max : 64;
    while (store_step(s, st, "images missing") == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            v = xrealloc(v, cap * sizeof *v);
        }
        store_item_from_row(st, &v[n++]);
    }
    sqlite3_reset(st);
    if (n == 0) {
        free(v);
        v = NULL;
    }
    *out = v;
    return n;
}

size_t store_count_items(struct store *s)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ITEM_COUNT);
    size_t n = 0;
    if (st && store_step(s, st, "count items") == SQLITE_ROW)
        n = (size_t)sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return n;
}

void store_items_free(struct store_item *items, size_t n)
{
    if (!items)
        return;
    for (size_t i = 0; i < n; i++) {
        struct store_item *it = &items[i];
        free(it->source_id);
        free(it->source_name);
        free(it->guid);
        free(it->link);
        free(it->title);
        free(it->text);
        free(it->image_url);
        free(it->image_caption);
        free(it->image_path);
    }
    free(items);
}
