/* urgent: the page of an urgent notice (DESIGN.md §6). Its severity (CAP extreme, severe,
 * moderate, minor) sets the look and the word in the band, so that the four can be told apart
 * at a glance from the waiting bench: "KHẨN CẤP" white on dark red, "KHẨN" black on orange,
 * "CHÚ Ý" black on yellow, "THÔNG TIN" white on dark blue (every text pair ≥ 7:1). Below the
 * band: the title and text (later pages repeat the title in one line), then who issued it
 * (verified signer named) and from when until when it applies — wrapped, never cut. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

const struct render_theme *render_urgent_theme(struct render *r, const struct store_urgent *u)
{
    return render_severity_theme(r, u ? u->severity : FEED_SEVERITY_SEVERE);
}

static int step_of(const struct render *r)
{
    return (int)lround(1.3 * r->g.small_px);
}

/* "Đã xác thực: …" / "Nguồn: …" and "Ban hành … · Hiệu lực đến …". */
static void issuer_texts(const struct store_urgent *u, char *who, size_t who_len, char *when,
                         size_t when_len)
{
    char a[64], b[64];
    if (u->verified && !str_empty(u->issuer))
        snprintf(who, who_len, "Đã xác thực: %s", u->issuer);
    else
        snprintf(who, who_len, "Nguồn: %s", str_empty(u->issuer) ? "không rõ" : u->issuer);
    if (u->expires > 0)
        snprintf(when, when_len, "Ban hành %s  ·  Hiệu lực đến %s",
                 u->issued > 0 ? render_fmt_hm_date(u->issued, a, sizeof(a)) : "—",
                 render_fmt_hm_date(u->expires, b, sizeof(b)));
    else
        snprintf(when, when_len, "Ban hành %s  ·  Hiệu lực đến khi có thông báo mới",
                 u->issued > 0 ? render_fmt_hm_date(u->issued, a, sizeof(a)) : "—");
}

static int issuer_lines(struct render *r, const struct store_urgent *u, int w, int *n_who)
{
    char who[512], when[256];
    issuer_texts(u, who, sizeof who, when, sizeof when);
    *n_who = render_text_lines(&r->metrics, LAYOUT_FACE_BOLD, r->g.small_px, who, w);
    return *n_who + render_text_lines(&r->metrics, LAYOUT_FACE_REGULAR, r->g.small_px, when, w);
}

void render_urgent_plan(struct render *r, const struct store_urgent *u, SDL_Rect *box, int *band_h,
                        int *foot_h, int *cont_h)
{
    const struct render_geom *g = &r->g;
    int w = g->w - 2 * g->margin_x, n_who;
    int lines = u ? issuer_lines(r, u, w, &n_who) : 2;
    *band_h = (int)lround(1.25 * g->title_px);
    *foot_h = lines * step_of(r) + g->small_px / 2 + g->pad_bottom;
    *cont_h = step_of(r) + g->small_px / 3;
    int top = *band_h + g->pad_top / 2;
    *box = (SDL_Rect){g->margin_x, top, w, g->content.h - top - *foot_h - g->small_px / 2};
}

/* The band: the severity word on the left, "1/2 · trang 1/3" on the right; the word shrinks
 * (down to 0.6×) rather than run into the counter. */
static void paint_band(struct render *r, struct render_dl *dl, int band_h,
                       const struct render_page_req *req, const struct render_theme *t)
{
    const struct render_geom *g = &r->g;
    render_dl_region(dl, "band", (SDL_Rect){0, 0, g->w, band_h});
    render_fill(dl, 0, 0, g->w, band_h, t->alert_bg, true);
    const char *word = render_urgent_word(req->urgent->severity);
    char pos[64] = "";
    size_t n_pages = req->doc ? req->doc->n_pages : 1;
    if (req->urgent_count > 1 && n_pages > 1)
        snprintf(pos, sizeof(pos), "%zu/%zu  ·  trang %zu/%zu", req->urgent_index + 1,
                 req->urgent_count, req->page + 1, n_pages);
    else if (req->urgent_count > 1)
        snprintf(pos, sizeof(pos), "%zu/%zu", req->urgent_index + 1, req->urgent_count);
    else if (n_pages > 1)
        snprintf(pos, sizeof(pos), "trang %zu/%zu", req->page + 1, n_pages);
    int room = g->w - 2 * g->margin_x;
    int full = (int)lround(0.9 * g->title_px), px = full, pos_px = full, pos_w = 0, word_w = 0;
    for (;; px -= px / 16 > 1 ? px / 16 : 1) {
        pos_px = px * 3 / 4 > g->small_px ? px * 3 / 4 : g->small_px;
        pos_w = pos[0] ? render_text_width(&r->fonts, LAYOUT_FACE_BOLD, pos_px, pos) : 0;
        word_w = render_text_width(&r->fonts, LAYOUT_FACE_BOLD, px, word);
        if (word_w + pos_w + (pos[0] ? g->margin_x : 0) <= room || px <= full * 6 / 10)
            break;
    }
    /* Centre the capitals (cap height ≈ 0.714 em) in the band. */
    int base = (band_h + (int)lround(0.714 * full)) / 2;
    render_text_fit(dl, &r->fonts, LAYOUT_FACE_BOLD, px, word, g->margin_x, base,
                    room - pos_w - (pos[0] ? g->margin_x / 2 : 0), t->alert_fg, false);
    if (pos[0])
        render_text_fit(dl, &r->fonts, LAYOUT_FACE_BOLD, pos_px, pos, g->w - g->margin_x - pos_w,
                        base, pos_w, t->alert_fg, false);
}

static void paint_issuer(struct render *r, struct render_dl *dl, const struct store_urgent *u,
                         int foot_h, const struct render_theme *t)
{
    const struct render_geom *g = &r->g;
    int step = step_of(r);
    int y = g->content.h - foot_h;
    int w = g->w - 2 * g->margin_x, n_who;
    int lines = issuer_lines(r, u, w, &n_who);
    render_dl_region(dl, "issuer", (SDL_Rect){g->margin_x, y, w, foot_h});
    render_fill(dl, g->margin_x, y, w, g->body_px > 40 ? 3 : 2, t->rule, true);
    char who[512], when[256];
    issuer_texts(u, who, sizeof who, when, sizeof when);
    y += step + g->small_px / 2 - g->small_px / 4;
    y = render_text_wrap(dl, &r->fonts, &r->metrics, LAYOUT_FACE_BOLD, g->small_px, who,
                         g->margin_x, y, w, n_who, step, t->fg, false, false);
    render_text_wrap(dl, &r->fonts, &r->metrics, LAYOUT_FACE_REGULAR, g->small_px, when,
                     g->margin_x, y, w, lines - n_who, step, t->muted, false, false);
}

void render_urgent_plan_page(struct render *r, struct render_dl *dl,
                             const struct render_page_req *req)
{
    const struct render_theme *t = render_urgent_theme(r, req->urgent);
    SDL_Rect box;
    int band_h, foot_h, cont_h;
    render_urgent_plan(r, req->urgent, &box, &band_h, &foot_h, &cont_h);
    paint_band(r, dl, band_h, req, t);
    const struct layout_page *pg = &req->doc->pages[req->page];
    if (req->page > 0 && !pg->has_title) {
        /* Page 2 of a notice says which notice it is. */
        SDL_Rect at = {box.x, box.y, box.w, cont_h};
        render_dl_region(dl, "continued", at);
        TTF_Font *f = render_font(&r->fonts, LAYOUT_FACE_BOLD, r->g.small_px);
        int base = at.y + (f ? TTF_FontAscent(f) : r->g.small_px);
        int w = render_text(dl, &r->fonts, LAYOUT_FACE_REGULAR, r->g.small_px, "(tiếp theo)", at.x,
                            base, t->muted);
        int gap = r->g.small_px / 2;
        if (!str_empty(req->urgent->title) && w + gap < at.w)
            render_text_fit(dl, &r->fonts, LAYOUT_FACE_BOLD, r->g.small_px, req->urgent->title,
                            at.x + w + gap, base, at.w - w - gap, t->title, true);
        box.y += cont_h;
        box.h -= cont_h;
    }
    render_dl_region(dl, "text", box);
    bool in_title = pg->has_title;
    for (size_t i = 0; i < pg->n_lines; i++) {
        const struct layout_line *ln = &pg->lines[i];
        if (in_title && ln->face != LAYOUT_FACE_BOLD)
            in_title = false;
        render_text_fit(dl, &r->fonts, ln->face, ln->size_px, ln->text, box.x + ln->x,
                        box.y + ln->baseline_y, box.w - ln->x, in_title ? t->title : t->fg, false);
    }
    paint_issuer(r, dl, req->urgent, foot_h, t);
}
