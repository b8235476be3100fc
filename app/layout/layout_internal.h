/* Private to the layout module: the line breaker shared by layout_break() and the paginator. */
#ifndef BANGTIN_LAYOUT_INTERNAL_H
#define BANGTIN_LAYOUT_INTERNAL_H

#include <stddef.h>

#include "bangtin/layout.h"

/* One broken line: a byte range of the breaker's normalised paragraph and its measured width. */
struct lb_line {
    size_t start, end;
    int width;
};

/* Break para (any UTF-8; runs of U+0020 collapse to one, edges trimmed) into lines of at most
 * width pixels, stopping after max_lines lines (0 = no limit; *cut then says whether text was
 * left over). *norm receives the normalised paragraph the ranges refer to (caller frees);
 * *lines the ranges (caller frees). Returns the number of lines (0 for an empty paragraph). */
size_t lb_break(const struct layout_metrics *m, enum layout_face face, int size_px, int width,
                const char *para, size_t para_len, size_t max_lines, bool *cut, char **norm,
                struct lb_line **lines);

/* Space-separated tokens (U+0020 and U+00A0 both separate: a no-break space is still read as a
 * gap between syllables) and those containing an ASCII digit. */
void lb_count_words(const char *s, size_t len, int *words, int *digit_words);

/* A line before pagination: title and body lines in one flow, each with its own pitch (the
 * distance to the next baseline) and ascent. */
struct flow_line {
    char *text; /* owned until moved into a page */
    enum layout_face face;
    int size_px, width;
    int pitch, ascent;
    bool para_start, para_end;
    bool keep_next; /* a heading or a title line: not the last line of a page */
};

struct flow {
    struct flow_line *v;
    size_t n, cap;
    size_t max; /* stop breaking after this many lines (0 = all) */
    bool cut;   /* text was left unbroken because of max */
};

struct page_geom {
    int first_h, box_h; /* room on the first page and on the others */
    int gap;            /* extra space before a paragraph that does not start a page */
    int note_pitch;     /* room kept under the last line of a continued page */
    int max_pages;      /* 0 = no cap */
    int last_reserve;   /* room kept free at the bottom of the last page */
    int reserve_w;      /* lines no wider than this may run beside the reserve */
};

/* Height of lines [s, e) placed on one page. */
int flow_height(const struct flow *f, int gap, size_t s, size_t e);
/* Page breaks: (*brk)[i] = first line of page i, (*brk)[n] = the end of what is shown (all of
 * f unless *continued). Widow/orphan control, a balanced last page, the max_pages cap. Returns
 * the number of pages (≥ 1); caller frees *brk. */
size_t flow_paginate(const struct flow *f, const struct page_geom *g, size_t **brk,
                     bool *continued);

#endif
