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

void render_item_plan(struct render *r, const struct store_item *it, bool column,
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
    p->column = column || (!g->portrait && photo);
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
    } else if (g->portrait) {
        if (p->qr) {
            int strip = qr_side(r);
            p->side = (SDL_Rect){g->margin_x, top + avail - strip, p->text.w, strip};
            if (p->column)
                p->text.h = avail - strip - g->body_px / 2;
        }
        if (photo) {
            p->caption_lines = caption_count(r, it->image_caption, p->text.w);
            render_photo_fit(pw, ph, p->text.w, (int)lround(0.24 * avail), &p->photo);
            p->photo.x = g->margin_x + (p->text.w - p->photo.w) / 2;
            p->photo.y = top;
        }
    }
    p->first_page_h = p->text.h - p->meta_h - photo_block_h(r, p);
}

/* Where the QR code and its caption go on the last page. */
static SDL_Rect qr_block(struct render *r, const struct render_item_plan *p)
{
    if (r->g.portrait)
        return p->side;
    int side = qr_side(r), step = line_step(r, r->g.small_px);
    int h = side + step * caption_count_face(r, LAYOUT_FACE_BOLD, QR_CAPTION, p->side.w);
    return (SDL_Rect){p->side.x, p->side.y + p->side.h - h, p->side.w, h};
}

/* Vertical offset of the body lines of a page (page 1: photo above in portrait, meta line). */
static int body_shift(const struct render *r, const struct render_item_plan *p, size_t page)
{
    return page == 0 ? p->meta_h + photo_block_h(r, p) : 0;
}

static bool qr_fits_page(struct render *r, const struct render_item_plan *p,
                         const struct layout_doc *doc, size_t pg)
{
    const struct layout_page *page = &doc->pages[pg];
    SDL_Rect q = qr_block(r, p);
    int gap = r->g.portrait ? r->g.body_px / 2 : r->g.side_gap / 2;
    int bottom = 0;
    for (size_t i = 0; i < page->n_lines; i++) {
        const struct layout_line *ln = &page->lines[i];
        int shift = page->has_title && ln->face == LAYOUT_FACE_BOLD ? photo_block_h(r, p)
                                                                    : body_shift(r, p, pg);
        int y0 = p->text.y + shift + ln->baseline_y - (int)lround(1.07 * ln->size_px);
        int y1 = p->text.y + shift + ln->baseline_y + (int)lround(0.3 * ln->size_px);
        bottom = y1;
        if (y1 + gap > q.y && y0 < q.y + q.h && p->text.x + ln->x + ln->width + gap > q.x)
            return false;
    }
    /* The "… xem tiếp" note takes one more body line. */
    if (page->continued && bottom + line_step(r, r->g.body_px) + gap > q.y)
        return false;
    return true;
}

bool render_item_qr_fits(struct render *r, const struct render_item_plan *p,
                         const struct layout_doc *doc)
{
    return !p->qr || doc->n_pages == 0 || qr_fits_page(r, p, doc, doc->n_pages - 1);
}

bool render_item_column(struct render *r, const struct store_item *it, const struct layout_doc *doc)
{
    if (r->g.portrait) {
        /* Column mode = the QR strip is free on every page. */
        struct render_item_plan p;
        render_item_plan(r, it, false, &p);
        if (!p.qr)
            return false;
        for (size_t pg = 0; pg < doc->n_pages; pg++)
            if (!qr_fits_page(r, &p, doc, pg))
                return false;
        return true;
    }
    int pw, ph;
    if (render_photo_size(r, it->image_path, &pw, &ph))
        return true;
    if (!item_has_qr(r, it))
        return false;
    int narrow = r->g.w - 2 * r->g.margin_x - r->g.side_w - r->g.side_gap;
    for (size_t pg = 0; pg < doc->n_pages; pg++)
        for (size_t i = 0; i < doc->pages[pg].n_lines; i++)
            if (doc->pages[pg].lines[i].x + doc->pages[pg].lines[i].width > narrow)
                return false;
    return true;
}

/* "source  ·  04/04/2024  ·  2 giờ trước" in at most max_w pixels. When it is too wide the
 * source name gives way (shortened with "…"), never the date: the date is what readers need. */
static void meta_format(struct render *r, const struct render_page_req *req, char *buf, size_t len,
                        int max_w)
{
    const struct store_item *it = req->item;
    int64_t now = req->now ? req->now : r->wall_now;
    bool trusted = req->now ? req->clock_trusted : r->wall_trusted;
    char date[32] = "", age[64] = "", tail[128];
    if (it->date > 0)
        render_fmt_date(it->date, date, sizeof(date));
    if (it->date > 0 && now > 0 && trusted)
        clock_format_age_vi(it->date, now, age, sizeof(age));
    snprintf(tail, sizeof(tail), "%s%s%s", date, age[0] ? "  ·  " : "", age);
    const char *sep = tail[0] && !str_empty(it->source_name) ? "  ·  " : "";
    char *name = xstrdup(it->source_name ? it->source_name : "");
    snprintf(buf, len, "%s%s%s", name, sep, tail);
    /* The relative age goes first: the source and the date say more. */
    if (age[0] && render_text_width(&r->fonts, LAYOUT_FACE_REGULAR, r->g.meta_px, buf) > max_w) {
        snprintf(tail, sizeof(tail), "%s", date);
        snprintf(buf, len, "%s%s%s", name, sep, tail);
    }
    size_t n = strlen(name);
    while (n > 0 && render_text_width(&r->fonts, LAYOUT_FACE_REGULAR, r->g.meta_px, buf) > max_w) {
        /* Drop one code point at a time, then mark the cut. */
        do {
            n--;
        } while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80);
        name[n] = '\0';
        snprintf(buf, len, "%s…%s%s", name, sep, tail);
    }
    free(name);
}

static void paint_caption(struct render *r, SDL_Surface *s, const char *text, int x, int y, int w,
                          int max_lines)
{
    const struct render_geom *g = &r->g;
    TTF_Font *f = render_font(&r->fonts, LAYOUT_FACE_REGULAR, g->small_px);
    int asc = f ? TTF_FontAscent(f) : g->small_px;
    render_text_wrap(s, &r->fonts, &r->metrics, LAYOUT_FACE_REGULAR, g->small_px, text, x, y + asc,
                     w, max_lines, line_step(r, g->small_px), r->theme.muted, false);
}

/* Landscape column or portrait strip: photo (page 1), "tiếp theo" + title (later pages),
 * QR code with its caption (last page). */
static void paint_side(struct render *r, SDL_Surface *s, const struct render_page_req *req,
                       const struct render_item_plan *p, bool last)
{
    const struct render_geom *g = &r->g;
    const struct layout_page *pg = &req->doc->pages[req->page];
    int step = line_step(r, g->small_px);
    SDL_Surface *photo = req->page == 0 ? render_photo_get(r, req->item->image_path) : NULL;
    if (photo && !g->portrait) {
        render_blit_scaled(photo, s, p->photo.x, p->photo.y, p->photo.w, p->photo.h);
        paint_caption(r, s, req->item->image_caption, p->side.x,
                      p->photo.y + p->photo.h + g->small_px / 3, p->side.w, p->caption_lines);
    } else if (!pg->has_title && p->column) {
        TTF_Font *f = render_font(&r->fonts, LAYOUT_FACE_BOLD, g->small_px);
        int y = p->side.y + (f ? TTF_FontAscent(f) : g->small_px);
        render_text(s, &r->fonts, LAYOUT_FACE_REGULAR, g->small_px, "(tiếp theo)", p->side.x, y,
                    r->theme.muted);
        render_text_wrap(s, &r->fonts, &r->metrics, LAYOUT_FACE_BOLD, g->small_px, req->item->title,
                         p->side.x, y + step, p->side.w, 4, step, r->theme.muted, false);
    }
    /* Where the side area is kept free on every page anyway, every page offers the QR code:
     * a passer-by may arrive on page 3 of 6. Otherwise it sits on the last page. */
    if (!p->qr || (!last && !p->column))
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
        qy = qr_block(r, p).y;
        tx = p->side.x;
        tw = p->side.w;
        ty = qy + side + step * 3 / 4;
    }
    SDL_Color dark = {0, 0, 0, 255}, light = {255, 255, 255, 255};
    if (!render_qr(s, req->item->link, qx, qy, side, dark, light))
        return;
    render_text_wrap(s, &r->fonts, &r->metrics, LAYOUT_FACE_BOLD, g->small_px, QR_CAPTION, tx, ty,
                     tw, 2, step, r->theme.fg, !g->portrait);
}

/* Returns the baseline of the last line drawn. */
static int paint_lines(struct render *r, SDL_Surface *s, const struct render_page_req *req,
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
        render_text(s, &r->fonts, ln->face, ln->size_px, ln->text, p->text.x + ln->x,
                    top + ln->baseline_y, c);
        if (in_title)
            last_title_baseline = top + ln->baseline_y;
        last_baseline = top + ln->baseline_y;
    }
    if (pg->has_title && last_title_baseline >= 0) {
        char meta[512];
        meta_format(r, req, meta, sizeof(meta), p->text.w);
        int y = last_title_baseline + (int)lround(1.75 * r->g.meta_px);
        render_text_fit(s, &r->fonts, LAYOUT_FACE_REGULAR, r->g.meta_px, meta, p->text.x, y,
                        p->text.w, r->theme.muted);
    }
    return last_baseline;
}

static SDL_Surface *paint_item(struct render *r, const struct render_page_req *req)
{
    const struct render_geom *g = &r->g;
    SDL_Surface *s = render_surface_new(g->content.w, g->content.h, r->theme.bg);
    if (!s)
        return NULL;
    struct render_item_plan p;
    render_item_plan(r, req->item, render_item_column(r, req->item, req->doc), &p);
    bool last = req->page + 1 == req->doc->n_pages;
    bool continued = req->doc->pages[req->page].continued;
    int top = p.text.y;
    if (g->portrait && req->page == 0 && p.photo.w > 0) {
        SDL_Surface *photo = render_photo_get(r, req->item->image_path);
        if (photo) /* gone since layout: keep its room, the text stays where it was */
            render_blit_scaled(photo, s, p.photo.x, p.photo.y, p.photo.w, p.photo.h);
        paint_caption(r, s, req->item->image_caption, p.text.x,
                      p.photo.y + p.photo.h + g->small_px / 3, p.text.w, p.caption_lines);
        top += photo_block_h(r, &p);
    }
    int last_baseline = paint_lines(r, s, req, &p, top);
    if (p.side.w > 0)
        paint_side(r, s, req, &p, last);
    /* The layout left one body line free under the last line for this note. */
    if (continued)
        render_text_fit(s, &r->fonts, LAYOUT_FACE_BOLD, g->body_px, p.qr ? MORE_NOTE_QR : MORE_NOTE,
                        p.text.x, last_baseline + line_step(r, g->body_px), p.text.w,
                        r->theme.muted);
    return s;
}

/* Never a blank screen: the office name and a calm "loading" line, or, once every source
 * has answered with nothing to show, that there is nothing and since when. */
static SDL_Surface *paint_empty(struct render *r, const struct render_page_req *req)
{
    const struct render_geom *g = &r->g;
    SDL_Surface *s = render_surface_new(g->content.w, g->content.h, r->theme.bg);
    if (!s)
        return NULL;
    int w = g->w - 2 * g->margin_x;
    int step = line_step(r, g->title_px);
    int y = g->content.h / 2 - step / 2;
    if (!str_empty(r->office_name))
        y = render_text_wrap(s, &r->fonts, &r->metrics, LAYOUT_FACE_BOLD, g->title_px,
                             r->office_name, g->margin_x, y, w, 2, step, r->theme.title, true);
    char line[160] = "Đang tải thông báo…";
    if (req && req->idle_since > 0) {
        char when[64];
        if (req->clock_trusted)
            snprintf(line, sizeof line, "Hiện không có thông báo nào (từ %s)",
                     render_fmt_hm_date(req->idle_since, when, sizeof when));
        else
            snprintf(line, sizeof line, "Hiện không có thông báo nào");
    }
    render_text_wrap(s, &r->fonts, &r->metrics, LAYOUT_FACE_REGULAR, g->body_px, line, g->margin_x,
                     y + g->body_px / 2, w, 2, step, r->theme.muted, true);
    return s;
}

SDL_Surface *render_page_paint(struct render *r, const struct render_page_req *req)
{
    switch (req->kind) {
    case RENDER_PAGE_ITEM:
        if (req->item && req->doc && req->page < req->doc->n_pages)
            return paint_item(r, req);
        LOG_WARN("item page %zu requested without its layout; showing the waiting page", req->page);
        return paint_empty(r, NULL);
    case RENDER_PAGE_URGENT:
        if (req->urgent && req->doc && req->page < req->doc->n_pages) {
            SDL_Surface *s = render_surface_new(r->g.content.w, r->g.content.h, r->urgent.bg);
            if (s)
                render_urgent_paint(r, s, req);
            return s;
        }
        LOG_WARN("urgent page requested without its layout");
        return paint_empty(r, NULL);
    case RENDER_PAGE_STATUS:
        if (req->status) {
            SDL_Surface *s = render_surface_new(r->g.content.w, r->g.content.h, r->theme.bg);
            if (s)
                render_status_paint(r, s, req->status);
            return s;
        }
        return paint_empty(r, NULL);
    case RENDER_PAGE_EMPTY:
    default: return paint_empty(r, req);
    }
}
