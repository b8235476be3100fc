/* chrome: the header (office, "Thứ Sáu, 27/11/2026", HH:MM) and the footer (item i/N, page
 * p/P, freshness or the offline mark, or the red urgent banner). Each band is painted into its
 * own texture only when what it shows changes: the clock ticks without repainting the page. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/clock.h"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

#define BURNIN_PERIOD_S 180

void render_burnin_offset(int64_t t, int *dx, int *dy)
{
    /* A slow walk over a few pixels: static header text never sits on the same pixels for
     * more than a few minutes (plasma/OLED panels in offices run 15 hours a day). */
    static const signed char walk[][2] = {{0, 0},   {2, 1}, {-2, 2}, {1, -2},
                                          {-1, -1}, {3, 0}, {0, 2},  {-3, -1}};
    size_t i = t > 0 ? (size_t)((t / BURNIN_PERIOD_S) % (int64_t)ARRAY_LEN(walk)) : 0;
    *dx = walk[i][0];
    *dy = walk[i][1];
}

/* Paint and upload a band when its signature changed. */
static void band_update(struct render *r, struct render_band *b, const char *sig, int h,
                        SDL_Color (*plan)(struct render *, const void *, struct render_dl *),
                        const void *arg)
{
    if (b->tex && b->sig && strcmp(b->sig, sig) == 0)
        return;
    struct render_dl dl;
    SDL_Color bg = plan(r, arg, &dl);
    SDL_Surface *s = render_dl_surface(r, &dl, r->g.w, h, bg);
    render_dl_free(&dl);
    if (!s)
        return;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(r->sdl, s);
    SDL_FreeSurface(s);
    if (!tex) {
        LOG_ERR("band texture: %s", SDL_GetError());
        return;
    }
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_NONE); /* opaque: copying is cheaper */
    if (b->tex)
        SDL_DestroyTexture(b->tex);
    free(b->sig);
    b->tex = tex;
    b->sig = xstrdup(sig);
}

struct header_text {
    char date[64], clock[16];
    int dx, dy;
    const struct render_theme *t;
};

static int header_logo(struct render *r, struct render_dl *dl, int x, int dy)
{
    const struct render_geom *g = &r->g;
    if (!r->logo)
        return x;
    int lh = (int)lround(0.72 * g->header_h);
    int lw = (int)lround((double)r->logo->w * lh / r->logo->h);
    render_image(dl, r->logo, x, (g->header_h - lh) / 2 + dy, lw, lh);
    return x + lw + g->chrome_px / 2;
}

/* The office name in w pixels: one line at the header size, else shrunk (down to 0.7×), else
 * two lines at 0.7× (0.6× in landscape, where the header is lower). Returns the lines and the
 * size; cut with "…" only when even that does not fit (then lines = 2). */
static int office_fit(struct render *r, int w, int *px)
{
    const struct render_geom *g = &r->g;
    int full = g->chrome_px, least = full * 7 / 10;
    for (*px = full; *px >= least; *px -= *px / 16 > 1 ? *px / 16 : 1)
        if (render_text_width(&r->fonts, LAYOUT_FACE_BOLD, *px, r->office_name) <= w)
            return 1;
    *px = g->portrait ? least : full * 6 / 10;
    return 2;
}

static void office_plan(struct render *r, struct render_dl *dl, int x, int baseline, int w, int px,
                        int lines, int row, SDL_Color c)
{
    if (lines == 1)
        render_text_fit(dl, &r->fonts, LAYOUT_FACE_BOLD, px, r->office_name, x, baseline, w, c,
                        true);
    else
        render_text_wrap(dl, &r->fonts, &r->metrics, LAYOUT_FACE_BOLD, px, r->office_name, x,
                         baseline, w, 2, row, c, false, true);
}

static SDL_Color header_plan(struct render *r, const void *arg, struct render_dl *dl)
{
    const struct header_text *h = arg;
    const struct render_geom *g = &r->g;
    const struct render_theme *t = h->t;
    render_dl_init(dl, g->w, g->header_h);
    render_dl_region(dl, "header", (SDL_Rect){0, 0, g->w, g->header_h});
    int base = (g->header_h + (int)lround(0.714 * g->clock_px)) / 2 + h->dy;
    int gap = g->chrome_px;
    int right = g->w - g->margin_x + h->dx;
    int cw = render_text_width(&r->fonts, LAYOUT_FACE_BOLD, g->clock_px, h->clock);
    render_text(dl, &r->fonts, LAYOUT_FACE_BOLD, g->clock_px, h->clock, right - cw, base,
                t->band_fg);
    right -= cw + gap;
    int x = header_logo(r, dl, g->margin_x + h->dx, h->dy);
    if (g->portrait) {
        /* Rows: the office name (one line, shrunk, or two), then the date. */
        int px, lines = office_fit(r, right - x, &px);
        int date_px = lines > 1 ? px : g->chrome_px;
        int row = (int)lround(1.3 * px), n_rows = lines + 1;
        int b1 = (g->header_h - n_rows * row) / 2 + (int)lround(1.02 * px) + h->dy;
        office_plan(r, dl, x, b1, right - x, px, lines, row, t->band_fg);
        render_text_fit(dl, &r->fonts, LAYOUT_FACE_REGULAR, date_px, h->date, x, b1 + lines * row,
                        right - x, t->band_fg, false);
        return t->band_bg;
    }
    if (h->date[0]) {
        int dw = render_text_width(&r->fonts, LAYOUT_FACE_REGULAR, g->chrome_px, h->date);
        render_text(dl, &r->fonts, LAYOUT_FACE_REGULAR, g->chrome_px, h->date, right - dw, base,
                    t->band_fg);
        right -= dw + gap;
    }
    if (!str_empty(r->office_name) && right > x) {
        int px, lines = office_fit(r, right - x, &px);
        int row = (int)lround(1.3 * px);
        int b = lines > 1 ? (g->header_h - 2 * row) / 2 + (int)lround(1.02 * px) + h->dy : base;
        office_plan(r, dl, x, b, right - x, px, lines, row, t->band_fg);
    }
    return t->band_bg;
}

struct footer_text {
    char left[160], right[160];
    const char *banner; /* urgent title, or NULL */
    const struct render_theme *banner_t;
    const char *banner_word;
    bool right_bold;
    const struct render_theme *t;
    int dx, dy;
};

static SDL_Color footer_plan(struct render *r, const void *arg, struct render_dl *dl)
{
    const struct footer_text *f = arg;
    const struct render_geom *g = &r->g;
    const struct render_theme *t = f->t;
    const struct render_theme *bt = f->banner_t ? f->banner_t : t;
    SDL_Color bg = f->banner ? bt->alert_bg : t->foot_bg,
              fg = f->banner ? bt->alert_fg : t->foot_fg;
    render_dl_init(dl, g->w, g->footer_h);
    render_dl_region(dl, "footer", (SDL_Rect){0, 0, g->w, g->footer_h});
    int base = (g->footer_h + (int)lround(0.714 * g->foot_px)) / 2 + f->dy;
    int x = g->margin_x + f->dx, right = g->w - g->margin_x + f->dx;
    const char *rt = f->banner && !f->right_bold ? f->left : f->right;
    enum layout_face rface = f->right_bold && !f->banner ? LAYOUT_FACE_BOLD : LAYOUT_FACE_REGULAR;
    int rw = render_text_width(&r->fonts, rface, g->foot_px, rt);
    render_text(dl, &r->fonts, rface, g->foot_px, rt, right - rw, base, fg);
    right -= rw + (rw ? g->foot_px : 0);
    if (f->banner) {
        /* Larger than the footer text: it has to be noticed from the waiting bench. */
        int px = (int)lround(1.2 * g->foot_px);
        int b = (g->footer_h + (int)lround(0.714 * px)) / 2 + f->dy;
        char *line = xasprintf("%s: %s", f->banner_word, f->banner);
        render_text_fit(dl, &r->fonts, LAYOUT_FACE_BOLD, px, line, x, b, right - x, fg, true);
        free(line);
    } else {
        render_text_fit(dl, &r->fonts, LAYOUT_FACE_REGULAR, g->foot_px, f->left, x, base, right - x,
                        fg, false);
    }
    return bg;
}

static void footer_texts(const struct render_frame_info *fi, enum render_page_kind kind,
                         struct footer_text *f)
{
    char page[48] = "", hm[16];
    if (fi->n_pages > 1)
        snprintf(page, sizeof(page), "Trang %zu/%zu", fi->page_index + 1, fi->n_pages);
    if (kind == RENDER_PAGE_ITEM && fi->n_items > 0)
        snprintf(f->left, sizeof(f->left), "Tin %zu/%zu%s%s", fi->item_index + 1, fi->n_items,
                 page[0] ? "  ·  " : "", page);
    else if (kind == RENDER_PAGE_STATUS)
        snprintf(f->left, sizeof(f->left), "Trạng thái thiết bị");
    else
        snprintf(f->left, sizeof(f->left), "%s", page);
    if (fi->offline) {
        f->right_bold = true;
        if (fi->clock_trusted && fi->offline_since > 0)
            snprintf(f->right, sizeof(f->right), "Mất kết nối từ %s",
                     clock_format_hm(fi->offline_since, hm, sizeof(hm)));
        else
            snprintf(f->right, sizeof(f->right), "Mất kết nối");
    } else if (fi->clock_trusted && fi->last_update > 0) {
        struct clock_local a, b;
        clock_to_local(fi->last_update, &a);
        clock_to_local(fi->now, &b);
        clock_format_hm(fi->last_update, hm, sizeof(hm));
        if (a.year == b.year && a.month == b.month && a.day == b.day)
            snprintf(f->right, sizeof(f->right), "cập nhật %s", hm);
        else
            snprintf(f->right, sizeof(f->right), "cập nhật %s %02d/%02d", hm, a.day, a.month);
    }
    if (fi->banner && kind != RENDER_PAGE_URGENT && !str_empty(fi->banner->title))
        f->banner = fi->banner->title;
}

static void chrome_texts(struct render *r, const struct render_frame_info *fi,
                         enum render_page_kind kind, const struct render_theme *t,
                         struct header_text *h, struct footer_text *f)
{
    *h = (struct header_text){.t = t};
    render_burnin_offset(fi->now, &h->dx, &h->dy);
    if (fi->clock_trusted && fi->now > 0) {
        clock_format_date_vi(fi->now, h->date, sizeof(h->date));
        clock_format_hm(fi->now, h->clock, sizeof(h->clock));
    } else {
        snprintf(h->clock, sizeof(h->clock), "--:--");
    }
    *f = (struct footer_text){.t = t, .dx = h->dx, .dy = h->dy};
    footer_texts(fi, kind, f);
    if (f->banner) {
        f->banner_t = render_severity_theme(r, fi->banner->severity);
        f->banner_word = render_urgent_word(fi->banner->severity);
    }
}

void render_chrome_plan(struct render *r, const struct render_frame_info *fi,
                        enum render_page_kind kind, const struct render_theme *t,
                        struct render_dl *header, struct render_dl *footer, SDL_Color bg[2])
{
    struct header_text h;
    struct footer_text f;
    chrome_texts(r, fi, kind, t, &h, &f);
    SDL_Color hb = header_plan(r, &h, header), fb = footer_plan(r, &f, footer);
    if (bg) {
        bg[0] = hb;
        bg[1] = fb;
    }
}

void render_chrome_draw(struct render *r, const struct render_frame_info *fi,
                        enum render_page_kind kind, const struct render_theme *t)
{
    const struct render_geom *g = &r->g;
    struct header_text h;
    struct footer_text f;
    chrome_texts(r, fi, kind, t, &h, &f);
    /* The theme is named by its address: one of the render's own. */
    char *sig = xasprintf("%s|%s|%d|%d|%p", h.date, h.clock, h.dx, h.dy, (const void *)t);
    band_update(r, &r->header, sig, g->header_h, header_plan, &h);
    free(sig);
    sig = xasprintf("%s|%s|%s|%d|%p|%p|%d|%d", f.left, f.right, f.banner ? f.banner : "",
                    f.right_bold, (const void *)t, (const void *)f.banner_t, f.dx, f.dy);
    band_update(r, &r->footer, sig, g->footer_h, footer_plan, &f);
    free(sig);

    SDL_Rect hr, fr;
    render_band_rects(g, &hr, &fr);
    if (r->header.tex)
        render_sdl_ok(r, SDL_RenderCopy(r->sdl, r->header.tex, NULL, &hr), "header copy");
    if (r->footer.tex)
        render_sdl_ok(r, SDL_RenderCopy(r->sdl, r->footer.tex, NULL, &fr), "footer copy");
}
