/* start: the modules around the loop — cache, renderer, scheduler, fetch worker — brought up
 * in order (offline first: the cache is on screen before any network traffic), and down. */
#define LOG_MODULE "kiosk"
#include "kiosk_priv.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/render.h"
#include "bangtin/sched.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "bangtin/watchdog.h"
#include "glue/ingest.h"
#include "glue/setup.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>

/* Worker thread → main thread. SDL_PushEvent is thread-safe; the receiver frees. */
static void deliver(void *ctx, struct net_result *r)
{
    struct kiosk *k = ctx;
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = kiosk_event_type(KIOSK_EVENT_FETCH);
    ev.user.data1 = r;
    if (SDL_PushEvent(&ev) != 1)
        net_result_free(r);
    else
        kiosk_display_wake(k->disp);
}

static struct net_worker *start_worker(struct kiosk *k)
{
    const struct config *cfg = k->cfg;
    if (cfg->n_sources == 0)
        return NULL;
    struct net_job *jobs = xcalloc(cfg->n_sources, sizeof *jobs);
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const struct config_source *s = &cfg->sources[i];
        int poll = s->poll_s                         ? s->poll_s
                   : s->kind == CONFIG_SOURCE_URGENT ? cfg->urgent_poll_s
                                                     : cfg->poll_s;
        jobs[i].source_id = s->id;
        jobs[i].url = s->url;
        jobs[i].allow_file = s->local;
        jobs[i].fetch_signature = s->require_signature;
        jobs[i].want_items = ingest_want_items(cfg, s);
        jobs[i].interval_ms = (int64_t)poll * 1000;
    }
    struct net_worker_config wc;
    memset(&wc, 0, sizeof wc);
    setup_net_limits(cfg, &wc.limits);
    /* The random delay spreads offices that power on together over the network; sources on
     * the board itself (the demo) have no one to spare. */
    bool all_local = true;
    for (size_t i = 0; i < cfg->n_sources; i++)
        all_local = all_local && str_starts_with(cfg->sources[i].url, "file://");
    wc.startup_delay_max_ms = all_local ? 0 : (int64_t)cfg->startup_delay_max_s * 1000;
    wc.full_refetch_ms = (int64_t)cfg->full_refetch_s * 1000;
    wc.backoff_max_ms = 30 * 60 * 1000;
    wc.deliver = deliver;
    wc.ctx = k;
    wc.fetch_process = true; /* libcurl stays out of the screen (app/net/proc.c) */
    struct net_worker *w = net_worker_start(&wc, jobs, cfg->n_sources);
    for (size_t i = 0; w && i < cfg->n_sources; i++) {
        struct store_source_state ss;
        if (store_source_state_get(k->store, cfg->sources[i].id, &ss))
            net_worker_set_validators(w, cfg->sources[i].id, ss.etag, ss.last_modified);
        store_source_state_free(&ss);
    }
    free(jobs);
    return w;
}

bool kiosk_start(struct kiosk *k, const struct cli *cli, const struct config *cfg,
                 struct kiosk_display *d)
{
    memset(k, 0, sizeof *k);
    k->cli = cli;
    k->cfg = cfg;
    k->disp = d;
    k->start_ms = clock_mono_ms();
    k->render_heartbeat = k->start_ms;
#ifdef BANGTIN_TEST_FAULTS
    k->frame_dump = getenv("BANGTIN_FRAME_DUMP");
#endif
    k->store = store_open(cfg->data_dir);
    if (!k->store) {
        LOG_ERR("the cache in %s cannot be used; showing nothing until it can", cfg->data_dir);
        return false;
    }
    k->render = render_create(d->ren, cfg, d->w, d->h);
    if (!k->render) {
        store_close(k->store);
        return false;
    }
    k->sched = playlist_sched_create(cfg);
    /* The configuration is the truth for the running screen: a source removed from it takes
     * its items with it (signed and local notices stay). */
    if (cfg->n_sources > 0) {
        const char **ids = xcalloc(cfg->n_sources, sizeof *ids);
        for (size_t i = 0; i < cfg->n_sources; i++)
            ids[i] = cfg->sources[i].id;
        int removed = store_retain_sources(k->store, ids, cfg->n_sources);
        if (removed > 0)
            LOG_INFO("forgot %d items of sources no longer configured", removed);
        free(ids);
    }
    k->src_state = xcalloc(cfg->n_sources ? cfg->n_sources : 1, sizeof *k->src_state);
    kiosk_note_provision_error(k);
    /* Offline first: the cache is on screen before any network traffic. Only the first item
     * is laid out before the first frame; kiosk_start_background lays out the rest. */
    playlist_load_items(&k->pl, k->store, k->render, cfg, clock_now(), clock_is_trusted(), 1);
    playlist_apply_items(&k->pl, k->sched, SIZE_MAX);
    playlist_load_urgent(&k->pl, k->store, k->render, cfg, clock_now(), clock_is_trusted());
    playlist_apply_urgent(&k->pl, k->sched, k->pl.n_urgent > 0, k->start_ms);
    k->data_version = store_data_version(k->store);
    LOG_INFO("showing %zu cached items, %zu urgent notices", k->pl.n_items, k->pl.n_urgent);
    int64_t *last = xcalloc(cfg->n_sources ? cfg->n_sources : 1, sizeof *last);
    ingest_last_success(k->store, cfg, last);
    for (size_t i = 0; i < cfg->n_sources; i++)
        k->src_state[i].last_success = last[i];
    free(last);
    watchdog_init(0);
    watchdog_ready();
    watchdog_status("showing %zu items", k->pl.n_items);
    kiosk_update_night(k);
    k->next_status_file = clock_mono_ms() + 60000;
    return true;
}

void kiosk_start_background(struct kiosk *k)
{
    if (k->background_started)
        return;
    k->background_started = true;
    if (playlist_lay_out(&k->pl, k->render, k->cfg, SIZE_MAX)) {
        /* The item on screen keeps its page and clock; the rotation goes on from it. */
        size_t keep = k->have_slot && !k->slot.urgent ? k->slot.item : SIZE_MAX;
        playlist_apply_items(&k->pl, k->sched, keep);
    }
    k->worker = start_worker(k);
    kiosk_push_start(k);
    kiosk_photos_start(k);
    kiosk_write_status(k);
}

void kiosk_stop(struct kiosk *k)
{
    net_worker_stop(k->worker);
    kiosk_photos_stop(k);
    /* Results still queued belong to us: free them. */
    SDL_Event ev;
    Uint32 fetched = kiosk_event_type(KIOSK_EVENT_FETCH);
    while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, fetched, fetched) == 1) {
        net_result_free(ev.user.data1);
    }
    kiosk_write_status(k);
    kiosk_push_stop(k); /* after the last status, which it publishes */
    report_free(&k->status);
    playlist_free(&k->pl);
    sched_destroy(k->sched);
    render_destroy(k->render);
    store_close(k->store);
    free(k->src_state);
}
