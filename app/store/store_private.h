/* store internals shared by the files of app/store: the connection, the cache of prepared
 * statements and the transaction helpers. Not part of the public contract. */
#ifndef BANGTIN_STORE_PRIVATE_H
#define BANGTIN_STORE_PRIVATE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every statement the store runs, prepared once on first use (SQL in store_schema.c). */
enum store_stmt_id {
    STMT_BEGIN,
    STMT_COMMIT,
    STMT_ROLLBACK,
    STMT_DATA_VERSION,
    STMT_SOURCE_GET,
    STMT_SOURCE_ENSURE,
    STMT_SOURCE_SUCCESS,
    STMT_SOURCE_NOT_MODIFIED,
    STMT_SOURCE_ERROR,
    STMT_SOURCE_COUNT_ITEMS,
    STMT_LISTING_CLEAR,
    STMT_LISTING_ADD,
    STMT_ITEM_UPSERT,
    STMT_ITEM_DELETE_UNLISTED,
    STMT_ITEM_KEEP_NEWEST,
    STMT_ITEM_ROTATION,
    STMT_ITEM_PURGE,
    STMT_ITEM_SET_IMAGE,
    STMT_ITEM_IMAGES_MISSING,
    STMT_ITEM_COUNT,
    STMT_URGENT_PUT,
    STMT_URGENT_MERGE,
    STMT_URGENT_CANCEL,
    STMT_URGENT_ACTIVE,
    STMT_URGENT_DELETE_UNLISTED,
    STMT_URGENT_PURGE,
    STMT_KEY_SEQ_GET,
    STMT_KEY_SEQ_SET,
    STMT_SOURCE_RETAIN_ITEMS,
    STMT_SOURCE_RETAIN_URGENT,
    STMT_SOURCE_RETAIN_SOURCES,
    STMT_COUNT_
};

struct store {
    sqlite3 *db;
    char *dir;            /* data directory */
    char *path;           /* <dir>/cache.db */
    char *quarantine_dir; /* where the damaged files went at open, or NULL */
    char *damage_mark;    /* <dir>/cache.db.damaged: SQLITE_CORRUPT seen at run time */
    bool quarantined;
    bool marked;    /* damage_mark written by this connection */
    bool read_only; /* opened read-only because it could not be written (readonly.c) */
    bool disk_full; /* the file system is full: logged once, shown on the status page */
    int64_t retry_at_ms, retry_delay_ms; /* next read-write open attempt, backoff */
    int64_t clock_saved;                 /* clock evidence last saved (clock_state.c) */
    sqlite3_stmt *stmt[STMT_COUNT_];
};

/* Statements and transactions (stmt.c). */
/* The statement, reset and with its bindings cleared; NULL (logged) if it cannot be
 * prepared. Run it with store_step*, which reset it again afterwards. */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt_id id);
const char *store_stmt_sql(enum store_stmt_id id);

/* Step a statement that returns no rows and reset it; logs failures with what. */
bool store_exec_stmt(struct store *s, sqlite3_stmt *st, const char *what);
/* Step once: SQLITE_ROW / SQLITE_DONE, anything else is logged and the statement reset. */
int store_step(struct store *s, sqlite3_stmt *st, const char *what);

/* BEGIN IMMEDIATE (waits busy_timeout for the `bangtin notify` process), COMMIT, ROLLBACK. */
bool store_tx_begin(struct store *s, const char *what);
bool store_tx_commit(struct store *s, const char *what);
void store_tx_rollback(struct store *s);

/* readonly.c: the fallback for a card that cannot be written. */
bool store_dir_full(const char *dir);
/* Opens s->path read-only (mode=ro, else immutable=1) into s->db; with no file on a full
 * card, an empty cache in memory. false if none of that works. */
bool store_open_read_only(struct store *s);
/* Logs "disk full" once and marks the store for the status page. */
void store_note_full(struct store *s);

/* clock_state.c: <dir>/clock.state and the newest item date as clock evidence. */
void store_clock_state_load(struct store *s);
/* Saves when the evidence moved an hour since the last save, or always with force. */
void store_clock_state_save(struct store *s, bool force);

/* Bind helpers: NULL strings bind as SQL NULL. */
void store_bind_text(sqlite3_stmt *st, int idx, const char *v);
char *store_col_text(sqlite3_stmt *st, int col); /* NULL for SQL NULL; caller frees */

/* Sources (sources.c). */
/* Upsert the sources row (name may be NULL: an existing name is then kept). */
bool store_source_ensure(struct store *s, const char *source_id, const char *name);
/* After content was applied: validators, last_success = last_attempt = now, error cleared. */
bool store_source_success(struct store *s, const char *source_id, const char *etag,
                          const char *last_modified, bool full, int64_t now);

/* Fill temp.listing with keys (cleared first; NULL keys skipped). Inside a transaction. */
bool store_listing_fill(struct store *s, const char *const *keys, size_t n);

/* Schema creation and migrations (store_schema.c). SQLITE_OK, or the error code + reason
 * (SQLITE_ERROR for a foreign or newer schema). */
int store_schema_migrate(sqlite3 *db, char *why, size_t why_len);
int store_schema_version(void);

/* Columns 0..11 of the rotation / images-missing queries → one item (caller owns). */
struct store_item;
void store_item_from_row(sqlite3_stmt *st, struct store_item *it);

/* Called on any failed step (stmt.c): SQLITE_CORRUPT/NOTADB at run time leave a mark so that
 * the next open quarantines the file (quick_check does not see every kind of damage). */
void store_note_error(struct store *s, int rc);

/* Quarantine (quarantine.c). */
struct store_key_seq_row {
    char *key_id;
    int64_t seq;
};
/* Move cache.db, -wal, -shm into <dir>/quarantine/<UTC time>/ (s->quarantine_dir; NULL when
 * they had to be deleted instead). false when the damaged file is still in the way. */
bool store_quarantine_files(struct store *s);
/* Read the key sequence numbers from a (damaged) database, as far as possible. */
size_t store_salvage_key_seq(sqlite3 *db, struct store_key_seq_row **out);
void store_restore_key_seq(struct store *s, const struct store_key_seq_row *rows, size_t n);
void store_key_rows_free(struct store_key_seq_row *rows, size_t n);

/* Link/GUID normalisation for duplicate detection (urlkey.c). Caller frees; NULL
 * when the string does not look like a URL. */
char *store_url_key(const char *url);

#endif
