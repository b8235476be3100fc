/* test_flips: many page flips with fade transitions (the test's own fast dwell: one flip per
 * loop, each drawn mid-fade and at its end) over every page of the long article and a notice,
 * on a software renderer. Prints the RSS before and after; under ASan/LSan (scripts/test) a leak
 * fails the run. test_flips N sets the count (the benchmark uses 100000; ctest runs 500).
 * Checks that only the page on screen is kept once a transition is over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>

#include "bangtin/feed.h"
#include "check.h"
#include "fixture.h"
#include "render/render_internal.h"

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 500;
    if (SDL_Init(0) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "SDL: %s\n", SDL_GetError());
        return 1;
    }
    struct fixture f;
    CHECK(fx_open(&f, 800, 480, NULL));
    if (!f.r)
        return CHECK_DONE();
    struct store_item it = fx_item_long();
    struct layout_doc doc = {0};
    render_layout_item(f.r, &it, &doc);
    struct store_urgent u = {.title = "Cắt điện toàn xã từ 07:30 đến 16:00",
                             .body = "Các hộ gia đình chuẩn bị nước sinh hoạt.",
                             .issuer = "local",
                             .severity = FEED_SEVERITY_SEVERE};
    struct layout_doc udoc = {0};
    render_layout_urgent(f.r, &u, 0, 1, &udoc);
    struct render_frame_info fi;
    fx_frame_info(&fi);
    size_t kinds = doc.n_pages + 1;
    int64_t t = 0, fade = f.cfg.transition_ms;
    long before = 0, most = 0;
    bool kept_one = true;
    for (long i = 0; i < n; i++) {
        size_t k = (size_t)i % kinds;
        struct render_page_req req = k < doc.n_pages
                                         ? (struct render_page_req){.kind = RENDER_PAGE_ITEM,
                                                                    .item = &it,
                                                                    .doc = &doc,
                                                                    .page = k,
                                                                    .key = (uint64_t)i + 1}
                                         : (struct render_page_req){.kind = RENDER_PAGE_URGENT,
                                                                    .urgent = &u,
                                                                    .doc = &udoc,
                                                                    .key = (uint64_t)i + 1};
        fi.page_index = k < doc.n_pages ? k : 0;
        fi.now = FIXED_NOW + i; /* the clock ticks now and then: the header is repainted */
        render_show(f.r, &req, false, t);
        render_draw(f.r, &fi, t + fade / 2, false);
        render_draw(f.r, &fi, t + fade + 1, false);
        t += fade + 2;
        kept_one = kept_one && f.r->prev < 0 &&
                   render_cache_bytes(f.r) == (size_t)f.r->g.content.w * f.r->g.content.h * 4;
        if (i == 999 || (n < 1000 && i == 0))
            before = rss_kib();
        long now = rss_kib();
        most = now > most ? now : most;
    }
    long after = rss_kib();
    printf("flips: %ld at 800x480 with fades; RSS after warm-up %ld KiB, at the end %ld KiB "
           "(growth %ld KiB), highest %ld KiB\n",
           n, before, after, after - before, most);
    CHECK(kept_one);
    layout_doc_free(&doc);
    layout_doc_free(&udoc);
    fx_item_long_free(&it);
    fx_close(&f);
    TTF_Quit();
    SDL_Quit();
    return CHECK_DONE();
}
