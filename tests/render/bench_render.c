/* bench_render: not a test. Memory held by cached page textures at 1080p and 4K, the time to
 * paint a page, and the frame time of a transition (median and worst) on the software
 * renderer — the renderer a Pi without GPU acceleration falls back to.
 *
 *   bench_render [frames-per-transition [--window]]   (build without sanitizers)
 *   --window: also on a real window renderer, e.g. under xvfb-run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "bangtin/log.h"
#include "fixture.h"
#include "render/render_internal.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void tweak_slide(struct config *c)
{
    free(c->transition);
    c->transition = strdup("slide");
}

static void bench_size(int w, int h, const char *transition, int frames)
{
    struct fixture f;
    if (!fx_open(&f, w, h, strcmp(transition, "slide") == 0 ? tweak_slide : NULL))
        return;
    struct store_item it = fx_item_long();
    struct layout_doc doc = {0};
    long rss0 = rss_kib();
    double t0 = now_ms();
    render_layout_item(f.r, &it, &doc);
    double layout_ms = now_ms() - t0;
    struct render_frame_info fi;
    fx_frame_info(&fi);
    fi.n_pages = doc.n_pages;

    /* Fill the cache: one paint per page, as the rotation would. */
    double paint[16];
    size_t n_paint = 0;
    for (size_t p = 0; p < doc.n_pages && n_paint < 16; p++) {
        struct render_page_req req = {
            .kind = RENDER_PAGE_ITEM, .item = &it, .doc = &doc, .page = p, .key = 10 + p};
        t0 = now_ms();
        render_show(f.r, &req, true, 0);
        paint[n_paint++] = now_ms() - t0;
        fx_draw(&f, &fi);
    }
    qsort(paint, n_paint, sizeof(double), cmp_double);
    size_t cache = render_cache_bytes(f.r);

    /* A transition between two cached pages, `frames` frames spread over transition_ms. */
    int ms = f.cfg.transition_ms > 0 ? f.cfg.transition_ms : 400;
    double *ft = calloc((size_t)frames, sizeof(double));
    struct render_page_req a = {
        .kind = RENDER_PAGE_ITEM, .item = &it, .doc = &doc, .page = 0, .key = 10};
    struct render_page_req b = a;
    b.page = doc.n_pages > 1 ? 1 : 0;
    b.key = 11;
    render_show(f.r, &a, true, 0);
    render_show(f.r, &b, false, 100000);
    int running = 0;
    for (int i = 0; i < frames; i++) {
        t0 = now_ms();
        running += render_draw(f.r, &fi, 100000 + (int64_t)i * ms / frames, false);
        SDL_RenderFlush(f.sdl);
        ft[i] = now_ms() - t0;
    }
    qsort(ft, (size_t)frames, sizeof(double), cmp_double);
    /* A static frame (clock unchanged): copy page + bands. */
    double st = 0;
    for (int i = 0; i < 10; i++) {
        t0 = now_ms();
        render_draw(f.r, &fi, 200000, false);
        SDL_RenderFlush(f.sdl);
        st += now_ms() - t0;
    }
    printf("%4dx%-4d %-5s layout %6.1f ms | page paint median %6.1f worst %6.1f ms | "
           "cache %zu pages %6.1f MiB (%.1f MiB/page) | transition frame median %6.1f "
           "worst %6.1f ms (%d frames running) | static frame %5.1f ms | RSS +%ld MiB\n",
           w, h, transition, layout_ms, paint[n_paint / 2], paint[n_paint - 1],
           n_paint < RENDER_CACHE_MAX ? n_paint : (size_t)RENDER_CACHE_MAX, cache / 1048576.0,
           (double)w * f.r->g.content.h * 4 / 1048576.0, ft[frames / 2], ft[frames - 1], running,
           st / 10, (rss_kib() - rss0) / 1024);
    free(ft);
    layout_doc_free(&doc);
    fx_item_long_free(&it);
    fx_close(&f);
}

/* The same transition on a real window renderer (X11/KMS/…): SDL picks the driver. */
static void bench_window(int frames)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        printf("window: no video (%s)\n", SDL_GetError());
        return;
    }
    SDL_Window *win = SDL_CreateWindow("bench", 0, 0, 1920, 1080, SDL_WINDOW_BORDERLESS);
    SDL_Renderer *sdl = win ? SDL_CreateRenderer(win, -1, 0) : NULL;
    SDL_RendererInfo info = {0};
    if (!sdl || SDL_GetRendererInfo(sdl, &info) != 0) {
        printf("window: %s\n", SDL_GetError());
        SDL_DestroyWindow(win);
        return;
    }
    struct config cfg;
    config_init(&cfg);
    struct render *r = render_create(sdl, &cfg, 1920, 1080);
    struct store_item it = fx_item_short();
    struct layout_doc doc = {0};
    if (r) {
        render_layout_item(r, &it, &doc);
        struct render_frame_info fi;
        fx_frame_info(&fi);
        struct render_page_req a = {.kind = RENDER_PAGE_ITEM, .item = &it, .doc = &doc, .key = 1};
        struct render_page_req b = a;
        b.page = doc.n_pages - 1;
        b.key = 2;
        render_show(r, &a, true, 0);
        render_draw(r, &fi, 0, true);
        render_show(r, &b, false, 1000);
        double worst = 0, total = 0;
        for (int i = 0; i < frames; i++) {
            double t0 = now_ms();
            render_draw(r, &fi, 1000 + (int64_t)i * cfg.transition_ms / frames, true);
            double d = now_ms() - t0;
            total += d;
            worst = d > worst ? d : worst;
        }
        printf("window renderer \"%s\" 1920x1080 fade: mean %.1f ms worst %.1f ms per "
               "presented frame\n",
               info.name, total / frames, worst);
        layout_doc_free(&doc);
    }
    render_destroy(r);
    config_free(&cfg);
    SDL_DestroyRenderer(sdl);
    SDL_DestroyWindow(win);
}

int main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 24;
    if (frames < 2)
        frames = 2;
    log_init(LOG_LEVEL_WARN);
    TTF_Init();
    bench_size(1920, 1080, "fade", frames);
    bench_size(1920, 1080, "slide", frames);
    bench_size(3840, 2160, "fade", frames);
    bench_size(3840, 2160, "slide", frames);
    if (argc > 2 && strcmp(argv[2], "--window") == 0)
        bench_window(frames);
    TTF_Quit();
    SDL_Quit();
    return 0;
}
