/* bands: the whole screen painted a few rows at a time, for --screenshot. A 1080p frame is
 * 8 MiB of pixels; painted in bands of 1920 × 64 the picture never exists whole in memory
 * (the PNG encoder takes it row by row). Every drawing operation of the display list is a
 * per-pixel function of what lies under it (fills, 1:1 blends of text and scaled pictures),
 * so a band painted with the list moved up by its first row holds exactly the pixels of the
 * whole frame (tests/render/test_render.c compares them at odd band heights).
 *
 * The list is swept once from top to bottom: a text line or a picture is rendered when the
 * first band it reaches is painted and kept until the band holding its last row is done, so
 * nothing is rendered twice and only what crosses the current band is alive. */
#include <stdlib.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/util.h"

struct band_state {
    SDL_Surface *s; /* TEXT/IMAGE: rendered, not yet drawn to its last row */
    int top;        /* TEXT: the rendered surface's top edge */
    bool known, done;
};

bool render_screen_direct(const struct render *r)
{
    return r->rotate == 0 && r->night == RENDER_NIGHT_OFF;
}

/* y range [top, top + h) of an item; TEXT/IMAGE rendered on first need. false: nothing. */
static bool extent(struct render *r, const struct render_dl_item *it, struct band_state *st, int y1,
                   int *top, int *h)
{
    switch (it->kind) {
    case RENDER_DL_FILL:
    case RENDER_DL_QR:
        *top = it->rect.y;
        *h = it->rect.h;
        return it->rect.w > 0 && it->rect.h > 0;
    case RENDER_DL_IMAGE:
        if (!it->image || it->rect.w <= 0 || it->rect.h <= 0)
            return false;
        *top = it->rect.y;
        if (*top >= y1) {
            *h = it->rect.h;
            return true; /* not yet: a later band */
        }
        if (!st->s)
            st->s = render_scaled_new(it->image, it->rect.w, it->rect.h);
        *h = it->rect.h;
        return st->s != NULL;
    case RENDER_DL_TEXT:
        if (!st->known) {
            /* The top edge needs the font only; the height, the rendered line. */
            TTF_Font *font = render_font(&r->fonts, it->face, it->size_px);
            if (!font || str_empty(it->text))
                return false;
            st->top = it->baseline - TTF_FontAscent(font);
            st->known = true;
        }
        *top = st->top;
        if (*top >= y1) {
            *h = 1;
            return true;
        }
        if (!st->s) {
            int t = 0;
            st->s = render_text_surface(r, it, &t);
            if (!st->s)
                return false;
        }
        *h = st->s->h;
        return true;
    }
    return false;
}

static void band_draw(struct render *r, const struct render_dl *dl, struct band_state *state,
                      SDL_Surface *band, int y0)
{
    int y1 = y0 + band->h;
    for (size_t i = 0; i < dl->n; i++) {
        const struct render_dl_item *it = &dl->v[i];
        struct band_state *st = &state[i];
        int top = 0, h = 0;
        if (st->done)
            continue;
        if (!extent(r, it, st, y1, &top, &h)) {
            st->done = true;
            continue;
        }
        if (top >= y1)
            continue; /* starts in a later band */
        if (top + h > y0) {
            switch (it->kind) {
            case RENDER_DL_FILL: {
                SDL_Rect at = {it->rect.x, it->rect.y - y0, it->rect.w, it->rect.h};
                SDL_FillRect(
                    band, &at,
                    SDL_MapRGBA(band->format, it->colour.r, it->colour.g, it->colour.b, 255));
                break;
            }
            case RENDER_DL_QR: {
                SDL_Rect at = {it->rect.x, it->rect.y - y0, it->rect.w, it->rect.h};
                render_qr_draw(band, it->text, at, it->colour, it->colour2);
                break;
            }
            case RENDER_DL_TEXT:
            case RENDER_DL_IMAGE: {
                SDL_Rect at = {it->rect.x, top - y0, st->s->w, st->s->h};
                SDL_BlitSurface(st->s, NULL, band, &at);
                break;
            }
            }
        }
        if (top + h <= y1) { /* its last row is in this band (or above it) */
            SDL_FreeSurface(st->s);
            st->s = NULL;
            st->done = true;
        }
    }
}

bool render_screen_paint_rows(struct render *r, const struct render_page_req *req,
                              const struct render_frame_info *fi, int band_h, render_rows_fn rows,
                              void *ctx)
{
    if (!render_screen_direct(r) || band_h <= 0)
        return false;
    r->wall_now = fi->now;
    r->wall_trusted = fi->clock_trusted;
    struct render_dl dl;
    render_screen_plan(r, req, fi, &dl);
    int w = r->g.w, h = r->g.h;
    if (band_h > h)
        band_h = h;
    SDL_Surface *band = SDL_CreateRGBSurfaceWithFormat(0, w, band_h, 32, SDL_PIXELFORMAT_RGBA32);
    struct band_state *state = xcalloc(dl.n ? dl.n : 1, sizeof *state);
    bool ok = band != NULL;
    if (!band)
        LOG_ERR("band %dx%d: %s", w, band_h, SDL_GetError());
    for (int y0 = 0; ok && y0 < h; y0 += band_h) {
        SDL_Surface *view = band;
        if (h - y0 < band_h) /* the last band: as many rows as are left */
            view = SDL_CreateRGBSurfaceWithFormatFrom(band->pixels, w, h - y0, 32, band->pitch,
                                                      band->format->format);
        if (!view) {
            LOG_ERR("band view: %s", SDL_GetError());
            ok = false;
            break;
        }
        /* Whatever a list leaves unpainted is black, as on a fresh frame. */
        SDL_FillRect(view, NULL, 0);
        band_draw(r, &dl, state, view, y0);
        ok = rows(view, y0, ctx);
        if (view != band)
            SDL_FreeSurface(view);
    }
    for (size_t i = 0; i < dl.n; i++)
        SDL_FreeSurface(state[i].s);
    free(state);
    SDL_FreeSurface(band);
    render_dl_free(&dl);
    return ok;
}
