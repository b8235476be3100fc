/* Article layout: the title (bold, shrunk in steps rather than take too many lines) and the
 * body paragraphs become one flow of lines, which paginate.c cuts into pages; each line is
 * then placed by its baseline. Also the body size rule of DESIGN.md §3. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/util.h"
#include "layout_internal.h"

/* Bounds on the work of one article whatever the cache holds (docs/bounds.md). */
#define LAYOUT_MAX_TITLE_BYTES 16384u
#define LAYOUT_MAX_FLOW_LINES  4000u
#define LAYOUT_MAX_BODY_BYTES  (1024u * 1024u)

/* Parameters with defaults and clamps applied. */
struct params {
    int box_w, body_px, title_px;
    double line_spacing;
    int max_title_lines;
    struct page_geom pages;
};

/* How lines of one face and size are made. */
struct style {
    enum layout_face face;
    int size, pitch, ascent;
};

static int em_px(double em, int size)
{
    return (int)lround(em * size);
}

static struct style style_of(const struct layout_metrics *m, const struct params *p,
                             enum layout_face face, int size)
{
    return (struct style){.face = face,
                          .size = size,
                          .pitch = em_px(p->line_spacing, size),
                          .ascent = m->ascent(m->ctx, face, size)};
}

static void params_resolve(const struct layout_params *in, struct params *p)
{
    p->box_w = in->box_w > 0 ? in->box_w : 1;
    p->body_px = in->body_px > 0 ? in->body_px : 32;
    p->title_px = in->title_px > 0 ? in->title_px : em_px(1.4, p->body_px);
    if (p->title_px < p->body_px)
        p->title_px = p->body_px;
    p->line_spacing = in->line_spacing > 0 ? in->line_spacing : 1.4;
    if (p->line_spacing < 1.3)
        p->line_spacing = 1.3;
    p->max_title_lines = in->max_title_lines > 0 ? in->max_title_lines : 3;
    double para = in->para_spacing == 0 ? 0.5 : in->para_spacing < 0 ? 0 : in->para_spacing;
    p->pages.box_h = in->box_h > 0 ? in->box_h : 1;
    p->pages.first_h = in->first_page_h > 0 ? in->first_page_h : p->pages.box_h;
    p->pages.gap = em_px(para, p->body_px);
    p->pages.note_pitch = em_px(p->line_spacing, p->body_px);
    p->pages.max_pages = in->max_pages > 0 ? in->max_pages : 0;
    p->pages.last_reserve = in->last_reserve > 0 ? in->last_reserve : 0;
    p->pages.reserve_w = in->reserve_w > 0 ? in->reserve_w : 0;
}

/* --- the flow ----------------------------------------------------------------------------- */

static void flow_push(struct flow *f, const struct style *st, char *text, int width, bool start,
                      bool end)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 32;
        f->v = xrealloc(f->v, f->cap * sizeof *f->v);
    }
    f->v[f->n++] = (struct flow_line){.text = text,
                                      .face = st->face,
                                      .size_px = st->size,
                                      .width = width,
                                      .pitch = st->pitch,
                                      .ascent = st->ascent,
                                      .para_start = start,
                                      .para_end = end};
}

static void flow_free(struct flow *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].text);
    free(f->v);
    *f = (struct flow){0};
}

/* Break one paragraph [para, para + len) and append its lines, up to f->max lines in all. */
static void flow_add_para(struct flow *f, const struct layout_metrics *m, const struct style *st,
                          int width, const char *para, size_t len)
{
    size_t room = f->max ? (f->n < f->max ? f->max - f->n : 0) : 0;
    if (f->max && room == 0) {
        f->cut = f->cut || strspn(para, " ") < len;
        return;
    }
    char *norm = NULL;
    struct lb_line *ll = NULL;
    bool cut = false;
    size_t n = lb_break(m, st->face, st->size, width, para, len, room, &cut, &norm, &ll);
    for (size_t i = 0; i < n; i++)
        flow_push(f, st, xstrndup(norm + ll[i].start, ll[i].end - ll[i].start), ll[i].width, i == 0,
                  i + 1 == n && !cut);
    /* A heading ("I. MỤC ĐÍCH, YÊU CẦU"): one short line without a full stop. It stays with
     * the lines after it. */
    if (n == 1 && !cut && st->face == LAYOUT_FACE_REGULAR) {
        const char *t = f->v[f->n - 1].text;
        size_t tl = strlen(t);
        int words = 0, digits = 0;
        lb_count_words(t, tl, &words, &digits);
        char last = tl ? t[tl - 1] : '.';
        f->v[f->n - 1].keep_next = words <= 14 && !strchr(".;,!?", last);
    }
    f->cut = f->cut || cut;
    free(ll);
    free(norm);
}

/* Paragraphs are separated by '\n'; empty ones vanish. */
static void flow_add_text(struct flow *f, const struct layout_metrics *m, const struct style *st,
                          int width, const char *text)
{
    const char *p = text ? text : "";
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        flow_add_para(f, m, st, width, p, len);
        if (!nl || f->cut)
            break;
        p = nl + 1;
    }
}

/* With a page cap, body lines beyond what the capped pages could ever hold (plus what widow
 * control may push back) need not be broken at all: a long post costs no more than a short.
 * Without one, LAYOUT_MAX_FLOW_LINES still bounds the work. */
static size_t flow_budget(const struct params *p, size_t n_title)
{
    const struct page_geom *g = &p->pages;
    if (g->max_pages == 0)
        return LAYOUT_MAX_FLOW_LINES;
    size_t per_page = (size_t)(g->box_h / g->note_pitch + 1);
    size_t lines = (size_t)(g->first_h / g->note_pitch + 1);
    lines += (size_t)(g->max_pages - 1) * per_page;
    return n_title + lines + 2 * (size_t)g->max_pages + 2;
}

/* The title at the largest size, stepping from title_px down to body_px, that needs at most
 * max_title_lines lines; at body_px it takes as many lines as it needs, up to what the capped
 * pages can show (a 4 MB title in an old cache once cost a minute per frame: every line of it
 * was broken and measured). *cut says the title itself did not fit. Returns the size used. */
static int flow_add_title(struct flow *f, const struct layout_metrics *m, const struct params *p,
                          const char *title)
{
    int step = p->title_px / 16 > 1 ? p->title_px / 16 : 1;
    for (int size = p->title_px;; size -= step) {
        if (size < p->body_px)
            size = p->body_px;
        bool last = size == p->body_px;
        struct style st = style_of(m, p, LAYOUT_FACE_BOLD, size);
        /* Trial sizes only need to know whether one line too many is reached. */
        f->max = last ? flow_budget(p, 0) : (size_t)p->max_title_lines + 1;
        flow_add_text(f, m, &st, p->box_w, title);
        if (last || (!f->cut && f->n <= (size_t)p->max_title_lines)) {
            f->max = 0;
            return size;
        }
        flow_free(f);
    }
}

/* --- pages -------------------------------------------------------------------------------- */

static void page_build(struct flow *f, int gap, size_t s, size_t e, struct layout_page *out)
{
    *out = (struct layout_page){0};
    out->lines = xcalloc(e > s ? e - s : 1, sizeof *out->lines);
    int y = 0;
    for (size_t i = s; i < e; i++) {
        struct flow_line *fl = &f->v[i];
        if (i > s && fl->para_start)
            y += gap;
        struct layout_line *l = &out->lines[out->n_lines++];
        *l = (struct layout_line){.text = fl->text,
                                  .face = fl->face,
                                  .size_px = fl->size_px,
                                  .x = 0,
                                  .baseline_y = y + fl->ascent,
                                  .width = fl->width,
                                  .para_end = fl->para_end};
        fl->text = NULL; /* moved into the page */
        y += fl->pitch;
        if (l->face == LAYOUT_FACE_BOLD)
            out->has_title = true;
        int w = 0, d = 0;
        lb_count_words(l->text, strlen(l->text), &w, &d);
        out->n_words += w;
        out->n_digit_words += d;
    }
}

void layout_article(const struct layout_metrics *m, const struct layout_params *lp,
                    const char *title, const char *body, struct layout_doc *out)
{
    struct params p;
    params_resolve(lp, &p);
    struct flow f = {0};
    /* Only the start of a title longer than any screen can show is worth breaking. */
    char *short_title = NULL;
    if (title && strnlen(title, LAYOUT_MAX_TITLE_BYTES + 1) > LAYOUT_MAX_TITLE_BYTES) {
        size_t n = LAYOUT_MAX_TITLE_BYTES;
        while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80)
            n--;
        short_title = xasprintf("%.*s\xE2\x80\xA6", (int)n, title);
        title = short_title;
    }
    out->title_px = flow_add_title(&f, m, &p, title);
    free(short_title);
    for (size_t i = 0; i < f.n; i++)
        f.v[i].keep_next = true; /* the title is not left alone at the bottom of a page */
    struct style body_style = style_of(m, &p, LAYOUT_FACE_REGULAR, p.body_px);
    /* A paragraph is normalised whole before its first line is broken: an 8 MB body in an old
     * cache would cost that (and 8 bytes per word) on every layout. */
    char *short_body = NULL;
    bool title_cut = f.cut;
    if (!title_cut && body && strnlen(body, LAYOUT_MAX_BODY_BYTES + 1) > LAYOUT_MAX_BODY_BYTES) {
        size_t n = LAYOUT_MAX_BODY_BYTES;
        while (n > 0 && ((unsigned char)body[n] & 0xC0) == 0x80)
            n--;
        body = short_body = xstrndup(body, n);
    }
    if (!title_cut) {
        f.max = flow_budget(&p, f.n);
        flow_add_text(&f, m, &body_style, p.box_w, body);
        f.cut = f.cut || short_body; /* the text goes on past what was laid out */
    }
    free(short_body);

    size_t *brk = NULL;
    bool continued = false;
    size_t n_pages = flow_paginate(&f, &p.pages, &brk, &continued);
    out->n_pages = n_pages;
    out->pages = xcalloc(n_pages, sizeof *out->pages);
    for (size_t pg = 0; pg < n_pages; pg++)
        page_build(&f, p.pages.gap, brk[pg], brk[pg + 1], &out->pages[pg]);
    out->pages[n_pages - 1].continued = continued;
    free(brk);
    flow_free(&f);
}

void layout_doc_free(struct layout_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_pages; i++) {
        for (size_t j = 0; j < d->pages[i].n_lines; j++)
            free(d->pages[i].lines[j].text);
        free(d->pages[i].lines);
    }
    free(d->pages);
    d->pages = NULL;
    d->n_pages = 0;
}

int layout_body_px(int screen_w, int screen_h, double diagonal_in, double distance_m,
                   double cap_ratio)
{
    if (screen_w <= 0 || screen_h <= 0)
        return 32;
    double floor_px = 0.035 * screen_h;
    if (!(diagonal_in > 0) || !(distance_m > 0) || !(cap_ratio > 0.2 && cap_ratio < 1.5))
        return (int)lround(floor_px);
    /* Square pixels: the pitch follows from the diagonal in inches and in pixels. */
    double diag_px = sqrt((double)screen_w * screen_w + (double)screen_h * screen_h);
    double mm_per_px = diagonal_in * 25.4 / diag_px;
    double cap_px = 9.0 * distance_m / mm_per_px;
    double size = cap_px / cap_ratio;
    return (int)lround(size > floor_px ? size : floor_px);
}
