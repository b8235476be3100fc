/* test_resting: the software renderer on a window (SDL's dummy video driver: a window with its
 * own surface, as on X11 and KMS/DRM without a GPU). A page shown without a fade is painted
 * straight into the window; after a fade the page's texture is freed; either way the window's
 * surface keeps the page (render.c, "resting"). Checks, frame by frame
 * against the same frames drawn on a plain surface, that the screen is the same picture:
 *  - at rest no page texture is kept, and a redraw (the clock's minute) keeps the page;
 *  - a fade from a resting page reads it back and ends on the new page;
 *  - the night veil goes over the page once (two dimmed frames are the same), a blank night
 *    loses nothing (the page comes back after it);
 *  - a window with a new size gets the page again (the kiosk's flush + show). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "check.h"
#include "fixture.h"
#include "render/render_internal.h"

#define W 800
#define H 480

static Uint32 *grab(SDL_Renderer *sdl)
{
    Uint32 *px = malloc((size_t)W * H * 4);
    if (px && SDL_RenderReadPixels(sdl, NULL, SDL_PIXELFORMAT_ARGB8888, px, W * 4) != 0) {
        free(px);
        return NULL;
    }
    return px;
}

/* Pixels that differ between a and b inside rect (NULL: everywhere). */
static long diff(const Uint32 *a, const Uint32 *b, const SDL_Rect *rc)
{
    SDL_Rect all = {0, 0, W, H};
    const SDL_Rect *r = rc ? rc : &all;
    long n = 0;
    int most = 0;
    for (int y = r->y; y < r->y + r->h; y++)
        for (int x = r->x; x < r->x + r->w; x++) {
            Uint32 p = a[y * W + x], q = b[y * W + x];
            int d = 0;
            for (int c = 0; c < 24; c += 8) {
                int e = abs((int)((p >> c) & 255) - (int)((q >> c) & 255));
                d = e > d ? e : d;
            }
            n += d > 0;
            most = d > most ? d : most;
        }
    if (getenv("TEST_RESTING_VERBOSE"))
        fprintf(stderr, "diff: %ld pixels, most %d\n", n, most);
    return n;
}

struct screen {
    SDL_Window *win;
    SDL_Renderer *sdl;
    struct render *r;
};

static bool screen_open(struct screen *s, struct fixture *ref)
{
    s->win = SDL_CreateWindow("test", 0, 0, W, H, SDL_WINDOW_SHOWN);
    s->sdl = s->win ? SDL_CreateRenderer(s->win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    s->r = s->sdl ? render_create(s->sdl, &ref->cfg, W, H) : NULL;
    if (!s->r)
        fprintf(stderr, "window: %s\n", SDL_GetError());
    return s->r != NULL;
}

static void screen_close(struct screen *s)
{
    render_destroy(s->r);
    if (s->sdl)
        SDL_DestroyRenderer(s->sdl);
    if (s->win)
        SDL_DestroyWindow(s->win);
}

/* The same frame on the fixture's plain surface (no window: never resting). */
static Uint32 *reference(struct fixture *f, const struct render_page_req *req,
                         const struct render_frame_info *fi, enum render_night night)
{
    render_flush_cache(f->r);
    render_set_night(f->r, night);
    render_show(f->r, req, true, 0);
    render_draw(f->r, fi, 0, false);
    render_set_night(f->r, RENDER_NIGHT_OFF);
    return grab(f->sdl);
}

int main(void)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "SDL: %s\n", SDL_GetError());
        return 1;
    }
    struct fixture f;
    CHECK(fx_open(&f, W, H, NULL));
    struct screen s = {0};
    CHECK(f.r && screen_open(&s, &f));
    if (!f.r || !s.r)
        return CHECK_DONE();
    CHECK_MSG(s.r->sw_window, "a software renderer on a window rests");
    CHECK(!f.r->sw_window);
    struct store_item it = fx_item_long();
    struct layout_doc doc = {0};
    render_layout_item(s.r, &it, &doc);
    CHECK(doc.n_pages >= 2);
    struct render_page_req a = {
        .kind = RENDER_PAGE_ITEM, .item = &it, .doc = &doc, .page = 0, .key = 1};
    struct render_page_req b = a;
    b.page = 1;
    b.key = 2;
    struct render_frame_info fi;
    fx_frame_info(&fi);
    fi.n_pages = doc.n_pages;
    const SDL_Rect *content = &s.r->g.content;

    /* Page A, instant: painted straight into the window, no texture at any time. */
    render_show(s.r, &a, true, 0);
    CHECK(s.r->resting && render_cache_bytes(s.r) == 0);
    render_draw(s.r, &fi, 0, false);
    CHECK(s.r->resting && render_cache_bytes(s.r) == 0);
    Uint32 *ref_a = reference(&f, &a, &fi, RENDER_NIGHT_OFF), *got = grab(s.sdl);
    CHECK(ref_a && got && diff(ref_a, got, NULL) == 0);
    free(got);

    /* A minute later: the header changes, the page stays. */
    struct render_frame_info later = fi;
    later.now += 60;
    render_draw(s.r, &later, 100, false);
    Uint32 *ref_a2 = reference(&f, &a, &later, RENDER_NIGHT_OFF);
    got = grab(s.sdl);
    CHECK(ref_a2 && got && diff(ref_a2, got, NULL) == 0);
    CHECK(ref_a && ref_a2 && diff(ref_a, ref_a2, NULL) > 0); /* the clock did change */
    CHECK(ref_a2 && got && diff(ref_a2, got, content) == 0);
    free(got);

    /* A fade to page B: read back from the window, half-way a mix, at the end page B. */
    int64_t t0 = 1000, fade = s.r->transition_ms;
    CHECK(fade > 0);
    render_show(s.r, &b, false, t0);
    CHECK(s.r->trans_running && !s.r->resting && s.r->prev >= 0 && s.r->cache[s.r->prev].tex);
    CHECK(render_draw(s.r, &later, t0 + fade / 2, false));
    Uint32 *mid = grab(s.sdl);
    Uint32 *ref_b = reference(&f, &b, &later, RENDER_NIGHT_OFF);
    CHECK(mid && ref_a2 && ref_b && diff(mid, ref_a2, content) > 0 &&
          diff(mid, ref_b, content) > 0);
    free(mid);
    CHECK(!render_draw(s.r, &later, t0 + fade + 1, false));
    CHECK(s.r->resting && render_cache_bytes(s.r) == 0 && s.r->prev < 0);
    got = grab(s.sdl);
    CHECK(ref_b && got && diff(ref_b, got, NULL) == 0);
    free(got);

    /* Night veil: over the page once, however many frames. */
    render_set_night(s.r, RENDER_NIGHT_DIM);
    render_draw(s.r, &later, 5000, false);
    Uint32 *dim1 = grab(s.sdl);
    render_draw(s.r, &later, 6000, false);
    Uint32 *dim2 = grab(s.sdl);
    Uint32 *ref_dim = reference(&f, &b, &later, RENDER_NIGHT_DIM);
    CHECK(dim1 && dim2 && ref_dim && diff(dim1, dim2, NULL) == 0 && diff(dim1, ref_dim, NULL) == 0);
    free(dim1), free(dim2), free(ref_dim);
    /* Blank night, then day: the page comes back. */
    render_set_night(s.r, RENDER_NIGHT_BLANK);
    render_draw(s.r, &later, 7000, false);
    render_set_night(s.r, RENDER_NIGHT_OFF);
    render_draw(s.r, &later, 8000, false);
    CHECK(s.r->resting);
    got = grab(s.sdl);
    CHECK(ref_b && got && diff(ref_b, got, NULL) == 0);
    free(got);

    /* A new window size: the kiosk flushes and shows again; the page is painted anew. */
    render_flush_cache(s.r);
    struct render_page_req b2 = b;
    b2.key = 3;
    render_show(s.r, &b2, true, 9000);
    render_draw(s.r, &later, 9000, false);
    got = grab(s.sdl);
    CHECK(ref_b && got && diff(ref_b, got, NULL) == 0);
    free(got);

    free(ref_a), free(ref_a2), free(ref_b);
    layout_doc_free(&doc);
    fx_item_long_free(&it);
    screen_close(&s);
    fx_close(&f);
    TTF_Quit();
    SDL_Quit();
    return CHECK_DONE();
}
