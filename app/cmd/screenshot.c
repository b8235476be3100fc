/* screenshot: render pages from the cache with no display (software renderer on a surface)
 * and save PNGs. Used by IT staff, tests and the README's pictures. */
#define LOG_MODULE "screenshot"
#include "cli.h"
#include "cmd.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/png_rows.h"
#include "bangtin/render.h"
#include "bangtin/sched.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "glue/images.h"
#include "glue/ingest.h"
#include "glue/playlist.h"
#include "glue/report.h"
#include "glue/setup.h"

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

/* Rows painted per band: 1920 × 64 × 4 = 480 KiB at 1080p instead of the 8 MiB frame. */
#define SHOT_BAND_ROWS 64

static bool rows_to_png(SDL_Surface *band, int y, void *ctx)
{
    (void)y;
    return png_rows_add(ctx, band);
}

/* The page straight from its display list to the PNG, a band at a time (no whole frame). */
static bool save_rows(struct render *r, const struct render_page_req *req,
                      const struct render_frame_info *fi, const char *path)
{
    int w, h;
    render_get_size(r, &w, &h, NULL);
    struct png_rows *png = png_rows_open(path, w, h);
    if (!png)
        return false;
    bool painted = render_screen_paint_rows(r, req, fi, SHOT_BAND_ROWS, rows_to_png, png);
    if (!png_rows_close(png) || !painted) {
        LOG_ERR("%s: cannot save", path);
        return false;
    }
    LOG_INFO("wrote %s", path);
    return true;
}

static void fill_frame_info(struct render_frame_info *fi, const struct playlist *pl,
                            const struct sched_slot *slot, int64_t last_update)
{
    memset(fi, 0, sizeof *fi);
    fi->now = clock_now();
    fi->clock_trusted = clock_is_trusted();
    playlist_frame_info(pl, slot, fi);
    fi->last_update = last_update;
}

/* The news sources' freshness (urgent sources left out, as on the screen). */
static int64_t news_last_update(struct store *st, const struct config *cfg)
{
    int64_t *last = xcalloc(cfg->n_sources ? cfg->n_sources : 1, sizeof *last);
    ingest_last_success(st, cfg, last);
    struct render_freshness fr = {0};
    for (size_t i = 0; i < cfg->n_sources; i++)
        render_freshness_add(&fr, cfg->sources[i].kind != CONFIG_SOURCE_URGENT, false, 0, last[i]);
    free(last);
    return fr.last_update;
}

static int shoot_pages(struct render *r, SDL_Surface *surf, struct store *st,
                       const struct config *cfg, const struct cli *cli)
{
    struct playlist pl;
    memset(&pl, 0, sizeof pl);
    int64_t now = clock_now();
    bool trusted = clock_is_trusted();
    /* Only the items the pages asked for are laid out (the first page needs the first item). */
    playlist_load_items(&pl, st, r, cfg, now, trusted, 1);
    for (size_t pages = pl.n_laid_out ? pl.n_pages[0] : 0;
         pages < (size_t)cli->pages && playlist_lay_out(&pl, r, cfg, pl.n_laid_out + 1);)
        pages += pl.n_pages[pl.n_laid_out - 1];
    playlist_load_urgent(&pl, st, r, cfg, now, trusted);
    struct sched *s = playlist_sched_create(cfg);
    int64_t last_update = news_last_update(st, cfg);
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
            fill_frame_info(&fi, &pl, &slot, last_update);
        } else {
            req.kind = RENDER_PAGE_EMPTY;
            fi.now = clock_now();
            fi.clock_trusted = clock_is_trusted();
            req.clock_trusted = fi.clock_trusted;
            if (playlist_nothing_expected(st, cfg))
                req.idle_since = fi.now;
        }
        char *path = page_path(cli->screenshot, i, cli->pages);
        if (!surf) { /* no page texture, no frame: bands straight to the PNG */
            failed += !save_rows(r, &req, &fi, path);
        } else {
            render_show(r, &req, true, 0);
            render_draw(r, &fi, 0, false);
            failed += !save(surf, path);
        }
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

int cmd_screenshot(const struct config *cfg, const struct cli *cli)
{
    int w, h;
    setup_screen_size(cfg, cli->width, cli->height, 0, 0, &w, &h);
    struct store *st = store_open(cfg->data_dir);
    if (!st)
        return 1;
    /* Local (file://) sources are read first: no network is touched by a screenshot. */
    ingest_fetch_all(st, cfg, true);
    images_fetch_all(st, cfg, true);
    /* Unrotated pages go from their display list to the PNG in bands: the renderer needs a
     * target, not the frame (8 MiB at 1080p). Rotated pages and the status page are drawn
     * the screen's way onto a whole frame: RGBA32 is what IMG_SavePNG writes, no converted
     * copy. */
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 1, 1, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_Renderer *sdl = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    struct render *r = sdl ? render_create(sdl, cfg, w, h) : NULL;
    bool banded = r && !cli->status_page && render_screen_direct(r);
    if (r && !banded) {
        render_destroy(r);
        SDL_DestroyRenderer(sdl);
        SDL_FreeSurface(surf);
        surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
        sdl = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
        r = sdl ? render_create(sdl, cfg, w, h) : NULL;
    }
    int rc = 1;
    if (!r) {
        LOG_ERR("cannot create the software renderer: %s", SDL_GetError());
    } else if (cli->status_page) {
        struct report snap;
        /* Another process: the running kiosk's uptime from its status.json, else none. */
        report_collect(&snap, st, cfg, report_read_uptime(cfg->status_file, clock_now()), NULL);
        struct render_page_req req = {.kind = RENDER_PAGE_STATUS, .status = &snap.rs, .key = 1};
        struct render_frame_info fi = {.now = clock_now(), .clock_trusted = clock_is_trusted()};
        render_show(r, &req, true, 0);
        render_draw(r, &fi, 0, false);
        rc = save(surf, cli->screenshot) ? 0 : 1;
        report_free(&snap);
    } else {
        rc = shoot_pages(r, banded ? NULL : surf, st, cfg, cli) ? 1 : 0;
    }
    render_destroy(r);
    if (sdl)
        SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surf);
    store_close(st);
    return rc;
}
