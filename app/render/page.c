/* page: paint one page of the content area (between header and footer) into a surface.
 * Item pages: title (bold) and the meta line "source · 04/04/2024 · 2 giờ trước" on page 1,
 * body lines placed by the layout's baselines, the lead photo beside the text (landscape) or
 * above it (portrait), the QR code on the last page. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/clock.h"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

#define QR_CAPTION   "Quét để đọc toàn văn"
#define MORE_NOTE_QR "… xem tiếp qua mã QR"
#define MORE_NOTE    "… (còn tiếp)"

static int line_step(const struct render *r, int px)
{
    return (int)lround(r->g.line_spacing * px);
}

static bool item_has_qr(const struct render *r, const struct store_item *it)
{
    return r->show_qr && !str_empty(it->link) && strlen(it->link) <= RENDER_QR_MAX_TEXT &&
           (str_starts_with(it->link, "http://") || str_starts_with(it->link, "https://"));
}

/* Height above the text taken by the portrait photo and its caption on page 1. */
static int photo_block_h(const struct render *r, const struct render_item_plan *p)
{
    if (!r->g.portrait || p->photo.w == 0)
        return 0;
    return p->photo.h + p->caption_lines * line_step(r, r->g.small_px) + r->g.body_px / 2;
}

/* Lines a caption takes (at most 2). */
static int caption_count_face(struct render *r, enum layout_face face, const char *caption,
                              int width)
{
    if (str_empty(caption))
        return 0;
    char **lines = NULL;
    size_t n = layout_break(&r->metrics, face, r->g.small_px, width, caption, &lines);
    layout_lines_free(lines, n);
    return n > 2 ? 2 : (int)n;
}

static int caption_count(struct render *r, const char *caption, int width)
{
    return caption_count_face(r, LAYOUT_FACE_REGULAR, caption, width);
}

/* QR side in the landscape column / portrait strip. */
static int qr_side(const struct render *r)
{
    if (r->g.portrait)
        return (int)lround(0.24 * r->g.w);
    int s = (int)lround(0.62 * r->g.side_w);
    int cap = (int)lround(0.34 * r->g.content.h);
    return s < cap ? s : cap;
}

/* Height of the "(tiếp theo) title" line over the text of later pages (full-width layouts). */
static int cont_line_h(const struct render *r)
{
    return line_step(r, r->g.small_px) + r->g.small_px / 3;
}

/* Where the QR code and its caption go on the last page: the bottom of the side column
 * (landscape) or the bottom strip of the text box (portrait). */
static SDL_Rect qr_block(struct render *r, const struct render_item_plan *p)
{
    if (r->g.portrait)
        return p->side;
    int side = qr_side(r), step = line_step(r, r->g.small_px);
    int h = side + step * render_text_lines(&r->metrics, LAYOUT_FACE_BOLD, r->g.small_px,
                                            QR_CAPTION, p->side.w);
    return (SDL_Rect){p->side.x, p->side.y + p->side.h - h, p->side.w, h};
}

void render_item_plan(struct render *r, const struct store_item *it, bool narrow,
                      struct render_item_plan *p)
{
    const struct render_geom *g = &r->g;
    memset(p, 0, sizeof(*p));
    int top = g->pad_top, avail = g->content.h - g->pad_top - g->pad_bottom;
    p->qr = item_has_qr(r, it);
    int pw = 0, ph = 0;
    bool photo = render_photo_size(r, it->image_path, &pw, &ph);
    p->meta_h = (int)lround(1.3 * g->meta_px);
    p->text = (SDL_Rect){g->margin_x, top, g->w - 2 * g->margin_x, avail};
    /* Landscape with a photo: the text keeps to a column beside it on every page (its lines
     * are broken once), the column then shows "(tiếp theo)" and the title, and the QR code on
     * the last page. Otherwise the text runs full width and the last page keeps the QR code's
     * room free under its text. */
    p->column = !g->portrait && (photo || (narrow && p->qr));
    int small_step = line_step(r, g->small_px);
    if (!g->portrait && (p->qr || photo)) {
        p->side = (SDL_Rect){g->w - g->margin_x - g->side_w, top, g->side_w, avail};
        if (p->column)
            p->text.w = p->side.x - g->side_gap - g->margin_x;
        if (photo) {
            p->caption_lines = caption_count(r, it->image_caption, g->side_w);
            int room = avail - p->caption_lines * small_step - g->body_px / 3;
            if (p->qr)
                room -= qr_side(r) + 2 * small_step; /* single-page items show both */
            if (room < avail / 3)
                room = avail / 3;
            render_photo_fit(pw, ph, g->side_w, room, &p->photo);
            p->photo.x = p->side.x + (g->side_w - p->photo.w) / 2;
            p->photo.y = top;
        }
        if (p->qr && !p->column) {
            p->qr_reserve = qr_block(r, p).h + g->side_gap / 2;
            p->reserve_w = p->side.x - g->side_gap - g->margin_x;
        }
    } else if (g->portrait) {
        if (p->qr) {
            int strip = qr_side(r);
            p->side = (SDL_Rect){g->margin_x, top + avail - strip, p->text.w, strip};
            p->qr_reserve = strip + g->body_px / 2;
        }
        if (photo) {
            p->caption_lines = caption_count(r, it->image_caption, p->text.w);
            render_photo_fit(pw, ph, p->text.w, (int)lround(0.24 * avail), &p->photo);
            p->photo.x = g->margin_x + (p->text.w - p->photo.w) / 2;
            p->photo.y = top;
        }
    }
    p->first_page_h = p->text.h - p->meta_h - photo_block_h(r, p);
    p->cont_h = p->column ? 0 : cont_line_h(r);
}

bool render_item_narrow(struct render *r, const struct store_item *it, const struct layout_doc *doc)
{
    if (r->g.portrait || !item_has_qr(r, it) || doc->n_pages != 1)
        return false;
    struct render_item_plan p;
    render_item_plan(r, it, true, &p);
    for (size_t i = 0; i < doc->pages[0].n_lines; i++)
        if (doc->pages[0].lines[i].x + doc->pages[0].lines[i].width > p.text.w)
            return false;
    return true;
}

/* The meta line under the title: the source (which may be shortened with "…") and
 * "04/04/2024  ·  2 giờ trước" (the date is never shortened; the relative age gives way first). */
static void paint_meta(struct render *r, struct render_dl *dl, const struct render_page_req *req,
                       int x, int baseline, int max_w)
{
    const struct store_item *it = req->item;
    int64_t now = req->now ? req->now : r->wall_now;
    bool trusted = req->now ? req->clock_trusted : r->wall_trusted;
    int px = r->g.meta_px;
    char date[32] = "", age[64] = "", tail[160];
    if (it->date > 0)
        render_fmt_date(it->date, date, sizeof(date));
    if (it->date > 0 && now > 0 && trusted)
        clock_format_age_vi(it->date, now, age, sizeof(age));
    bool source = !str_empty(it->source_name);
    const char *sep = source && date[0] ? "  ·  " : "";
    snprintf(tail, sizeof(tail), "%s%s%s%s", sep, date, age[0] ? "  ·  " : "", age);
    int src_w = source ? render_text_width(&r->fonts, LAYOUT_FACE_REGULAR, px, it->source_name) : 0;
    if (age[0] && src_w + render_text_width(&r->fonts, LAYOUT_FACE_REGULAR, px, tail) > max_w)
        snprintf(tail, sizeof(tail), "%s%s", sep, date);
    int tail_w = render_text_width(&r->fonts, LAYOUT_FACE_REGULAR, px, tail);
    int room = max_w - tail_w;
    int w = 0;
    if (source && room > px)
        w = render_text_fit(dl, &r->fonts, LAYOUT_FACE_REGULAR, px, it->source_name, x, baseline,
                            room, r->theme.muted, true);
    else if (source) /* no room beside the date: the date alone */
        snprintf(tail, sizeof(tail), "%s", date);
    render_text_fit(dl, &r->fonts, LAYOUT_FACE_REGULAR, px, tail, x + w, baseline, max_w - w,
                    r->theme.muted, false);
}

static void paint_caption(struct render *r, struct render_dl *dl, const char *text, int x, int y,
                          int w, int max_lines)
{
    const struct render_geom *g = &r->g;
    TTF_Font *f = render_font(&r->fonts, LAYOUT_FACE_REGULAR, g->small_px);
    int asc = f ? TTF_FontAscent(f) : g->small_px;
    render_text_wrap(dl, &r->fonts, &r->metrics, LAYOUT_FACE_REGULAR, g->small_px, text, x, y + asc,
                     w, max_lines, line_step(r, g->small_px), r->theme.muted, false, true);
}

/* Landscape column or portrait strip: photo (page 1, landscape), "(tiếp theo)" + title (later
 * pages of a column layout), the QR code with its caption (last page only). */
static void paint_side(struct render *r, struct render_dl *dl, const struct render_page_req *req,
                       const struct render_item_plan *p, bool last)
{
    const struct render_geom *g = &r->g;
    const struct layout_page *pg = &req->doc->pages[req->page];
    int step = line_step(r, g->small_px);
    SDL_Rect q = qr_block(r, p);
    bool qr = p->qr && last;
    SDL_Surface *photo = req->page == 0 ? render_photo_get(r, req->item->image_path) : NULL;
    if (photo && !g->portrait) {
        render_image(dl, photo, p->photo.x, p->photo.y, p->photo.w, p->photo.h);
        paint_caption(r, dl, req->item->image_caption, p->side.x,
                      p->photo.y + p->photo.h + g->small_px / 3, p->side.w, p->caption_lines);
    } else if (!pg->has_title && p->column) {
        TTF_Font *f = render_font(&r->fonts, LAYOUT_FACE_BOLD, g->small_px);
        int y = p->side.y + (f ? TTF_FontAscent(f) : g->small_px);
        int bottom = qr ? q.y - step / 2 : p->side.y + p->side.h;
        int lines = (bottom - y) / step; /* the title lines that fit above the QR code */
        render_text(dl, &r->fonts, LAYOUT_FACE_REGULAR, g->small_px, "(tiếp theo)", p->side.x, y,
                    r->theme.muted);
        render_text_wrap(dl, &r->fonts, &r->metrics, LAYOUT_FACE_BOLD, g->small_px,
                         req->item->title, p->side.x, y + step, p->side.w, lines < 4 ? lines : 4,
                         step, r->theme.muted, false, true);
    }
    if (!qr)
        return;
    int side = qr_side(r);
    int qx, qy, tx, tw, ty;
    if (g->portrait) {
        qx = p->side.x;
        qy = p->side.y;
        tx = qx + side + g->body_px / 2;
        tw = p->side.w - side - g->body_px / 2;
        ty = qy + side / 2 - step / 2;
    } else {
        qx = p->side.x + (p->side.w - side) / 2;
        qy = q.y;
        tx = p->side.x;
        tw = p->side.w;
        ty = qy + side + step * 3 / 4;
    }
    SDL_Color dark = {0, 0, 0, 255}, light = {255, 255, 255, 255};
    render_dl_region(dl, "qr", q);
    if (!render_qr(dl, req->item->link, qx, qy, side, dark, light))
        return;
    render_text_wrap(dl, &r->fonts, &r->metrics, LAYOUT_FACE_BOLD, g->small_px, QR_CAPTION, tx, ty,
                     tw, 2, step, r->theme.fg, !g->portrait, false);
}

/* Returns the baseline of the last line drawn. */
static int paint_lines(struct render *r, struct render_dl *dl, const struct render_page_req *req,
                       const struct render_item_plan *p, int top)
{
    int last_baseline = top;
    const struct layout_page *pg = &req->doc->pages[req->page];
    bool in_title = pg->has_title;
    int last_title_baseline = -1;
    for (size_t i = 0; i < pg->n_lines; i++) {
        const struct layout_line *ln = &pg->lines[i];
        if (in_title && ln->face != LAYOUT_FACE_BOLD) {
            in_title = false;
            top += p->meta_h;
        }
        SDL_Color c = in_title ? r->theme.title : r->theme.fg;
        render_text_fit(dl, &r->fonts, ln->face, ln->size_px, ln->text, p->text.x + ln->x,
                        top + ln->baseline_y, p->text.w - ln->x, c, false);
        if (in_title)
            last_title_baseline = top + ln->baseline_y;
        last_baseline = top + ln->baseline_y;
    }
    if (pg->has_title && last_title_baseline >= 0)
        paint_meta(r, dl, req, p->text.x, last_title_baseline + (int)lround(1.75 * r->g.meta_px),
                   p->text.w);
    return last_baseline;
}

/* Over the text of a later page: "(tiếp theo)  Title of the item" in one small line, so that a
 * passer-by arriving on page 3 knows what is being read. */
static void paint_cont_line(struct render *r, struct render_dl *dl, const struct store_item *it,
                            SDL_Rect at, const struct render_theme *t)
{
    const struct render_geom *g = &r->g;
    TTF_Font *f = render_font(&r->fonts, LAYOUT_FACE_BOLD, g->small_px);
    int base = at.y + (f ? TTF_FontAscent(f) : g->small_px);
    int w = render_text(dl, &r->fonts, LAYOUT_FACE_REGULAR, g->small_px, "(tiếp theo)", at.x, base,
                        t->muted);
    int gap = g->small_px / 2;
    if (!str_empty(it->title) && w + gap < at.w)
        render_text_fit(dl, &r->fonts, LAYOUT_FACE_BOLD, g->small_px, it->title, at.x + w + gap,
                        base, at.w - w - gap, t->muted, true);
}

static void plan_item(struct render *r, struct render_dl *dl, const struct render_page_req *req)
{
    const struct render_geom *g = &r->g;
    struct render_item_plan p;
    render_item_plan(r, req->item, render_item_narrow(r, req->item, req->doc), &p);
    const struct layout_page *pg = &req->doc->pages[req->page];
    bool last = req->page + 1 == req->doc->n_pages;
    int top = p.text.y;
    if (g->portrait && req->page == 0 && p.photo.w > 0) {
        render_dl_region(dl, "photo",
                         (SDL_Rect){p.text.x, p.text.y, p.text.w, photo_block_h(r, &p)});
        /* Gone since layout: keep its room, the text stays where it was. */
        render_image(dl, render_photo_get(r, req->item->image_path), p.photo.x, p.photo.y,
                     p.photo.w, p.photo.h);
        paint_caption(r, dl, req->item->image_caption, p.text.x,
                      p.photo.y + p.photo.h + g->small_px / 3, p.text.w, p.caption_lines);
        top += photo_block_h(r, &p);
    }
    if (req->page > 0 && !pg->has_title && p.cont_h > 0) {
        render_dl_region(dl, "continued", (SDL_Rect){p.text.x, p.text.y, p.text.w, p.cont_h});
        paint_cont_line(r, dl, req->item, (SDL_Rect){p.text.x, p.text.y, p.text.w, p.cont_h},
                        &r->theme);
        top += p.cont_h;
    }
    /* The text region of this page: what the layout had room for. */
    SDL_Rect text = {p.text.x, top, p.text.w, p.text.y + p.text.h - top};
    if (last && p.qr_reserve > 0 && p.reserve_w == 0)
        text.h -= p.qr_reserve;
    render_dl_region(dl, "text", text);
    int last_baseline = paint_lines(r, dl, req, &p, top);
    /* The layout left one body line free under the last line for this note. */
    if (pg->continued)
        render_text_fit(dl, &r->fonts, LAYOUT_FACE_BOLD, g->body_px,
                        p.qr ? MORE_NOTE_QR : MORE_NOTE, p.text.x,
                        last_baseline + line_step(r, g->body_px), p.text.w, r->theme.muted, false);
    if (p.side.w > 0) {
        render_dl_region(dl, "side", p.side);
        paint_side(r, dl, req, &p, last);
    }
}

/* Never a blank screen: the office name and a calm "loading" line, or, once every source
 * has answered with nothing to show, that there is nothing and since when. */
static void plan_empty(struct render *r, struct render_dl *dl, const struct render_page_req *req)
{
    const struct render_geom *g = &r->g;
    int w = g->w - 2 * g->margin_x;
    int step = line_step(r, g->title_px);
    int y = g->content.h / 2 - step / 2;
    render_dl_region(dl, "text", (SDL_Rect){g->margin_x, 0, w, g->content.h});
    if (!str_empty(r->office_name))
        y = render_text_wrap(dl, &r->fonts, &r->metrics, LAYOUT_FACE_BOLD, g->title_px,
                             r->office_name, g->margin_x, y, w, 3, step, r->theme.title, true,
                             true);
    char line[160] = "Đang tải thông báo…";
    if (req && req->kind == RENDER_PAGE_EMPTY && req->idle_since > 0) {
        char when[64];
        if (req->clock_trusted)
            snprintf(line, sizeof line, "Hiện không có thông báo nào (từ %s)",
                     render_fmt_hm_date(req->idle_since, when, sizeof when));
        else
            snprintf(line, sizeof line, "Hiện không có thông báo nào");
    }
    render_text_wrap(dl, &r->fonts, &r->metrics, LAYOUT_FACE_REGULAR, g->body_px, line, g->margin_x,
                     y + g->body_px / 2, w, 2, step, r->theme.muted, true, true);
}

SDL_Color render_page_plan(struct render *r, const struct render_page_req *req,
                           struct render_dl *dl)
{
    render_dl_init(dl, r->g.content.w, r->g.content.h);
    switch (req->kind) {
    case RENDER_PAGE_ITEM:
        if (req->item && req->doc && req->page < req->doc->n_pages) {
            plan_item(r, dl, req);
            return r->theme.bg;
        }
        LOG_WARN("item page %zu requested without its layout; showing the waiting page", req->page);
        break;
    case RENDER_PAGE_URGENT:
        if (req->urgent && req->doc && req->page < req->doc->n_pages) {
            render_urgent_plan_page(r, dl, req);
            return render_urgent_theme(r, req->urgent)->bg;
        }
        LOG_WARN("urgent page requested without its layout");
        break;
    case RENDER_PAGE_STATUS:
        if (req->status) {
            render_status_plan(r, dl, req->status);
            return r->theme.bg;
        }
        break;
    case RENDER_PAGE_EMPTY:
    default: break;
    }
    plan_empty(r, dl, req);
    return r->theme.bg;
}

SDL_Surface *render_page_paint(struct render *r, const struct render_page_req *req)
{
    struct render_dl dl;
    SDL_Color bg = render_page_plan(r, req, &dl);
    SDL_Surface *s = render_dl_surface(r, &dl, r->g.content.w, r->g.content.h, bg);
    render_dl_free(&dl);
    return s;
}
