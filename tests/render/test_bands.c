/* test_bands: --screenshot paints the screen in horizontal bands straight into the PNG
 * (render_screen_paint_rows, png_rows) so that the whole frame never exists. The bands put
 * together must be the whole-frame paint pixel for pixel — at band heights that cut text
 * lines, the photo and the QR code anywhere — and the PNG written row by row must be the file
 * IMG_SavePNG writes for the whole frame, byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/png_rows.h"
#include "bangtin/util.h"
#include "check.h"
#include "fixture.h"

struct collect {
    SDL_Surface *out; /* the bands put together where they said they belong */
    int next_y, calls, max_h;
    bool ok;
};

static bool collect_rows(SDL_Surface *band, int y, void *ctx)
{
    struct collect *c = ctx;
    c->calls++;
    if (band->format->format != SDL_PIXELFORMAT_RGBA32 || band->w != c->out->w || y != c->next_y ||
        band->h <= 0 || y + band->h > c->out->h) {
        fprintf(stderr, "band at y %d (%dx%d): expected y %d, width %d\n", y, band->w, band->h,
                c->next_y, c->out->w);
        c->ok = false;
        return false;
    }
    for (int row = 0; row < band->h; row++)
        memcpy((Uint8 *)c->out->pixels + (size_t)(y + row) * (size_t)c->out->pitch,
               (const Uint8 *)band->pixels + (size_t)row * (size_t)band->pitch,
               (size_t)band->w * 4);
    c->next_y = y + band->h;
    if (band->h > c->max_h)
        c->max_h = band->h;
    return true;
}

static long rows_differ(SDL_Surface *a, SDL_Surface *b)
{
    long n = 0;
    for (int y = 0; y < a->h; y++)
        n += memcmp((Uint8 *)a->pixels + (size_t)y * (size_t)a->pitch,
                    (Uint8 *)b->pixels + (size_t)y * (size_t)b->pitch, (size_t)a->w * 4) != 0;
    return n;
}

static bool stop_at_second(SDL_Surface *band, int y, void *ctx)
{
    (void)band;
    (void)y;
    return ++*(int *)ctx < 2;
}

static bool rows_to_png(SDL_Surface *band, int y, void *ctx)
{
    (void)y;
    return png_rows_add(ctx, band);
}

static void pages_at(int w, int h)
{
    struct fixture f;
    CHECK(fx_open(&f, w, h, NULL));
    if (!f.r)
        return;
    CHECK(render_screen_direct(f.r));
    struct store_item lg = fx_item_long();
    struct store_item ph = lg;
    ph.image_path = (char *)fx_photo_path();
    ph.image_caption = "Toàn cảnh hội nghị giao ban công tác dân vận quý I/2024";
    struct store_item sh = fx_item_short();
    struct layout_doc pdoc = {0}, sdoc = {0}, udoc = {0};
    render_layout_item(f.r, &ph, &pdoc);
    render_layout_item(f.r, &sh, &sdoc);
    struct store_urgent u = {.id = "local:1",
                             .title = "Sơ tán ngay các hộ dân vùng trũng thấp ven sông",
                             .body = "Nước sông lên nhanh. Mọi người đến nhà văn hoá thôn.",
                             .issuer = "UBND xã",
                             .severity = FEED_SEVERITY_EXTREME};
    render_layout_urgent(f.r, &u, 0, 2, &udoc);
    struct render_page_req reqs[] = {
        {.kind = RENDER_PAGE_ITEM, .item = &ph, .doc = &pdoc, .page = 0, .key = 1},
        {.kind = RENDER_PAGE_ITEM, .item = &sh, .doc = &sdoc, .page = sdoc.n_pages - 1, .key = 2},
        {.kind = RENDER_PAGE_URGENT,
         .urgent = &u,
         .doc = &udoc,
         .key = 3,
         .urgent_index = 0,
         .urgent_count = 2},
        {.kind = RENDER_PAGE_EMPTY, .key = 4},
    };
    /* 1 row, odd heights that fall inside text lines, the photo and the QR code, the
     * screenshot's own 64, one band for everything, more than the screen. */
    const int heights[] = {1, 7, 33, 64, 101, h - 1, h, h + 13};
    SDL_Surface *whole = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        struct render_frame_info fi;
        fx_frame_info(&fi);
        SDL_FillRect(whole, NULL, 0);
        CHECK(render_screen_paint(f.r, &reqs[i], &fi, whole));
        for (size_t k = 0; k < sizeof heights / sizeof heights[0]; k++) {
            int bh = heights[k];
            SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, 255, 0, 255, 255));
            struct collect c = {.out = out, .ok = true};
            CHECK(render_screen_paint_rows(f.r, &reqs[i], &fi, bh, collect_rows, &c));
            int want_calls = (h + (bh < h ? bh : h) - 1) / (bh < h ? bh : h);
            CHECK_MSG(c.ok && c.next_y == h && c.calls == want_calls,
                      "%dx%d page %zu, bands of %d: %d calls, rows up to %d", w, h, i, bh, c.calls,
                      c.next_y);
            CHECK(c.max_h == (bh < h ? bh : h));
            long n = rows_differ(whole, out);
            CHECK_MSG(n == 0, "%dx%d page %zu, bands of %d rows: %ld rows differ", w, h, i, bh, n);
        }
    }
    /* The row writer writes IMG_SavePNG's file, bands of 37 rows for the photo page. */
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/bands-%dx%d-whole.png", BINARY_DIR, w, h);
    snprintf(b, sizeof b, "%s/bands-%dx%d-rows.png", BINARY_DIR, w, h);
    struct render_frame_info fi;
    fx_frame_info(&fi);
    SDL_FillRect(whole, NULL, 0);
    CHECK(render_screen_paint(f.r, &reqs[0], &fi, whole));
    CHECK(IMG_SavePNG(whole, a) == 0);
    struct png_rows *png = png_rows_open(b, w, h);
    CHECK(png != NULL);
    if (png) {
        CHECK(render_screen_paint_rows(f.r, &reqs[0], &fi, 37, rows_to_png, png));
        CHECK(png_rows_close(png));
    }
    char *fa = NULL, *fb = NULL;
    size_t la = 0, lb = 0;
    CHECK(util_read_file(a, 64 << 20, &fa, &la) && util_read_file(b, 64 << 20, &fb, &lb));
    CHECK_MSG(fa && fb && la == lb && memcmp(fa, fb, la) == 0,
              "%s (%zu bytes) and %s (%zu bytes) differ", a, la, b, lb);
    SDL_Surface *back = IMG_Load(b);
    SDL_Surface *conv = back ? SDL_ConvertSurfaceFormat(back, SDL_PIXELFORMAT_RGBA32, 0) : NULL;
    CHECK(conv && conv->w == w && conv->h == h && rows_differ(whole, conv) == 0);
    SDL_FreeSurface(conv);
    SDL_FreeSurface(back);
    free(fa);
    free(fb);
    unlink(a);
    unlink(b);
    /* A failing consumer stops the painting: no band after it. */
    int calls = 0;
    CHECK(!render_screen_paint_rows(f.r, &reqs[0], &fi, 64, stop_at_second, &calls));
    CHECK_INTEQ(calls, 2);
    SDL_FreeSurface(whole);
    SDL_FreeSurface(out);
    layout_doc_free(&pdoc);
    layout_doc_free(&sdoc);
    layout_doc_free(&udoc);
    fx_item_long_free(&lg);
    fx_close(&f);
}

/* An incomplete or mismatched PNG is never left behind as if it were a picture. */
static void png_rows_errors(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bands-short.png", BINARY_DIR);
    SDL_Surface *band = SDL_CreateRGBSurfaceWithFormat(0, 40, 10, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_Surface *argb = SDL_CreateRGBSurfaceWithFormat(0, 40, 10, 32, SDL_PIXELFORMAT_ARGB8888);
    struct png_rows *p = png_rows_open(path, 40, 25);
    CHECK(p && png_rows_add(p, band) && png_rows_add(p, band));
    CHECK(!png_rows_add(p, band)); /* 30 rows of 25 */
    CHECK(!png_rows_close(p));
    CHECK(access(path, F_OK) != 0);
    p = png_rows_open(path, 40, 25);
    CHECK(p && png_rows_add(p, band));
    CHECK(!png_rows_close(p)); /* 10 rows of 25 */
    CHECK(access(path, F_OK) != 0);
    p = png_rows_open(path, 40, 25);
    CHECK(p && !png_rows_add(p, argb));
    CHECK(!png_rows_close(p));
    CHECK(access(path, F_OK) != 0);
    CHECK(png_rows_open(BINARY_DIR "/no-such-dir/x.png", 40, 25) == NULL);
    CHECK(!png_rows_close(NULL));
    SDL_FreeSurface(band);
    SDL_FreeSurface(argb);
}

static int rotate_to;

static void tweak_rotate(struct config *c)
{
    c->rotate = rotate_to;
}

int main(void)
{
    log_init(LOG_LEVEL_WARN);
    if (TTF_Init() != 0) {
        fprintf(stderr, "TTF_Init: %s\n", TTF_GetError());
        return 1;
    }
    pages_at(1920, 1080);
    pages_at(1080, 1920);
    pages_at(800, 480);
    png_rows_errors();
    /* Rotated: no bands (the caller draws the screen's way). */
    rotate_to = 90;
    struct fixture f;
    CHECK(fx_open(&f, 1920, 1080, tweak_rotate));
    if (f.r) {
        CHECK(!render_screen_direct(f.r));
        struct render_frame_info fi;
        fx_frame_info(&fi);
        struct render_page_req req = {.kind = RENDER_PAGE_EMPTY, .key = 1};
        int calls = 0;
        CHECK(!render_screen_paint_rows(f.r, &req, &fi, 64, stop_at_second, &calls));
        CHECK_INTEQ(calls, 0);
        fx_close(&f);
    }
    TTF_Quit();
    IMG_Quit();
    SDL_Quit();
    return CHECK_DONE();
}
