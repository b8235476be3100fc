/* fixture: see fixture.h. */
#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_image.h>

#include "bangtin/text.h"
#include "bangtin/util.h"
#include "golden.h"

bool fx_open(struct fixture *f, int out_w, int out_h, void (*tweak)(struct config *))
{
    memset(f, 0, sizeof(*f));
    config_init(&f->cfg);
    free(f->cfg.font_regular);
    free(f->cfg.font_bold);
    f->cfg.font_regular = xstrdup(SOURCE_DIR "/fonts/NotoSans-Regular.ttf");
    f->cfg.font_bold = xstrdup(SOURCE_DIR "/fonts/NotoSans-Bold.ttf");
    free(f->cfg.office_name);
    f->cfg.office_name = xstrdup("UBND XÃ HƯƠNG KHÊ");
    if (tweak)
        tweak(&f->cfg);
    f->surf = SDL_CreateRGBSurfaceWithFormat(0, out_w, out_h, 32, SDL_PIXELFORMAT_RGBA32);
    f->sdl = f->surf ? SDL_CreateSoftwareRenderer(f->surf) : NULL;
    f->r = f->sdl ? render_create(f->sdl, &f->cfg, out_w, out_h) : NULL;
    if (!f->r) {
        fprintf(stderr, "fixture: %dx%d: %s\n", out_w, out_h, SDL_GetError());
        fx_close(f);
        return false;
    }
    return true;
}

void fx_close(struct fixture *f)
{
    render_destroy(f->r);
    if (f->sdl)
        SDL_DestroyRenderer(f->sdl);
    SDL_FreeSurface(f->surf);
    config_free(&f->cfg);
    memset(f, 0, sizeof(*f));
}

void fx_frame_info(struct render_frame_info *fi)
{
    *fi = (struct render_frame_info){.now = FIXED_NOW,
                                     .clock_trusted = true,
                                     .item_index = 2,
                                     .n_items = 12,
                                     .page_index = 0,
                                     .n_pages = 1,
                                     .last_update = FIXED_NOW - 3600};
}

SDL_Surface *fx_draw(struct fixture *f, const struct render_frame_info *fi)
{
    render_draw(f->r, fi, 1000000, false);
    SDL_RenderFlush(f->sdl);
    return f->surf;
}

SDL_Surface *fx_copy(SDL_Surface *s)
{
    return SDL_ConvertSurfaceFormat(s, s->format->format, 0);
}

bool fx_item_golden(struct fixture *f, const struct store_item *it, size_t page, const char *golden,
                    const char *docs_name)
{
    struct layout_doc doc = {0};
    render_layout_item(f->r, it, &doc);
    if (page >= doc.n_pages) {
        fprintf(stderr, "%s: only %zu pages\n", golden, doc.n_pages);
        layout_doc_free(&doc);
        return false;
    }
    static uint64_t key = 1000; /* every call shows new content */
    struct render_page_req req = {.kind = RENDER_PAGE_ITEM,
                                  .item = it,
                                  .doc = &doc,
                                  .page = page,
                                  .key = ++key,
                                  .now = FIXED_NOW,
                                  .clock_trusted = true};
    render_show(f->r, &req, true, 0);
    struct render_frame_info fi;
    fx_frame_info(&fi);
    fi.page_index = page;
    fi.n_pages = doc.n_pages;
    bool ok = golden_check(fx_draw(f, &fi), golden, docs_name);
    layout_doc_free(&doc);
    return ok;
}

struct store_item fx_item_short(void)
{
    return (struct store_item){
        .id = 1,
        .source_id = "tinh",
        .source_name = "Cổng TTĐT tỉnh Bắc Kạn",
        .title = "Thông báo lịch tiếp công dân định kỳ tháng 12 năm 2026",
        .text = "Ủy ban nhân dân xã Hương Khê thông báo lịch tiếp công dân định kỳ của Chủ "
                "tịch UBND xã vào ngày 15/12/2026, tại Bộ phận Một cửa.\n"
                "Công dân có đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh mang theo Căn "
                "cước công dân và giấy tờ liên quan.",
        .link = "https://backan.gov.vn/Pages/lich-tiep-cong-dan-thang-12-2026.aspx",
        .date = FIXED_NOW - 2 * 3600,
        .first_seen = FIXED_NOW - 3600,
    };
}

struct store_item fx_item_long(void)
{
    char *raw = NULL;
    size_t len = 0;
    struct store_item it = fx_item_short();
    if (!util_read_file(TEST_DATA_DIR "/seed-article.txt", 1 << 20, &raw, &len))
        return it;
    char *nl = strchr(raw, '\n');
    *nl = '\0';
    it.title = text_sanitize_str(raw, 0);
    it.text = text_sanitize_str(nl + 1, TEXT_KEEP_NEWLINES);
    it.source_name = "Báo Bắc Kạn";
    it.date = 1712192400; /* 04/04/2024 */
    it.link = "https://baobackan.vn/giao-ban-cong-tac-dan-van-quy-i-2024";
    free(raw);
    return it;
}

void fx_item_long_free(struct store_item *it)
{
    free(it->title);
    free(it->text);
}

/* A calm landscape: sky, hills, a hall with a red roof. Not a real photo, but JPEG with
 * gradients and edges, which is what scaling must handle. */
static SDL_Surface *photo_draw(void)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 800, 533, 32, SDL_PIXELFORMAT_RGBA32);
    for (int y = 0; y < s->h; y++) {
        for (int x = 0; x < s->w; x++) {
            double hill = 330 + 40 * sin(x / 90.0) + 25 * sin(x / 37.0 + 1.3);
            Uint8 r, g, b;
            if (y < hill) {
                r = (Uint8)(120 + y / 6);
                g = (Uint8)(170 + y / 8);
                b = (Uint8)(230 - y / 12);
            } else {
                r = (Uint8)(40 + (x * 7 + y * 3) % 30);
                g = (Uint8)(120 + (y - (int)hill) / 4);
                b = (Uint8)50;
            }
            *(Uint32 *)((Uint8 *)s->pixels + y * s->pitch + x * 4) = SDL_MapRGB(s->format, r, g, b);
        }
    }
    SDL_Rect wall = {260, 280, 300, 160}, roof = {240, 240, 340, 45}, door = {385, 350, 50, 90};
    SDL_FillRect(s, &wall, SDL_MapRGB(s->format, 240, 225, 180));
    SDL_FillRect(s, &roof, SDL_MapRGB(s->format, 170, 30, 25));
    SDL_FillRect(s, &door, SDL_MapRGB(s->format, 90, 60, 40));
    SDL_Rect sun = {640, 60, 70, 70};
    SDL_FillRect(s, &sun, SDL_MapRGB(s->format, 255, 220, 120));
    return s;
}

const char *fx_photo_path(void)
{
    static const char *src = TEST_DATA_DIR "/photo-hoi-nghi.jpg";
    static const char *bin = BINARY_DIR "/photo-hoi-nghi.jpg";
    const char *upd = getenv("BANGTIN_UPDATE_GOLDEN");
    bool update = upd && strcmp(upd, "1") == 0;
    if (access(src, R_OK) == 0)
        return src;
    const char *out = update ? src : bin;
    SDL_Surface *s = photo_draw();
    if (IMG_SaveJPG(s, out, 85) != 0)
        fprintf(stderr, "cannot write %s: %s\n", out, IMG_GetError());
    SDL_FreeSurface(s);
    return out;
}

void fx_status(struct render_status *st, struct render_source_status src[3],
               const char *first_source)
{
    src[0] = (struct render_source_status){first_source,
                                           "https://backan.gov.vn/rss/thong-bao.rss",
                                           FIXED_NOW - 600,
                                           FIXED_NOW - 600,
                                           NULL,
                                           24};
    src[1] = (struct render_source_status){"Thông báo khẩn (CAP)",
                                           "https://pctt.backan.gov.vn/cap.xml",
                                           FIXED_NOW - 30,
                                           FIXED_NOW - 30,
                                           NULL,
                                           0};
    src[2] = (struct render_source_status){
        "Trang xã Hương Khê", "https://huongkhe.backan.gov.vn/wp-json/wp/v2/posts", 0,
        FIXED_NOW - 120,      "TLS: certificate not yet valid (waiting for time)",  0};
    *st = (struct render_status){
        .version = "0.1.0 (arm64)",
        .addresses = "eth0 192.168.1.20, wlan0 10.0.0.7",
        .sources = src,
        .n_sources = 3,
        .n_items = 24,
        .cache_bytes = 3500000,
        .uptime_s = 3 * 86400 + 4 * 3600 + 120,
        .clock_trusted = true,
        .last_errors = "08:13 trang xã: TLS: certificate not yet valid\n"
                       "07:58 trang xã: connect timeout after 10 s",
    };
}
