/* store: the rotation query. Newest first, and the same announcement reposted by several
 * sources shown once (DESIGN.md §5): same GUID/URL, else same normalised title on the same
 * day (Vietnam local day). */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <stdlib.h>
#include <string.h>

#include "bangtin/clock.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "store_private.h"

/* Short folded titles ("thong bao") are too generic to prove two items are the same. */
#define TITLE_KEY_MIN_LEN 12

/* A small open-addressing set of owned strings. */
struct keyset {
    char **slot;
    size_t cap, n;
};

static uint64_t key_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static size_t keyset_find(const struct keyset *ks, const char *key)
{
    size_t i = key_hash(key) & (ks->cap - 1);
    while (ks->slot[i] && strcmp(ks->slot[i], key) != 0)
        i = (i + 1) & (ks->cap - 1);
    return i;
}

static bool keyset_has(const struct keyset *ks, const char *key)
{
    return ks->cap && ks->slot[keyset_find(ks, key)];
}

static void keyset_add(struct keyset *ks, char *key) /* takes key */
{
    if (2 * (ks->n + 1) > ks->cap) {
        struct keyset bigger = {xcalloc(ks->cap ? ks->cap * 2 : 64, sizeof(char *)),
                                ks->cap ? ks->cap * 2 : 64, 0};
        for (size_t i = 0; i < ks->cap; i++)
            if (ks->slot[i])
                bigger.slot[keyset_find(&bigger, ks->slot[i])] = ks->slot[i];
        bigger.n = ks->n;
        free(ks->slot);
        *ks = bigger;
    }
    size_t i = keyset_find(ks, key);
    if (ks->slot[i]) {
        free(key);
        return;
    }
    ks->slot[i] = key;
    ks->n++;
}

static void keyset_free(struct keyset *ks)
{
    for (size_t i = 0; i < ks->cap; i++)
        free(ks->slot[i]);
    free(ks->slot);
}

/* The identity keys of one rotation row: GUID URI, link, title + local day. */
static size_t row_keys(sqlite3_stmt *st, char *keys[3])
{
    size_t n = 0;
    const char *url_key = (const char *)sqlite3_column_text(st, 12);
    const char *guid_key = (const char *)sqlite3_column_text(st, 13);
    const char *title_key = (const char *)sqlite3_column_text(st, 14);
    int64_t ts = sqlite3_column_int64(st, 15);
    if (!str_empty(guid_key))
        keys[n++] = xasprintf("u %s", guid_key);
    if (!str_empty(url_key))
        keys[n++] = xasprintf("u %s", url_key);
    if (title_key && strlen(title_key) >= TITLE_KEY_MIN_LEN) {
        int64_t local = ts + CLOCK_VN_OFFSET_S;
        int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
        keys[n++] = xasprintf("t %lld %s", (long long)day, title_key);
    }
    return n;
}

/* True when any key was seen before; all keys join the set either way, so chains of
 * reposts (A=B by link, B=C by title) collapse to one. */
static bool row_is_duplicate(struct keyset *seen, sqlite3_stmt *st)
{
    char *keys[3];
    size_t n = row_keys(st, keys);
    bool dup = false;
    for (size_t i = 0; i < n; i++)
        dup = dup || keyset_has(seen, keys[i]);
    for (size_t i = 0; i < n; i++)
        keyset_add(seen, keys[i]);
    return dup;
}

size_t store_rotation(struct store *s, size_t max_items, int64_t max_age_s, int64_t now,
                      bool clock_trusted, struct store_item **out)
{
    *out = NULL;
    sqlite3_stmt *st = store_stmt(s, STMT_ITEM_ROTATION);
    if (!st)
        return 0;
    /* With an untrusted clock "now" may be 1970: never drop anything by age then. */
    bool by_age = clock_trusted && max_age_s > 0;
    sqlite3_bind_int(st, 1, by_age);
    sqlite3_bind_int64(st, 2, by_age ? now - max_age_s : 0);
    struct keyset seen = {0};
    struct store_item *v = NULL;
    size_t n = 0, cap = 0;
    while ((max_items == 0 || n < max_items) && store_step(s, st, "rotation") == SQLITE_ROW) {
        if (row_is_duplicate(&seen, st))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            v = xrealloc(v, cap * sizeof *v);
        }
        store_item_from_row(st, &v[n++]);
    }
    sqlite3_reset(st);
    keyset_free(&seen);
    *out = v;
    return n;
}
