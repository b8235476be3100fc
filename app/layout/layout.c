/* Article layout: title (bold, shrunk if it would need too many lines) then body paragraphs,
 * broken into lines and paginated with widow/orphan control and a balanced last page. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/util.h"
#include "layout_internal.h"

/* A line before pagination. */
struct flow_line {
    char *text;
    int width;
    bool para_start, para_end;
};

struct flow {
    struct flow_line *v;
    size_t n, cap;
    size_t max; /* stop breaking after this many lines (0 = all) */
    bool cut;   /* text was left unbroken because of max */
};

/* Resolved parameters and derived geometry. */
struct geom {
    int box_w, first_h, box_h;
    int body_px, title_px;
    int pitch_body, pitch_title, gap;
    int asc_body, asc_title;
    int max_title_lines, max_pages;
    double line_spacing;
};

static void flow_push(struct flow *f, char *text, int width, bool start, bool end)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 32;
        f->v = xrealloc(f->v, f->cap * sizeof *f->v);
    }
    f->v[f->n++] = (struct flow_line){.text = text, .width = width, .para_start = start,
                                      .para_end = end};
}

static void flow_free(struct flow *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].text);
    free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
}

/* Break one paragraph [para, para + len) and append its lines to f, up to f->max lines in
 * all (0 = no limit; f->cut records text left over). */
static void flow_add_para(struct flow *f, const struct layout_metrics *m, enum layout_face face,
                          int size, int width, const char *para, size_t len)
{
    char *norm = NULL;
    struct lb_line *ll = NULL;
    bool cut = false;
    size_t room = f->max ? (f->n < f->max ? f->max - f->n : 0) : 0;
    if (f->max && room == 0) {
        f->cut = f->cut || strspn(para, " ") < len;
        return;
    }
    size_t n = lb_break(m, face, size, width, para, len, room, &cut, &norm, &ll);
    for (size_t i = 0; i < n; i++)
        flow_push(f, xstrndup(norm + ll[i].start, ll[i].end - ll[i].start), ll[i].width, i == 0,
                  i + 1 == n && !cut);
    f->cut = f->cut || cut;
    free(ll);
    free(norm);
}

static void flow_add_text(struct flow *f, const struct layout_metrics *m, enum layout_face face,
                          int size, int width, const char *text)
{
    const char *p = text ? text : "";
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        flow_add_para(f, m, face, size, width, p, len);
        if (!nl || f->cut)
            break;
        p = nl + 1;
    }
}

static int pitch_of(double spacing, int size)
{
    return (int)lround(spacing * size);
}

static void geom_init(struct geom *g, const struct layout_metrics *m,
                      const struct layout_params *p)
{
    g->box_w = p->box_w > 0 ? p->box_w : 1;
    g->box_h = p->box_h > 0 ? p->box_h : 1;
    g->first_h = p->first_page_h > 0 ? p->first_page_h : g->box_h;
    g->body_px = p->body_px > 0 ? p->body_px : 32;
    g->title_px = p->title_px > 0 ? p->title_px : pitch_of(1.4, g->body_px);
    if (g->title_px < g->body_px)
        g->title_px = g->body_px;
    g->line_spacing = p->line_spacing > 0 ? p->line_spacing : 1.4;
    if (g->line_spacing < 1.3)
        g->line_spacing = 1.3;
    double para = p->para_spacing == 0 ? 0.5 : p->para_spacing < 0 ? 0 : p->para_spacing;
    g->gap = pitch_of(para, g->body_px);
    g->pitch_body = pitch_of(g->line_spacing, g->body_px);
    g->asc_body = m->ascent(m->ctx, LAYOUT_FACE_REGULAR, g->body_px);
    g->max_title_lines = p->max_title_lines > 0 ? p->max_title_lines : 3;
    g->max_pages = p->max_pages > 0 ? p->max_pages : 0;
}

/* Title lines at the largest size, stepping from title_px down to body_px, that needs at most
 * max_title_lines lines; at body_px it takes as many lines as it needs (never truncated). */
static void layout_title(struct geom *g, const struct layout_metrics *m, const char *title,
                         struct flow *out)
{
    int step = g->title_px / 16 > 1 ? g->title_px / 16 : 1;
    for (int size = g->title_px;; size -= step) {
        if (size < g->body_px)
            size = g->body_px;
        flow_add_text(out, m, LAYOUT_FACE_BOLD, size, g->box_w, title);
        if (out->n <= (size_t)g->max_title_lines || size == g->body_px) {
            g->title_px = size;
            break;
        }
        flow_free(out);
    }
    g->pitch_title = pitch_of(g->line_spacing, g->title_px);
    g->asc_title = m->ascent(m->ctx, LAYOUT_FACE_BOLD, g->title_px);
}

int layout_body_px(int screen_w, int screen_h, double diagonal_in, double distance_m,
                   double cap_ratio)
{
    if (screen_w <= 0 || screen_h <= 0)
        return 32;
    double floor_px = 0.035 * screen_h;
    double diag_px = sqrt((double)screen_w * screen_w + (double)screen_h * screen_h);
    if (!(diagonal_in > 0) || !(distance_m > 0) || !(cap_ratio > 0.2 && cap_ratio < 1.5))
        return (int)lround(floor_px);
    /* Square pixels: the pitch follows from the diagonal in both units. */
    double mm_per_px = diagonal_in * 25.4 / diag_px;
    double cap_px = 9.0 * distance_m / mm_per_px;
    double size = cap_px / cap_ratio;
    if (size < floor_px)
        size = floor_px;
    return (int)lround(size);
}

/* --- pagination ------------------------------------------------------------------------- */

/* Height of body lines [s, e) placed on one page (paragraph gaps inside, none at the top). */
static int body_height(const struct geom *g, const struct flow *b, size_t s, size_t e)
{
    int h = (int)(e - s) * g->pitch_body;
    for (size_t i = s + 1; i < e; i++)
        if (b->v[i].para_start)
            h += g->gap;
    return h;
}

/* Height taken above the body on page pg (the title block and its gap on page 0). */
static int page_top(const struct geom *g, size_t pg, size_t n_title)
{
    return pg == 0 && n_title > 0 ? (int)n_title * g->pitch_title + g->gap : 0;
}

static int page_h(const struct geom *g, size_t pg)
{
    return pg == 0 ? g->first_h : g->box_h;
}

static bool fits(const struct geom *g, const struct flow *b, size_t pg, size_t n_title,
                 size_t s, size_t e)
{
    return page_top(g, pg, n_title) + body_height(g, b, s, e) <= page_h(g, pg);
}

/* A page must not start with the last line of a paragraph begun on the page before (widow),
 * nor end with the first line of a paragraph that goes on (orphan). */
static bool bad_break(const struct flow *b, size_t e)
{
    if (e == 0 || e >= b->n)
        return false;
    bool widow = b->v[e].para_end && !b->v[e].para_start;
    bool orphan = b->v[e - 1].para_start && !b->v[e - 1].para_end;
    return widow || orphan;
}

/* End of the page that starts at body line s: as many lines as fit, then stepped back (at most
 * two lines, never emptying the page) while the break would leave a widow or an orphan. */
static size_t page_end(const struct geom *g, const struct flow *b, size_t pg, size_t n_title,
                       size_t s)
{
    int h = page_top(g, pg, n_title), room = page_h(g, pg);
    size_t e = s;
    while (e < b->n) {
        int add = g->pitch_body + (e > s && b->v[e].para_start ? g->gap : 0);
        if (h + add > room)
            break;
        h += add;
        e++;
    }
    if (e == s && s < b->n && !(pg == 0 && n_title > 0))
        e = s + 1; /* a box lower than one line: show the line anyway rather than loop */
    size_t best = e;
    for (int tries = 0; tries < 2 && bad_break(b, best) && best > s + 1; tries++)
        best--;
    return bad_break(b, best) ? e : best;
}

/* When the last page holds a single line or under a third of the page before it, move the
 * break between them back so that both are about as full (the earlier page may end up at most
 * one line shorter), skipping breaks that would leave a widow or an orphan. */
static void balance_last(const struct geom *g, const struct flow *b, size_t n_title, size_t *brk,
                         size_t n_pages)
{
    if (n_pages < 2)
        return;
    size_t pg = n_pages - 2, s = brk[pg], cur = brk[pg + 1], n = b->n;
    int top = page_top(g, pg, n_title);
    int prev_h = top + body_height(g, b, s, cur), last_h = body_height(g, b, cur, n);
    if (n - cur > 1 && last_h * 3 >= prev_h)
        return;
    size_t best = cur;
    int best_diff = prev_h - last_h;
    for (size_t c = cur - 1; c > s; c--) {
        int ph = top + body_height(g, b, s, c), lh = body_height(g, b, c, n);
        if (ph + g->pitch_body + g->gap < lh || !fits(g, b, pg + 1, n_title, c, n))
            break;
        int diff = ph > lh ? ph - lh : lh - ph;
        if (!bad_break(b, c) && diff < best_diff) {
            best = c;
            best_diff = diff;
        }
    }
    brk[pg + 1] = best;
}

/* brk[i] = first body line of page i, brk[n_pages] = b->n. Returns n_pages (≥ 1). */
static size_t paginate(const struct geom *g, const struct flow *b, size_t n_title, size_t **out)
{
    size_t cap = 8, n_pages = 0;
    size_t *brk = xmalloc(cap * sizeof *brk);
    size_t s = 0;
    brk[0] = 0;
    do {
        size_t e = page_end(g, b, n_pages, n_title, s);
        if (n_pages + 2 > cap) {
            cap *= 2;
            brk = xrealloc(brk, cap * sizeof *brk);
        }
        brk[++n_pages] = e;
        s = e;
    } while (s < b->n);
    if (!b->cut && (g->max_pages == 0 || n_pages <= (size_t)g->max_pages))
        balance_last(g, b, n_title, brk, n_pages);
    *out = brk;
    return n_pages;
}

static void page_add_line(struct layout_page *pg, struct flow_line *fl, enum layout_face face,
                          int size, int baseline)
{
    struct layout_line *l = &pg->lines[pg->n_lines++];
    *l = (struct layout_line){.text = fl->text, .face = face, .size_px = size, .x = 0,
                              .baseline_y = baseline, .width = fl->width,
                              .para_end = fl->para_end};
    fl->text = NULL; /* moved into the page */
    int w = 0, d = 0;
    lb_count_words(l->text, strlen(l->text), &w, &d);
    pg->n_words += w;
    pg->n_digit_words += d;
}

/* Fill page pg with the title (page 0) and body lines [s, e), placed by baseline. */
static void build_page(const struct geom *g, struct flow *t, struct flow *b, size_t pg,
                       size_t s, size_t e, struct layout_page *out)
{
    size_t n_title = pg == 0 ? t->n : 0;
    *out = (struct layout_page){0};
    out->lines = xcalloc(n_title + (e - s) + 1, sizeof *out->lines);
    out->has_title = n_title > 0;
    for (size_t i = 0; i < n_title; i++)
        page_add_line(out, &t->v[i], LAYOUT_FACE_BOLD, g->title_px,
                      g->asc_title + (int)i * g->pitch_title);
    int y = page_top(g, pg, t->n);
    for (size_t i = s; i < e; i++) {
        if (i > s && b->v[i].para_start)
            y += g->gap;
        page_add_line(out, &b->v[i], LAYOUT_FACE_REGULAR, g->body_px, y + g->asc_body);
        y += g->pitch_body;
    }
}

/* With a page cap, more body lines than the capped pages could ever hold (plus what widow
 * control may push back) need not be broken at all: a long post costs no more than a short. */
static size_t flow_budget(const struct geom *g)
{
    if (g->max_pages == 0)
        return 0;
    size_t lines = (size_t)(g->first_h / g->pitch_body + 1);
    lines += (size_t)(g->max_pages - 1) * (size_t)(g->box_h / g->pitch_body + 1);
    return lines + 2 * (size_t)g->max_pages + 2;
}

void layout_article(const struct layout_metrics *m, const struct layout_params *p,
                    const char *title, const char *body, struct layout_doc *out)
{
    struct geom g;
    struct flow t = {0}, b = {0};
    geom_init(&g, m, p);
    layout_title(&g, m, title, &t);
    b.max = flow_budget(&g);
    flow_add_text(&b, m, LAYOUT_FACE_REGULAR, g.body_px, g.box_w, body);

    size_t *brk = NULL;
    size_t n_pages = paginate(&g, &b, t.n, &brk);
    bool continued = false;
    if (g.max_pages > 0 && (n_pages > (size_t)g.max_pages || b.cut)) {
        if (n_pages > (size_t)g.max_pages)
            n_pages = (size_t)g.max_pages;
        continued = true;
        /* Leave one body line of room under the last line for the renderer's note. */
        size_t pg = n_pages - 1, s = brk[pg], e = brk[pg + 1];
        size_t min_e = s + (pg == 0 && t.n > 0 ? 0 : 1);
        while (e > min_e &&
               page_top(&g, pg, t.n) + body_height(&g, &b, s, e) + g.pitch_body > page_h(&g, pg))
            e--;
        brk[pg + 1] = e;
    }
    out->n_pages = n_pages;
    out->pages = xcalloc(n_pages, sizeof *out->pages);
    out->title_px = g.title_px;
    for (size_t pg = 0; pg < n_pages; pg++)
        build_page(&g, &t, &b, pg, brk[pg], brk[pg + 1], &out->pages[pg]);
    out->pages[n_pages - 1].continued = continued;
    free(brk);
    flow_free(&t);
    flow_free(&b);
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
