/* kiosk_setup: the display, the modules around the loop, fetch results, the night schedule
 * and the status file. */
#define LOG_MODULE "kiosk"
#include "app.h"
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

#include <SDL.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool kiosk_display_open(struct kiosk_display *d, const struct cli *cli, const struct config *cfg)
{
    memset(d, 0, sizeof *d);
    /* The "software" renderer on X11 otherwise loads Mesa/LLVM (~100 MiB for the same picture). */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_RENDER_VSYNC, "1");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        LOG_ERR("cannot start the display: %s (set SDL_VIDEODRIVER=kmsdrm on a board with no "
                "desktop)",
                SDL_GetError());
        return false;
    }
    SDL_DisplayMode mode;
    int dw = 1920, dh = 1080;
    if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
        dw = mode.w;
        dh = mode.h;
    }
    bool windowed = cli->windowed;
    int w = cli->width ? cli->width : cfg->width ? cfg->width : windowed ? 1280 : dw;
    int h = cli->height ? cli->height : cfg->height ? cfg->height : windowed ? 720 : dh;
    /* Borderless at the display's size at 0,0: FULLSCREEN_DESKTOP leaves a smaller window when
     * no window manager runs (Xvfb, bare X). kmsdrm is fullscreen by nature. */
    Uint32 flags = SDL_WINDOW_SHOWN | (windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_BORDERLESS);
    int x = windowed ? (int)SDL_WINDOWPOS_CENTERED : 0,
        y = windowed ? (int)SDL_WINDOWPOS_CENTERED : 0;
    d->win = SDL_CreateWindow("bangtin", x, y, w, h, flags);
    if (!d->win) {
        LOG_ERR("cannot create the window: %s", SDL_GetError());
        SDL_Quit();
        return false;
    }
    d->ren = SDL_CreateRenderer(d->win, -1,
                                SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC |
                                    SDL_RENDERER_TARGETTEXTURE);
    if (!d->ren)
        d->ren = SDL_CreateRenderer(d->win, -1, SDL_RENDERER_SOFTWARE);
    if (!d->ren) {
        LOG_ERR("cannot create a renderer: %s", SDL_GetError());
        SDL_DestroyWindow(d->win);
        SDL_Quit();
        return false;
    }
    SDL_GetRendererOutputSize(d->ren, &d->w, &d->h);
    const char *driver = SDL_GetCurrentVideoDriver();
    d->can_block = driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "wayland") == 0);
    d->wake[0] = d->wake[1] = -1;
    if (pipe(d->wake) == 0) {
        for (int i = 0; i < 2; i++)
            fcntl(d->wake[i], F_SETFL, fcntl(d->wake[i], F_GETFL) | O_NONBLOCK);
        for (int i = 0; i < 2; i++)
            fcntl(d->wake[i], F_SETFD, FD_CLOEXEC);
    }
    if (!windowed)
        SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();
    SDL_RendererInfo info;
    SDL_GetRendererInfo(d->ren, &info);
    LOG_INFO("display %dx%d, video driver %s, renderer %s", d->w, d->h, SDL_GetCurrentVideoDriver(),
             info.name);
    return true;
}

void kiosk_display_wake(const struct kiosk_display *d)
{
    if (d->wake[1] >= 0) {
        char c = 1;
        ssize_t n = write(d->wake[1], &c, 1); /* full pipe: a wake-up is pending anyway */
        (void)n;
    }
}

void kiosk_display_close(struct kiosk_display *d)
{
    for (int i = 0; i < 2; i++) {
        if (d->wake[i] >= 0)
            close(d->wake[i]);
    }
    if (d->ren)
        SDL_DestroyRenderer(d->ren);
    if (d->win)
        SDL_DestroyWindow(d->win);
    SDL_Quit();
}

/* Worker thread → main thread. SDL_PushEvent is thread-safe; the receiver frees. */
static void deliver(void *ctx, struct net_result *r)
{
    struct kiosk *k = ctx;
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = k->fetch_event;
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
    app_net_limits(cfg, &wc.limits);
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

static void note_provision_error(struct kiosk *k);

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
    k->fetch_event = SDL_RegisterEvents(2); /* fetch results, photo batches */
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
    struct sched_dwell dw = {cfg->dwell_base_s, cfg->dwell_per_word_s, cfg->dwell_min_s,
                             cfg->dwell_max_s};
    k->sched = sched_create(&dw, (int64_t)cfg->urgent_takeover_s * 1000);
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
    note_provision_error(k);
    /* Offline first: the cache is on screen before any network traffic. */
    playlist_load_items(&k->pl, k->store, k->render, cfg, clock_now(), clock_is_trusted());
    playlist_apply_items(&k->pl, k->sched, SIZE_MAX);
    playlist_load_urgent(&k->pl, k->store, k->render, cfg, clock_now(), clock_is_trusted());
    playlist_apply_urgent(&k->pl, k->sched, k->pl.n_urgent > 0, k->start_ms);
    k->data_version = store_data_version(k->store);
    LOG_INFO("showing %zu cached items, %zu urgent notices", k->pl.n_items, k->pl.n_urgent);
    for (size_t i = 0; i < cfg->n_sources; i++) {
        struct store_source_state ss;
        if (store_source_state_get(k->store, cfg->sources[i].id, &ss) &&
            ss.last_success > k->last_success)
            k->last_success = ss.last_success;
        store_source_state_free(&ss);
    }
    k->worker = start_worker(k);
    kiosk_images_start(k);
    watchdog_init(0);
    watchdog_ready();
    watchdog_status("showing %zu items", k->pl.n_items);
    kiosk_update_night(k);
    kiosk_write_status(k);
    k->next_status_file = clock_mono_ms() + 60000;
    return true;
}

void kiosk_stop(struct kiosk *k)
{
    net_worker_stop(k->worker);
    kiosk_images_stop(k);
    /* Results still queued belong to us: free them. */
    SDL_Event ev;
    while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, k->fetch_event, k->fetch_event) == 1) {
        net_result_free(ev.user.data1);
    }
    kiosk_write_status(k);
    status_free(&k->status);
    playlist_free(&k->pl);
    sched_destroy(k->sched);
    render_destroy(k->render);
    store_close(k->store);
    free(k->src_state);
}

static void remember_error(struct kiosk *k, const char *source, const char *err)
{
    char line[256];
    char hm[8];
    clock_format_hm(clock_now(), hm, sizeof hm);
    int n =
        snprintf(line, sizeof line, "%s %s: %s\n", clock_is_trusted() ? hm : "--:--", source, err);
    size_t len = n < 0 ? 0 : (size_t)n >= sizeof line ? sizeof line - 1 : (size_t)n;
    /* Newest first; the oldest lines fall off the end. */
    size_t keep = sizeof k->errors - 1 - len;
    size_t old = strlen(k->errors);
    if (old > keep)
        old = keep;
    memmove(k->errors + len, k->errors, old);
    memcpy(k->errors, line, len);
    k->errors[len + old] = '\0';
}

/* The SD-card image's provisioning (dist/image/provision) writes why it refused the
 * bangtin.conf of the boot partition to <data_dir>/provision-error.txt: shown on the status
 * page, first line on top. */
static void note_provision_error(struct kiosk *k)
{
    char *path = xasprintf("%s/provision-error.txt", k->cfg->data_dir);
    char *text = NULL;
    size_t len = 0;
    if (util_read_file(path, 4096, &text, &len)) {
        const char *lines[4];
        size_t n = 0;
        for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && n < 4;
             l = strtok_r(NULL, "\n", &save))
            lines[n++] = l;
        if (n > 0)
            LOG_WARN("%s: %s", path, lines[0]);
        while (n > 0)
            remember_error(k, "thẻ nhớ", lines[--n]);
    }
    free(text);
    free(path);
}

void kiosk_on_fetch(struct kiosk *k, const struct net_result *r)
{
    const struct config_source *src = ingest_find_source(k->cfg, r->source_id);
    if (!src)
        return;
    size_t idx = (size_t)(src - k->cfg->sources);
    char err[256];
    int64_t now = clock_now();
    enum ingest_outcome o = ingest_result(k->store, k->cfg, src, r, now, err, sizeof err);
    struct kiosk_source_state *ss = &k->src_state[idx];
    if (o == INGEST_FAILED) {
        LOG_WARN("%s: %s (cached items kept)", src->name ? src->name : src->id, err);
        remember_error(k, src->name ? src->name : src->id, err);
        if (!ss->failing)
            ss->failing_since = now;
        ss->failing = true;
        k->need_redraw = true;
        k->next_status_file = clock_mono_ms(); /* monitoring sees the error now */
        return;
    }
    if (ss->failing || o == INGEST_CHANGED)
        k->next_status_file = clock_mono_ms();
    if (ss->failing)
        LOG_INFO("%s: reachable again", src->name ? src->name : src->id);
    ss->failing = false;
    k->last_success = now;
    k->need_redraw = true;
    /* The validators are committed with the content: now the worker may send them. */
    if (r->resp.status == NET_OK)
        net_worker_set_validators(k->worker, src->id, r->resp.etag, r->resp.last_modified);
    if (o != INGEST_CHANGED)
        return;
    ingest_purge(k->store, k->cfg);
    if (src->kind == CONFIG_SOURCE_URGENT) {
        /* Our own commit also moved data_version: no second reload from the cache poll. */
        k->data_version = store_data_version(k->store);
        kiosk_reload_urgent(k, clock_mono_ms());
    } else {
        k->items_dirty = true;
        kiosk_images_start(k);
    }
}

void kiosk_frame_info(const struct kiosk *k, struct render_frame_info *fi)
{
    memset(fi, 0, sizeof *fi);
    fi->now = clock_now();
    fi->clock_trusted = clock_is_trusted();
    const struct playlist *pl = &k->pl;
    if (k->have_slot) {
        playlist_frame_info(pl, &k->slot, fi);
    } else {
        fi->n_urgent = pl->n_urgent;
        fi->banner = pl->n_urgent ? &pl->urgent[0] : NULL;
    }
    fi->last_update = k->last_success;
    bool all_failing = k->cfg->n_sources > 0;
    int64_t since = 0;
    for (size_t i = 0; i < k->cfg->n_sources; i++) {
        all_failing = all_failing && k->src_state[i].failing;
        if (k->src_state[i].failing && (!since || k->src_state[i].failing_since < since))
            since = k->src_state[i].failing_since;
    }
    fi->offline = all_failing;
    fi->offline_since = since;
}

void kiosk_update_night(struct kiosk *k)
{
    int on, off, mode = 0;
    if (!str_empty(k->cfg->display_on) && config_parse_schedule(k->cfg->display_on, &on, &off) &&
        clock_is_trusted() && k->pl.n_urgent == 0) {
        struct clock_local l;
        clock_to_local(clock_now(), &l);
        int m = l.hour * 60 + l.minute;
        bool day = on <= off ? (m >= on && m < off) : (m >= on || m < off);
        if (!day)
            mode = k->cfg->night_dim ? 1 : 2;
    }
    if (mode != k->night) {
        LOG_INFO("display %s", mode == 0 ? "on" : mode == 1 ? "dimmed (night)" : "off (night)");
        k->night = mode;
        render_set_night(k->render, mode);
        k->need_redraw = true;
    }
}

void kiosk_write_status(struct kiosk *k)
{
    struct status_snapshot s;
    status_collect(&s, k->store, k->cfg, (clock_mono_ms() - k->start_ms) / 1000, k->errors);
    if (!str_empty(k->cfg->status_file))
        status_write_json(&s, k->cfg->status_file, clock_now());
    /* systemctl status shows this line */
    watchdog_status("%zu items, %zu urgent, %s", s.rs.n_items, k->pl.n_urgent,
                    k->errors[0] ? "errors: see the status page" : "no errors");
    status_free(&s);
}
