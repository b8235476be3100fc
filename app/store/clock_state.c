/* The clock's evidence kept beside the cache (issue 16): <data_dir>/clock.state holds the
 * newest real time the screen has seen and since when its clock has been trusted, so that a
 * restart does not forget either; the newest item date in the cache counts as evidence too. */
#define LOG_MODULE "store"
#include "bangtin/log.h"

#include <stdlib.h>

#include "bangtin/clock.h"
#include "bangtin/util.h"
#include "store_private.h"

#define SAVE_STEP_S 3600 /* save when the evidence moved this much (an SD card wears) */

void store_clock_state_load(struct store *s)
{
    char *path = xasprintf("%s/clock.state", s->dir);
    clock_state_load(path);
    free(path);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT max(date) FROM items", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        clock_note_evidence(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    s->clock_saved = clock_evidence();
}

void store_clock_state_save(struct store *s, bool force)
{
    if (!force && clock_evidence() < s->clock_saved + SAVE_STEP_S)
        return;
    char *path = xasprintf("%s/clock.state", s->dir);
    if (clock_state_save(path))
        s->clock_saved = clock_evidence();
    free(path);
}
