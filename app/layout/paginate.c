/* Pagination of a flow of lines: fill each page, step back a line or two rather than leave a
 * widow or an orphan, balance a nearly empty last page with the one before, honour the cap. */
#include <stdlib.h>

#include "bangtin/util.h"
#include "layout_internal.h"

#define BALANCE_MIN 0.75

int flow_height(const struct flow *f, int gap, size_t s, size_t e)
{
    int h = 0;
    for (size_t i = s; i < e; i++)
        h += f->v[i].pitch + (i > s && f->v[i].para_start ? gap : 0);
    return h;
}

static int page_h(const struct page_geom *g, size_t pg)
{
    return pg == 0 ? g->first_h : g->box_h;
}

/* Room on page pg when it is the last one (the reserve kept free under its text). */
static int room_last(const struct page_geom *g, size_t pg)
{
    return page_h(g, pg) - g->last_reserve;
}

/* Do lines [s, e) fit on page pg as the last page: within the page, and where they reach down
 * beside the reserve, no wider than reserve_w? */
static bool fits_last(const struct flow *f, const struct page_geom *g, size_t pg, size_t s,
                      size_t e)
{
    int h = 0, room = page_h(g, pg), free_h = room_last(g, pg);
    for (size_t i = s; i < e; i++) {
        h += f->v[i].pitch + (i > s && f->v[i].para_start ? g->gap : 0);
        if (h > room || (h > free_h && f->v[i].width > g->reserve_w))
            return false;
    }
    return true;
}

/* A page must not start with the last line of a paragraph begun on the page before (widow),
 * nor end with the first line of a paragraph that goes on (orphan), a heading or the title. */
static bool bad_break(const struct flow *f, size_t e)
{
    if (e == 0 || e >= f->n)
        return false;
    bool widow = f->v[e].para_end && !f->v[e].para_start;
    bool orphan = f->v[e - 1].para_start && !f->v[e - 1].para_end;
    return widow || orphan || f->v[e - 1].keep_next;
}

/* End of the page that starts at line s: as many lines as fit in room, then stepped back (at
 * most three lines, never emptying the page) while the break would leave a widow, an orphan or
 * a heading. */
static size_t page_end(const struct flow *f, const struct page_geom *g, size_t s, int room)
{
    int h = 0;
    size_t e = s;
    while (e < f->n) {
        int add = f->v[e].pitch + (e > s && f->v[e].para_start ? g->gap : 0);
        if (h + add > room)
            break;
        h += add;
        e++;
    }
    if (e == s && s < f->n)
        return s + 1; /* a box lower than one line: show the line anyway rather than loop */
    size_t best = e;
    for (int tries = 0; tries < 3 && bad_break(f, best) && best > s + 1; tries++)
        best--;
    return bad_break(f, best) ? e : best;
}

/* When the last page holds a single line or under a third of the page before it, move the
 * break between them back so that both are about as full (the earlier page may end up at most
 * one line shorter), skipping breaks that would leave a widow or an orphan. */
static void balance_last(const struct flow *f, const struct page_geom *g, size_t *brk,
                         size_t n_pages)
{
    if (n_pages < 2)
        return;
    size_t pg = n_pages - 2, s = brk[pg], cur = brk[pg + 1], n = f->n;
    int prev_h = flow_height(f, g->gap, s, cur), last_h = flow_height(f, g->gap, cur, n);
    if (n - cur > 1 && last_h * 3 >= prev_h)
        return;
    size_t best = cur;
    int best_diff = prev_h - last_h;
    for (size_t c = cur - 1; c > s; c--) {
        int ph = flow_height(f, g->gap, s, c), lh = flow_height(f, g->gap, c, n);
        /* The earlier page stays at least BALANCE_MIN full (no half-empty pages) unless the
         * last one would hold a single line. */
        if (ph + f->v[c].pitch + g->gap < lh || !fits_last(f, g, pg + 1, c, n) ||
            (ph < BALANCE_MIN * page_h(g, pg) && n - cur > 1))
            break;
        int diff = ph > lh ? ph - lh : lh - ph;
        if (!bad_break(f, c) && diff < best_diff) {
            best = c;
            best_diff = diff;
        }
    }
    brk[pg + 1] = best;
}

/* Cut to max_pages; the last page shown keeps room for one more line (the renderer's
 * "… xem tiếp qua mã QR") unless that would empty it. */
static size_t cap_pages(const struct flow *f, const struct page_geom *g, size_t *brk,
                        size_t n_pages)
{
    if (n_pages > (size_t)g->max_pages)
        n_pages = (size_t)g->max_pages;
    size_t pg = n_pages - 1, s = brk[pg], e = brk[pg + 1];
    while (e > s + 1 && flow_height(f, g->gap, s, e) + g->note_pitch > room_last(g, pg))
        e--;
    brk[pg + 1] = e;
    return n_pages;
}

size_t flow_paginate(const struct flow *f, const struct page_geom *g, size_t **brk, bool *continued)
{
    size_t cap = 8, n_pages = 0, s = 0;
    size_t *b = xmalloc(cap * sizeof *b);
    b[0] = 0;
    do {
        size_t e = page_end(f, g, s, page_h(g, n_pages));
        /* The last page keeps its reserve free: what does not fit beside it goes on one more
         * page (balanced below). */
        if (e >= f->n && e > s + 1 && !fits_last(f, g, n_pages, s, e) &&
            (g->max_pages == 0 || n_pages + 1 < (size_t)g->max_pages)) {
            /* This page stays full; the lines the reserve has no room for move on. */
            size_t fit = e;
            while (fit > s + 1 && !fits_last(f, g, n_pages, s, fit))
                fit--;
            e = fit < f->n - 1 ? f->n - 1 : fit;
            while (e > fit && bad_break(f, e))
                e--;
        }
        if (n_pages + 2 > cap) {
            cap *= 2;
            b = xrealloc(b, cap * sizeof *b);
        }
        b[++n_pages] = e;
        s = e;
        /* Past the cap one page is enough to know that the text goes on. */
    } while (s < f->n && (g->max_pages == 0 || n_pages <= (size_t)g->max_pages));
    /* A last page under the cap with no room for its reserve: the rest goes to the QR code. */
    bool crowded = n_pages == (size_t)g->max_pages && n_pages > 0 &&
                   !fits_last(f, g, n_pages - 1, b[n_pages - 1], b[n_pages]);
    *continued = g->max_pages > 0 && (n_pages > (size_t)g->max_pages || f->cut || crowded);
    if (*continued)
        n_pages = cap_pages(f, g, b, n_pages);
    else
        balance_last(f, g, b, n_pages);
    *brk = b;
    return n_pages;
}
