/* store: open/close, damage detection and quarantine, the prepared-statement cache and the
 * transaction helpers. DESIGN.md §7: WAL + synchronous=FULL keeps the last commit across a
 * power cut; a damaged database is moved aside with its -wal/-shm, never fatal. */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangtin/store.h"
#include "bangtin/util.h"
#include "store_private.h"

#define STORE_BUSY_TIMEOUT_MS 2000 /* `bangtin notify` may hold the write lock briefly */

enum open_result { OPEN_OK, OPEN_DAMAGED, OPEN_FAILED, OPEN_BUSY };

/* Errors that say nothing about the file's content: retrying later may work, moving the
 * database aside would only lose the cache. */
static bool rc_is_environmental(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH: return true;
    default: return false;
    }
}

static enum open_result classify(sqlite3 *db, int rc, const char *stage, char *why, size_t why_len)
{
    snprintf(why, why_len, "%s: %s", stage, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return OPEN_BUSY;
    return rc_is_environmental(rc) ? OPEN_FAILED : OPEN_DAMAGED;
}

static int exec_simple(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* PRAGMA quick_check answers one row "ok", or rows describing the damage. */
static enum open_result run_quick_check(sqlite3 *db, char *why, size_t why_len)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(5)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return classify(db, rc, "quick_check", why, why_len);
    rc = sqlite3_step(st);
    enum open_result res = OPEN_OK;
    if (rc == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok") != 0) {
            snprintf(why, why_len, "quick_check: %s", r ? r : "(null)");
            res = OPEN_DAMAGED;
        }
    } else {
        res = classify(db, rc, "quick_check", why, why_len);
    }
    sqlite3_finalize(st);
    return res;
}

/* `bangtin notify` run by a member of the bangtin group writes the same file (DESIGN.md §6:
 * permission = write access to the data directory), so the group may write it too. SQLite
 * gives the -wal/-shm files the database's mode. */
static void share_with_group(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 0060) != 0060 &&
        chmod(path, (st.st_mode & 07777) | 0060) != 0)
        LOG_WARN("cannot make %s group-writable: %s", path, strerror(errno));
}

static enum open_result open_db(struct store *s, char *why, size_t why_len)
{
    int rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK)
        return classify(s->db, rc, "open", why, why_len);
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    /* journal_mode reads the header first: a garbage file fails here with NOTADB. */
    if ((rc = exec_simple(s->db, "PRAGMA journal_mode = WAL")) != SQLITE_OK)
        return classify(s->db, rc, "journal_mode", why, why_len);
    enum open_result qc = run_quick_check(s->db, why, why_len);
    if (qc != OPEN_OK)
        return qc;
    if ((rc = exec_simple(s->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")) !=
        SQLITE_OK)
        return classify(s->db, rc, "pragmas", why, why_len);
    if ((rc = store_schema_migrate(s->db, why, why_len)) != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
            return OPEN_BUSY;
        return rc_is_environmental(rc) ? OPEN_FAILED : OPEN_DAMAGED;
    }
    rc = exec_simple(s->db, "CREATE TEMP TABLE IF NOT EXISTS listing (key TEXT PRIMARY KEY)");
    if (rc != SQLITE_OK)
        return classify(s->db, rc, "temp table", why, why_len);
    share_with_group(s->path);
    return OPEN_OK;
}

static void close_db(struct store *s, bool damaged)
{
    for (size_t i = 0; i < STMT_COUNT_; i++) {
        sqlite3_finalize(s->stmt[i]);
        s->stmt[i] = NULL;
    }
    if (!s->db)
        return;
    /* Do not let the close checkpoint a damaged WAL into the file we keep as evidence. */
    if (damaged)
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    sqlite3_close_v2(s->db);
    s->db = NULL;
}

/* Switching a new database to WAL needs an exclusive lock and SQLite reports BUSY at once,
 * without the busy handler, when another process opens the same new file: retry for the
 * busy timeout before calling it a failure. */
static enum open_result open_db_retry(struct store *s, char *why, size_t why_len)
{
    enum open_result r;
    for (int waited = 0; (r = open_db(s, why, why_len)) == OPEN_BUSY; waited += 20) {
        close_db(s, false);
        if (waited >= STORE_BUSY_TIMEOUT_MS)
            return OPEN_FAILED;
        sqlite3_sleep(20);
    }
    return r;
}

static bool open_or_quarantine(struct store *s)
{
    char why[512] = "";
    enum open_result r = open_db_retry(s, why, sizeof why);
    if (r == OPEN_OK && access(s->damage_mark, F_OK) == 0) {
        snprintf(why, sizeof why, "marked damaged by an earlier run");
        r = OPEN_DAMAGED;
    }
    if (r == OPEN_OK)
        return true;
    if (r == OPEN_FAILED) {
        close_db(s, false);
        if (store_dir_full(s->dir)) {
            s->disk_full = true; /* said here, once */
            LOG_ERR("disk full: cannot open %s for writing (%s)", s->path, why);
        } else {
            LOG_ERR("cannot open %s: %s", s->path, why);
        }
        return store_open_read_only(s);
    }
    s->quarantined = true;
    struct store_key_seq_row *keys = NULL;
    size_t n_keys = store_salvage_key_seq(s->db, &keys);
    close_db(s, true);
    if (!store_quarantine_files(s)) {
        LOG_ERR("%s is damaged (%s) and cannot be moved aside", s->path, why);
        store_key_rows_free(keys, n_keys);
        return false;
    }
    LOG_ERR("%s is damaged (%s); moved to %s, starting with an empty cache", s->path, why,
            s->quarantine_dir ? s->quarantine_dir : "(deleted)");
    unlink(s->damage_mark);
    r = open_db_retry(s, why, sizeof why);
    if (r != OPEN_OK) {
        LOG_ERR("cannot create a fresh %s: %s", s->path, why);
        close_db(s, false);
        store_key_rows_free(keys, n_keys);
        return false;
    }
    if (n_keys)
        LOG_INFO("kept the sequence numbers of %zu signing key(s)", n_keys);
    store_restore_key_seq(s, keys, n_keys);
    store_key_rows_free(keys, n_keys);
    return true;
}

struct store *store_open(const char *data_dir)
{
    if (str_empty(data_dir)) {
        LOG_ERR("no data directory");
        return NULL;
    }
    if (!util_mkdir_p(data_dir, 0775)) {
        LOG_ERR("cannot create data directory %s: %s", data_dir, strerror(errno));
        return NULL;
    }
    struct store *s = xcalloc(1, sizeof *s);
    s->dir = xstrdup(data_dir);
    s->path = xasprintf("%s/cache.db", data_dir);
    s->damage_mark = xasprintf("%s.damaged", s->path);
    if (!open_or_quarantine(s)) {
        store_close(s);
        return NULL;
    }
    store_clock_state_load(s);
    return s;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->db && !s->read_only)
        store_clock_state_save(s, true);
    close_db(s, false);
    free(s->dir);
    free(s->path);
    free(s->damage_mark);
    free(s->quarantine_dir);
    free(s);
}

#define RETRY_FIRST_MS 30000
#define RETRY_MAX_MS   (10 * 60000)

bool store_retry_writable(struct store *s, int64_t now_ms)
{
    if (!s || !s->read_only)
        return true;
    if (s->retry_at_ms && now_ms < s->retry_at_ms)
        return false;
    s->retry_delay_ms = s->retry_delay_ms ? s->retry_delay_ms * 2 : RETRY_FIRST_MS;
    if (s->retry_delay_ms > RETRY_MAX_MS)
        s->retry_delay_ms = RETRY_MAX_MS;
    s->retry_at_ms = now_ms + s->retry_delay_ms;
    if (store_dir_full(s->dir))
        return false;
    close_db(s, false);
    char why[512] = "";
    if (open_db_retry(s, why, sizeof why) != OPEN_OK) {
        close_db(s, false);
        LOG_WARN("%s still cannot be written (%s); next try in %d s", s->path, why,
                 (int)(s->retry_delay_ms / 1000));
        if (!store_open_read_only(s))
            LOG_ERR("%s cannot even be read now", s->path);
        return false;
    }
    LOG_INFO("%s is writable again: storing resumes", s->path);
    s->read_only = s->disk_full = false;
    s->retry_at_ms = s->retry_delay_ms = 0;
    return true;
}

bool store_was_quarantined(const struct store *s)
{
    return s && s->quarantined;
}

const char *store_quarantine_path(const struct store *s)
{
    return s ? s->quarantine_dir : NULL;
}

int64_t store_data_version(struct store *s)
{
    sqlite3_stmt *st = store_stmt(s, STMT_DATA_VERSION);
    int64_t v = -1;
    if (st && store_step(s, st, "data_version") == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return v;
}
