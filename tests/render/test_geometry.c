/* test_geometry: the geometry of every page kind at every screen size, as properties of the
 * display list rather than pictures. For each page: every box inside the screen, its part of
 * the screen (header, content, footer) and its region; no two boxes overlap; no text line wider
 * than its box; nothing that must not be shortened (titles, dates, expiry, issuer, counters) is
 * shortened; every page of an item but its last is filled to a stated share of its text box.
 *
 * BANGTIN_GEOMETRY_DUMP=dir also draws every screen checked into dir (PNG) for a person to
 * look at; BANGTIN_GEOMETRY_ONLY=text keeps the screens whose name contains text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL.h>
#include <SDL_image.h>

#include "bangtin/feed.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "check.h"
#include "fixture.h"
#include "render/render_internal.h"

/* An item page other than the last is filled at least this far down its text box. With the
 * largest text (7 lines a page at 1280×720) keeping a heading with its next lines and no widow
 * can move 3 lines on: 4/7 = 0.57. Not checked: the page before the last when the two
 * together hold no more lines than the fullest page (they cannot both be full). */
#define MIN_FILL 0.55

static const int sizes[][2] = {{800, 480},   {1024, 600},  {1280, 720}, {1366, 768},
                               {1920, 1080}, {2560, 1440}, {3840, 2160}};
static const int rotations[] = {0, 90, 270};

#define LONG_OFFICE "ỦY BAN NHÂN DÂN XÃ PHÚC THỊNH, HUYỆN CHIÊM HÓA, TỈNH TUYÊN QUANG"
#define LONG_SOURCE                                                                                                    \
    "Cổng Thông tin điện tử tỉnh Tuyên Quang (Ban Biên tập Cổng thông tin điện tử tỉnh, Văn " \
    "phòng Ủy ban nhân dân tỉnh)"
#define LONG_TITLE                                                                                                                \
    "Thông báo về việc tổ chức lấy ý kiến Nhân dân đối với dự thảo Nghị quyết của Hội đồng " \
    "nhân dân tỉnh quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí, lệ phí trên địa "   \
    "bàn tỉnh năm 2027 và những năm tiếp theo, kèm theo danh mục các thủ tục hành chính được "            \
    "sửa đổi, bổ sung"

static struct {
    long screens, pages, boxes, sizes;
    long bad_outside, bad_overlap, bad_wide, bad_short, bad_fill;
    double min_fill, fill_sum;
    long fill_n;
    const char *dump;
} stats = {.min_fill = 1.0};

/* ---- the configuration of one run ---- */

static struct {
    int rotate;
    bool long_office, dark;
} want;

static void tweak(struct config *c)
{
    c->rotate = want.rotate;
    if (want.long_office) {
        free(c->office_name);
        c->office_name = xstrdup(LONG_OFFICE);
    }
    if (want.dark)
        c->theme = CONFIG_THEME_DARK;
}

/* ---- checks over one screen's display list ---- */

static bool inside(SDL_Rect in, SDL_Rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

static bool overlap(SDL_Rect a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static const char *what(const struct render_dl_item *it)
{
    static char buf[4][200];
    static int k;
    char *b = buf[k++ % 4];
    static const char *kinds[] = {"fill", "text", "image", "qr"};
    const char *t = it->kind == RENDER_DL_TEXT ? it->text : "";
    int n = (int)strlen(t);
    if (n > 60)
        for (n = 60; n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80; n--)
            ;
    snprintf(b, 200, "%s %s [%d,%d %dx%d] \"%.*s\"", it->region_name, kinds[it->kind], it->rect.x,
             it->rect.y, it->rect.w, it->rect.h, n, t);
    return b;
}

static int reported;

/* Failures tallied by problem, page kind and regions, to print a summary. */
static struct {
    char key[160];
    long n;
    char first[200];
} tally[200];
static size_t n_tally;

static void tally_add(const char *ctx, const char *problem, const char *a, const char *b)
{
    /* ctx is "<size> <page kind> p<i>-of-<n>": keep the page kind. */
    const char *kind = strchr(ctx, ' ');
    kind = kind ? kind + 1 : ctx;
    size_t klen = strcspn(kind, " ");
    char ra[32] = "", rb[32] = "";
    sscanf(a, "%31s", ra);
    sscanf(b, "%31s", rb);
    char key[160];
    snprintf(key, sizeof key, "%s | %.*s | %s %s", problem, (int)klen, kind, ra, rb);
    for (size_t i = 0; i < n_tally; i++)
        if (strcmp(tally[i].key, key) == 0) {
            tally[i].n++;
            return;
        }
    if (n_tally < ARRAY_LEN(tally)) {
        snprintf(tally[n_tally].key, sizeof tally[n_tally].key, "%s", key);
        snprintf(tally[n_tally].first, sizeof tally[n_tally].first, "%s", ctx);
        tally[n_tally++].n = 1;
    }
}

static void fail(long *counter, const char *ctx, const char *problem, const char *a, const char *b)
{
    (*counter)++;
    check_failed_++;
    tally_add(ctx, problem, a, b);
    if (reported++ < 80)
        fprintf(stderr, "%s: %s: %s%s%s\n", ctx, problem, a, b[0] ? " / " : "", b);
}

/* item_page: the page is an item's and not its last (the fill rule applies). */
static void check_screen(struct render *r, const struct render_dl *dl, const char *ctx,
                         bool item_page)
{
    int w, h;
    render_get_size(r, &w, &h, NULL);
    SDL_Rect screen = {0, 0, w, h};
    int text_top = -1, text_h = 0, text_bottom = -1;
    for (size_t i = 0; i < dl->n; i++) {
        const struct render_dl_item *it = &dl->v[i];
        stats.boxes++;
        if (!inside(it->rect, screen) || !inside(it->rect, it->area) || !inside(it->area, screen) ||
            !inside(it->rect, it->region))
            fail(&stats.bad_outside, ctx, "outside its region", what(it), "");
        if (it->kind != RENDER_DL_TEXT)
            goto pairs;
        if (it->rect.w > it->box.w || it->box.x + it->box.w > it->region.x + it->region.w)
            fail(&stats.bad_wide, ctx, "text wider than its box", what(it), "");
        if ((it->flags & RENDER_DL_SHORTENED) && !(it->flags & RENDER_DL_MAY_SHORTEN))
            fail(&stats.bad_short, ctx, "shortened, must not be", what(it), "");
        if (strcmp(it->region_name, "text") == 0 && it->area.y > 0 && it->area.y + it->area.h < h) {
            text_top = it->region.y;
            text_h = it->region.h;
            if (it->rect.y + it->rect.h > text_bottom)
                text_bottom = it->rect.y + it->rect.h;
        }
    pairs:
        if (it->kind == RENDER_DL_FILL)
            continue;
        for (size_t j = i + 1; j < dl->n; j++) {
            const struct render_dl_item *o = &dl->v[j];
            if (o->kind != RENDER_DL_FILL && overlap(it->rect, o->rect))
                fail(&stats.bad_overlap, ctx, "overlap", what(it), what(o));
        }
    }
    if (item_page && text_h > 0) {
        double fill = (double)(text_bottom - text_top) / text_h;
        if (fill < stats.min_fill)
            stats.min_fill = fill;
        stats.fill_sum += fill;
        stats.fill_n++;
        if (fill < MIN_FILL) {
            char f[64];
            snprintf(f, sizeof f, "%.2f", fill);
            fail(&stats.bad_fill, ctx, "page filled to (share of its text box)", f, "");
        }
    }
}

static void dump(struct fixture *f, const struct render_page_req *req,
                 const struct render_frame_info *fi, const char *ctx)
{
    const char *only = getenv("BANGTIN_GEOMETRY_ONLY"); /* a part of the page's name */
    if (!stats.dump || (only && !strstr(ctx, only)))
        return;
    static uint64_t key = 1000;
    struct render_page_req fresh = *req;
    fresh.key = ++key; /* never the cached picture of another page */
    render_show(f->r, &fresh, true, 0);
    SDL_Surface *s = fx_draw(f, fi);
    char *path = xasprintf("%s/%s.png", stats.dump, ctx);
    for (char *p = path + strlen(stats.dump) + 1; *p; p++)
        if (*p == ' ' || *p == '/')
            *p = '_';
    IMG_SavePNG(s, path);
    free(path);
}

static void screen(struct fixture *f, const struct render_page_req *req,
                   const struct render_frame_info *fi, const char *ctx, bool item_page)
{
    struct render_dl dl;
    render_screen_plan(f->r, req, fi, &dl);
    check_screen(f->r, &dl, ctx, item_page);
    render_dl_free(&dl);
    stats.screens++;
    dump(f, req, fi, ctx);
}

/* ---- page kinds ---- */

static char *long_body;

static void items(struct fixture *f, const char *size)
{
    struct store_item it[7];
    const char *names[7] = {"short",      "seed",    "photo",     "long-title",
                            "7600-words", "no-link", "photo-long"};
    it[0] = fx_item_short();
    it[1] = fx_item_long();
    it[2] = fx_item_short();
    it[2].image_path = (char *)fx_photo_path();
    it[2].image_caption = "Toàn cảnh hội nghị giao ban công tác dân vận quý I năm 2024";
    it[3] = fx_item_short();
    it[3].title = LONG_TITLE;
    it[3].source_name = LONG_SOURCE;
    it[4] = fx_item_short();
    it[4].text = long_body;
    it[4].source_name = LONG_SOURCE;
    it[5] = fx_item_long();
    free(it[5].title);
    it[5].title = xstrdup("Lịch tiếp công dân");
    it[5].link = NULL;
    it[6] = fx_item_long();
    it[6].image_path = (char *)fx_photo_path();
    it[6].image_caption = "Toàn cảnh hội nghị";
    for (size_t k = 0; k < ARRAY_LEN(it); k++) {
        struct layout_doc doc = {0};
        render_layout_item(f->r, &it[k], &doc);
        for (size_t pg = 0; pg < doc.n_pages; pg++) {
            struct render_page_req req = {.kind = RENDER_PAGE_ITEM,
                                          .item = &it[k],
                                          .doc = &doc,
                                          .page = pg,
                                          .key = 100 + pg,
                                          .now = FIXED_NOW,
                                          .clock_trusted = true};
            struct render_frame_info fi;
            fx_frame_info(&fi);
            fi.page_index = pg;
            fi.n_pages = doc.n_pages;
            char ctx[160];
            snprintf(ctx, sizeof ctx, "%s item-%s p%zu-of-%zu", size, names[k], pg + 1,
                     doc.n_pages);
            size_t most = 0;
            for (size_t q = 0; q < doc.n_pages; q++)
                most = doc.pages[q].n_lines > most ? doc.pages[q].n_lines : most;
            bool not_last = pg + 1 < doc.n_pages;
            bool tail =
                pg + 2 == doc.n_pages && doc.pages[pg].n_lines + doc.pages[pg + 1].n_lines <= most;
            screen(f, &req, &fi, ctx, not_last && !tail);
            stats.pages++;
        }
        layout_doc_free(&doc);
    }
    fx_item_long_free(&it[1]);
    fx_item_long_free(&it[5]);
    fx_item_long_free(&it[6]);
}

static void urgent(struct fixture *f, const char *size)
{
    static const char *sev[] = {"", "minor", "moderate", "severe", "extreme"};
    struct store_item seed = fx_item_long();
    for (int s = 1; s <= 4; s++) {
        for (int variant = 0; variant < 3; variant++) {
            /* 0: one short notice; 1: the first of two, long issuer; 2: a long notice. */
            struct store_urgent u = {
                .id = "signed:tinh:42",
                .origin = STORE_URGENT_SIGNED,
                .title = "Bão số 5 đổ bộ trong đêm nay: sơ tán ngay các hộ ven sông Lũy",
                .body = "Các hộ gia đình ở thôn Thượng Thủy, Đồng Quỹ và xóm Ngọc Đường di "
                        "chuyển người già, trẻ em đến Nhà Văn hóa xã trước 18 giờ 00.",
                .instruction = "Mang theo giấy tờ tùy thân, thuốc men, nước uống.",
                .issuer = "Ban Chỉ huy PCTT tỉnh",
                .verified = true,
                .severity = s,
                .issued = FIXED_NOW - 15 * 60,
                .expires = FIXED_NOW + 10 * 3600,
            };
            size_t count = variant == 1 ? 2 : 1;
            if (variant == 1)
                u.issuer = LONG_SOURCE;
            if (variant == 2) {
                u.title = LONG_TITLE;
                u.body = seed.text;
                u.verified = false;
                u.issuer = "Cổng TTĐT tỉnh (RSS thông báo khẩn của Văn phòng UBND tỉnh)";
            }
            struct layout_doc doc = {0};
            render_layout_urgent(f->r, &u, 0, count, &doc);
            for (size_t pg = 0; pg < doc.n_pages; pg++) {
                struct render_page_req req = {.kind = RENDER_PAGE_URGENT,
                                              .urgent = &u,
                                              .doc = &doc,
                                              .page = pg,
                                              .key = 200 + pg,
                                              .urgent_index = 0,
                                              .urgent_count = count};
                struct render_frame_info fi;
                fx_frame_info(&fi);
                fi.n_urgent = count;
                fi.item_index = 0;
                fi.n_items = count;
                fi.page_index = pg;
                fi.n_pages = doc.n_pages;
                char ctx[160];
                snprintf(ctx, sizeof ctx, "%s urgent-%s-%s p%zu-of-%zu", size, sev[s],
                         variant == 0   ? "one"
                         : variant == 1 ? "several"
                                        : "long",
                         pg + 1, doc.n_pages);
                size_t most = 0;
                for (size_t q = 0; q < doc.n_pages; q++)
                    most = doc.pages[q].n_lines > most ? doc.pages[q].n_lines : most;
                bool tail = pg + 2 == doc.n_pages &&
                            doc.pages[pg].n_lines + doc.pages[pg + 1].n_lines <= most;
                screen(f, &req, &fi, ctx, pg + 1 < doc.n_pages && !tail);
                stats.pages++;
            }
            layout_doc_free(&doc);
        }
    }
    fx_item_long_free(&seed);
}

static void others(struct fixture *f, const char *size)
{
    struct render_source_status src[3];
    struct render_status st;
    fx_status(&st, src, LONG_SOURCE);
    struct render_frame_info fi;
    char ctx[160];
    struct render_page_req req = {.kind = RENDER_PAGE_STATUS, .status = &st, .key = 300};
    fx_frame_info(&fi);
    snprintf(ctx, sizeof ctx, "%s status", size);
    screen(f, &req, &fi, ctx, false);
    req = (struct render_page_req){.kind = RENDER_PAGE_EMPTY, .key = 301};
    fx_frame_info(&fi);
    fi.n_items = 0;
    snprintf(ctx, sizeof ctx, "%s waiting", size);
    screen(f, &req, &fi, ctx, false);
    fi.clock_trusted = false;
    snprintf(ctx, sizeof ctx, "%s waiting-no-clock", size);
    screen(f, &req, &fi, ctx, false);
    /* A regular page under an urgent banner, offline. */
    struct store_urgent u = {.id = "x", .title = LONG_TITLE, .severity = 4};
    struct store_item it = fx_item_short();
    struct layout_doc doc = {0};
    render_layout_item(f->r, &it, &doc);
    req = (struct render_page_req){.kind = RENDER_PAGE_ITEM, .item = &it, .doc = &doc, .key = 302};
    fx_frame_info(&fi);
    fi.banner = &u;
    fi.n_urgent = 1;
    fi.offline = true;
    fi.offline_since = FIXED_NOW - 7200;
    snprintf(ctx, sizeof ctx, "%s banner-offline", size);
    screen(f, &req, &fi, ctx, false);
    /* Night, dimmed: the same page under a veil. */
    render_set_night(f->r, 1);
    fi.banner = NULL;
    fi.offline = false;
    snprintf(ctx, sizeof ctx, "%s night", size);
    screen(f, &req, &fi, ctx, false);
    render_set_night(f->r, 0);
    layout_doc_free(&doc);
    stats.pages += 5;
}

static void one_config(int w, int h)
{
    struct fixture f;
    if (!fx_open(&f, w, h, tweak)) {
        CHECK(false);
        return;
    }
    int lw, lh;
    render_get_size(f.r, &lw, &lh, NULL);
    char size[64];
    snprintf(size, sizeof size, "%dx%d-r%d%s%s", lw, lh, want.rotate,
             want.long_office ? "-longoffice" : "", want.dark ? "-dark" : "");
    items(&f, size);
    urgent(&f, size);
    others(&f, size);
    stats.sizes++;
    fx_close(&f);
}

/* The longest post of the WordPress fixture (~7,600 words), as the feed module reads it. */
static char *longest_post(void)
{
    char *raw = NULL, err[256];
    size_t len = 0;
    struct feed feed;
    if (!util_read_file(TEST_DATA_DIR "/wordpress/feed-rss2.xml", 8 << 20, &raw, &len))
        return NULL;
    char *best = NULL;
    if (feed_parse(raw, len, NULL, NULL, &feed, err, sizeof err)) {
        size_t best_len = 0;
        for (size_t i = 0; i < feed.n_items; i++)
            if (strlen(feed.items[i].text) > best_len) {
                best_len = strlen(feed.items[i].text);
                free(best);
                best = text_sanitize_str(feed.items[i].text, TEXT_KEEP_NEWLINES);
            }
        feed_free(&feed);
    }
    free(raw);
    return best;
}

int main(void)
{
    if (SDL_Init(0) != 0 || IMG_Init(IMG_INIT_JPG | IMG_INIT_PNG) == 0) {
        fprintf(stderr, "SDL: %s\n", SDL_GetError());
        return 1;
    }
    TTF_Init();
    stats.dump = getenv("BANGTIN_GEOMETRY_DUMP");
    if (stats.dump)
        mkdir(stats.dump, 0755);
    long_body = longest_post();
    CHECK(long_body != NULL);
    int words = 0;
    for (const char *p = long_body ? long_body : ""; *p; p++)
        words += (p == long_body || p[-1] == ' ' || p[-1] == '\n') && *p != ' ' && *p != '\n';
    printf("long body: %d words\n", words);
    CHECK(words > 7000);
    for (size_t s = 0; s < ARRAY_LEN(sizes); s++) {
        for (size_t k = 0; k < ARRAY_LEN(rotations); k++) {
            want.rotate = rotations[k];
            for (int v = 0; v < 2; v++) {
                want.long_office = v == 1;
                want.dark = v == 1;
                one_config(sizes[s][0], sizes[s][1]);
            }
        }
    }
    CHECK(stats.screens > 1000);
    for (size_t i = 0; i < n_tally; i++)
        fprintf(stderr, "failed %5ld× %s (first: %s)\n", tally[i].n, tally[i].key, tally[i].first);
    printf("geometry: %ld screen configurations, %ld pages (%ld screens), %ld boxes checked\n",
           stats.sizes, stats.pages, stats.screens, stats.boxes);
    printf("geometry: outside %ld, overlaps %ld, too wide %ld, shortened %ld, under-filled %ld; "
           "least filled page %.2f, mean %.2f over %ld pages (rule: ≥ %.2f)\n",
           stats.bad_outside, stats.bad_overlap, stats.bad_wide, stats.bad_short, stats.bad_fill,
           stats.min_fill, stats.fill_n ? stats.fill_sum / stats.fill_n : 0, stats.fill_n,
           MIN_FILL);
    free(long_body);
    TTF_Quit();
    IMG_Quit();
    SDL_Quit();
    return CHECK_DONE();
}
