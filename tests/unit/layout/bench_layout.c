/* bench_layout: how long layout takes for the 7,600-word post of the WordPress fixture and for
 * a 200-item rotation, with the fake font of the tests and with the real Noto Sans through
 * SDL_ttf (the measuring cost the kiosk pays). Not a test: prints numbers, asserts nothing.
 *
 *   bench_layout [wp-json-posts-embed.json] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL_ttf.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>

#include "bangtin/layout.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "fake_metrics.h"

struct post {
    char *title, *body;
    int words;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: steadier on a busy machine */
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Text of an HTML fragment with a '\n' after each block element. */
static void html_text(xmlNode *n, struct buf *out)
{
    static const char *blocks[] = {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "td"};
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content)
            buf_append_str(out, (const char *)n->content);
        html_text(n->children, out);
        if (n->type == XML_ELEMENT_NODE)
            for (size_t i = 0; i < ARRAY_LEN(blocks); i++)
                if (strcmp((const char *)n->name, blocks[i]) == 0)
                    buf_append(out, strcmp(blocks[i], "td") ? "\n" : " ", 1);
    }
}

static char *html_to_text(const char *html)
{
    htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    struct buf b;
    buf_init(&b, 0);
    if (doc)
        html_text(xmlDocGetRootElement(doc), &b);
    xmlFreeDoc(doc);
    char *raw = buf_steal(&b);
    char *s = text_sanitize(raw, strlen(raw), TEXT_KEEP_NEWLINES | TEXT_DECODE_ENTITIES);
    free(raw);
    return s;
}

static int count_words(const char *s)
{
    int n = 0;
    while (*s) {
        s += strspn(s, " \n");
        if (!*s)
            break;
        n++;
        s += strcspn(s, " \n");
    }
    return n;
}

static size_t load_posts(const char *path, struct post **out)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    size_t n = json_is_array(root) ? json_array_size(root) : 0;
    *out = xcalloc(n ? n : 1, sizeof **out);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(root, i);
        const char *t = json_string_value(json_object_get(json_object_get(p, "title"), "rendered"));
        const char *c =
            json_string_value(json_object_get(json_object_get(p, "content"), "rendered"));
        (*out)[i].title = html_to_text(t ? t : "");
        (*out)[i].body = html_to_text(c ? c : "");
        (*out)[i].words = count_words((*out)[i].body);
    }
    if (!root)
        fprintf(stderr, "%s: %s\n", path, err.text);
    json_decref(root);
    return n;
}

/* Real metrics: SDL_ttf with Noto Sans, one TTF_Font per (face, size) opened on demand. */
struct ttf_ctx {
    const char *dir;
    long calls;
    TTF_Font *fonts[2][256];
};

static TTF_Font *ttf_font(struct ttf_ctx *c, enum layout_face face, int size)
{
    if (size < 1 || size > 255)
        return NULL;
    if (!c->fonts[face][size]) {
        char *path =
            xasprintf("%s/NotoSans-%s.ttf", c->dir, face == LAYOUT_FACE_BOLD ? "Bold" : "Regular");
        c->fonts[face][size] = TTF_OpenFont(path, size);
        free(path);
    }
    return c->fonts[face][size];
}

static int ttf_width(void *ctx, enum layout_face face, int size, const char *s, size_t len)
{
    TTF_Font *f = ttf_font(ctx, face, size);
    ((struct ttf_ctx *)ctx)->calls++;
    char *z = xstrndup(s, len);
    int w = 0, h = 0;
    if (f)
        TTF_SizeUTF8(f, z, &w, &h);
    free(z);
    return w;
}

static int ttf_ascent(void *ctx, enum layout_face face, int size)
{
    TTF_Font *f = ttf_font(ctx, face, size);
    return f ? TTF_FontAscent(f) : size;
}

static void bench(const char *label, const struct layout_metrics *m, const struct post *posts,
                  size_t n_posts, size_t longest, long *calls, long *bytes)
{
    struct layout_params p = {.box_w = 1700,
                              .box_h = 760,
                              .body_px = 68,
                              .title_px = 95,
                              .line_spacing = 1.4,
                              .para_spacing = 0.5};
    struct layout_doc d = {0};
    int reps = 5;
    long c0 = calls ? *calls : 0, b0 = bytes ? *bytes : 0;
    double t0 = now_ms();
    for (int r = 0; r < reps; r++) {
        layout_article(m, &p, posts[longest].title, posts[longest].body, &d);
        if (r + 1 < reps)
            layout_doc_free(&d);
    }
    double t1 = now_ms();
    printf("%-6s long post (%d words): %zu pages, %.2f ms per layout", label, posts[longest].words,
           d.n_pages, (t1 - t0) / reps);
    if (calls)
        printf(", %ld width calls", (*calls - c0) / reps);
    if (bytes)
        printf(" measuring %ld bytes", (*bytes - b0) / reps);
    printf("\n");
    layout_doc_free(&d);

    /* A rotation of 200 items cycling through the fixture's posts, pages capped at 5. */
    p.max_pages = 5;
    size_t pages = 0;
    c0 = calls ? *calls : 0;
    b0 = bytes ? *bytes : 0;
    t0 = now_ms();
    for (size_t i = 0; i < 200; i++) {
        layout_article(m, &p, posts[i % n_posts].title, posts[i % n_posts].body, &d);
        pages += d.n_pages;
        layout_doc_free(&d);
    }
    t1 = now_ms();
    printf("%-6s 200-item rotation: %zu pages, %.1f ms total, %.3f ms per item", label, pages,
           t1 - t0, (t1 - t0) / 200);
    if (calls)
        printf(", %ld width calls", *calls - c0);
    if (bytes)
        printf(" measuring %ld bytes", *bytes - b0);
    printf("\n");
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : TEST_DATA_DIR "/wordpress/wp-json-posts-embed.json";
    struct post *posts = NULL;
    size_t n = load_posts(path, &posts);
    if (n == 0) {
        fprintf(stderr, "no posts in %s\n", path);
        free(posts);
        return 1;
    }
    size_t longest = 0;
    for (size_t i = 1; i < n; i++)
        if (posts[i].words > posts[longest].words)
            longest = i;

    struct fake_font ff = {.advance = 22, .space = 11};
    struct layout_metrics fm = fake_metrics(&ff);
    bench("fake", &fm, posts, n, longest, &ff.calls, &ff.bytes);

    struct ttf_ctx tc = {.dir = SOURCE_DIR "/fonts"};
    if (TTF_Init() == 0 && ttf_font(&tc, LAYOUT_FACE_REGULAR, 68)) {
        struct layout_metrics tm = {.ctx = &tc, .text_width = ttf_width, .ascent = ttf_ascent};
        bench("ttf", &tm, posts, n, longest, &tc.calls, NULL);
    } else {
        printf("ttf    skipped: cannot open %s/NotoSans-Regular.ttf\n", tc.dir);
    }
    for (int f = 0; f < 2; f++)
        for (int s = 0; s < 256; s++)
            if (tc.fonts[f][s])
                TTF_CloseFont(tc.fonts[f][s]);
    TTF_Quit();
    for (size_t i = 0; i < n; i++) {
        free(posts[i].title);
        free(posts[i].body);
    }
    free(posts);
    return 0;
}
