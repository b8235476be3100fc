/* store: per-source fetch state (validators, last attempt/success, errors) and forgetting
 * sources that left the configuration. */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <stdlib.h>
#include <string.h>

#include "bangtin/store.h"
#include "bangtin/util.h"
#include "store_private.h"

bool store_source_ensure(struct store *s, const char *source_id, const char *name)
{
    sqlite3_stmt *st = store_stmt(s, STMT_SOURCE_ENSURE);
    if (!st)
        return false;
    store_bind_text(st, 1, source_id);
    store_bind_text(st, 2, name);
    return store_exec_stmt(s, st, "source row");
}

bool store_source_success(struct store *s, const char *source_id, const char *etag,
                          const char *last_modified, bool full, int64_t now)
{
    sqlite3_stmt *st = store_stmt(s, STMT_SOURCE_SUCCESS);
    if (!st)
        return false;
    store_bind_text(st, 1, source_id);
    store_bind_text(st, 2, etag);
    store_bind_text(st, 3, last_modified);
    sqlite3_bind_int(st, 4, full);
    sqlite3_bind_int64(st, 5, now);
    return store_exec_stmt(s, st, "source validators");
}

bool store_source_state_get(struct store *s, const char *source_id, struct store_source_state *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, STMT_SOURCE_GET);
    if (!st || !source_id)
        return false;
    store_bind_text(st, 1, source_id);
    int rc = store_step(s, st, "source state");
    if (rc == SQLITE_ROW) {
        out->etag = store_col_text(st, 0);
        out->last_modified = store_col_text(st, 1);
        out->last_attempt = sqlite3_column_int64(st, 2);
        out->last_success = sqlite3_column_int64(st, 3);
        out->last_full_fetch = sqlite3_column_int64(st, 4);
        out->last_error = store_col_text(st, 5);
        out->fail_count = sqlite3_column_int(st, 6);
        out->n_items = sqlite3_column_int(st, 7);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return false;
    if (rc == SQLITE_DONE) {
        /* Items without a sources row cannot exist (foreign key), so zero is right. */
        out->n_items = 0;
    }
    return true;
}

void store_source_state_free(struct store_source_state *st)
{
    if (!st)
        return;
    free(st->etag);
    free(st->last_modified);
    free(st->last_error);
    memset(st, 0, sizeof *st);
}

/* Fetch-state updates: a sources row plus one UPDATE, in one transaction. */
static bool source_update(struct store *s, const char *source_id, enum store_stmt_id id,
                          const char *error, int64_t now, const char *what)
{
    if (!source_id || !store_tx_begin(s, what))
        return false;
    sqlite3_stmt *st = NULL;
    bool ok = store_source_ensure(s, source_id, NULL) && (st = store_stmt(s, id)) != NULL;
    if (ok) {
        store_bind_text(st, 1, source_id);
        sqlite3_bind_int64(st, 2, now);
        if (id == STMT_SOURCE_ERROR)
            store_bind_text(st, 3, error ? error : "error");
        ok = store_exec_stmt(s, st, what);
    }
    if (!ok) {
        store_tx_rollback(s);
        return false;
    }
    return store_tx_commit(s, what);
}

bool store_mark_not_modified(struct store *s, const char *source_id, int64_t now)
{
    return source_update(s, source_id, STMT_SOURCE_NOT_MODIFIED, NULL, now, "not modified");
}

bool store_mark_error(struct store *s, const char *source_id, const char *error, int64_t now)
{
    return source_update(s, source_id, STMT_SOURCE_ERROR, error, now, "fetch error");
}

/* Fill temp.listing with keys (cleared first). Inside the caller's transaction. */
bool store_listing_fill(struct store *s, const char *const *keys, size_t n)
{
    sqlite3_stmt *st = store_stmt(s, STMT_LISTING_CLEAR);
    if (!st || !store_exec_stmt(s, st, "listing"))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!keys[i])
            continue;
        if (!(st = store_stmt(s, STMT_LISTING_ADD)))
            return false;
        store_bind_text(st, 1, keys[i]);
        if (!store_exec_stmt(s, st, "listing"))
            return false;
    }
    return true;
}

int store_retain_sources(struct store *s, const char *const *source_ids, size_t n)
{
    /* An empty list is a broken configuration far more often than an intent to blank the
     * screen. */
    if (n == 0 || !source_ids)
        return 0;
    if (!store_tx_begin(s, "retain sources"))
        return -1;
    int removed = 0;
    bool ok = store_listing_fill(s, source_ids, n);
    static const enum store_stmt_id steps[] = {STMT_SOURCE_RETAIN_ITEMS, STMT_SOURCE_RETAIN_URGENT,
                                               STMT_SOURCE_RETAIN_SOURCES};
    for (size_t i = 0; ok && i < ARRAY_LEN(steps); i++) {
        sqlite3_stmt *st = store_stmt(s, steps[i]);
        if (!st) {
            ok = false;
            break;
        }
        if (steps[i] == STMT_SOURCE_RETAIN_URGENT) {
            sqlite3_bind_int(st, 1, STORE_URGENT_FEED);
            sqlite3_bind_int(st, 2, STORE_URGENT_CAP);
        }
        ok = store_exec_stmt(s, st, "retain sources");
        if (ok && steps[i] == STMT_SOURCE_RETAIN_ITEMS)
            removed = sqlite3_changes(s->db);
    }
    if (!ok) {
        store_tx_rollback(s);
        return -1;
    }
    if (!store_tx_commit(s, "retain sources"))
        return -1;
    if (removed)
        LOG_INFO("removed %d item(s) of sources no longer configured", removed);
    return removed;
}
