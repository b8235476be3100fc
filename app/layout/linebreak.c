/* Line breaking: greedy, left-aligned, at U+0020 only. Whole candidate lines are measured
 * through the metrics interface (so kerning and shaping count), but the breaker guesses the
 * line end from a running pixels-per-byte estimate first, so a line costs about two or three
 * measurements instead of one per word. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/text.h"
#include "bangtin/util.h"
#include "layout_internal.h"

struct breaker {
    const struct layout_metrics *m;
    enum layout_face face;
    int size, width;
    const char *s;      /* normalised paragraph */
    const size_t *wend; /* byte offset just past word k */
    size_t n;           /* number of words */
    double px_per_byte; /* running estimate used only to guess where a line ends */
};

struct line_vec {
    struct lb_line *v;
    size_t n, cap;
};

void lb_count_words(const char *s, size_t len, int *words, int *digit_words)
{
    int nw = 0, nd = 0;
    bool in_word = false, digit = false;
    for (size_t i = 0; i <= len; i++) {
        bool sep = i == len || s[i] == ' ';
        size_t skip = 0;
        if (!sep && i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
            sep = true; /* U+00A0 */
            skip = 1;
        }
        if (sep) {
            if (in_word) {
                nw++;
                nd += digit;
            }
            in_word = digit = false;
            i += skip;
            continue;
        }
        in_word = true;
        if (s[i] >= '0' && s[i] <= '9')
            digit = true;
    }
    *words = nw;
    *digit_words = nd;
}

static int lb_measure(struct breaker *b, size_t start, size_t end)
{
    int w = b->m->text_width(b->m->ctx, b->face, b->size, b->s + start, end - start);
    if (end > start && w > 0)
        b->px_per_byte = 0.5 * b->px_per_byte + 0.5 * (double)w / (double)(end - start);
    return w;
}

/* Bytes worth a few lines at the current estimate: how much of a huge word is worth looking at. */
static size_t lb_window(const struct breaker *b)
{
    return (size_t)(4.0 * b->width / b->px_per_byte) + 64;
}

/* What word j adds to a line: the width of " word" alone. Short, so cheap to measure; only
 * used to skip whole-line measurements whose answer is clear by a wide margin. */
static int lb_probe(const struct breaker *b, size_t j)
{
    return b->m->text_width(b->m->ctx, b->face, b->size, b->s + b->wend[j - 1],
                            b->wend[j] - b->wend[j - 1]);
}

/* How many whole words, from the one starting (or resuming) at pos = word k, fit on one line.
 * 0 when even the first does not. *w receives the width of the line taken, always measured
 * as a whole line; a probe of one word only ever saves a measurement that could not fit. */
static size_t lb_fit_words(struct breaker *b, size_t pos, size_t k, int *w)
{
    double guess = (double)b->width / b->px_per_byte;
    int slack = b->size / 4 + 1; /* far more than kerning across a space can take back */
    size_t j = k;
    while (j + 1 < b->n && (double)(b->wend[j + 1] - pos) <= guess)
        j++;
    if (j == k && b->wend[k] - pos > lb_window(b)) {
        /* A huge word: if a prefix a few lines long is already too wide, so is the word; do
         * not measure a megabyte to learn that. */
        size_t cut = pos;
        while (cut < b->wend[k] && cut - pos < lb_window(b))
            cut += text_grapheme_len(b->s + cut, b->wend[k] - cut);
        if (lb_measure(b, pos, cut) > b->width)
            return 0;
    }
    int wj = lb_measure(b, pos, b->wend[j]);
    while (wj > b->width && j > k) {
        int est = wj - lb_probe(b, j); /* the line without its last word */
        j--;
        wj = est > b->width + slack && j > k ? est : lb_measure(b, pos, b->wend[j]);
    }
    if (wj > b->width)
        return 0;
    while (j + 1 < b->n && wj + lb_probe(b, j + 1) <= b->width + slack) {
        int next = lb_measure(b, pos, b->wend[j + 1]);
        if (next > b->width)
            break;
        j++;
        wj = next;
    }
    *w = wj;
    return j - k + 1;
}

/* Last resort for a word wider than the line: the longest run of whole grapheme clusters from
 * pos that fits (at least one cluster, even if that alone is too wide). Returns the cut. Only a
 * window a few lines long is cut into clusters and measured, so that a hostile megabyte with
 * no space costs per line about what an ordinary line does. */
static size_t lb_split_word(struct breaker *b, size_t pos, size_t end, int *w)
{
    size_t window = lb_window(b);
    size_t *bounds = NULL, nb = 0;
    for (;;) {
        size_t lim = end - pos > window ? pos + window : end;
        bounds = xrealloc(bounds, (lim - pos) * sizeof *bounds);
        nb = 0;
        for (size_t p = pos; p < lim;) {
            p += text_grapheme_len(b->s + p, end - p);
            bounds[nb++] = p;
        }
        /* The whole rest is known not to fit; a window's end must be checked. */
        if (bounds[nb - 1] == end || lb_measure(b, pos, bounds[nb - 1]) > b->width)
            break;
        window *= 4;
    }
    /* bounds[nb - 1] does not fit; bounds[0] is taken regardless. */
    size_t lo = 0, hi = nb - 1;
    while (hi > lo + 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (lb_measure(b, pos, bounds[mid]) <= b->width)
            lo = mid;
        else
            hi = mid;
    }
    size_t cut = bounds[lo];
    free(bounds);
    *w = lb_measure(b, pos, cut);
    return cut;
}

static void lb_push(struct line_vec *lv, size_t start, size_t end, int width)
{
    if (lv->n == lv->cap) {
        lv->cap = lv->cap ? lv->cap * 2 : 16;
        lv->v = xrealloc(lv->v, lv->cap * sizeof *lv->v);
    }
    lv->v[lv->n++] = (struct lb_line){.start = start, .end = end, .width = width};
}

/* Collapse runs of U+0020 to one and trim the edges; record where each word ends. */
static char *lb_normalise(const char *para, size_t len, size_t **wend, size_t *n_words)
{
    char *out = xmalloc(len + 1);
    size_t o = 0, n = 0, cap = 0;
    size_t *ends = NULL;
    for (size_t i = 0; i < len; i++) {
        if (para[i] == ' ' || para[i] == '\n')
            continue;
        if (o > 0 && (para[i - 1] == ' ' || para[i - 1] == '\n'))
            out[o++] = ' ';
        out[o++] = para[i];
        if (i + 1 == len || para[i + 1] == ' ' || para[i + 1] == '\n') {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                ends = xrealloc(ends, cap * sizeof *ends);
            }
            ends[n++] = o;
        }
    }
    out[o] = '\0';
    *wend = ends;
    *n_words = n;
    return out;
}

size_t lb_break(const struct layout_metrics *m, enum layout_face face, int size_px, int width,
                const char *para, size_t para_len, size_t max_lines, bool *cut, char **norm,
                struct lb_line **lines)
{
    size_t *wend = NULL, n = 0;
    char *s = lb_normalise(para, para_len, &wend, &n);
    struct breaker b = {.m = m,
                        .face = face,
                        .size = size_px,
                        .width = width > 0 ? width : 1,
                        .s = s,
                        .wend = wend,
                        .n = n,
                        .px_per_byte = size_px > 0 ? size_px * 0.45 : 1.0};
    struct line_vec lv = {0};
    size_t k = 0, pos = 0;
    while (k < n && (max_lines == 0 || lv.n < max_lines)) {
        int w = 0;
        size_t nw = lb_fit_words(&b, pos, k, &w);
        size_t end = nw > 0 ? wend[k + nw - 1] : lb_split_word(&b, pos, wend[k], &w);
        lb_push(&lv, pos, end, w);
        if (nw == 0 && end < wend[k]) {
            pos = end; /* the rest of a split word starts the next line */
            continue;
        }
        k += nw > 0 ? nw : 1; /* (a single cluster wider than the line takes its whole word) */
        pos = k < n ? wend[k - 1] + 1 : end;
    }
    if (cut)
        *cut = k < n;
    free(wend);
    *norm = s;
    *lines = lv.v;
    return lv.n;
}

size_t layout_break(const struct layout_metrics *m, enum layout_face face, int size_px, int width,
                    const char *para, char ***out)
{
    return layout_break_max(m, face, size_px, width, para, 0, out);
}

size_t layout_break_max(const struct layout_metrics *m, enum layout_face face, int size_px,
                        int width, const char *para, size_t max_lines, char ***out)
{
    char *norm = NULL;
    struct lb_line *ll = NULL;
    size_t n = lb_break(m, face, size_px, width, para ? para : "", para ? strlen(para) : 0,
                        max_lines, NULL, &norm, &ll);
    char **v = xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = xstrndup(norm + ll[i].start, ll[i].end - ll[i].start);
    free(ll);
    free(norm);
    *out = v;
    return n;
}

void layout_lines_free(char **lines, size_t n)
{
    if (!lines)
        return;
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}
