/* A card that cannot be written must still show its cache (issue 16, docs/bounds.md).
 *
 * A full file system stops a normal open of a WAL database before any read: SQLite must create
 * and size the -shm file. The fallback opens the file read-only, in two steps:
 *   1. mode=ro: reads the WAL too (its last commits), but needs an existing -shm it can map,
 *      which is the case after a crash or while another process has it open;
 *   2. immutable=1: no lock, no -shm, no WAL — the main file only. That loses nothing because
 *      every write transaction is followed by a passive checkpoint (store_tx_commit), so the
 *      main file holds every commit but, at worst, the one a crash interrupted.
 * Writes are then refused by SQLite (SQLITE_READONLY) and logged as failures; the kiosk calls
 * store_retry_writable (store.c), which tries a read-write open again with a growing delay. */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "bangtin/store.h"
#include "bangtin/util.h"
#include "store_private.h"

bool store_dir_full(const char *dir)
{
    struct statvfs vfs;
    if (statvfs(dir, &vfs) != 0)
        return false;
    /* Less than 64 KiB or no inode left: SQLite cannot size a -shm (32 KiB) or grow a page. */
    return (uint64_t)vfs.f_bavail * vfs.f_frsize < 64u * 1024u ||
           (vfs.f_files > 0 && vfs.f_favail == 0);
}

/* A read that must work for the cache to be of use: the schema and the items table. */
static bool ro_probe(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(db, "SELECT count(*) FROM items", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return ok;
}

static bool ro_try(struct store *s, const char *query, char *why, size_t why_len)
{
    char *uri = sqlite3_mprintf("file:%s?%s", s->path, query);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    sqlite3_free(uri);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(db, 1);
        sqlite3_busy_timeout(db, 2000);
        if (ro_probe(db)) {
            /* The listing of a feed being applied lives in the temp schema, as in open_db;
             * applying still fails, at its first write, but with the reason. */
            sqlite3_exec(db, "CREATE TEMP TABLE IF NOT EXISTS listing (key TEXT PRIMARY KEY)", NULL,
                         NULL, NULL);
            s->db = db;
            return true;
        }
    }
    snprintf(why, why_len, "%s: %s", query, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return false;
}

/* No cache file and no room to create one: an empty cache in memory, so that the kiosk runs
 * (its waiting page, then whatever the fetches bring) instead of exiting into a restart loop
 * until the card has room. */
static bool open_in_memory(struct store *s)
{
    char why[256] = "";
    if (sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        store_schema_migrate(s->db, why, sizeof why) != SQLITE_OK ||
        sqlite3_exec(s->db, "CREATE TEMP TABLE IF NOT EXISTS listing (key TEXT PRIMARY KEY)", NULL,
                     NULL, NULL) != SQLITE_OK) {
        LOG_ERR("cannot even start an empty cache in memory: %s", why);
        sqlite3_close_v2(s->db);
        s->db = NULL;
        return false;
    }
    s->read_only = true; /* not the file: store_retry_writable moves to it when it can */
    LOG_WARN("no cache at %s and no room to create one: starting with an empty cache in memory",
             s->path);
    return true;
}

bool store_open_read_only(struct store *s)
{
    char why1[256] = "", why2[256] = "";
    struct stat st;
    if (stat(s->path, &st) != 0 || st.st_size == 0)
        return s->disk_full && open_in_memory(s);
    if (!ro_try(s, "mode=ro", why1, sizeof why1) && !ro_try(s, "immutable=1", why2, sizeof why2)) {
        LOG_ERR("cannot read %s even read-only (%s; %s)", s->path, why1, why2);
        return false;
    }
    s->read_only = true;
    LOG_WARN("%s opened read-only: the cache is shown, nothing new is stored until there is "
             "room",
             s->path);
    return true;
}

void store_note_full(struct store *s)
{
    if (!s->disk_full)
        LOG_ERR("disk full: %s cannot be written (the cache is still shown; retrying)", s->dir);
    s->disk_full = true;
}

bool store_is_read_only(const struct store *s)
{
    return s && s->read_only;
}

bool store_is_disk_full(const struct store *s)
{
    return s && s->disk_full;
}

const char *store_storage_problem_vi(const struct store *s)
{
    if (s && s->disk_full)
        return "Thẻ nhớ đầy (disk full): không lưu được tin mới, vẫn hiện tin đã lưu\n";
    if (s && s->read_only)
        return "Thẻ nhớ chỉ đọc (read-only): không lưu được tin mới, vẫn hiện tin đã lưu\n";
    return "";
}
