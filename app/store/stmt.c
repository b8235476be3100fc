/* store: the statements every file of the store runs — prepared once and cached, stepped,
 * bound — the transaction helpers, and the damage mark that any failed step may leave (the
 * next open moves such a file aside, see quarantine.c). */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <stdlib.h>

#include "bangtin/util.h"
#include "store_private.h"

void store_note_error(struct store *s, int rc)
{
    int primary = rc & 0xff;
    if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && store_dir_full(s->dir)))
        store_note_full(s);
    if ((primary != SQLITE_CORRUPT && primary != SQLITE_NOTADB) || s->marked)
        return;
    s->marked = true;
    if (util_write_file_atomic(s->damage_mark, "corrupt\n", 8))
        LOG_ERR("%s is damaged; it will be moved aside at the next start", s->path);
}

sqlite3_stmt *store_stmt(struct store *s, enum store_stmt_id id)
{
    sqlite3_stmt *st = s->stmt[id];
    if (!st) {
        int rc =
            sqlite3_prepare_v3(s->db, store_stmt_sql(id), -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc != SQLITE_OK) {
            LOG_ERR("cannot prepare statement %d: %s", (int)id, sqlite3_errmsg(s->db));
            store_note_error(s, rc);
            sqlite3_finalize(st);
            return NULL;
        }
        s->stmt[id] = st;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

int store_step(struct store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        LOG_ERR("%s failed: %s", what, sqlite3_errmsg(s->db));
        sqlite3_reset(st);
        store_note_error(s, rc);
    }
    return rc;
}

bool store_exec_stmt(struct store *s, sqlite3_stmt *st, const char *what)
{
    int rc = store_step(s, st, what);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

bool store_tx_begin(struct store *s, const char *what)
{
    sqlite3_stmt *st = store_stmt(s, STMT_BEGIN);
    if (!st)
        return false;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        LOG_ERR("%s: cannot begin a transaction: %s", what, sqlite3_errmsg(s->db));
        store_note_error(s, rc);
        return false;
    }
    return true;
}

bool store_tx_commit(struct store *s, const char *what)
{
    sqlite3_stmt *st = store_stmt(s, STMT_COMMIT);
    if (!st)
        return false;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        LOG_ERR("%s: commit failed: %s", what, sqlite3_errmsg(s->db));
        store_note_error(s, rc);
        store_tx_rollback(s);
        return false;
    }
    s->disk_full = false;
    store_clock_state_save(s, false);
    /* Keep the main file complete: a card that fills up is then read with immutable=1
     * (readonly.c), which ignores the WAL. Passive: never waits for `bangtin notify`. */
    sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return true;
}

void store_tx_rollback(struct store *s)
{
    /* Some errors (SQLITE_FULL, IOERR) already rolled the transaction back. */
    if (sqlite3_get_autocommit(s->db))
        return;
    sqlite3_stmt *st = store_stmt(s, STMT_ROLLBACK);
    if (st) {
        sqlite3_step(st);
        sqlite3_reset(st);
    }
}

void store_bind_text(sqlite3_stmt *st, int idx, const char *v)
{
    if (v)
        sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, idx);
}

char *store_col_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? xstrdup((const char *)t) : NULL;
}
