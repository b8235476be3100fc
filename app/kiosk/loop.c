/* loop: the kiosk's loop only. Wait for the next deadline or event, dispatch, redraw if dirty.
 *
 * The loop blocks (SDL_WaitEventTimeout, or poll() where SDL cannot wait) until the earliest
 * of: the page's dwell deadline, the next minute (clock), the cache poll (bangtin notify from
 * another process), the watchdog, or the next transition frame. Nothing is redrawn unless something
 * changed. */
#define LOG_MODULE "kiosk"
#include "kiosk.h"
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
#include "cli.h"
#include "glue/setup.h"

#include <SDL.h>
#include <SDL_image.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_POLL_MS  250 /* `bangtin notify` must show within 1 s */
#define STATUS_FILE_MS 60000

static volatile sig_atomic_t got_hup;

static void on_sighup(int sig)
{
    (void)sig;
    got_hup = 1;
}

/* Poll the cache for commits by other processes (bangtin notify). */
static void poll_cache(struct kiosk *k, int64_t now_ms)
{
    if (now_ms < k->next_cache_poll)
        return;
    k->next_cache_poll = now_ms + CACHE_POLL_MS;
    store_retry_writable(k->store, now_ms); /* a full card: read-write again when it can */
    int64_t v = store_data_version(k->store);
    if (v != k->data_version) {
        k->data_version = v;
        kiosk_reload_urgent(k, now_ms);
    }
}

static void handle_key(struct kiosk *k, SDL_Keycode key, int64_t now_ms)
{
    switch (key) {
    case SDLK_RIGHT:
    case SDLK_SPACE:
    case SDLK_PAGEDOWN:
        k->show_status = false;
        sched_next(k->sched, now_ms);
        kiosk_show_current(k, false);
        break;
    case SDLK_LEFT:
    case SDLK_PAGEUP:
        k->show_status = false;
        sched_prev(k->sched, now_ms);
        kiosk_show_current(k, false);
        break;
    case SDLK_s:
        k->show_status = !k->show_status;
        kiosk_show_current(k, true);
        break;
    case SDLK_r: net_worker_poke(k->worker); break;
    case SDLK_q:
    case SDLK_ESCAPE:
        if (!k->cfg->kiosk || k->cli->windowed)
            k->quit = true;
        break;
    default: break;
    }
}

static void handle_event(struct kiosk *k, const SDL_Event *ev, int64_t now_ms)
{
    if (ev->type == SDL_QUIT) {
        k->quit = true;
    } else if (ev->type == SDL_KEYDOWN) {
        handle_key(k, ev->key.keysym.sym, now_ms);
    } else if (ev->type == SDL_WINDOWEVENT || ev->type == SDL_RENDER_TARGETS_RESET ||
               ev->type == SDL_RENDER_DEVICE_RESET) {
        /* A new window size: the window's surface, which may hold the page, is new too. */
        if (ev->type != SDL_WINDOWEVENT || ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            render_flush_cache(k->render);
            kiosk_show_current(k, true);
        }
        k->need_redraw = true;
    } else if (ev->type == kiosk_event_type(KIOSK_EVENT_PHOTOS)) {
        kiosk_photos_done(k, ev->user.data1);
    } else if (ev->type == kiosk_event_type(KIOSK_EVENT_PANEL)) {
        k->need_redraw = true; /* drawn again and read before it is presented */
    } else if (ev->type == kiosk_event_type(KIOSK_EVENT_PUSH)) {
        if (kiosk_push_on_batch(k, ev->user.data1))
            kiosk_reload_urgent(k, now_ms);
    } else if (ev->type == kiosk_event_type(KIOSK_EVENT_FETCH)) {
        struct net_result *r = ev->user.data1;
        kiosk_on_fetch(k, r);
        net_result_free(r);
    }
}

/* Tests only: every finished frame to <dir>/frame-NNNN.png, then presented. */
static void kiosk_dump_frame(struct kiosk *k)
{
    if (!k->animating) {
        SDL_Surface *s =
            SDL_CreateRGBSurfaceWithFormat(0, k->disp->w, k->disp->h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (s && SDL_RenderReadPixels(k->disp->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels,
                                      s->pitch) == 0) {
            char *path = xasprintf("%s/frame-%04d.png", k->frame_dump, ++k->frame_serial);
            char *tmp = xasprintf("%s.tmp", path);
            if (IMG_SavePNG(s, tmp) == 0 && rename(tmp, path) == 0)
                LOG_INFO("frame %d saved (%s)", k->frame_serial,
                         k->shown_urgent[0] ? "urgent" : "regular");
            free(tmp);
            free(path);
        }
        SDL_FreeSurface(s);
    }
    SDL_RenderPresent(k->disp->ren);
}

static int64_t next_wakeup(const struct kiosk *k, int64_t now_ms)
{
    int64_t t = k->next_cache_poll;
    int64_t d = sched_deadline(k->sched);
    struct sched_slot slot;
    /* 0 = a fresh slot whose clock starts at the next tick: tick now. */
    if (d <= 0 && sched_current(k->sched, &slot))
        d = now_ms;
    if (d > 0 && d < t)
        t = d;
    /* The clock in the header changes at the next full minute. */
    int64_t now = clock_now();
    int64_t minute = now_ms + (60 - now % 60) * 1000;
    if (minute < t)
        t = minute;
    int64_t wd = watchdog_next_due_ms(now_ms);
    if (wd < t)
        t = wd;
    if (k->next_status_file < t)
        t = k->next_status_file;
    if (k->animating)
        t = now_ms + 16;
    return t;
}

/* SDL 2.26 sleeps in SDL_WaitEventTimeout only on drivers that can wait (x11, wayland); on the
 * others — kmsdrm on the boards, dummy — it polls every millisecond, ~3 % of a core. There the
 * loop sleeps in poll() on a pipe that every thread pushing an event writes to, and pumps SDL's
 * input at most every 100 ms (a staff key waits that long at worst). */
static bool wait_event(struct kiosk *k, int ms, SDL_Event *ev)
{
    if (k->disp->can_block || k->disp->wake[0] < 0)
        return SDL_WaitEventTimeout(ev, ms);
    if (SDL_PollEvent(ev))
        return true;
    struct pollfd p = {.fd = k->disp->wake[0], .events = POLLIN};
    if (poll(&p, 1, ms < 100 ? ms : 100) > 0) {
        char buf[64];
        while (read(k->disp->wake[0], buf, sizeof buf) > 0)
            ;
    }
    SDL_PumpEvents();
    return SDL_PollEvent(ev);
}

/* Once the screen comes to rest (a page drawn, no fade running, nothing due within 100 ms),
 * hand the heap's free pages back: laying out items, a fade's two pages, a fetch's parse leave
 * free pages inside glibc's heap that it would keep until the next growth. */
static void trim_at_rest(struct kiosk *k, int64_t wait)
{
#ifdef __GLIBC__
    if (k->trim_due && !k->animating && wait >= 100) {
        k->trim_due = false;
        malloc_trim(0);
    }
#else
    (void)k;
    (void)wait;
#endif
}

static void loop(struct kiosk *k)
{
    while (!k->quit && !got_hup) {
        int64_t now_ms = clock_mono_ms();
        int64_t wait = next_wakeup(k, now_ms) - now_ms;
        trim_at_rest(k, wait);
        SDL_Event ev;
        if (wait_event(k, (int)(wait < 1 ? 1 : wait > 1000 ? 1000 : wait), &ev)) {
            do {
                handle_event(k, &ev, clock_mono_ms());
            } while (!k->quit && SDL_PollEvent(&ev));
        }
        now_ms = clock_mono_ms();
        k->render_heartbeat = now_ms;
        poll_cache(k, now_ms);
        /* Nothing on screen yet (empty cache at start): new content shows at once. */
        if (k->items_dirty && !k->have_slot && !k->show_status) {
            kiosk_reload_items(k);
            kiosk_show_current(k, false);
        }
        if (!k->show_status && sched_tick(k->sched, now_ms)) {
            /* New content is picked up at a page boundary, never mid-page. */
            if (k->items_dirty)
                kiosk_reload_items(k);
            kiosk_show_current(k, false);
        }
        int64_t minute = clock_now() / 60;
        if (minute != k->last_minute) {
            k->last_minute = minute;
            k->need_redraw = true;
            kiosk_update_night(k);
        }
        if (k->need_redraw || k->animating) {
            struct render_frame_info fi;
            kiosk_frame_info(k, &fi);
            bool capture = kiosk_panel_capture_pending(k);
            k->animating = render_draw(k->render, &fi, now_ms, !k->frame_dump && !capture);
            k->need_redraw = false;
            k->trim_due = true;
            if (capture)
                kiosk_panel_capture(k);
            if (k->frame_dump)
                kiosk_dump_frame(k);
            else if (capture)
                SDL_RenderPresent(k->disp->ren);
            if (!k->first_frame_logged) {
                k->first_frame_logged = true;
                if (k->reloaded)
                    LOG_INFO("first frame %lld ms after the reload",
                             (long long)(clock_mono_ms() - k->start_ms));
                else
                    LOG_INFO("first frame %lld ms after start", clock_mono_ms() - k->cli->start_ms);
            }
        }
        if (!k->background_started && (k->first_frame_logged || now_ms - k->start_ms > 1000))
            kiosk_start_background(k);
        if (now_ms >= k->next_status_file) {
            kiosk_write_status(k);
            k->next_status_file = now_ms + STATUS_FILE_MS;
        }
        /* No sources, no worker: only the loop has to prove it is alive. */
        watchdog_tick(now_ms, k->render_heartbeat,
                      k->worker ? net_worker_heartbeat(k->worker) : now_ms);
    }
}

int kiosk_run(const struct cli *cli, const struct setup_args *args, struct config *cfg)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sighup;
    sigaction(SIGHUP, &sa, NULL);
    struct kiosk_display disp;
    if (!kiosk_display_open(&disp, cli, cfg))
        return 1;
    int rc = 0;
    int64_t keep_item = -1; /* the item on screen when SIGHUP came: the rotation goes on there */
    for (int run = 0;; run++) {
        struct kiosk k;
        if (!kiosk_start(&k, cli, cfg, &disp)) {
            rc = 1;
            break;
        }
        k.reloaded = run > 0;
        if (keep_item >= 0) {
            playlist_lay_out(&k.pl, k.render, cfg, SIZE_MAX);
            size_t at = playlist_find_item(&k.pl, keep_item);
            if (at != SIZE_MAX) {
                playlist_apply_items(&k.pl, k.sched, at);
                LOG_INFO("SIGHUP: the rotation continues at item %zu of %zu", at + 1, k.pl.n_items);
            }
        }
        kiosk_panel_start(&k);
        kiosk_show_current(&k, true);
        loop(&k);
        bool reload = got_hup && !k.quit;
        kiosk_panel_stop(&k);
        keep_item = k.have_slot && !k.slot.urgent && k.slot.item < k.pl.n_items
                        ? k.pl.items[k.slot.item].id
                        : -1;
        if (reload && keep_item >= 0)
            LOG_INFO("SIGHUP: the rotation was at item %zu of %zu", k.slot.item + 1, k.pl.n_items);
        kiosk_stop(&k);
        if (!reload)
            break;
        got_hup = 0;
        watchdog_reloading();
        LOG_INFO("SIGHUP: reloading the configuration");
        struct config fresh;
        if (setup_load_config(args, &fresh, false)) {
            config_free(cfg);
            *cfg = fresh;
        } else {
            config_free(&fresh);
            LOG_WARN("the new configuration cannot be used; keeping the old one");
        }
    }
    watchdog_stopping();
    kiosk_display_close(&disp);
    return rc;
}
