/* Layout tests with a fake fixed-advance, cluster-aware font: words kept in order and once,
 * width limits, grapheme clusters, U+00A0, splitting, widows/orphans, title shrink, pages. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/layout.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "check.h"
#include "fake_metrics.h"

#define NBSP "\xc2\xa0"

/* Every word of text (split at U+0020 and '\n') concatenated with '|'. */
static char *words_of(const char *text)
{
    struct buf b;
    buf_init(&b, 0);
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\n')
            p++;
        size_t n = strcspn(p, " \n");
        if (n) {
            buf_append(&b, p, n);
            buf_append(&b, "|", 1);
        }
        p += n;
    }
    return buf_steal(&b);
}

static char *doc_body_text(const struct layout_doc *d)
{
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < d->n_pages; i++)
        for (size_t j = 0; j < d->pages[i].n_lines; j++)
            if (d->pages[i].lines[j].face == LAYOUT_FACE_REGULAR) {
                buf_append_str(&b, d->pages[i].lines[j].text);
                buf_append(&b, " ", 1);
            }
    return buf_steal(&b);
}

static int total_lines(const struct layout_doc *d)
{
    int n = 0;
    for (size_t i = 0; i < d->n_pages; i++)
        n += (int)d->pages[i].n_lines;
    return n;
}

static size_t body_lines(const struct layout_page *pg)
{
    size_t n = 0;
    for (size_t i = 0; i < pg->n_lines; i++)
        n += pg->lines[i].face == LAYOUT_FACE_REGULAR;
    return n;
}

/* Properties every laid-out article must have. Returns the number of widows + orphans seen. */
static int check_doc(const struct fake_font *f, const struct layout_params *p,
                     const struct layout_doc *d, const char *body)
{
    int bad = 0;
    double ls = p->line_spacing > 0 ? p->line_spacing : 1.4;
    CHECK(d->n_pages >= 1);
    for (size_t i = 0; i < d->n_pages; i++) {
        const struct layout_page *pg = &d->pages[i];
        int h = i == 0 && p->first_page_h ? p->first_page_h : p->box_h;
        int prev_base = -1;
        for (size_t j = 0; j < pg->n_lines; j++) {
            const struct layout_line *l = &pg->lines[j];
            int w = fake_width_of(f, l->size_px, l->text, strlen(l->text));
            CHECK_MSG(w <= p->box_w ||
                          text_grapheme_len(l->text, strlen(l->text)) == strlen(l->text),
                      "line \"%s\" %d px > %d", l->text, w, p->box_w);
            CHECK(l->width == w);
            CHECK(l->baseline_y > prev_base);
            prev_base = l->baseline_y;
            int pitch = (int)(ls * l->size_px + 0.5);
            CHECK_MSG(l->baseline_y - fake_ascent(NULL, l->face, l->size_px) + pitch <= h ||
                          pg->n_lines == 1,
                      "page %zu line %zu baseline %d below box %d", i, j, l->baseline_y, h);
            CHECK(l->text[0] != ' ' && (l->text[0] == 0 || l->text[strlen(l->text) - 1] != ' '));
        }
        if (i + 1 < d->n_pages)
            CHECK(!pg->continued);
        /* Widow: page starts with the last line of a paragraph that began before. Counted
         * only where avoidable: the page before had three body lines to give. */
        if (i > 0 && pg->n_lines > 0 && body_lines(&d->pages[i - 1]) >= 3) {
            const struct layout_page *prev = &d->pages[i - 1];
            const struct layout_line *last = &prev->lines[prev->n_lines - 1];
            bool continues = !last->para_end && last->face == LAYOUT_FACE_REGULAR;
            if (continues && pg->lines[0].para_end)
                bad++;
            /* Orphan: previous page ends with the first line of a paragraph going on. */
            bool first_of_para = prev->n_lines == 1 || prev->lines[prev->n_lines - 2].para_end;
            if (continues && first_of_para)
                bad++;
        }
    }
    if (body) {
        char *want = words_of(body);
        char *text = doc_body_text(d);
        char *got = words_of(text);
        bool truncated = d->pages[d->n_pages - 1].continued;
        if (truncated)
            CHECK(strncmp(want, got, strlen(got)) == 0 && strlen(got) < strlen(want));
        else
            CHECK_MSG(strcmp(want, got) == 0, "words differ:\n%.300s\n%.300s", want, got);
        free(want);
        free(text);
        free(got);
    }
    return bad;
}

static void test_body_px(void)
{
    int a = layout_body_px(1920, 1080, 32, 2, 0.714);
    int b = layout_body_px(1920, 1080, 43, 2, 0.714);
    int c = layout_body_px(1920, 1080, 43, 4, 0.714);
    CHECK_MSG(a >= 66 && a <= 70, "32\" 2 m: %d", a);
    CHECK_MSG(b >= 49 && b <= 53, "43\" 2 m: %d", b);
    CHECK_MSG(c >= 100 && c <= 104, "43\" 4 m: %d", c);
    /* Same panel in portrait: same pixel pitch, same size. */
    CHECK_INTEQ(layout_body_px(1080, 1920, 32, 2, 0.714), 68);
    /* Close viewer on a big screen: the floor of 3.5 % of the height wins. */
    CHECK_INTEQ(layout_body_px(1920, 1080, 55, 0.5, 0.714), 38);
    CHECK_INTEQ(layout_body_px(1280, 720, 0, 2, 0.714), 25); /* unknown diagonal → floor */
    /* 4K halves the pitch: twice the pixels. */
    int k = layout_body_px(3840, 2160, 43, 2, 0.714);
    CHECK(k >= 2 * b - 2 && k <= 2 * b + 2);
}

static void test_break_basic(void)
{
    struct fake_font f = {.advance = 10, .space = 10};
    struct layout_metrics m = fake_metrics(&f);
    char **l = NULL;
    size_t n = layout_break(&m, LAYOUT_FACE_REGULAR, 40, 50, "aa bb cc", &l);
    CHECK_INTEQ(n, 2);
    if (n == 2) {
        CHECK_STREQ(l[0], "aa bb");
        CHECK_STREQ(l[1], "cc");
    }
    layout_lines_free(l, n);
    n = layout_break(&m, LAYOUT_FACE_REGULAR, 40, 50, "   ", &l);
    CHECK_INTEQ(n, 0);
    layout_lines_free(l, n);
    n = layout_break(&m, LAYOUT_FACE_REGULAR, 40, 100, "  một   hai  ", &l);
    CHECK_INTEQ(n, 1);
    if (n == 1)
        CHECK_STREQ(l[0], "một hai");
    layout_lines_free(l, n);

    /* Whole-line measurement: a narrow space (kerning stand-in) lets "aaaa aaaa" fit in 87 px
     * where summing words with a 10 px space would not. */
    struct fake_font k = {.advance = 10, .space = 7};
    m = fake_metrics(&k);
    n = layout_break(&m, LAYOUT_FACE_REGULAR, 40, 87, "aaaa aaaa aaaa", &l);
    CHECK_INTEQ(n, 2);
    if (n == 2)
        CHECK_STREQ(l[0], "aaaa aaaa");
    layout_lines_free(l, n);
}

static void test_nbsp(void)
{
    struct fake_font f = {.advance = 10, .space = 10};
    struct layout_metrics m = fake_metrics(&f);
    const char *para = "Thực hiện Đề án số" NBSP "06-ĐA/TU ngày" NBSP "27/11/2026 lúc 15" NBSP
                       "giờ" NBSP "30 tại hội trường";
    for (int w = 40; w <= 400; w += 7) {
        char **l = NULL;
        size_t n = layout_break(&m, LAYOUT_FACE_REGULAR, 40, w, para, &l);
        for (size_t i = 0; i < n; i++) {
            /* A unit held by NBSP is never broken across lines unless it alone is too wide. */
            bool split_unit = strncmp(l[i], "06-ĐA", 6) == 0 || strncmp(l[i], "27/11", 5) == 0 ||
                              strncmp(l[i], "giờ", 4) == 0;
            CHECK_MSG(!split_unit || w < 110, "width %d: line \"%s\" broke a no-break unit", w,
                      l[i]);
            CHECK(fake_width_of(&f, 40, l[i], strlen(l[i])) <= w);
        }
        layout_lines_free(l, n);
    }
}

/* A word longer than the line is cut only between clusters, NFD or not. */
static void test_split_clusters(void)
{
    struct fake_font f = {.advance = 10, .space = 10};
    struct layout_metrics m = fake_metrics(&f);
    /* "Nguyễn Nguyễn" in NFD: e + U+0302 + U+0303 is one cluster of three code points. */
    const char *nfd = "Nguye\xcc\x82\xcc\x83n"
                      "Nguye\xcc\x82\xcc\x83n"
                      "Nguye\xcc\x82\xcc\x83n";
    for (int w = 10; w <= 60; w += 10) {
        char **l = NULL;
        size_t n = layout_break(&m, LAYOUT_FACE_REGULAR, 40, w, nfd, &l);
        struct buf b;
        buf_init(&b, 0);
        for (size_t i = 0; i < n; i++) {
            CHECK((unsigned char)l[i][0] != 0xcc); /* never starts with a combining mark */
            CHECK(fake_width_of(&f, 40, l[i], strlen(l[i])) <= w);
            CHECK(i + 1 == n || fake_width_of(&f, 40, l[i], strlen(l[i])) == w);
            buf_append_str(&b, l[i]);
        }
        CHECK_STREQ(b.data, nfd);
        CHECK_INTEQ(n, (18 + w / 10 - 1) / (w / 10));
        buf_free(&b);
        layout_lines_free(l, n);
    }
    /* A long word after short ones starts its own line; its tail shares a line with the next. */
    char **l = NULL;
    size_t n = layout_break(&m, LAYOUT_FACE_REGULAR, 40, 50, "ab abcdefghijk cd", &l);
    CHECK_INTEQ(n, 4);
    if (n == 4) {
        CHECK_STREQ(l[0], "ab");
        CHECK_STREQ(l[1], "abcde");
        CHECK_STREQ(l[2], "fghij");
        CHECK_STREQ(l[3], "k cd");
    }
    layout_lines_free(l, n);
    /* A box narrower than one cluster still makes progress, one cluster per line. */
    n = layout_break(&m, LAYOUT_FACE_REGULAR, 40, 5, "ab c", &l);
    CHECK_INTEQ(n, 3);
    layout_lines_free(l, n);
}

/* A megabyte-class token with no space must not make layout quadratic (it would take minutes
 * here if every line re-scanned the rest of the word). */
static void test_hostile(void)
{
    struct fake_font f = {.advance = 10, .space = 10};
    struct layout_metrics m = fake_metrics(&f);
    size_t n = 300000;
    char *big = xmalloc(n * 2 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(big + 2 * i, "\xc6\xb0", 2); /* ư */
    big[2 * n] = 0;
    struct layout_params p = {.box_w = 1000, .box_h = 700, .body_px = 40, .title_px = 56};
    struct layout_doc d = {0};
    f.calls = 0;
    layout_article(&m, &p, "", big, &d);
    CHECK(d.n_pages > 100);
    CHECK_MSG(f.calls < 40000, "%ld width calls", f.calls);
    size_t total = 0;
    for (size_t i = 0; i < d.n_pages; i++)
        for (size_t j = 0; j < d.pages[i].n_lines; j++) {
            CHECK(d.pages[i].lines[j].width <= 1000);
            total += strlen(d.pages[i].lines[j].text);
        }
    CHECK_INTEQ(total, 2 * n);
    layout_doc_free(&d);
    p.max_pages = 2;
    layout_article(&m, &p, "", big, &d);
    CHECK_INTEQ(d.n_pages, 2);
    CHECK(d.pages[1].continued);
    layout_doc_free(&d);
    free(big);
}

/* Issue 16: a 4 MB title without a space, as an old cache may hold one. Every line of it was
 * broken and measured (a minute per frame on the board); the work must follow the pages shown,
 * not the title's length. Counted in bytes measured by the fake font, not in time. */
static void test_hostile_title(void)
{
    struct fake_font f = {.advance = 10, .space = 10};
    struct layout_metrics m = fake_metrics(&f);
    size_t n = 4u << 20;
    char *big = xmalloc(n + 1);
    memset(big, 'A', n);
    big[n] = 0;
    struct layout_params p = {
        .box_w = 1000, .box_h = 600, .body_px = 40, .title_px = 56, .max_pages = 6};
    struct layout_doc d = {0};
    f.calls = f.bytes = 0;
    layout_article(&m, &p, big, "Nội dung", &d);
    CHECK_MSG(f.bytes < 4L << 20, "%ld bytes measured for %d pages", f.bytes, p.max_pages);
    CHECK_INTEQ(d.n_pages, 6);
    CHECK(d.pages[d.n_pages - 1].continued);
    CHECK(d.pages[0].has_title);
    layout_doc_free(&d);
    /* No page cap: still bounded. */
    p.max_pages = 0;
    f.calls = f.bytes = 0;
    layout_article(&m, &p, big, "", &d);
    CHECK_MSG(f.bytes < 64L << 20, "%ld bytes measured without a page cap", f.bytes);
    size_t lines = 0;
    for (size_t i = 0; i < d.n_pages; i++)
        lines += d.pages[i].n_lines;
    CHECK_MSG(lines <= 4000, "%zu lines", lines);
    layout_doc_free(&d);
    free(big);
}

static struct layout_params params(int w, int h, int body, int title)
{
    return (struct layout_params){.box_w = w,
                                  .box_h = h,
                                  .body_px = body,
                                  .title_px = title,
                                  .line_spacing = 1.4,
                                  .para_spacing = 0.5};
}

static char *repeat_words(const char *word, int n)
{
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_append(&b, " ", 1);
        buf_append_str(&b, word);
    }
    return buf_steal(&b);
}

/* Box of 10 clusters per line; body 20 px → pitch 28, paragraph gap 10. "aaaa aaaa" per line. */
static void test_widow_orphan(void)
{
    struct fake_font f = {.advance = 20, .space = 20}; /* 10 px per cluster at 20 px */
    struct layout_metrics m = fake_metrics(&f);
    struct layout_params p = params(100, 5 * 28, 20, 20);
    struct layout_doc d = {0};

    /* A: 6 lines. Greedy would leave its 6th line alone on page 2 (a widow). */
    char *a = repeat_words("aaaa", 12), *b = repeat_words("bbbb", 12);
    char *body = xasprintf("%s\n%s", a, b);
    layout_article(&m, &p, "", body, &d);
    CHECK_INTEQ(check_doc(&f, &p, &d, body), 0);
    CHECK(d.n_pages >= 2);
    if (d.n_pages >= 2) {
        CHECK_INTEQ(d.pages[0].n_lines, 4);
        CHECK_STREQ(d.pages[1].lines[0].text, "aaaa aaaa");
        CHECK(!d.pages[1].lines[0].para_end);
    }
    layout_doc_free(&d);
    free(body);

    /* A: 4 lines, B: 3 lines, room for 4 lines + gap + 1: B's first line would be an orphan. */
    free(a);
    free(b);
    a = repeat_words("aaaa", 8);
    b = repeat_words("bbbb", 6);
    body = xasprintf("%s\n%s", a, b);
    p.box_h = 4 * 28 + 10 + 28;
    layout_article(&m, &p, "", body, &d);
    CHECK_INTEQ(check_doc(&f, &p, &d, body), 0);
    CHECK_INTEQ(d.n_pages, 2);
    if (d.n_pages == 2) {
        CHECK_INTEQ(d.pages[0].n_lines, 4);
        CHECK_INTEQ(d.pages[1].n_lines, 3);
        CHECK(d.pages[1].lines[0].baseline_y == 16); /* ascent 0.8 × 20: no gap at the top */
    }
    layout_doc_free(&d);
    free(body);
    free(a);
    free(b);

    /* One paragraph of 6 lines in a 5-line box: not 5 + 1 but balanced with no widow. */
    body = repeat_words("cccc", 12);
    p.box_h = 5 * 28;
    layout_article(&m, &p, "", body, &d);
    CHECK_INTEQ(d.n_pages, 2);
    if (d.n_pages == 2) {
        CHECK(d.pages[1].n_lines >= 2);
        CHECK(d.pages[0].n_lines >= d.pages[1].n_lines);
    }
    CHECK_INTEQ(check_doc(&f, &p, &d, body), 0);
    layout_doc_free(&d);
    free(body);
}

static void dump_doc(const struct layout_doc *d)
{
    for (size_t i = 0; i < d->n_pages; i++)
        for (size_t j = 0; j < d->pages[i].n_lines; j++)
            fprintf(stderr, "  p%zu %s%s\n", i, d->pages[i].lines[j].text,
                    d->pages[i].lines[j].para_end ? " ¶" : "");
}

/* Single paragraphs of 1..40 lines and many paragraph mixes in boxes of 3..12 lines. */
static void test_sweep(void)
{
    struct fake_font f = {.advance = 20, .space = 20};
    struct layout_metrics m = fake_metrics(&f);
    uint32_t seed = 12345;
    int widows = 0, single_last = 0, docs = 0;
    for (int box_lines = 3; box_lines <= 12; box_lines++) {
        for (int trial = 0; trial < 30; trial++) {
            struct buf b;
            buf_init(&b, 0);
            int paras = 1 + trial % 6;
            for (int i = 0; i < paras; i++) {
                seed = seed * 1103515245u + 12345u;
                int words = 1 + (int)((seed >> 16) % 30);
                for (int w = 0; w < words; w++) {
                    seed = seed * 1103515245u + 12345u;
                    static const char *pool[] = {
                        "a",  "ba",      "cờ", "đường",     "15" NBSP "giờ",
                        "xã", "nghiêng", "Ủy", "27/11/2026"};
                    buf_append_str(&b, pool[(seed >> 16) % ARRAY_LEN(pool)]);
                    buf_append(&b, w + 1 < words ? " " : "", w + 1 < words);
                }
                if (i + 1 < paras)
                    buf_append(&b, "\n", 1);
            }
            struct layout_params p = params(150, box_lines * 28, 20, 28);
            p.first_page_h = trial % 2 ? p.box_h - 28 : 0;
            struct layout_doc d = {0};
            layout_article(&m, &p, trial % 3 ? "Thông báo" : "", b.data, &d);
            int bad = check_doc(&f, &p, &d, b.data);
            bool single = d.n_pages >= 2 && d.pages[d.n_pages - 1].n_lines == 1;
            if (box_lines >= 5 && (bad || single)) {
                fprintf(stderr, "box %d lines, trial %d:\n", box_lines, trial);
                dump_doc(&d);
                widows += bad;
                single_last += single;
            }
            docs++;
            layout_doc_free(&d);
            buf_free(&b);
        }
    }
    CHECK_MSG(widows == 0, "%d widows/orphans in %d documents", widows, docs);
    CHECK_MSG(single_last == 0, "%d last pages with a single line", single_last);
}

static char *read_sanitized(const char *name)
{
    char *path = xasprintf("%s/%s", TEST_DATA_DIR, name), *raw = NULL;
    size_t len = 0;
    char *out = NULL;
    if (util_read_file(path, 1 << 20, &raw, &len))
        out = text_sanitize(raw, len, TEXT_KEEP_NEWLINES);
    else
        fprintf(stderr, "cannot read %s\n", path);
    free(raw);
    free(path);
    return out;
}

/* NFC and NFD samples sanitised give identical pages; raw NFD through the cluster-aware fake
 * breaks at the same places (each line is the NFD form of the NFC line). */
static void test_nfc_nfd(void)
{
    struct fake_font f = {.advance = 20, .space = 20};
    struct layout_metrics m = fake_metrics(&f);
    char *nfc = read_sanitized("vi_samples.txt"), *nfd = read_sanitized("vi_samples_nfd.txt");
    CHECK(nfc && nfd);
    if (!nfc || !nfd)
        goto out;
    CHECK_STREQ(nfc, nfd);
    struct layout_params p = params(300, 400, 20, 28);
    struct layout_doc a = {0}, b = {0};
    layout_article(&m, &p, "", nfc, &a);
    layout_article(&m, &p, "", nfd, &b);
    CHECK(check_doc(&f, &p, &a, nfc) == 0);
    CHECK_INTEQ(a.n_pages, b.n_pages);
    CHECK_INTEQ(total_lines(&a), total_lines(&b));
    layout_doc_free(&b);

    char *path = xasprintf("%s/vi_samples_nfd.txt", TEST_DATA_DIR), *raw = NULL;
    size_t len = 0;
    if (util_read_file(path, 1 << 20, &raw, &len)) {
        layout_article(&m, &p, "", raw, &b);
        CHECK_INTEQ(total_lines(&a), total_lines(&b));
        CHECK(check_doc(&f, &p, &b, raw) == 0);
        if (total_lines(&a) == total_lines(&b) && a.n_pages == b.n_pages)
            for (size_t i = 0; i < a.n_pages; i++)
                for (size_t j = 0; j < a.pages[i].n_lines && j < b.pages[i].n_lines; j++) {
                    char *s = text_sanitize_str(b.pages[i].lines[j].text, 0);
                    CHECK_STREQ(s, a.pages[i].lines[j].text);
                    free(s);
                }
        layout_doc_free(&b);
    }
    free(raw);
    free(path);
    layout_doc_free(&a);
out:
    free(nfc);
    free(nfd);
}

static size_t title_lines(const struct layout_page *pg)
{
    size_t n = 0;
    while (n < pg->n_lines && pg->lines[n].face == LAYOUT_FACE_BOLD)
        n++;
    return n;
}

static void test_title(void)
{
    struct fake_font f = {.advance = 10, .space = 10}; /* 10 px per cluster at 40 px */
    struct layout_metrics m = fake_metrics(&f);
    struct layout_params p = params(400, 1000, 40, 60);
    struct layout_doc d = {0};

    /* Short title: full size, one line, body follows below it on page 1. */
    layout_article(&m, &p, "Thông báo", "Nội dung", &d);
    CHECK_INTEQ(d.title_px, 60);
    CHECK(d.pages[0].has_title);
    CHECK_INTEQ(title_lines(&d.pages[0]), 1);
    CHECK_INTEQ(d.pages[0].n_lines, 2);
    if (d.pages[0].n_lines == 2) {
        CHECK_INTEQ(d.pages[0].lines[0].baseline_y, 48);
        CHECK_INTEQ(d.pages[0].lines[0].size_px, 60);
        /* title pitch 84 + gap 20 + body ascent 32 */
        CHECK_INTEQ(d.pages[0].lines[1].baseline_y, 84 + 20 + 32);
    }
    CHECK_INTEQ(d.pages[0].n_words, 4);
    CHECK_INTEQ(d.pages[0].n_digit_words, 0);
    layout_doc_free(&d);
    layout_article(&m, &p, "Lịch 15" NBSP "giờ", "ngày 27/11/2026\nlúc  07 giờ", &d);
    CHECK_INTEQ(d.pages[0].n_words, 8);
    CHECK_INTEQ(d.pages[0].n_digit_words, 3);
    layout_doc_free(&d);

    /* ~100 clusters: 4 lines at 60 px (26 per line), 3 at a smaller size. */
    char *title = repeat_words("Ủy ban", 16);
    layout_article(&m, &p, title, "x", &d);
    CHECK(d.title_px < 60 && d.title_px >= 40);
    CHECK(title_lines(&d.pages[0]) <= 3);
    CHECK(d.pages[0].lines[0].size_px == d.title_px);
    CHECK_INTEQ(check_doc(&f, &p, &d, "x"), 0);
    layout_doc_free(&d);
    free(title);

    /* Enormous title: body size, as many lines as it needs, nothing lost. */
    title = repeat_words("Ủy ban", 60);
    layout_article(&m, &p, title, "", &d);
    CHECK_INTEQ(d.title_px, 40);
    CHECK(title_lines(&d.pages[0]) > 3);
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < d.pages[0].n_lines; i++) {
        buf_append(&b, i ? " " : "", i ? 1 : 0);
        buf_append_str(&b, d.pages[0].lines[i].text);
    }
    CHECK_STREQ(b.data, title);
    buf_free(&b);
    layout_doc_free(&d);
    free(title);

    /* A title taller than the first page goes on over the next pages, in order. */
    title = repeat_words("Ủy ban", 60);
    p.box_h = 300;
    layout_article(&m, &p, title, "Nội dung.", &d);
    CHECK(d.n_pages >= 3);
    CHECK_INTEQ(check_doc(&f, &p, &d, "Nội dung."), 0);
    buf_init(&b, 0);
    for (size_t i = 0; i < d.n_pages; i++) {
        CHECK(d.pages[i].has_title == (d.pages[i].lines[0].face == LAYOUT_FACE_BOLD));
        for (size_t j = 0; j < d.pages[i].n_lines; j++)
            if (d.pages[i].lines[j].face == LAYOUT_FACE_BOLD) {
                buf_append(&b, b.len ? " " : "", b.len ? 1 : 0);
                buf_append_str(&b, d.pages[i].lines[j].text);
            }
    }
    CHECK_STREQ(b.data, title);
    buf_free(&b);
    layout_doc_free(&d);
    free(title);
    p.box_h = 1000;

    /* Empty everything: still one (empty) page. */
    layout_article(&m, &p, "", "", &d);
    CHECK_INTEQ(d.n_pages, 1);
    CHECK_INTEQ(d.pages[0].n_lines, 0);
    CHECK(!d.pages[0].has_title);
    layout_doc_free(&d);
}

static void test_max_pages(void)
{
    struct fake_font f = {.advance = 20, .space = 20};
    struct layout_metrics m = fake_metrics(&f);
    struct layout_params p = params(100, 5 * 28, 20, 20);
    char *body = repeat_words("dddd", 100); /* 50 lines: 10 pages */
    struct layout_doc d = {0};
    layout_article(&m, &p, "Tiêu đề", body, &d);
    CHECK(d.n_pages >= 10);
    CHECK(!d.pages[d.n_pages - 1].continued);
    CHECK_INTEQ(check_doc(&f, &p, &d, body), 0);
    layout_doc_free(&d);

    p.max_pages = 3;
    layout_article(&m, &p, "Tiêu đề", body, &d);
    CHECK_INTEQ(d.n_pages, 3);
    CHECK(d.pages[2].continued);
    CHECK(!d.pages[0].continued && !d.pages[1].continued);
    /* Room for the renderer's "… xem tiếp qua mã QR" line under the last line. */
    const struct layout_page *last = &d.pages[2];
    if (last->n_lines > 0)
        CHECK(last->lines[last->n_lines - 1].baseline_y - 16 + 2 * 28 <= p.box_h);
    check_doc(&f, &p, &d, body);
    layout_doc_free(&d);

    /* Fits in the cap: not continued. */
    p.max_pages = 20;
    layout_article(&m, &p, "Tiêu đề", body, &d);
    CHECK(!d.pages[d.n_pages - 1].continued);
    layout_doc_free(&d);
    free(body);
}

/* The seed article in landscape and portrait at the sizes layout_body_px gives. */
static void test_seed_article(void)
{
    struct fake_font f = {.advance = 22, .space = 11};
    struct layout_metrics m = fake_metrics(&f);
    char *text = read_sanitized("seed-article.txt");
    CHECK(text != NULL);
    if (!text)
        return;
    char *nl = strchr(text, '\n');
    char *title = nl ? xstrndup(text, (size_t)(nl - text)) : xstrdup(text);
    const char *body = nl ? nl + 1 : "";
    static const int sizes[][2] = {{1920, 1080}, {1080, 1920}, {1280, 720}, {800, 480}};
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        int sw = sizes[i][0], sh = sizes[i][1];
        int px = layout_body_px(sw, sh, 32, 2, 0.714);
        struct layout_params p = params(sw - 2 * sw / 20, sh * 3 / 4, px, px * 14 / 10);
        p.first_page_h = p.box_h - px;
        struct layout_doc d = {0};
        layout_article(&m, &p, title, body, &d);
        CHECK_INTEQ(check_doc(&f, &p, &d, body), 0);
        CHECK(d.n_pages >= 2);
        CHECK(d.pages[0].has_title);
        int words = 0, digits = 0;
        for (size_t k = 0; k < d.n_pages; k++) {
            words += d.pages[k].n_words;
            digits += d.pages[k].n_digit_words;
            CHECK(d.pages[k].n_lines > 0);
        }
        CHECK(words > 500 && digits > 5 && digits < words);
        printf("seed article %dx%d body %d px title %d px: %zu pages\n", sw, sh, px, d.title_px,
               d.n_pages);
        layout_doc_free(&d);
    }
    free(title);
    free(text);
}

int main(void)
{
    test_body_px();
    test_break_basic();
    test_nbsp();
    test_split_clusters();
    test_widow_orphan();
    test_hostile();
    test_hostile_title();
    test_sweep();
    test_nfc_nfd();
    test_title();
    test_max_pages();
    test_seed_article();
    return CHECK_DONE();
}
