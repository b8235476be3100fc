/* store: the sole owner of sqlite3*. Schema, upsert, rotation query, purge, urgent notices,
 * per-source fetch state.
 *
 * The database lives in <data_dir>/cache.db (WAL, synchronous=FULL). At open it runs
 * quick_check; a damaged database is moved with its -wal/-shm to <data_dir>/quarantine/ and
 * a fresh one is created (the signing-key sequence numbers are carried over when readable;
 * the 3 newest quarantine folders are kept). SQLITE_CORRUPT met at run time leaves
 * <data_dir>/cache.db.damaged, and the next open quarantines. cache.db is made group-writable
 * (the `bangtin notify` permission model). Every write is one transaction (BEGIN IMMEDIATE,
 * busy timeout 2 s). Content and the validators that describe it commit together. Only the
 * main thread (or a CLI process) uses a struct store. */
#ifndef BANGTIN_STORE_H
#define BANGTIN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct feed;
struct store;

/* NULL only if the directory is unusable (logged). */
struct store *store_open(const char *data_dir);
void store_close(struct store *s); /* store_close(NULL) is a no-op */
/* An existing cache, read-only (no write access needed): NULL when there is none. */
struct store *store_open_readonly(const char *data_dir);
/* True if the last open found damage and quarantined the files. */
bool store_was_quarantined(const struct store *s);
/* The folder the damaged files were moved to (<data_dir>/quarantine/<UTC time>), or NULL. */
const char *store_quarantine_path(const struct store *s);
/* A cache that cannot be written (full or read-only card) is still opened, read-only, and
 * shown; writes then fail (logged) until store_retry_writable reopens it read-write. */
bool store_is_read_only(const struct store *s);
/* The card is full ("disk full" logged once): for the status page. */
bool store_is_disk_full(const struct store *s);
/* One line for the status page ("Thẻ nhớ đầy (disk full): …\n"), "" when writes work. */
const char *store_storage_problem_vi(const struct store *s);
/* When read-only: at most once per backoff step (30 s doubling to 10 min, from the first
 * call), try a read-write open again. True when the store is writable. Cheap otherwise. */
bool store_retry_writable(struct store *s, int64_t now_ms);
/* Changes whenever another connection (e.g. `bangtin notify`) committed. Cheap. */
int64_t store_data_version(struct store *s);

struct store_source_state {
    char *etag, *last_modified; /* validators of the content we hold; may be NULL */
    int64_t last_attempt, last_success, last_full_fetch; /* wall clock, 0 = never */
    int64_t last_success_mono;                           /* not stored; 0 */
    char *last_error;                                    /* NULL when the last attempt succeeded */
    int fail_count;
    int n_items;
};
/* Missing source → zeroed state, true. Caller frees with store_source_state_free. */
bool store_source_state_get(struct store *s, const char *source_id, struct store_source_state *out);
void store_source_state_free(struct store_source_state *st);

struct store_apply {
    const char *source_id, *source_name;
    const struct feed *feed;
    const char *etag, *last_modified; /* new validators (NULL = none) */
    bool full_listing; /* the feed is the source's complete current listing: items of this
                          source not in it are removed (WordPress trashed posts) */
    int max_items;     /* keep at most this many of the source's newest items (0 = all) */
    int64_t now;       /* wall clock */
};
/* Upsert items and validators and mark success, in one transaction. Returns the number of
 * new, changed or removed items (0 = the rotation is unchanged), or -1 on failure (logged;
 * nothing changed). Items keep their first_seen; an item whose image_url changed loses its
 * image_path. An EMPTY full listing removes nothing (logged: far likelier a broken page). */
int store_apply_feed(struct store *s, const struct store_apply *a);
bool store_mark_not_modified(struct store *s, const char *source_id, int64_t now);
/* Records an error for the source; content is untouched. */
bool store_mark_error(struct store *s, const char *source_id, const char *error, int64_t now);

struct store_item {
    int64_t id;
    char *source_id, *source_name; /* source_name falls back to source_id, never NULL */
    char *guid, *link, *title, *text, *image_url, *image_caption;
    char *image_path;   /* local file of the downloaded lead image, or NULL */
    int64_t date;       /* feed date, 0 = unknown */
    int64_t first_seen; /* when we first stored it */
};
/* Newest first (by date, unknown dates by first_seen), duplicates across sources collapsed
 * (same GUID/URL, then same normalised title and day). max_age_s applies only when
 * clock_trusted. *out is an array the caller frees with store_items_free.
 * Details: a GUID counts only when it is a URI (contains ':'); links compare without scheme,
 * "www.", fragment and trailing '/'; titles compare by text_fold_key when the key has at least
 * 12 bytes, on the same Vietnam-local day. The newest copy is the one kept. max_items and
 * max_age_s 0 = no limit. */
size_t store_rotation(struct store *s, size_t max_items, int64_t max_age_s, int64_t now,
                      bool clock_trusted, struct store_item **out);
void store_items_free(struct store_item *items, size_t n);
/* Remove items older than max_age_s beyond the newest keep_min; only call with a trusted
 * clock (does nothing when clock_year_plausible(now) is false). Also drops urgent notices
 * expired more than 7 days ago. Returns the number of items removed, -1 on error. */
int store_purge(struct store *s, int64_t max_age_s, size_t keep_min, int64_t now);
/* path NULL = not downloaded (will be listed by store_images_missing again); "" = gave up
 * (not listed again; read back as image_path NULL). false if no such item or on error. */
bool store_set_image(struct store *s, int64_t item_id, const char *path);
/* Items whose image_url has no image_path yet (at most max). Caller frees. */
size_t store_images_missing(struct store *s, size_t max, struct store_item **out);
size_t store_count_items(struct store *s);
/* Forget sources that left the configuration: their items, fetch state and feed/CAP
 * notices (signed and local notices stay). An empty list does nothing. Returns items
 * removed, -1 on error. */
int store_retain_sources(struct store *s, const char *const *source_ids, size_t n);

/* ---- urgent notices (DESIGN.md §6) ---- */
enum store_urgent_origin {
    STORE_URGENT_FEED,
    STORE_URGENT_CAP,
    STORE_URGENT_SIGNED,
    STORE_URGENT_LOCAL
};

struct store_urgent {
    char *id; /* unique: "local:…", "cap:<identifier>", "signed:<key>:<id>", … */
    enum store_urgent_origin origin;
    char *source_id; /* NULL for local */
    char *title, *body;
    char *instruction, *area;
    char *issuer;            /* who: signer name, CAP sender name, source name, "local" */
    bool verified;           /* signature checked against a pinned key */
    int severity;            /* enum feed_severity */
    int64_t issued, expires; /* expires 0 = until cancelled */
};
/* Insert or replace by id (a replaced notice is active again even if it was cancelled). */
bool store_urgent_put(struct store *s, const struct store_urgent *u);
/* true when an active notice with that id was cancelled; false if none (or on error). */
bool store_urgent_cancel(struct store *s, const char *id);
/* For signed notices: in one transaction, check seq > last accepted seq of key_id, store the
 * notice (or cancel when u == NULL and cancel_id given) and the new seq. false + reason when
 * the seq is not above the last one. */
bool store_urgent_put_signed(struct store *s, const char *key_id, int64_t seq,
                             const struct store_urgent *u, const char *cancel_id, char *err,
                             size_t err_len);
/* -1 when nothing was accepted from that key yet. */
int64_t store_key_last_seq(struct store *s, const char *key_id);
/* Active notices, most severe first then newest. Expiry applies only when clock_trusted.
 * Caller frees with store_urgent_free. */
size_t store_urgent_active(struct store *s, int64_t now, bool clock_trusted,
                           struct store_urgent **out);
void store_urgent_free(struct store_urgent *u, size_t n);
/* Replace the set of feed-origin notices of a source (urgent RSS/Atom/CAP feed) in one
 * transaction: notices of that source not in the list are removed. source_id overrides the
 * notices' own; a notice cancelled locally stays cancelled while the feed still lists it. */
bool store_urgent_replace_source(struct store *s, const char *source_id,
                                 const struct store_urgent *list, size_t n, const char *etag,
                                 const char *last_modified, int64_t now);

#endif
