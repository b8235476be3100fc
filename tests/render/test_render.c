/* test_render: golden images at 1920×1080 and 1080×1920 on a software renderer with a fixed
 * clock, Vietnamese glyph coverage, theme contrast, NFC/NFD equality, rotation, transitions,
 * the page cache, broken photos and night mode. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <qrencode.h>

#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "check.h"
#include "fixture.h"
#include "golden.h"
#include "render/render_internal.h"

/* ---- log capture (fallbacks and skipped photos must say why) ---- */

static char captured[4096];

static void sink(void *ctx, enum log_level level, const char *module, const char *msg)
{
    (void)ctx;
    (void)level;
    (void)module;
    size_t n = strlen(captured);
    snprintf(captured + n, sizeof(captured) - n, "%s\n", msg);
}

/* ---- contrast ---- */

static void test_contrast(void)
{
    const enum render_theme_kind kinds[] = {
        RENDER_THEME_LIGHT,           RENDER_THEME_DARK,
        RENDER_THEME_URGENT,          RENDER_THEME_URGENT_SEVERE,
        RENDER_THEME_URGENT_MODERATE, RENDER_THEME_URGENT_MINOR};
    SDL_Color white = {255, 255, 255, 255}, black = {0, 0, 0, 255};
    CHECK(render_contrast(white, black) > 20.9 && render_contrast(white, black) < 21.1);
    CHECK(render_contrast(white, white) == 1.0);
    SDL_Color flag = {0xDA, 0x25, 0x1D, 255};
    CHECK(render_contrast(white, flag) < 7.0); /* why urgent uses #A00000 */
    for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
        struct render_theme t;
        render_theme_default(kinds[k], &t);
        struct render_colour_pair pairs[16];
        size_t n = render_theme_pairs(&t, pairs, ARRAY_LEN(pairs));
        CHECK(n >= 6);
        for (size_t i = 0; i < n; i++) {
            double c = render_contrast(pairs[i].fg, pairs[i].bg);
            CHECK_MSG(c >= 7.0, "theme %zu %s: %.2f:1", k, pairs[i].name, c);
        }
    }
    /* A low-contrast override is refused and the default kept. */
    struct config cfg;
    config_init(&cfg);
    cfg.color_fg = 0xAAAAAA;
    cfg.color_accent = 0x003366;
    captured[0] = '\0';
    struct render_theme t, def;
    render_theme_from_config(&cfg, &t);
    render_theme_default(RENDER_THEME_LIGHT, &def);
    CHECK(t.fg.r == def.fg.r && t.fg.g == def.fg.g);
    CHECK(t.band_bg.r == 0x00 && t.band_bg.g == 0x33 && t.band_bg.b == 0x66);
    CHECK(strstr(captured, "color_fg") != NULL);
    config_free(&cfg);
}

/* CIE L*a*b* of an sRGB colour (D65), for colour differences. */
static void lab(SDL_Color c, double out[3])
{
    double v[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0};
    for (int i = 0; i < 3; i++)
        v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4);
    double x = (0.4124 * v[0] + 0.3576 * v[1] + 0.1805 * v[2]) / 0.95047;
    double y = 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
    double z = (0.0193 * v[0] + 0.1192 * v[1] + 0.9505 * v[2]) / 1.08883;
    double f[3] = {x, y, z};
    for (int i = 0; i < 3; i++)
        f[i] = f[i] > 0.008856 ? cbrt(f[i]) : 7.787 * f[i] + 16.0 / 116.0;
    out[0] = 116 * f[1] - 16;
    out[1] = 500 * (f[0] - f[1]);
    out[2] = 200 * (f[1] - f[2]);
}

/* The four CAP severities are told apart at a glance: each its own word and a page colour far
 * from the others (CIE76 ΔE ≥ 40; 2.3 is a just-noticeable difference), every text pair
 * ≥ 7:1 (checked above), and the extreme and severe looks take the screen over. */
static void test_severity(void)
{
    struct fixture f;
    CHECK(fx_open(&f, 1920, 1080, NULL));
    if (!f.r)
        return;
    const char *words[5];
    SDL_Color bg[5];
    for (int s = FEED_SEVERITY_MINOR; s <= FEED_SEVERITY_EXTREME; s++) {
        words[s] = render_urgent_word(s);
        bg[s] = render_severity_theme(f.r, s)->bg;
        struct render_colour_pair pairs[16];
        size_t n = render_theme_pairs(render_severity_theme(f.r, s), pairs, ARRAY_LEN(pairs));
        for (size_t i = 0; i < n; i++)
            CHECK_MSG(render_contrast(pairs[i].fg, pairs[i].bg) >= 7.0, "severity %d %s: %.2f:1", s,
                      pairs[i].name, render_contrast(pairs[i].fg, pairs[i].bg));
    }
    CHECK_STREQ(words[FEED_SEVERITY_EXTREME], "KHẨN CẤP");
    CHECK_STREQ(words[FEED_SEVERITY_SEVERE], "KHẨN");
    CHECK_STREQ(words[FEED_SEVERITY_MODERATE], "CHÚ Ý");
    CHECK_STREQ(words[FEED_SEVERITY_MINOR], "THÔNG TIN");
    CHECK_STREQ(render_urgent_word(FEED_SEVERITY_UNKNOWN), "KHẨN");
    for (int a = FEED_SEVERITY_MINOR; a <= FEED_SEVERITY_EXTREME; a++)
        for (int b = a + 1; b <= FEED_SEVERITY_EXTREME; b++) {
            double la[3], lb[3];
            lab(bg[a], la);
            lab(bg[b], lb);
            double de = sqrt((la[0] - lb[0]) * (la[0] - lb[0]) + (la[1] - lb[1]) * (la[1] - lb[1]) +
                             (la[2] - lb[2]) * (la[2] - lb[2]));
            CHECK_MSG(de >= 40, "severities %d and %d: ΔE %.1f", a, b, de);
        }
    /* The extreme page is the DESIGN.md red, white text at ≥ 7:1. */
    CHECK(bg[FEED_SEVERITY_EXTREME].r == 0xA0 && bg[FEED_SEVERITY_EXTREME].g == 0);
    fx_close(&f);
}

/* Defect 5: the news down, an urgent source up: the footer shows the offline mark and the news'
 * last update, not the urgent poll's. (The kiosk used to count every source: the urgent one's
 * success kept "cập nhật" fresh and the mark hidden.) */
static void test_freshness(void)
{
    struct render_freshness fr = {0};
    render_freshness_add(&fr, true, true, FIXED_NOW - 3600, FIXED_NOW - 4000); /* news, down */
    render_freshness_add(&fr, false, false, 0, FIXED_NOW - 20);                /* urgent, up */
    render_freshness_add(&fr, true, true, FIXED_NOW - 1800, FIXED_NOW - 5000); /* news, down */
    struct render_frame_info fi = {0};
    render_freshness_apply(&fr, &fi);
    CHECK(fi.offline);
    CHECK_INTEQ(fi.offline_since, FIXED_NOW - 3600);
    CHECK_INTEQ(fi.last_update, FIXED_NOW - 4000);
    /* One news source up: online, its success is the update time. */
    render_freshness_add(&fr, true, false, 0, FIXED_NOW - 60);
    render_freshness_apply(&fr, &fi);
    CHECK(!fi.offline);
    CHECK_INTEQ(fi.offline_since, 0);
    CHECK_INTEQ(fi.last_update, FIXED_NOW - 60);
    /* Only urgent sources configured: nothing to be offline about. */
    struct render_freshness only = {0};
    render_freshness_add(&only, false, true, FIXED_NOW - 60, 0);
    render_freshness_apply(&only, &fi);
    CHECK(!fi.offline);
    /* On screen: the mark is drawn in the footer. */
    struct fixture f;
    CHECK(fx_open(&f, 1080, 1920, NULL));
    if (!f.r)
        return;
    struct render_frame_info frame;
    fx_frame_info(&frame);
    struct render_freshness down = {0};
    render_freshness_add(&down, true, true, FIXED_NOW - 3600, FIXED_NOW - 4000);
    render_freshness_add(&down, false, false, 0, FIXED_NOW - 20);
    render_freshness_apply(&down, &frame);
    struct render_page_req empty = {.kind = RENDER_PAGE_EMPTY, .key = 1};
    struct render_dl dl;
    render_screen_plan(f.r, &empty, &frame, &dl);
    bool mark = false;
    for (size_t i = 0; i < dl.n; i++)
        mark = mark || (dl.v[i].text && strstr(dl.v[i].text, "Mất kết nối từ 07:15"));
    CHECK(mark);
    render_dl_free(&dl);
    fx_close(&f);
}

/* --screenshot paints the display list straight onto the frame (no page texture): the same
 * picture as the screen's path through textures. */
static void test_screen_paint(void)
{
    struct fixture f;
    CHECK(fx_open(&f, 1920, 1080, NULL));
    if (!f.r)
        return;
    struct store_item it = fx_item_long();
    struct layout_doc doc = {0};
    render_layout_item(f.r, &it, &doc);
    struct store_urgent u = {
        .title = "Khẩn", .body = "Nội dung", .issuer = "local", .severity = FEED_SEVERITY_MODERATE};
    struct layout_doc udoc = {0};
    render_layout_urgent(f.r, &u, 0, 1, &udoc);
    struct render_page_req reqs[] = {
        {.kind = RENDER_PAGE_ITEM, .item = &it, .doc = &doc, .page = 1, .key = 41},
        {.kind = RENDER_PAGE_URGENT, .urgent = &u, .doc = &udoc, .key = 42},
        {.kind = RENDER_PAGE_EMPTY, .key = 43},
    };
    for (size_t i = 0; i < ARRAY_LEN(reqs); i++) {
        struct render_frame_info fi;
        fx_frame_info(&fi);
        render_show(f.r, &reqs[i], true, 0);
        SDL_Surface *via = fx_copy(fx_draw(&f, &fi));
        SDL_Surface *direct =
            SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32, f.surf->format->format);
        CHECK(render_screen_paint(f.r, &reqs[i], &fi, direct));
        long n = golden_diff(via, direct, GOLDEN_TOLERANCE, NULL);
        CHECK_MSG(n == 0, "page kind %zu: %ld pixels differ", i, n);
        SDL_FreeSurface(via);
        SDL_FreeSurface(direct);
    }
    layout_doc_free(&doc);
    layout_doc_free(&udoc);
    fx_item_long_free(&it);
    fx_close(&f);
}

/* ---- glyph coverage ---- */

static bool has_ink(SDL_Surface *s)
{
    if (!s)
        return false;
    SDL_LockSurface(s);
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++) {
            Uint8 r, g, b, a;
            SDL_GetRGBA(*(Uint32 *)((Uint8 *)s->pixels + y * s->pitch + x * 4), s->format, &r, &g,
                        &b, &a);
            if (a > 128) {
                SDL_UnlockSurface(s);
                return true;
            }
        }
    SDL_UnlockSurface(s);
    return false;
}

static void test_coverage(void)
{
    char *file = NULL;
    size_t len = 0;
    CHECK(util_read_file(TEST_DATA_DIR "/vi_letters.txt", 1 << 16, &file, &len));
    if (!file)
        return;
    const uint32_t *cps;
    size_t n_cps = render_vi_letters(&cps);
    CHECK_INTEQ(n_cps, 178);
    struct render_fonts fonts;
    CHECK(render_fonts_load(&fonts, SOURCE_DIR "/fonts/NotoSans-Regular.ttf",
                            SOURCE_DIR "/fonts/NotoSans-Bold.ttf"));
    int lines = 0, inked[2] = {0, 0};
    bool table_matches = true;
    char *save = NULL;
    for (char *line = strtok_r(file, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        /* The built-in table is the file, letter for letter. */
        uint32_t cp = 0;
        const unsigned char *u = (const unsigned char *)line;
        if (u[0] < 0x80)
            cp = u[0];
        else if ((u[0] & 0xE0) == 0xC0)
            cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
        else
            cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
        if (lines >= (int)n_cps || cps[lines] != cp)
            table_matches = false;
        for (int face = 0; face < 2; face++) {
            TTF_Font *font = render_font(&fonts, (enum layout_face)face, 48);
            SDL_Surface *s = TTF_RenderUTF8_Blended(font, line, (SDL_Color){0, 0, 0, 255});
            if (has_ink(s))
                inked[face]++;
            else
                fprintf(stderr, "no ink for \"%s\" (face %d)\n", line, face);
            SDL_FreeSurface(s);
        }
        lines++;
    }
    CHECK_INTEQ(lines, 178);
    CHECK(table_matches);
    CHECK_INTEQ(inked[0], 178);
    CHECK_INTEQ(inked[1], 178);
    CHECK_INTEQ(render_font_missing_letters(render_font(&fonts, LAYOUT_FACE_REGULAR, 40), "r"), 0);
    CHECK_INTEQ(render_font_missing_letters(render_font(&fonts, LAYOUT_FACE_BOLD, 40), "b"), 0);
    render_fonts_free(&fonts);
    free(file);

    /* A file that is no font, and a font without Vietnamese, are refused with a reason and
     * the bundled Noto Sans is used instead. */
    captured[0] = '\0';
    CHECK(render_fonts_load(&fonts, TEST_DATA_DIR "/vi_letters.txt",
                            "/usr/share/fonts/truetype/noto/NotoMusic-Regular.ttf"));
    CHECK(strstr(captured, "not a usable font") != NULL);
    CHECK(fonts.path[0] && strstr(fonts.path[0], "NotoSans-Regular.ttf"));
    CHECK(fonts.path[1] && strstr(fonts.path[1], "NotoSans-Bold.ttf"));
    if (access("/usr/share/fonts/truetype/noto/NotoMusic-Regular.ttf", R_OK) == 0)
        CHECK(strstr(captured, "lacks Vietnamese letters") != NULL);
    render_fonts_free(&fonts);
}

/* ---- goldens ---- */

static void tweak_dark(struct config *c)
{
    c->theme = CONFIG_THEME_DARK;
}

static void tweak_dark_logo(struct config *c)
{
    c->theme = CONFIG_THEME_DARK;
    free(c->logo);
    c->logo = xstrdup(fx_photo_path());
}

static void test_goldens_landscape(void)
{
    struct fixture f;
    CHECK(fx_open(&f, 1920, 1080, NULL));
    if (!f.r)
        return;
    struct store_item it = fx_item_short();
    CHECK(fx_item_golden(&f, &it, 0, "item_light", "item-light-theme.png"));
    CHECK(fx_item_golden(&f, &it, 1, "item_light_last", "item-last-page-qr.png"));

    struct store_item lg = fx_item_long();
    CHECK(fx_item_golden(&f, &lg, 0, "item_long_first", "item-long-article-page1.png"));
    CHECK(fx_item_golden(&f, &lg, 1, "item_long_middle", "item-long-article-middle-page.png"));

    struct store_item ph = lg;
    ph.image_path = (char *)fx_photo_path();
    ph.image_caption = "Toàn cảnh hội nghị giao ban công tác dân vận quý I/2024";
    CHECK(fx_item_golden(&f, &ph, 0, "item_photo", "item-with-photo.png"));

    /* Urgent banner on a regular page, offline since 07:40. */
    struct store_urgent u = {.id = "local:1",
                             .title = "Cắt điện toàn xã từ 07:30 đến 16:00 "
                                      "hôm nay, Thứ Sáu 27/11",
                             .severity = FEED_SEVERITY_SEVERE};
    struct layout_doc doc = {0};
    render_layout_item(f.r, &it, &doc);
    struct render_page_req req = {.kind = RENDER_PAGE_ITEM,
                                  .item = &it,
                                  .doc = &doc,
                                  .key = 77,
                                  .now = FIXED_NOW,
                                  .clock_trusted = true};
    render_show(f.r, &req, true, 0);
    struct render_frame_info fi;
    fx_frame_info(&fi);
    fi.banner = &u;
    fi.n_urgent = 1;
    fi.offline = true;
    fi.offline_since = FIXED_NOW - 35 * 60;
    CHECK(golden_check(fx_draw(&f, &fi), "item_banner_offline", "item-urgent-banner-offline.png"));
    layout_doc_free(&doc);
    fx_item_long_free(&lg);
    fx_close(&f);

    CHECK(fx_open(&f, 1920, 1080, tweak_dark_logo));
    if (f.r) {
        CHECK(fx_item_golden(&f, &it, 0, "item_dark", "item-dark-theme.png"));
        fx_close(&f);
    }
}

static void test_golden_urgent(void)
{
    struct fixture f;
    CHECK(fx_open(&f, 1920, 1080, NULL));
    if (!f.r)
        return;
    struct store_urgent u = {
        .id = "signed:tinh:42",
        .origin = STORE_URGENT_SIGNED,
        .title = "Bão số 5 đổ bộ trong đêm nay: sơ tán ngay các hộ ven sông Lũy",
        .body = "Các hộ gia đình ở thôn Thượng Thủy, Đồng Quỹ và xóm Ngọc Đường di chuyển "
                "người già, trẻ em đến Nhà Văn hóa xã trước 18 giờ 00.",
        .instruction = "Mang theo giấy tờ tùy thân, thuốc men, nước uống. Gọi 0239 3856 114 "
                       "khi cần hỗ trợ.",
        .issuer = "Ban Chỉ huy PCTT tỉnh",
        .verified = true,
        .severity = FEED_SEVERITY_EXTREME,
        .issued = FIXED_NOW - 15 * 60,
        .expires = FIXED_NOW + 10 * 3600,
    };
    struct layout_doc doc = {0};
    render_layout_urgent(f.r, &u, 0, 2, &doc);
    CHECK(doc.n_pages >= 1);
    struct render_page_req req = {.kind = RENDER_PAGE_URGENT,
                                  .urgent = &u,
                                  .doc = &doc,
                                  .key = 5,
                                  .urgent_index = 0,
                                  .urgent_count = 2};
    render_show(f.r, &req, true, 0);
    struct render_frame_info fi;
    fx_frame_info(&fi);
    fi.n_urgent = 2;
    SDL_Surface *s = fx_draw(&f, &fi);
    CHECK(golden_check(s, "urgent", "urgent-notice.png"));
    /* Mostly dark red. */
    Uint8 r, g, b;
    SDL_GetRGB(*(Uint32 *)((Uint8 *)s->pixels + 1070 * s->pitch + 1900 * 4), s->format, &r, &g, &b);
    CHECK(r == 0x78 && g == 0 && b == 0); /* footer band */
    layout_doc_free(&doc);
    fx_close(&f);
}

static void test_golden_status_and_empty(void)
{
    struct fixture f;
    CHECK(fx_open(&f, 1920, 1080, NULL));
    if (!f.r)
        return;
    struct render_source_status src[3];
    struct render_status st;
    fx_status(&st, src, "Cổng TTĐT tỉnh Bắc Kạn");
    st.clock_synchronised = true;
    st.commune_code = "26734";
    st.trusted_keys = "5B8B514899B85051 Văn phòng UBND tỉnh";
    st.urgent_active = "Cảnh báo lũ trên sông Hồng";
    struct render_page_req req = {.kind = RENDER_PAGE_STATUS, .status = &st, .key = 9};
    render_show(f.r, &req, true, 0);
    struct render_frame_info fi;
    fx_frame_info(&fi);
    CHECK(golden_check(fx_draw(&f, &fi), "status", "status-page.png"));

    /* Nothing cached yet and the clock not set: never a blank screen. */
    struct render_page_req empty = {.kind = RENDER_PAGE_EMPTY, .key = 10};
    render_show(f.r, &empty, true, 0);
    fx_frame_info(&fi);
    fi.clock_trusted = false;
    fi.now = 3600; /* 1970 */
    fi.n_items = 0;
    fi.last_update = 0;
    CHECK(golden_check(fx_draw(&f, &fi), "empty_untrusted_clock", "waiting-no-clock.png"));
    fx_close(&f);
}

static void test_golden_portrait(void)
{
    struct fixture f;
    CHECK(fx_open(&f, 1080, 1920, NULL));
    if (!f.r)
        return;
    struct store_item it = fx_item_long();
    it.image_path = (char *)fx_photo_path();
    it.image_caption = "Toàn cảnh hội nghị";
    CHECK(fx_item_golden(&f, &it, 0, "portrait_photo", "portrait-with-photo.png"));
    struct layout_doc doc = {0};
    render_layout_item(f.r, &it, &doc);
    size_t last = doc.n_pages - 1;
    layout_doc_free(&doc);
    CHECK(fx_item_golden(&f, &it, last, "portrait_last", "portrait-last-page-qr.png"));
    fx_item_long_free(&it);
    fx_close(&f);
}

/* ---- NFC and NFD give the same pixels ---- */

/* All 20 samples on one sheet, one line each (cut with "…" when long), NFC and NFD alike. */
static SDL_Surface *samples_sheet(struct fixture *f, const char *body)
{
    struct render *r = f->r;
    struct render_dl dl;
    render_dl_init(&dl, 1920, 1080);
    int y = 60, i = 0;
    const char *p = body;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, n);
        render_text_fit(&dl, &r->fonts, i % 2 ? LAYOUT_FACE_REGULAR : LAYOUT_FACE_BOLD, 36, line,
                        60, y, 1800, r->theme.fg, true);
        free(line);
        y += 51;
        i++;
        p += n + (nl ? 1 : 0);
    }
    SDL_Surface *s = render_dl_surface(r, &dl, 1920, 1080, r->theme.bg);
    render_dl_free(&dl);
    return s;
}

static char *samples_body(const char *path)
{
    char *raw = NULL;
    size_t len = 0;
    if (!util_read_file(path, 1 << 20, &raw, &len))
        return xstrdup("");
    char *clean = text_sanitize(raw, len, TEXT_KEEP_NEWLINES);
    free(raw);
    return clean;
}

static void test_nfc_nfd(void)
{
    struct fixture f;
    CHECK(fx_open(&f, 1920, 1080, NULL));
    if (!f.r)
        return;
    char *nfc = samples_body(TEST_DATA_DIR "/vi_samples.txt");
    char *nfd = samples_body(TEST_DATA_DIR "/vi_samples_nfd.txt");
    CHECK_STREQ(nfd, nfc);
    struct store_item a = fx_item_short(), b = a;
    a.title = "20 câu mẫu tiếng Việt (NFC)";
    b.title = a.title;
    a.text = nfc;
    b.text = nfd;
    a.link = b.link = NULL;
    struct layout_doc da = {0}, db = {0};
    render_layout_item(f.r, &a, &da);
    render_layout_item(f.r, &b, &db);
    CHECK_INTEQ(db.n_pages, da.n_pages);
    CHECK(da.n_pages >= 2);
    struct render_frame_info fi;
    fx_frame_info(&fi);
    for (size_t p = 0; p < da.n_pages && p < db.n_pages; p++) {
        struct render_page_req ra = {.kind = RENDER_PAGE_ITEM,
                                     .item = &a,
                                     .doc = &da,
                                     .page = p,
                                     .key = 100 + p,
                                     .now = FIXED_NOW,
                                     .clock_trusted = true};
        struct render_page_req rb = ra;
        rb.item = &b;
        rb.doc = &db;
        rb.key = 200 + p;
        fi.page_index = p;
        fi.n_pages = da.n_pages;
        render_show(f.r, &ra, true, 0);
        SDL_Surface *sa = fx_copy(fx_draw(&f, &fi));
        render_show(f.r, &rb, true, 0);
        SDL_Surface *sb = fx_draw(&f, &fi);
        CHECK_INTEQ(golden_diff(sa, sb, 0, NULL), 0);
        if (p < 2) {
            char name[64], docs[64];
            snprintf(name, sizeof(name), "vi_samples_p%zu", p + 1);
            snprintf(docs, sizeof(docs), "vietnamese-samples-page%zu.png", p + 1);
            CHECK(golden_check(sa, name, docs));
        }
        SDL_FreeSurface(sa);
    }
    layout_doc_free(&da);
    layout_doc_free(&db);
    SDL_Surface *sheet_a = samples_sheet(&f, nfc), *sheet_b = samples_sheet(&f, nfd);
    CHECK(sheet_a && sheet_b);
    if (sheet_a && sheet_b) {
        CHECK_INTEQ(golden_diff(sheet_a, sheet_b, 0, NULL), 0);
        CHECK(golden_check(sheet_a, "vi_samples_sheet", "vietnamese-samples-all.png"));
    }
    SDL_FreeSurface(sheet_a);
    SDL_FreeSurface(sheet_b);
    free(nfc);
    free(nfd);
    fx_close(&f);
}

/* ---- rotation: the 90° output is the landscape frame turned clockwise ---- */

static int rotate_to;

static void tweak_rotate(struct config *c)
{
    c->rotate = rotate_to;
}

/* Where logical pixel (x, y) of a w × h canvas lands on the output, SDL's clockwise angles. */
static void rotated_xy(int deg, int w, int h, int x, int y, int *ox, int *oy)
{
    switch (deg) {
    case 90: *ox = h - 1 - y, *oy = x; break;
    case 180: *ox = w - 1 - x, *oy = h - 1 - y; break;
    case 270: *ox = y, *oy = w - 1 - x; break;
    default: *ox = x, *oy = y; break;
    }
}

static void test_rotation(void)
{
    struct fixture land;
    CHECK(fx_open(&land, 1920, 1080, NULL));
    if (!land.r)
        return;
    struct store_item it = fx_item_short();
    struct layout_doc doc = {0};
    render_layout_item(land.r, &it, &doc);
    struct render_page_req req = {.kind = RENDER_PAGE_ITEM,
                                  .item = &it,
                                  .doc = &doc,
                                  .key = 1,
                                  .now = FIXED_NOW,
                                  .clock_trusted = true};
    struct render_frame_info fi;
    fx_frame_info(&fi);
    render_show(land.r, &req, true, 0);
    SDL_Surface *a = fx_draw(&land, &fi);
    const int degs[] = {90, 180, 270};
    for (size_t d = 0; d < ARRAY_LEN(degs); d++) {
        struct fixture rot;
        rotate_to = degs[d];
        bool swap = degs[d] != 180;
        CHECK(fx_open(&rot, swap ? 1080 : 1920, swap ? 1920 : 1080, tweak_rotate));
        if (!rot.r)
            continue;
        int w = 0, h = 0;
        render_get_size(rot.r, &w, &h, NULL);
        CHECK(w == 1920 && h == 1080);
        render_show(rot.r, &req, true, 0);
        SDL_Surface *b = fx_draw(&rot, &fi);
        long bad = 0;
        for (int y = 0; y < a->h; y += 3)
            for (int x = 0; x < a->w; x += 3) {
                int ox, oy;
                rotated_xy(degs[d], a->w, a->h, x, y, &ox, &oy);
                Uint32 pa = *(Uint32 *)((Uint8 *)a->pixels + y * a->pitch + x * 4);
                Uint32 pb = *(Uint32 *)((Uint8 *)b->pixels + oy * b->pitch + ox * 4);
                bad += pa != pb;
            }
        CHECK_MSG(bad == 0, "rotate %d: %ld pixels differ", degs[d], bad);
        fx_close(&rot);
    }
    layout_doc_free(&doc);
    fx_close(&land);
}

/* ---- transitions, cache, clock ticks, night, broken photo ---- */

static Uint32 pixel_at(SDL_Surface *s, int x, int y)
{
    return *(Uint32 *)((Uint8 *)s->pixels + y * s->pitch + x * 4);
}

static void test_transition_cache_night(void)
{
    struct fixture f;
    CHECK(fx_open(&f, 1920, 1080, tweak_dark));
    if (!f.r)
        return;
    struct render_frame_info fi;
    fx_frame_info(&fi);
    /* A frame before anything was shown is the waiting page, not a blank one. */
    CHECK(!render_draw(f.r, &fi, 0, false));
    CHECK(f.r->cur >= 0 && f.r->cache[f.r->cur].kind == RENDER_PAGE_EMPTY);
    struct render_page_req empty = {.kind = RENDER_PAGE_EMPTY, .key = 1};
    render_show(f.r, &empty, true, 0);
    CHECK(!render_draw(f.r, &fi, 0, false));
    struct store_urgent u = {
        .title = "Khẩn", .body = "Nội dung", .issuer = "local", .severity = FEED_SEVERITY_EXTREME};
    struct layout_doc doc = {0};
    render_layout_urgent(f.r, &u, 0, 1, &doc);
    struct render_page_req ur = {.kind = RENDER_PAGE_URGENT, .urgent = &u, .doc = &doc, .key = 2};
    render_show(f.r, &ur, false, 1000);
    CHECK(render_draw(f.r, &fi, 1000 + f.cfg.transition_ms / 2, false));
    SDL_RenderFlush(f.sdl);
    /* Mid-fade the page area is between dark grey and red. */
    Uint8 r, g, b;
    SDL_GetRGB(pixel_at(f.surf, 5, 540), f.surf->format, &r, &g, &b);
    CHECK_MSG(r > 0x30 && r < 0x90, "mid-fade red %d", r);
    CHECK(!render_draw(f.r, &fi, 1000 + f.cfg.transition_ms + 1, false));
    SDL_RenderFlush(f.sdl);
    SDL_GetRGB(pixel_at(f.surf, 5, 540), f.surf->format, &r, &g, &b);
    CHECK(r == 0xA0 && g == 0 && b == 0);

    /* Same key: the cached texture is reused; a clock tick repaints only the header. */
    SDL_Texture *tex = f.r->cache[f.r->cur].tex;
    render_show(f.r, &ur, false, 5000);
    CHECK(f.r->cache[f.r->cur].tex == tex);
    CHECK(!f.r->trans_running);
    SDL_Texture *header = f.r->header.tex;
    fi.now += 60;
    render_draw(f.r, &fi, 6000, false);
    CHECK(f.r->cache[f.r->cur].tex == tex);
    CHECK(f.r->header.tex != header);
    /* Only the page on screen is kept once the transition is over: no cache of pages. */
    CHECK(render_cache_bytes(f.r) == 1u * 1920 * (size_t)f.r->g.content.h * 4);
    CHECK(f.r->prev < 0);

    /* Night: dimmed is darker, blank is black. */
    render_set_night(f.r, RENDER_NIGHT_DIM);
    fx_draw(&f, &fi);
    SDL_GetRGB(pixel_at(f.surf, 5, 540), f.surf->format, &r, &g, &b);
    CHECK(r > 0 && r < 0x50);
    render_set_night(f.r, RENDER_NIGHT_BLANK);
    fx_draw(&f, &fi);
    CHECK(pixel_at(f.surf, 960, 540) == SDL_MapRGB(f.surf->format, 0, 0, 0));
    render_set_night(f.r, RENDER_NIGHT_OFF);
    layout_doc_free(&doc);

    /* A broken lead image is skipped with a log line; the page still renders. */
    captured[0] = '\0';
    struct store_item it = fx_item_short();
    it.image_path = TEST_DATA_DIR "/vi_letters.txt";
    struct render_item_plan plan;
    render_item_plan(f.r, &it, false, &plan);
    CHECK(plan.photo.w == 0);
    CHECK(strstr(captured, "skipped") != NULL);
    render_layout_item(f.r, &it, &doc);
    struct render_page_req req = {.kind = RENDER_PAGE_ITEM, .item = &it, .doc = &doc, .key = 3};
    render_show(f.r, &req, true, 0);
    CHECK(f.r->cache[f.r->cur].key == 3);
    layout_doc_free(&doc);

    /* Flushing keeps the page on screen but forces the next show to repaint. */
    render_flush_cache(f.r);
    CHECK(f.r->cur >= 0 && f.r->cache[f.r->cur].tex != NULL);
    CHECK(render_cache_bytes(f.r) == 1920u * (size_t)f.r->g.content.h * 4);
    fx_close(&f);
}

/* The drawn QR code is the encoder's matrix, module for module, with its quiet zone. */
static void test_qr(void)
{
    const char *url = "https://backan.gov.vn/Pages/lich-tiep-cong-dan-thang-12-2026.aspx";
    SDL_Color dark = {0, 0, 0, 255}, light = {255, 255, 255, 255}, bg = {200, 200, 200, 255};
    struct render_dl dl;
    render_dl_init(&dl, 420, 420);
    CHECK(render_qr(&dl, url, 20, 20, 380, dark, light));
    SDL_Surface *s = render_surface_new(420, 420, bg);
    if (s && dl.n == 1)
        render_qr_draw(s, dl.v[0].text, dl.v[0].rect, dark, light);
    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    CHECK(q != NULL);
    if (q && s) {
        int total = q->width + 8, mod = 380 / total, used = mod * total;
        int o = 20 + (380 - used) / 2;
        long wrong = 0;
        for (int row = -4; row < q->width + 4; row++)
            for (int col = -4; col < q->width + 4; col++) {
                bool in = row >= 0 && col >= 0 && row < q->width && col < q->width;
                bool want = in && (q->data[row * q->width + col] & 1);
                Uint32 px =
                    pixel_at(s, o + (col + 4) * mod + mod / 2, o + (row + 4) * mod + mod / 2);
                wrong += (px == SDL_MapRGB(s->format, 0, 0, 0)) != want;
            }
        CHECK_INTEQ(wrong, 0);
        CHECK(mod >= 2);
    }
    QRcode_free(q);
    /* Too small to scan: refused rather than drawn with sub-pixel modules. */
    CHECK(!render_qr(&dl, url, 0, 0, 40, dark, light));
    CHECK(!render_qr(&dl, "", 0, 0, 300, dark, light));
    CHECK_INTEQ(dl.n, 1);
    render_dl_free(&dl);
    SDL_FreeSurface(s);
}

/* Slide: mid-way the new page has come in from the right, header and footer stay. */
static void tweak_slide(struct config *c)
{
    free(c->transition);
    c->transition = xstrdup("slide");
}

static void test_slide(void)
{
    struct fixture f;
    CHECK(fx_open(&f, 1920, 1080, tweak_slide));
    if (!f.r)
        return;
    struct render_frame_info fi;
    fx_frame_info(&fi);
    struct render_page_req a = {.kind = RENDER_PAGE_EMPTY, .key = 1};
    struct store_urgent u = {
        .title = "Khẩn", .body = "Nội dung", .issuer = "local", .severity = FEED_SEVERITY_EXTREME};
    struct layout_doc doc = {0};
    render_layout_urgent(f.r, &u, 0, 1, &doc);
    struct render_page_req b = {.kind = RENDER_PAGE_URGENT, .urgent = &u, .doc = &doc, .key = 2};
    render_show(f.r, &a, true, 0);
    render_show(f.r, &b, false, 1000);
    CHECK(render_draw(f.r, &fi, 1000 + f.cfg.transition_ms / 2, false));
    SDL_RenderFlush(f.sdl);
    Uint32 red = SDL_MapRGB(f.surf->format, 0xA0, 0, 0);
    Uint32 left = pixel_at(f.surf, 10, 600), right = pixel_at(f.surf, 1910, 600);
    CHECK(left != red);
    CHECK(right == red);
    CHECK(!render_draw(f.r, &fi, 1000 + f.cfg.transition_ms, false));
    SDL_RenderFlush(f.sdl);
    CHECK(pixel_at(f.surf, 10, 600) == red);
    layout_doc_free(&doc);
    fx_close(&f);
}

/* Odd sizes and odd content: everything draws, nothing crashes, nothing is left blank. */
static void test_robust(void)
{
    const int sizes[][2] = {{640, 480}, {800, 1280}, {3840, 2160}, {1366, 768}};
    char longword[3000];
    memset(longword, 'x', sizeof(longword) - 1);
    longword[sizeof(longword) - 1] = '\0';
    char *longurl = xasprintf("https://example.vn/%s", longword);
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        struct fixture f;
        CHECK(fx_open(&f, sizes[i][0], sizes[i][1], NULL));
        if (!f.r)
            continue;
        struct store_item items[3] = {fx_item_long(), fx_item_short(), fx_item_short()};
        items[1].title = NULL;
        items[1].text = NULL;
        items[1].source_name = NULL;
        items[1].link = longurl;
        items[2].title = longword;
        items[2].text = longword;
        items[2].image_path = (char *)fx_photo_path();
        struct render_frame_info fi;
        fx_frame_info(&fi);
        uint64_t key = 1;
        for (size_t k = 0; k < ARRAY_LEN(items); k++) {
            struct layout_doc doc = {0};
            render_layout_item(f.r, &items[k], &doc);
            CHECK(doc.n_pages >= 1);
            for (size_t p = 0; p < doc.n_pages; p++) {
                struct render_page_req req = {.kind = RENDER_PAGE_ITEM,
                                              .item = &items[k],
                                              .doc = &doc,
                                              .page = p,
                                              .key = key++};
                render_show(f.r, &req, p % 2 == 0, (int64_t)p * 100);
                render_draw(f.r, &fi, (int64_t)p * 100 + 50, false);
            }
            layout_doc_free(&doc);
        }
        /* A page index past the layout is refused, the screen keeps a page. */
        struct layout_doc doc = {0};
        render_layout_item(f.r, &items[0], &doc);
        struct render_page_req bad = {
            .kind = RENDER_PAGE_ITEM, .item = &items[0], .doc = &doc, .page = 99, .key = key++};
        render_show(f.r, &bad, true, 0);
        CHECK(f.r->cur >= 0 && f.r->cache[f.r->cur].tex != NULL);
        layout_doc_free(&doc);
        fx_item_long_free(&items[0]);
        fx_close(&f);
    }
    free(longurl);
}

static void test_burnin(void)
{
    int dx, dy, moved = 0;
    for (int64_t t = FIXED_NOW; t < FIXED_NOW + 3600; t += 180) {
        render_burnin_offset(t, &dx, &dy);
        CHECK(dx >= -3 && dx <= 3 && dy >= -3 && dy <= 3);
        moved += dx != 0 || dy != 0;
    }
    CHECK(moved > 5);
}

int main(void)
{
    log_init(LOG_LEVEL_WARN);
    log_set_sink(sink, NULL);
    if (TTF_Init() != 0) {
        fprintf(stderr, "TTF_Init: %s\n", TTF_GetError());
        return 1;
    }
    test_contrast();
    test_severity();
    test_freshness();
    test_screen_paint();
    CHECK(render_backend_is_cpu_gl("llvmpipe (LLVM 15.0.6, 256 bits)"));
    CHECK(render_backend_is_cpu_gl("softpipe"));
    CHECK(render_backend_is_cpu_gl("Mesa DRI swrast"));
    CHECK(!render_backend_is_cpu_gl("Mali-G52 (Panfrost)"));
    CHECK(!render_backend_is_cpu_gl("V3D 4.2"));
    CHECK(!render_backend_is_cpu_gl(NULL));
    /* kmsdrm draws with GLES2 (the desktop-GL renderer loses every texture there) and runs no
     * probe child beside the kiosk on the DRM device; a named SDL_RENDER_DRIVER wins. */
    CHECK(render_backend_preferred_driver("KMSDRM", NULL) != NULL);
    CHECK(strcmp(render_backend_preferred_driver("kmsdrm", ""), "opengles2") == 0);
    CHECK(render_backend_preferred_driver("kmsdrm", "software") == NULL);
    CHECK(render_backend_preferred_driver("x11", NULL) == NULL);
    CHECK(render_backend_preferred_driver(NULL, NULL) == NULL);
    CHECK(!render_backend_probe_wanted("kmsdrm"));
    CHECK(render_backend_probe_wanted("x11"));
    CHECK(render_backend_probe_wanted(NULL));
    test_coverage();
    test_burnin();
    test_qr();
    test_slide();
    test_goldens_landscape();
    test_golden_urgent();
    test_golden_status_and_empty();
    test_golden_portrait();
    test_nfc_nfd();
    test_rotation();
    test_robust();
    test_transition_cache_night();
    log_set_sink(NULL, NULL);
    TTF_Quit();
    IMG_Quit();
    SDL_Quit();
    return CHECK_DONE();
}
