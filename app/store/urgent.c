/* store: urgent notices (DESIGN.md §6) and the per-key sequence numbers that make signed
 * notices impossible to replay. */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/store.h"
#include "bangtin/util.h"
#include "store_private.h"

static bool urgent_write(struct store *s, enum store_stmt_id id, const struct store_urgent *u,
                         const char *source_id)
{
    if (str_empty(u->id)) {
        LOG_WARN("urgent notice without an id skipped");
        return true;
    }
    sqlite3_stmt *st = store_stmt(s, id);
    if (!st)
        return false;
    store_bind_text(st, 1, u->id);
    sqlite3_bind_int(st, 2, (int)u->origin);
    store_bind_text(st, 3, source_id);
    store_bind_text(st, 4, u->title ? u->title : "");
    store_bind_text(st, 5, u->body ? u->body : "");
    store_bind_text(st, 6, u->instruction);
    store_bind_text(st, 7, u->area);
    store_bind_text(st, 8, u->issuer);
    sqlite3_bind_int(st, 9, u->verified);
    sqlite3_bind_int(st, 10, u->severity);
    sqlite3_bind_int64(st, 11, u->issued);
    sqlite3_bind_int64(st, 12, u->expires > 0 ? u->expires : 0);
    return store_exec_stmt(s, st, "store urgent notice");
}

bool store_urgent_put(struct store *s, const struct store_urgent *u)
{
    if (!u || str_empty(u->id)) {
        LOG_ERR("urgent notice without an id");
        return false;
    }
    return urgent_write(s, STMT_URGENT_PUT, u, u->source_id);
}

/* *found: an active notice with that id existed and is now cancelled. */
static bool urgent_cancel(struct store *s, const char *id, bool *found)
{
    sqlite3_stmt *st = store_stmt(s, STMT_URGENT_CANCEL);
    *found = false;
    if (!st)
        return false;
    store_bind_text(st, 1, id);
    if (!store_exec_stmt(s, st, "cancel urgent notice"))
        return false;
    *found = sqlite3_changes(s->db) > 0;
    return true;
}

bool store_urgent_cancel(struct store *s, const char *id)
{
    bool found = false;
    if (str_empty(id) || !urgent_cancel(s, id, &found))
        return false;
    if (!found)
        LOG_INFO("no active urgent notice \"%s\" to cancel", id);
    return found;
}

int64_t store_key_last_seq(struct store *s, const char *key_id)
{
    sqlite3_stmt *st = store_stmt(s, STMT_KEY_SEQ_GET);
    int64_t seq = -1;
    if (!st || !key_id)
        return -1;
    store_bind_text(st, 1, key_id);
    if (store_step(s, st, "key sequence") == SQLITE_ROW)
        seq = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return seq;
}

/* Inside the transaction: the sequence check, the notice or cancellation, the new seq. */
static bool signed_body(struct store *s, const char *key_id, int64_t seq,
                        const struct store_urgent *u, const char *cancel_id, char *err,
                        size_t err_len, bool *refused)
{
    sqlite3_stmt *st = store_stmt(s, STMT_KEY_SEQ_GET);
    if (!st)
        return false;
    store_bind_text(st, 1, key_id);
    int rc = store_step(s, st, "key sequence");
    bool known = rc == SQLITE_ROW;
    int64_t last = known ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return false;
    if (known && seq <= last) {
        snprintf(err, err_len, "sequence %lld is not above the last accepted %lld", (long long)seq,
                 (long long)last);
        *refused = true;
        return false;
    }
    bool found;
    if (u && !urgent_write(s, STMT_URGENT_PUT, u, u->source_id))
        return false;
    if (!str_empty(cancel_id) && !urgent_cancel(s, cancel_id, &found))
        return false;
    if (!(st = store_stmt(s, STMT_KEY_SEQ_SET)))
        return false;
    store_bind_text(st, 1, key_id);
    sqlite3_bind_int64(st, 2, seq);
    return store_exec_stmt(s, st, "key sequence");
}

bool store_urgent_put_signed(struct store *s, const char *key_id, int64_t seq,
                             const struct store_urgent *u, const char *cancel_id, char *err,
                             size_t err_len)
{
    if (err_len)
        err[0] = '\0';
    if (str_empty(key_id) || (!u && str_empty(cancel_id)) || (u && str_empty(u->id))) {
        snprintf(err, err_len, "signed notice without key, id or content");
        LOG_ERR("%s", err);
        return false;
    }
    /* BEGIN IMMEDIATE: the kiosk and `bangtin notify` cannot both pass the check. */
    if (!store_tx_begin(s, "signed notice")) {
        snprintf(err, err_len, "database busy or unwritable");
        return false;
    }
    bool refused = false;
    if (!signed_body(s, key_id, seq, u, cancel_id, err, err_len, &refused)) {
        store_tx_rollback(s);
        if (!refused)
            snprintf(err, err_len, "database error: %s", sqlite3_errmsg(s->db));
        LOG_ERR("signed notice from key %s refused: %s", key_id, err);
        return false;
    }
    if (!store_tx_commit(s, "signed notice")) {
        snprintf(err, err_len, "database commit failed");
        return false;
    }
    return true;
}

static void urgent_from_row(sqlite3_stmt *st, struct store_urgent *u)
{
    memset(u, 0, sizeof *u);
    u->id = store_col_text(st, 0);
    int origin = sqlite3_column_int(st, 1);
    u->origin = origin >= STORE_URGENT_FEED && origin <= STORE_URGENT_LOCAL
                    ? (enum store_urgent_origin)origin
                    : STORE_URGENT_LOCAL;
    u->source_id = store_col_text(st, 2);
    u->title = store_col_text(st, 3);
    u->body = store_col_text(st, 4);
    u->instruction = store_col_text(st, 5);
    u->area = store_col_text(st, 6);
    u->issuer = store_col_text(st, 7);
    u->verified = sqlite3_column_int(st, 8) != 0;
    u->severity = sqlite3_column_int(st, 9);
    u->issued = sqlite3_column_int64(st, 10);
    u->expires = sqlite3_column_int64(st, 11);
}

size_t store_urgent_active(struct store *s, int64_t now, bool clock_trusted,
                           struct store_urgent **out)
{
    *out = NULL;
    sqlite3_stmt *st = store_stmt(s, STMT_URGENT_ACTIVE);
    if (!st)
        return 0;
    sqlite3_bind_int(st, 1, clock_trusted);
    sqlite3_bind_int64(st, 2, now);
    struct store_urgent *v = NULL;
    size_t n = 0, cap = 0;
    while (store_step(s, st, "active notices") == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            v = xrealloc(v, cap * sizeof *v);
        }
        urgent_from_row(st, &v[n++]);
    }
    sqlite3_reset(st);
    *out = v;
    return n;
}

void store_urgent_free(struct store_urgent *u, size_t n)
{
    if (!u)
        return;
    for (size_t i = 0; i < n; i++) {
        free(u[i].id);
        free(u[i].source_id);
        free(u[i].title);
        free(u[i].body);
        free(u[i].instruction);
        free(u[i].area);
        free(u[i].issuer);
    }
    free(u);
}

static bool replace_body(struct store *s, const char *source_id, const struct store_urgent *list,
                         size_t n, const char *etag, const char *last_modified, int64_t now)
{
    if (!store_source_ensure(s, source_id, NULL))
        return false;
    const char **ids = n ? xcalloc(n, sizeof *ids) : NULL;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        ids[i] = list[i].id;
        ok = urgent_write(s, STMT_URGENT_MERGE, &list[i], source_id);
    }
    ok = ok && store_listing_fill(s, ids, n);
    free(ids);
    sqlite3_stmt *st = ok ? store_stmt(s, STMT_URGENT_DELETE_UNLISTED) : NULL;
    if (!st)
        return false;
    store_bind_text(st, 1, source_id);
    if (!store_exec_stmt(s, st, "remove withdrawn notices"))
        return false;
    return store_source_success(s, source_id, etag, last_modified, false, now);
}

bool store_urgent_replace_source(struct store *s, const char *source_id,
                                 const struct store_urgent *list, size_t n, const char *etag,
                                 const char *last_modified, int64_t now)
{
    if (str_empty(source_id) || (n && !list)) {
        LOG_ERR("urgent replace without a source");
        return false;
    }
    if (!store_tx_begin(s, "urgent feed"))
        return false;
    if (!replace_body(s, source_id, list, n, etag, last_modified, now)) {
        store_tx_rollback(s);
        LOG_ERR("%s: urgent notices not stored, unchanged", source_id);
        return false;
    }
    return store_tx_commit(s, "urgent feed");
}
