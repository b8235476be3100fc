/* fetch_once: every source once, synchronously, into the cache (--fetch-once). For IT staff
 * checking a new config, and for cron-style setups without the kiosk. */
#define LOG_MODULE "ingest"
#include "cmd.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "glue/images.h"
#include "glue/ingest.h"

int cmd_fetch_once(const struct config *cfg)
{
    if (cfg->n_sources == 0) {
        LOG_ERR("no sources to fetch (add [source …] to the config or use --source URL)");
        return 1;
    }
    struct store *st = store_open(cfg->data_dir);
    if (!st)
        return 1;
    int failed = ingest_fetch_all(st, cfg, false);
    images_fetch_all(st, cfg, false);
    ingest_purge(st, cfg);
    struct store_urgent *urgent;
    size_t n_urgent = store_urgent_active(st, clock_now(), clock_is_trusted(), &urgent);
    store_urgent_free(urgent, n_urgent);
    LOG_INFO("fetch-once: %zu sources, %d failed, %zu items cached, %zu urgent notice%s active",
             cfg->n_sources, failed, store_count_items(st), n_urgent, n_urgent == 1 ? "" : "s");
    store_close(st);
    return failed ? 1 : 0;
}
