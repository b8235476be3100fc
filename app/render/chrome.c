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

const char *render_fmt_date(int64_t t, char *buf, size_t len)
{
    struct clock_local l;
    clock_to_local(t, &l);
    snprintf(buf, len, "%02d/%02d/%04d", l.day, l.month, l.year);
    return buf;
}

const char *render_fmt_hm_date(int64_t t, char *buf, size_t len)
{
    struct clock_local l;
    clock_to_local(t, &l);
    snprintf(buf, len, "%02d:%02d %02d/%02d/%04d", l.hour, l.minute, l.day, l.month, l.year);
    return buf;
}

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

/* Upload a band surface when its signature changed. */
static void band_update(struct render *r, struct render_band *b, const char *sig,
                        SDL_Surface *(*paint)(struct render *, const void *), const void *arg)
{
    if (b->tex && b->sig && strcmp(b->sig, sig) == 0)
        return;
    SDL_Surface *s = paint(r, arg);
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
    bool urgent;
};

static int header_logo(struct render *r, SDL_Surface *s, int x, int dy)
{
    const struct render_geom *g = &r->g;
    if (!r->logo)
        return x;
    int lh = (int)lround(0.72 * g->header_h);
    int lw = (int)lround((double)r->logo->w * lh / r->logo->h);
    render_blit_scaled(r->logo, s, x, (g->header_h - lh) / 2 + dy, lw, lh);
    return x + lw + g->chrome_px / 2;
}

static SDL_Surface *header_paint(struct render *r, const void *arg)
{
    const struct header_text *h = arg;
    const struct render_geom *g = &r->g;
    const struct render_theme *t = h->urgent ? &r->urgent : &r->theme;
    SDL_Surface *s = render_surface_new(g->w, g->header_h, t->band_bg);
    if (!s)
        return NULL;
    int base = (g->header_h + (int)lround(0.714 * g->clock_px)) / 2 + h->dy;
    int gap = g->chrome_px;
    int right = g->w - g->margin_x + h->dx;
    int cw = render_text_width(&r->fonts, LAYOUT_FACE_BOLD, g->clock_px, h->clock);
    render_text(s, &r->fonts, LAYOUT_FACE_BOLD, g->clock_px, h->clock, right - cw, base,
                t->band_fg);
    right -= cw + gap;
    int x = header_logo(r, s, g->margin_x + h->dx, h->dy);
    if (g->portrait) {
        /* Two rows: office name, then the date. */
        int row = (int)lround(1.25 * g->chrome_px);
        int b1 = g->header_h / 2 - row / 2 + (int)lround(0.357 * g->chrome_px) + h->dy;
        render_text_fit(s, &r->fonts, LAYOUT_FACE_BOLD, g->chrome_px, r->office_name, x, b1,
                        right - x, t->band_fg);
        render_text_fit(s, &r->fonts, LAYOUT_FACE_REGULAR, g->chrome_px, h->date, x, b1 + row,
                        right - x, t->band_fg);
        return s;
    }
    if (h->date[0]) {
        int dw = render_text_width(&r->fonts, LAYOUT_FACE_REGULAR, g->chrome_px, h->date);
        render_text(s, &r->fonts, LAYOUT_FACE_REGULAR, g->chrome_px, h->date, right - dw, base,
                    t->band_fg);
        right -= dw + gap;
    }
    if (!str_empty(r->office_name) && right > x)
        render_text_fit(s, &r->fonts, LAYOUT_FACE_BOLD, g->chrome_px, r->office_name, x, base,
                        right - x, t->band_fg);
    return s;
}

struct footer_text {
    char left[160], right[160];
    const char *banner; /* urgent title, or NULL */
    bool right_bold, urgent;
    int dx, dy;
};

static SDL_Surface *footer_paint(struct render *r, const void *arg)
{
    const struct footer_text *f = arg;
    const struct render_geom *g = &r->g;
    const struct render_theme *t = f->urgent ? &r->urgent : &r->theme;
    SDL_Color bg = f->banner ? t->alert_bg : t->foot_bg, fg = f->banner ? t->alert_fg : t->foot_fg;
    SDL_Surface *s = render_surface_new(g->w, g->footer_h, bg);
    if (!s)
        return NULL;
    int base = (g->footer_h + (int)lround(0.714 * g->foot_px)) / 2 + f->dy;
    int x = g->margin_x + f->dx, right = g->w - g->margin_x + f->dx;
    const char *rt = f->banner && !f->right_bold ? f->left : f->right;
    enum layout_face rface = f->right_bold && !f->banner ? LAYOUT_FACE_BOLD : LAYOUT_FACE_REGULAR;
    int rw = render_text_width(&r->fonts, rface, g->foot_px, rt);
    render_text(s, &r->fonts, rface, g->foot_px, rt, right - rw, base, fg);
    right -= rw + (rw ? g->foot_px : 0);
    if (f->banner) {
        /* Larger than the footer text: it has to be noticed from the waiting bench. */
        int px = (int)lround(1.2 * g->foot_px);
        int b = (g->footer_h + (int)lround(0.714 * px)) / 2 + f->dy;
        char *line = xasprintf("KHẨN: %s", f->banner);
        render_text_fit(s, &r->fonts, LAYOUT_FACE_BOLD, px, line, x, b, right - x, fg);
        free(line);
    } else {
        render_text_fit(s, &r->fonts, LAYOUT_FACE_REGULAR, g->foot_px, f->left, x, base, right - x,
                        fg);
    }
    return s;
}

static void footer_texts(struct render *r, const struct render_frame_info *fi,
                         struct footer_text *f)
{
    enum render_page_kind kind = r->cur >= 0 ? r->cache[r->cur].kind : RENDER_PAGE_EMPTY;
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

void render_chrome_draw(struct render *r, const struct render_frame_info *fi, bool urgent)
{
    const struct render_geom *g = &r->g;
    struct header_text h = {.urgent = urgent};
    render_burnin_offset(fi->now, &h.dx, &h.dy);
    if (fi->clock_trusted && fi->now > 0) {
        clock_format_date_vi(fi->now, h.date, sizeof(h.date));
        clock_format_hm(fi->now, h.clock, sizeof(h.clock));
    } else {
        snprintf(h.clock, sizeof(h.clock), "--:--");
    }
    char *sig = xasprintf("%s|%s|%d|%d|%d", h.date, h.clock, h.dx, h.dy, h.urgent);
    band_update(r, &r->header, sig, header_paint, &h);
    free(sig);

    struct footer_text f = {.urgent = urgent, .dx = h.dx, .dy = h.dy};
    footer_texts(r, fi, &f);
    sig = xasprintf("%s|%s|%s|%d|%d|%d|%d", f.left, f.right, f.banner ? f.banner : "", f.right_bold,
                    f.urgent, f.dx, f.dy);
    band_update(r, &r->footer, sig, footer_paint, &f);
    free(sig);

    SDL_Rect hr = {0, 0, g->w, g->header_h}, fr = {0, g->h - g->footer_h, g->w, g->footer_h};
    if (r->header.tex)
        SDL_RenderCopy(r->sdl, r->header.tex, NULL, &hr);
    if (r->footer.tex)
        SDL_RenderCopy(r->sdl, r->footer.tex, NULL, &fr);
}
