/* urgent: the page of an urgent notice (DESIGN.md §6) — white on dark red, a white
 * "THÔNG BÁO KHẨN" band, the title and text, then who issued it (verified signer named) and
 * from when until when it applies. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

void render_urgent_plan(struct render *r, SDL_Rect *box, int *band_h, int *foot_h)
{
    const struct render_geom *g = &r->g;
    *band_h = (int)lround(1.25 * g->title_px);
    *foot_h = 2 * (int)lround(1.3 * g->small_px) + g->small_px / 2 + g->pad_bottom;
    int top = *band_h + g->pad_top / 2;
    *box = (SDL_Rect){g->margin_x, top, g->w - 2 * g->margin_x,
                      g->content.h - top - *foot_h - g->small_px / 2};
}

static void paint_band(struct render *r, struct render_dl *dl, int band_h,
                       const struct render_page_req *req)
{
    const struct render_geom *g = &r->g;
    render_dl_region(dl, "band", (SDL_Rect){0, 0, g->w, band_h});
    render_fill(dl, 0, 0, g->w, band_h, r->urgent.alert_bg, true);
    /* Centre the capitals (cap height ≈ 0.714 em) in the band. */
    int px = (int)lround(0.9 * g->title_px);
    int base = (band_h + (int)lround(0.714 * px)) / 2;
    render_text(dl, &r->fonts, LAYOUT_FACE_BOLD, px, "THÔNG BÁO KHẨN", g->margin_x, base,
                r->urgent.alert_fg);
    if (req->urgent_count > 1) {
        char pos[32];
        snprintf(pos, sizeof(pos), "%zu/%zu", req->urgent_index + 1, req->urgent_count);
        int w = render_text_width(&r->fonts, LAYOUT_FACE_BOLD, px, pos);
        render_text(dl, &r->fonts, LAYOUT_FACE_BOLD, px, pos, g->w - g->margin_x - w, base,
                    r->urgent.alert_fg);
    }
}

static void paint_issuer(struct render *r, struct render_dl *dl, const struct store_urgent *u,
                         int foot_h)
{
    const struct render_geom *g = &r->g;
    int step = (int)lround(1.3 * g->small_px);
    int y = g->content.h - foot_h;
    int w = g->w - 2 * g->margin_x;
    render_dl_region(dl, "issuer", (SDL_Rect){g->margin_x, y, w, foot_h});
    render_fill(dl, g->margin_x, y, w, g->body_px > 40 ? 3 : 2, r->urgent.rule, true);
    char who[512], when[256], a[64], b[64];
    if (u->verified && !str_empty(u->issuer))
        snprintf(who, sizeof(who), "Đã xác thực: %s", u->issuer);
    else
        snprintf(who, sizeof(who), "Nguồn: %s", str_empty(u->issuer) ? "không rõ" : u->issuer);
    if (u->expires > 0)
        snprintf(when, sizeof(when), "Ban hành %s  ·  Hiệu lực đến %s",
                 u->issued > 0 ? render_fmt_hm_date(u->issued, a, sizeof(a)) : "—",
                 render_fmt_hm_date(u->expires, b, sizeof(b)));
    else
        snprintf(when, sizeof(when), "Ban hành %s  ·  Hiệu lực đến khi có thông báo mới",
                 u->issued > 0 ? render_fmt_hm_date(u->issued, a, sizeof(a)) : "—");
    y += step + g->small_px / 2;
    render_text_fit(dl, &r->fonts, LAYOUT_FACE_BOLD, g->small_px, who, g->margin_x, y, w,
                    r->urgent.fg, false);
    render_text_fit(dl, &r->fonts, LAYOUT_FACE_REGULAR, g->small_px, when, g->margin_x, y + step, w,
                    r->urgent.muted, false);
}

const struct render_theme *render_urgent_theme(struct render *r, const struct store_urgent *u)
{
    (void)u;
    return &r->urgent;
}

void render_urgent_plan_page(struct render *r, struct render_dl *dl,
                             const struct render_page_req *req)
{
    SDL_Rect box;
    int band_h, foot_h;
    render_urgent_plan(r, &box, &band_h, &foot_h);
    paint_band(r, dl, band_h, req);
    render_dl_region(dl, "text", box);
    const struct layout_page *pg = &req->doc->pages[req->page];
    bool in_title = pg->has_title;
    int last = box.y, px = r->g.body_px;
    for (size_t i = 0; i < pg->n_lines; i++) {
        const struct layout_line *ln = &pg->lines[i];
        if (in_title && ln->face != LAYOUT_FACE_BOLD)
            in_title = false;
        last = box.y + ln->baseline_y;
        px = ln->size_px;
        render_text(dl, &r->fonts, ln->face, ln->size_px, ln->text, box.x + ln->x, last,
                    in_title ? r->urgent.title : r->urgent.fg);
    }
    /* Below the last line: the layout keeps pages within the box, so there is room only if
     * this is not a full page; the footer line is always free. */
    if (pg->continued || req->page + 1 < req->doc->n_pages) {
        int y = last + (int)lround(r->g.line_spacing * px);
        if (y > box.y + box.h + r->g.meta_px / 2)
            y = box.y + box.h + r->g.meta_px / 2;
        render_text(dl, &r->fonts, LAYOUT_FACE_BOLD, r->g.meta_px, "(còn tiếp)", box.x, y,
                    r->urgent.muted);
    }
    paint_issuer(r, dl, req->urgent, foot_h);
}
