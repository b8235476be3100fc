/* screenshot: render pages from the cache with no display (software renderer on a surface)
 * and save PNGs. Used by IT staff, tests and the README's pictures. */
#define LOG_MODULE "screenshot"
#include "app.h"
#include "images.h"
#include "playlist.h"
#include "status.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/render.h"
#include "bangtin/sched.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *page_path(const char *out, int index, int total)
{
    if (total <= 1)
        return xstrdup(out);
    const char *dot = strrchr(out, '.');
    size_t stem = dot && !strchr(dot, '/') ? (size_t)(dot - out) : strlen(out);
    return xasprintf("%.*s-%03d%s", (int)stem, out, index + 1, dot ? dot : ".png");
}

static bool save(SDL_Surface *surf, const char *path)
{
    if (IMG_SavePNG(surf, path) != 0) {
        LOG_ERR("%s: cannot save: %s", path, IMG_GetError());
        return false;
    }
    LOG_INFO("wrote %s", path);
    return true;
}

static void fill_frame_info(struct render_frame_info *fi, const struct playlist *pl,
                            const struct sched_slot *slot, struct store *st,
                            const struct config *cfg)
{
    memset(fi, 0, sizeof *fi);
    fi->now = clock_now();
    fi->clock_trusted = clock_is_trusted();
    playlist_frame_info(pl, slot, fi);
    /* The news sources' freshness (urgent sources left out, as on the screen). */
    struct render_freshness fr = {0};
    for (size_t i = 0; i < cfg->n_sources; i++) {
        struct store_source_state ss;
        if (store_source_state_get(st, cfg->sources[i].id, &ss))
            render_freshness_add(&fr, cfg->sources[i].kind != CONFIG_SOURCE_URGENT, false, 0,
                                 ss.last_success);
        store_source_state_free(&ss);
    }
    fi->last_update = fr.last_update;
}

static int shoot_pages(struct render *r, SDL_Surface *surf, struct store *st,
                       const struct config *cfg, const struct cli *cli)
{
    struct playlist pl;
    memset(&pl, 0, sizeof pl);
    int64_t now = clock_now();
    bool trusted = clock_is_trusted();
    playlist_load_items(&pl, st, r, cfg, now, trusted);
    playlist_load_urgent(&pl, st, r, cfg, now, trusted);
    struct sched_dwell d = {cfg->dwell_base_s, cfg->dwell_per_word_s, cfg->dwell_min_s,
                            cfg->dwell_max_s};
    struct sched *s = sched_create(&d, (int64_t)cfg->urgent_takeover_s * 1000);
    int64_t t = 0;
    playlist_apply_items(&pl, s, SIZE_MAX);
    playlist_apply_urgent(&pl, s, pl.n_urgent > 0, t);
    int failed = 0;
    for (int i = 0; i < cli->pages; i++) {
        struct sched_slot slot;
        struct render_page_req req = {0};
        struct render_frame_info fi;
        memset(&fi, 0, sizeof fi);
        if (sched_current(s, &slot)) {
            playlist_page_req(&pl, &slot, &req);
            req.key = ((uint64_t)i << 1) | 1;
            fill_frame_info(&fi, &pl, &slot, st, cfg);
        } else {
            req.kind = RENDER_PAGE_EMPTY;
            fi.now = clock_now();
            fi.clock_trusted = clock_is_trusted();
        }
        if (!render_screen_paint(r, &req, &fi, surf)) { /* no page texture when it can */
            render_show(r, &req, true, 0);
            render_draw(r, &fi, 0, false);
        }
        char *path = page_path(cli->screenshot, i, cli->pages);
        failed += !save(surf, path);
        if (i == 0)
            LOG_INFO("first frame %lld ms after start", clock_mono_ms() - cli->start_ms);
        free(path);
        /* Step exactly one slot, as the screen does when the dwell runs out. */
        t = sched_deadline(s);
        if (!sched_tick(s, t))
            sched_next(s, t);
    }
    sched_destroy(s);
    playlist_free(&pl);
    return failed;
}

int app_screenshot(const struct config *cfg, const struct cli *cli)
{
    int w = cli->width ? cli->width : (cfg->width ? cfg->width : 1920);
    int h = cli->height ? cli->height : (cfg->height ? cfg->height : 1080);
    struct store *st = store_open(cfg->data_dir);
    if (!st)
        return 1;
    /* Local (file://) sources are read first: no network is touched by a screenshot. */
    ingest_fetch_all(st, cfg, true);
    images_fetch_all(st, cfg, true);
    /* RGBA32 is what IMG_SavePNG writes: no converted copy of the frame (8 MiB at 1080p). */
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_Renderer *sdl = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    struct render *r = sdl ? render_create(sdl, cfg, w, h) : NULL;
    int rc = 1;
    if (!r) {
        LOG_ERR("cannot create the software renderer: %s", SDL_GetError());
    } else if (cli->status_page) {
        struct status_snapshot snap;
        status_collect(&snap, st, cfg, 0, NULL);
        struct render_page_req req = {.kind = RENDER_PAGE_STATUS, .status = &snap.rs, .key = 1};
        struct render_frame_info fi = {.now = clock_now(), .clock_trusted = clock_is_trusted()};
        render_show(r, &req, true, 0);
        render_draw(r, &fi, 0, false);
        rc = save(surf, cli->screenshot) ? 0 : 1;
        status_free(&snap);
    } else {
        rc = shoot_pages(r, surf, st, cfg, cli) ? 1 : 0;
    }
    render_destroy(r);
    if (sdl)
        SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surf);
    store_close(st);
    return rc;
}
