/* store_open_readonly: a read-only connection to an existing cache (`bangtin notify --list`,
 * `bangtin notice check`): no directory made, no schema migrated, nothing quarantined, nothing
 * written. A reader without write access to the data folder can use it. */
#define LOG_MODULE "store"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "store_private.h"

#include <sqlite3.h>
#include <unistd.h>

struct store *store_open_readonly(const char *data_dir)
{
    if (str_empty(data_dir))
        return NULL;
    struct store *s = xcalloc(1, sizeof *s);
    s->dir = xstrdup(data_dir);
    s->path = xasprintf("%s/cache.db", data_dir);
    s->damage_mark = xasprintf("%s.damaged", s->path);
    if (access(s->path, R_OK) != 0 ||
        sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        LOG_DBG("cannot open %s read-only: %s", s->path,
                s->db ? sqlite3_errmsg(s->db) : "not readable");
        store_close(s);
        return NULL;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 2000); /* as store.c: a writer may hold the lock briefly */
    return s;
}
