/* draw: text and pictures onto ARGB surfaces. Pages are painted on the CPU once and uploaded
 * as one texture, so they look the same on every SDL renderer. Painters add to a display list
 * (dlist.c), which is drawn afterwards. Text is placed by its baseline
 * (baseline − TTF_FontAscent), never by the height of the rendered surface (DESIGN.md §3). */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/text.h"
#include "bangtin/util.h"

void render_fill(struct render_dl *dl, int x, int y, int w, int h, SDL_Color c, bool backdrop)
{
    struct render_dl_item *it = render_dl_add(dl, RENDER_DL_FILL, (SDL_Rect){x, y, w, h});
    it->colour = c;
    it->flags = backdrop ? RENDER_DL_BACKDROP : 0;
}

void render_image(struct render_dl *dl, SDL_Surface *img, int x, int y, int w, int h)
{
    if (!img || w <= 0 || h <= 0)
        return;
    struct render_dl_item *it = render_dl_add(dl, RENDER_DL_IMAGE, (SDL_Rect){x, y, w, h});
    it->image = img;
}

int render_text_width(struct render_fonts *f, enum layout_face face, int size_px, const char *utf8)
{
    TTF_Font *font = render_font(f, face, size_px);
    int w = 0, h = 0;
    if (!font || str_empty(utf8) || TTF_SizeUTF8(font, utf8, &w, &h) != 0)
        return 0;
    return w;
}

/* A text line of the list: its rectangle is the em above the baseline and a quarter em below
 * (descenders), as wide as the text. */
static struct render_dl_item *text_item(struct render_dl *dl, struct render_fonts *f,
                                        enum layout_face face, int size_px, const char *utf8, int x,
                                        int baseline_y, SDL_Color c, int max_w)
{
    int w = render_text_width(f, face, size_px, utf8);
    SDL_Rect rect = {x, baseline_y - size_px, w, size_px + (size_px + 2) / 4};
    struct render_dl_item *it = render_dl_add(dl, RENDER_DL_TEXT, rect);
    it->box.w = max_w >= 0 ? max_w : w;
    it->text = xstrdup(utf8);
    it->face = face;
    it->size_px = size_px;
    it->baseline = baseline_y;
    it->colour = c;
    return it;
}

int render_text(struct render_dl *dl, struct render_fonts *f, enum layout_face face, int size_px,
                const char *utf8, int x, int baseline_y, SDL_Color c)
{
    if (str_empty(utf8))
        return 0;
    return text_item(dl, f, face, size_px, utf8, x, baseline_y, c, -1)->rect.w;
}

static int prefix_width(struct render_fonts *f, enum layout_face face, int size_px, const char *s,
                        size_t n)
{
    char *trial = xasprintf("%.*s…", (int)n, s);
    int w = render_text_width(f, face, size_px, trial);
    free(trial);
    return w;
}

/* The longest prefix of s (whole graphemes, preferring a word end) that fits with "…".
 * Binary search over grapheme boundaries: titles can be long. */
static char *text_cut(struct render_fonts *f, enum layout_face face, int size_px, const char *s,
                      int max_w)
{
    size_t len = strlen(s), n = 0;
    size_t *ends = xmalloc((len + 1) * sizeof(*ends));
    for (size_t at = 0; at < len; at += text_grapheme_len(s + at, len - at))
        ends[n++] = at + text_grapheme_len(s + at, len - at);
    size_t lo = 0, hi = n; /* answer: ends[k - 1] for the largest fitting k in [0, n] */
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (prefix_width(f, face, size_px, s, ends[mid - 1]) <= max_w)
            lo = mid;
        else
            hi = mid - 1;
    }
    size_t cut = lo > 0 ? ends[lo - 1] : 0;
    free(ends);
    size_t space = cut;
    while (space > 0 && s[space] != ' ')
        space--;
    if (space > 0 && space * 3 > cut * 2)
        cut = space;
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    return xasprintf("%.*s…", (int)cut, s);
}

#define RENDER_FIT_MAX_BYTES 4096u

int render_text_fit(struct render_dl *dl, struct render_fonts *f, enum layout_face face,
                    int size_px, const char *utf8, int x, int baseline_y, int max_w, SDL_Color c,
                    bool may_cut)
{
    if (str_empty(utf8))
        return 0;
    /* One line never shows more than this; measuring a megabyte to learn so would stall. */
    if (strnlen(utf8, RENDER_FIT_MAX_BYTES + 1) > RENDER_FIT_MAX_BYTES) {
        size_t n = RENDER_FIT_MAX_BYTES;
        while (n > 0 && ((unsigned char)utf8[n] & 0xC0) == 0x80)
            n--;
        char *head = xstrndup(utf8, n);
        int w = render_text_fit(dl, f, face, size_px, head, x, baseline_y, max_w, c, may_cut);
        free(head);
        return w;
    }
    unsigned flags = may_cut ? RENDER_DL_MAY_SHORTEN : 0;
    if (render_text_width(f, face, size_px, utf8) <= max_w || !may_cut) {
        struct render_dl_item *it = text_item(dl, f, face, size_px, utf8, x, baseline_y, c, max_w);
        it->flags = flags | (it->rect.w > max_w ? RENDER_DL_SHORTENED : 0);
        return it->rect.w;
    }
    char *cut = text_cut(f, face, size_px, utf8, max_w);
    struct render_dl_item *it = text_item(dl, f, face, size_px, cut, x, baseline_y, c, max_w);
    it->flags = flags | RENDER_DL_SHORTENED;
    free(cut);
    return it->rect.w;
}

int render_text_lines(const struct layout_metrics *m, enum layout_face face, int size_px,
                      const char *utf8, int max_w)
{
    if (str_empty(utf8))
        return 0;
    char **lines = NULL;
    size_t n = layout_break(m, face, size_px, max_w, utf8, &lines);
    layout_lines_free(lines, n);
    return (int)n;
}

int render_text_wrap(struct render_dl *dl, struct render_fonts *f, const struct layout_metrics *m,
                     enum layout_face face, int size_px, const char *utf8, int x, int baseline_y,
                     int max_w, int max_lines, int line_step, SDL_Color c, bool centre,
                     bool may_cut)
{
    if (str_empty(utf8) || max_lines <= 0)
        return baseline_y;
    char **lines = NULL;
    size_t n = layout_break_max(m, face, size_px, max_w, utf8, (size_t)max_lines + 1, &lines);
    for (size_t i = 0; i < n && (int)i < max_lines; i++) {
        bool cut = (int)i == max_lines - 1 && i + 1 < n;
        char *text = cut ? xasprintf("%s %s", lines[i], lines[i + 1]) : xstrdup(lines[i]);
        int lx = x;
        if (centre) {
            int w = render_text_width(f, face, size_px, text);
            lx = x + (w < max_w ? (max_w - w) / 2 : 0);
        }
        render_text_fit(dl, f, face, size_px, text, lx, baseline_y, max_w - (lx - x), c, may_cut);
        if (cut && !may_cut) /* more text than lines: say so to the geometry test */
            dl->v[dl->n - 1].flags |= RENDER_DL_SHORTENED;
        free(text);
        baseline_y += line_step;
    }
    layout_lines_free(lines, n);
    return baseline_y;
}

bool render_qr(struct render_dl *dl, const char *text, int x, int y, int side, SDL_Color dark,
               SDL_Color light)
{
    /* Centre the whole-pixel code in the requested square. */
    int used = render_qr_used(text, side);
    if (used == 0)
        return false;
    struct render_dl_item *it = render_dl_add(
        dl, RENDER_DL_QR, (SDL_Rect){x + (side - used) / 2, y + (side - used) / 2, used, used});
    it->text = xstrdup(text);
    it->colour = dark;
    it->colour2 = light;
    return true;
}
