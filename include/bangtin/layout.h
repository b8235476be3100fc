/* layout: text + font metrics + box → lines → pages. Pure: no SDL. The metrics are behind a
 * tiny interface so tests can use a fake fixed-advance font.
 *
 * Input text is NFC (text_sanitize output): paragraphs separated by '\n'. Lines break only at
 * U+0020; U+00A0 holds words together; a word wider than the line is split at a grapheme
 * boundary as a last resort. Lines are placed by baseline: baseline_y of line k is
 * top + ascent + k × round(line_spacing × size_px) (+ paragraph gaps), never by the height of a
 * rendered surface. */
#ifndef BANGTIN_LAYOUT_H
#define BANGTIN_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

enum layout_face { LAYOUT_FACE_REGULAR, LAYOUT_FACE_BOLD };

struct layout_metrics {
    void *ctx;
    /* Advance width in pixels of utf8[0..len) in face at size_px. */
    int (*text_width)(void *ctx, enum layout_face face, int size_px, const char *utf8, size_t len);
    /* Ascent (pixels above the baseline) of face at size_px. */
    int (*ascent)(void *ctx, enum layout_face face, int size_px);
};

/* Derive the body size in px per em from the room (DESIGN.md §3): ≈ 9 mm cap height per metre
 * of viewing distance, floor 3.5 % of screen height. cap_ratio: the font's cap height / em
 * (≈ 0.714 for Noto Sans). */
int layout_body_px(int screen_w, int screen_h, double diagonal_in, double distance_m,
                   double cap_ratio);

struct layout_line {
    char *text; /* owned, NFC, no trailing space */
    enum layout_face face;
    int size_px;
    int x;          /* left edge, relative to the box */
    int baseline_y; /* relative to the box top */
    int width;
    bool para_end; /* last line of a paragraph */
};

struct layout_page {
    struct layout_line *lines;
    size_t n_lines;
    bool has_title;    /* the first lines are (bold) title lines */
    bool continued;    /* the item's text goes on past the last page shown; the page keeps
                          room for one more body line under its last line for the note */
    int n_words;       /* syllables on the page, title included (U+0020 and U+00A0 both
                          separate them), for the dwell */
    int n_digit_words; /* of those, tokens containing an ASCII digit */
};

struct layout_params {
    int box_w, box_h;      /* text box in pixels */
    int body_px, title_px; /* title_px shrinks towards body_px before a 4th title line */
    double line_spacing;   /* em, default 1.4 (0 = default), clamped to ≥ 1.3 */
    double para_spacing;   /* extra body em between paragraphs and after the title;
                              0 = default 0.5, negative = none */
    int max_title_lines;   /* default 3 */
    int max_pages;         /* 0 = unlimited; else the last page is marked continued */
    int first_page_h;      /* height available on the first page (title page), 0 = box_h */
    int last_reserve;      /* height kept free at the bottom of the last page shown (the QR
                              code): its text moves to one more page rather than run under it */
    int reserve_w;         /* lines up to this wide may run beside the reserve (0: none) */
};

struct layout_doc {
    struct layout_page *pages;
    size_t n_pages;
    int title_px; /* the title size actually used */
};

/* Lay out one article: title (bold) then body paragraphs ('\n'-separated). Always at least one
 * page; out is overwritten (free with layout_doc_free).
 * Pages: filled in order; a page does not start with the last line of a paragraph begun on the
 * page before (widow) nor end with the first line of one that goes on (orphan) or with a
 * heading (a one-line paragraph without a final full stop) or the title when stepping back up
 * to three lines avoids it; a last page holding one line or under a third of the page
 * before is balanced with it. A title taller than the first page goes on over the next pages.
 * With max_pages, body text past what the capped pages can hold is not even broken. */
void layout_article(const struct layout_metrics *m, const struct layout_params *p,
                    const char *title, const char *body, struct layout_doc *out);
void layout_doc_free(struct layout_doc *d);

/* Break one paragraph into lines of at most width pixels. Returns the number of lines;
 * *out is an array of owned strings (caller frees with layout_lines_free). */
size_t layout_break(const struct layout_metrics *m, enum layout_face face, int size_px, int width,
                    const char *para, char ***out);
/* The same, stopping after max_lines lines (0 = no limit): a caller that shows three lines of
 * a title does not pay for breaking all of it. */
size_t layout_break_max(const struct layout_metrics *m, enum layout_face face, int size_px,
                        int width, const char *para, size_t max_lines, char ***out);
void layout_lines_free(char **lines, size_t n);

#endif
