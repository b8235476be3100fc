/* store: moving a damaged database aside (DESIGN.md §7) — into <data_dir>/quarantine/<time>/
 * with its -wal/-shm, keeping only the last few such folders so that a failing SD card
 * cannot fill the disk with copies — and carrying the signing-key sequence numbers over. */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/clock.h"
#include "bangtin/util.h"
#include "store_private.h"

#define QUARANTINE_KEEP 3

static const char *const db_suffix[] = {"", "-wal", "-shm"};

/* The per-key sequence numbers are what stops replays of signed notices: carry them over
 * from a damaged database when that part of it can still be read. */
size_t store_salvage_key_seq(sqlite3 *db, struct store_key_seq_row **out)
{
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    if (!db ||
        sqlite3_prepare_v2(db, "SELECT key_id, seq FROM key_seq", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return 0;
    }
    while (sqlite3_step(st) == SQLITE_ROW && n < 1000) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        if (!k || sqlite3_column_type(st, 1) != SQLITE_INTEGER)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[n].key_id = xstrdup(k);
        (*out)[n].seq = sqlite3_column_int64(st, 1);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

void store_key_rows_free(struct store_key_seq_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].key_id);
    free(rows);
}

void store_restore_key_seq(struct store *s, const struct store_key_seq_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = store_stmt(s, STMT_KEY_SEQ_SET);
        if (!st)
            return;
        store_bind_text(st, 1, rows[i].key_id);
        sqlite3_bind_int64(st, 2, rows[i].seq);
        store_exec_stmt(s, st, "restore key sequence");
    }
}

static char *make_quarantine_dir(const char *dir)
{
    char *base = xasprintf("%s/quarantine", dir);
    if (!util_mkdir_p(base, 0755)) {
        free(base);
        return NULL;
    }
    time_t t = (time_t)clock_now();
    struct tm tm;
    char stamp[32];
    if (!gmtime_r(&t, &tm) || !strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm))
        snprintf(stamp, sizeof stamp, "%lld", (long long)t);
    char *q = NULL;
    for (int i = 0; i < 100 && !q; i++) {
        char *cand = i ? xasprintf("%s/%s-%d", base, stamp, i) : xasprintf("%s/%s", base, stamp);
        if (mkdir(cand, 0755) == 0)
            q = cand;
        else
            free(cand);
    }
    free(base);
    return q;
}

struct qdir {
    char *path;
    time_t mtime;
};

static int qdir_newest_first(const void *a, const void *b)
{
    const struct qdir *x = a, *y = b;
    if (x->mtime != y->mtime)
        return x->mtime < y->mtime ? 1 : -1;
    return strcmp(y->path, x->path);
}

static void remove_qdir(const char *path)
{
    for (size_t i = 0; i < ARRAY_LEN(db_suffix); i++) {
        char *f = xasprintf("%s/cache.db%s", path, db_suffix[i]);
        unlink(f);
        free(f);
    }
    if (rmdir(path) != 0)
        LOG_WARN("cannot remove old quarantine folder %s: %s", path, strerror(errno));
}

/* Keep the current folder and the QUARANTINE_KEEP - 1 most recent others (by mtime: the wall
 * clock may have been wrong when their names were made). */
static void prune_quarantine(const char *base, const char *current)
{
    DIR *d = opendir(base);
    if (!d)
        return;
    struct qdir *v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s", base, e->d_name);
        if ((current && strcmp(p, current) == 0) || stat(p, &st) != 0 || !S_ISDIR(st.st_mode) ||
            n >= 1000) {
            free(p);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[n++] = (struct qdir){p, st.st_mtime};
    }
    closedir(d);
    if (n > 1)
        qsort(v, n, sizeof *v, qdir_newest_first);
    for (size_t i = 0; i < n; i++) {
        if (i + 1 >= QUARANTINE_KEEP)
            remove_qdir(v[i].path);
        free(v[i].path);
    }
    free(v);
}

/* Move cache.db and its -wal/-shm into quarantine/<time>/; the path is stored in s. */
bool store_quarantine_files(struct store *s)
{
    char *q = make_quarantine_dir(s->dir);
    bool ok = true;
    for (size_t i = 0; i < ARRAY_LEN(db_suffix); i++) {
        char *from = xasprintf("%s%s", s->path, db_suffix[i]);
        char *to = q ? xasprintf("%s/cache.db%s", q, db_suffix[i]) : NULL;
        if ((!to || rename(from, to) != 0) && errno != ENOENT) {
            LOG_ERR("cannot move %s to quarantine (%s); deleting it", from, strerror(errno));
            if (unlink(from) != 0 && errno != ENOENT)
                ok = false;
        }
        free(from);
        free(to);
    }
    free(s->quarantine_dir);
    s->quarantine_dir = q;
    char *base = xasprintf("%s/quarantine", s->dir);
    prune_quarantine(base, q);
    free(base);
    return ok;
}
