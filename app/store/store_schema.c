/* The schema, its migrations (PRAGMA user_version), and the text of every statement. All SQL
 * of the store lives here; values only ever reach it through sqlite3_bind_*. */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <stdio.h>

#include "bangtin/util.h"
#include "store_private.h"

/* migrations[i] takes a database from user_version i to i + 1. Append, never edit. */
static const char *const migrations[] = {
    /* 0 → 1 */
    "CREATE TABLE sources ("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  last_attempt INTEGER NOT NULL DEFAULT 0,"
    "  last_success INTEGER NOT NULL DEFAULT 0,"
    "  last_full_fetch INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  fail_count INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE items ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  guid TEXT NOT NULL,"
    "  link TEXT,"
    "  url_key TEXT,"  /* normalised link, for duplicates across sources */
    "  guid_key TEXT," /* normalised GUID when it is a URL/URN, else NULL */
    "  title TEXT NOT NULL,"
    "  title_key TEXT NOT NULL," /* text_fold_key(title) */
    "  text TEXT NOT NULL,"
    "  image_url TEXT,"
    "  image_caption TEXT,"
    "  image_path TEXT,"
    "  author TEXT,"
    "  date INTEGER NOT NULL DEFAULT 0,"
    "  updated INTEGER NOT NULL DEFAULT 0,"
    "  first_seen INTEGER NOT NULL,"
    "  sort_ts INTEGER NOT NULL," /* date, or first_seen when the date is unknown */
    "  UNIQUE (source_id, guid));"
    "CREATE INDEX items_by_time ON items (sort_ts DESC, id DESC);"
    "CREATE INDEX items_by_source_time ON items (source_id, sort_ts DESC, id DESC);"
    "CREATE TABLE urgent ("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  origin INTEGER NOT NULL,"
    "  source_id TEXT,"
    "  title TEXT NOT NULL DEFAULT '',"
    "  body TEXT NOT NULL DEFAULT '',"
    "  instruction TEXT,"
    "  area TEXT,"
    "  issuer TEXT,"
    "  verified INTEGER NOT NULL DEFAULT 0,"
    "  severity INTEGER NOT NULL DEFAULT 0,"
    "  issued INTEGER NOT NULL DEFAULT 0,"
    "  expires INTEGER NOT NULL DEFAULT 0,"
    "  cancelled INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX urgent_by_source ON urgent (source_id);"
    "CREATE TABLE key_seq ("
    "  key_id TEXT PRIMARY KEY NOT NULL,"
    "  seq INTEGER NOT NULL);",
};

int store_schema_version(void)
{
    return (int)ARRAY_LEN(migrations);
}

static int schema_user_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Returns rc after recording the reason and rolling back. */
static int migrate_fail(sqlite3 *db, int rc, char *err, char *why, size_t why_len)
{
    snprintf(why, why_len, "schema migration failed: %s", err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* All steps and the new user_version commit together, so a power cut in the middle leaves
 * the previous version intact. The version is read again under the write lock: the kiosk
 * and `bangtin notify` may open a fresh database at the same moment. */
static int migrate_locked(sqlite3 *db, int want, char *why, size_t why_len)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &err);
    if (rc != SQLITE_OK)
        return migrate_fail(db, rc, err, why, why_len);
    int v = schema_user_version(db);
    if (v > want || v < 0)
        return migrate_fail(db, SQLITE_ERROR, NULL, why, why_len);
    int from = v;
    for (; v < want; v++) {
        if ((rc = sqlite3_exec(db, migrations[v], NULL, NULL, &err)) != SQLITE_OK)
            return migrate_fail(db, rc, err, why, why_len);
    }
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", want);
    if ((rc = sqlite3_exec(db, pragma, NULL, NULL, &err)) != SQLITE_OK ||
        (rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &err)) != SQLITE_OK)
        return migrate_fail(db, rc, err, why, why_len);
    if (from > 0 && from < want)
        LOG_INFO("migrated the cache from schema version %d to %d", from, want);
    return SQLITE_OK;
}

int store_schema_migrate(sqlite3 *db, char *why, size_t why_len)
{
    int v = schema_user_version(db);
    int want = store_schema_version();
    if (v < 0) {
        snprintf(why, why_len, "cannot read user_version: %s", sqlite3_errmsg(db));
        return sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errcode(db) : SQLITE_ERROR;
    }
    if (v > want) {
        snprintf(why, why_len, "schema version %d is newer than this bangtin (%d)", v, want);
        return SQLITE_ERROR;
    }
    return v == want ? SQLITE_OK : migrate_locked(db, want, why, why_len);
}

static const char *const stmt_sql[STMT_COUNT_] = {
    [STMT_BEGIN] = "BEGIN IMMEDIATE",
    [STMT_COMMIT] = "COMMIT",
    [STMT_ROLLBACK] = "ROLLBACK",
    [STMT_DATA_VERSION] = "PRAGMA data_version",
    [STMT_SOURCE_GET] =
        "SELECT etag, last_modified, last_attempt, last_success, last_full_fetch, last_error,"
        " fail_count, (SELECT count(*) FROM items WHERE source_id = ?1)"
        " FROM sources WHERE id = ?1",
    [STMT_SOURCE_ENSURE] =
        "INSERT INTO sources (id, name) VALUES (?1, ?2)"
        " ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, sources.name)"
        " WHERE sources.name IS NOT coalesce(excluded.name, sources.name)",
    [STMT_SOURCE_SUCCESS] =
        "UPDATE sources SET etag = ?2, last_modified = ?3, last_attempt = ?5,"
        " last_success = ?5, last_full_fetch = CASE WHEN ?4 THEN ?5 ELSE last_full_fetch END,"
        " last_error = NULL, fail_count = 0 WHERE id = ?1",
    [STMT_SOURCE_NOT_MODIFIED] =
        "UPDATE sources SET last_attempt = ?2, last_success = ?2, last_error = NULL,"
        " fail_count = 0 WHERE id = ?1",
    [STMT_SOURCE_ERROR] =
        "UPDATE sources SET last_attempt = ?2, last_error = ?3, fail_count = fail_count + 1"
        " WHERE id = ?1",
    [STMT_SOURCE_COUNT_ITEMS] = "SELECT count(*) FROM items WHERE source_id = ?1",
    [STMT_LISTING_CLEAR] = "DELETE FROM temp.listing",
    [STMT_LISTING_ADD] = "INSERT OR IGNORE INTO temp.listing (key) VALUES (?1)",
    [STMT_ITEM_UPSERT] =
        "INSERT INTO items (source_id, guid, link, url_key, guid_key, title, title_key, text,"
        " image_url, image_caption, author, date, updated, first_seen, sort_ts)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        "  CASE WHEN ?12 > 0 THEN ?12 ELSE ?14 END)"
        " ON CONFLICT (source_id, guid) DO UPDATE SET"
        "  link = excluded.link, url_key = excluded.url_key, guid_key = excluded.guid_key,"
        "  title = excluded.title, title_key = excluded.title_key, text = excluded.text,"
        "  image_path = CASE WHEN excluded.image_url IS items.image_url"
        "   THEN items.image_path ELSE NULL END,"
        "  image_url = excluded.image_url, image_caption = excluded.image_caption,"
        "  author = excluded.author, date = excluded.date, updated = excluded.updated,"
        "  sort_ts = CASE WHEN excluded.date > 0 THEN excluded.date ELSE items.first_seen END"
        " WHERE items.link IS NOT excluded.link OR items.title IS NOT excluded.title"
        "  OR items.text IS NOT excluded.text OR items.image_url IS NOT excluded.image_url"
        "  OR items.image_caption IS NOT excluded.image_caption"
        "  OR items.author IS NOT excluded.author OR items.date IS NOT excluded.date"
        "  OR items.updated IS NOT excluded.updated",
    [STMT_ITEM_DELETE_UNLISTED] = "DELETE FROM items WHERE source_id = ?1"
                                  " AND guid NOT IN (SELECT key FROM temp.listing)",
    [STMT_ITEM_KEEP_NEWEST] =
        "DELETE FROM items WHERE source_id = ?1 AND id NOT IN"
        " (SELECT id FROM items WHERE source_id = ?1 ORDER BY sort_ts DESC, id DESC"
        "  LIMIT ?2)",
    [STMT_ITEM_ROTATION] =
        "SELECT i.id, i.source_id, coalesce(s.name, i.source_id), i.guid, i.link, i.title,"
        " i.text, i.image_url, i.image_caption, i.image_path, i.date, i.first_seen,"
        " i.url_key, i.guid_key, i.title_key, i.sort_ts"
        " FROM items i LEFT JOIN sources s ON s.id = i.source_id"
        " WHERE ?1 = 0 OR i.sort_ts >= ?2"
        " ORDER BY i.sort_ts DESC, i.id DESC",
    [STMT_ITEM_PURGE] = "DELETE FROM items WHERE sort_ts < ?1 AND id NOT IN"
                        " (SELECT id FROM items ORDER BY sort_ts DESC, id DESC LIMIT ?2)",
    [STMT_ITEM_SET_IMAGE] = "UPDATE items SET image_path = ?2 WHERE id = ?1",
    [STMT_ITEM_IMAGES_MISSING] =
        "SELECT i.id, i.source_id, coalesce(s.name, i.source_id), i.guid, i.link, i.title,"
        " i.text, i.image_url, i.image_caption, i.image_path, i.date, i.first_seen"
        " FROM items i LEFT JOIN sources s ON s.id = i.source_id"
        " WHERE i.image_url IS NOT NULL AND i.image_url <> '' AND i.image_path IS NULL"
        " ORDER BY i.sort_ts DESC, i.id DESC LIMIT ?1",
    [STMT_ITEM_COUNT] = "SELECT count(*) FROM items",
    [STMT_URGENT_PUT] =
        "INSERT OR REPLACE INTO urgent (id, origin, source_id, title, body, instruction, area,"
        " issuer, verified, severity, issued, expires, cancelled)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0)",
    /* Like PUT but keeps the cancelled flag: an urgent feed that still lists a notice
     * must not bring it back after staff cancelled it. */
    [STMT_URGENT_MERGE] =
        "INSERT INTO urgent (id, origin, source_id, title, body, instruction, area,"
        " issuer, verified, severity, issued, expires, cancelled)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0)"
        " ON CONFLICT (id) DO UPDATE SET origin = excluded.origin,"
        "  source_id = excluded.source_id, title = excluded.title, body = excluded.body,"
        "  instruction = excluded.instruction, area = excluded.area,"
        "  issuer = excluded.issuer, verified = excluded.verified,"
        "  severity = excluded.severity, issued = excluded.issued,"
        "  expires = excluded.expires",
    [STMT_URGENT_CANCEL] = "UPDATE urgent SET cancelled = 1 WHERE id = ?1 AND cancelled = 0",
    [STMT_URGENT_ACTIVE] =
        "SELECT id, origin, source_id, title, body, instruction, area, issuer, verified,"
        " severity, issued, expires FROM urgent"
        " WHERE cancelled = 0 AND (?1 = 0 OR expires = 0 OR expires > ?2)"
        " ORDER BY severity DESC, issued DESC, rowid DESC",
    [STMT_URGENT_DELETE_UNLISTED] = "DELETE FROM urgent WHERE source_id = ?1"
                                    " AND id NOT IN (SELECT key FROM temp.listing)",
    [STMT_URGENT_PURGE] = "DELETE FROM urgent WHERE (expires > 0 AND expires < ?1)"
                          " OR (cancelled <> 0 AND origin NOT IN (?2, ?3) AND issued < ?1)",
    [STMT_KEY_SEQ_GET] = "SELECT seq FROM key_seq WHERE key_id = ?1",
    [STMT_KEY_SEQ_SET] = "INSERT INTO key_seq (key_id, seq) VALUES (?1, ?2)"
                         " ON CONFLICT (key_id) DO UPDATE SET seq = excluded.seq",
    [STMT_SOURCE_RETAIN_ITEMS] =
        "DELETE FROM items WHERE source_id NOT IN (SELECT key FROM temp.listing)",
    [STMT_SOURCE_RETAIN_URGENT] =
        "DELETE FROM urgent WHERE source_id IS NOT NULL AND origin IN (?1, ?2)"
        " AND source_id NOT IN (SELECT key FROM temp.listing)",
    [STMT_SOURCE_RETAIN_SOURCES] =
        "DELETE FROM sources WHERE id NOT IN (SELECT key FROM temp.listing)",
};

const char *store_stmt_sql(enum store_stmt_id id)
{
    return stmt_sql[id];
}
