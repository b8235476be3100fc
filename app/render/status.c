/* status: the page for IT staff (key `s`): version, addresses, clock, uptime, cache, every
 * source with its last success / last error / item count, and the newest errors. Smaller
 * text than the articles: the reader stands at the screen. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/util.h"

struct status_pen {
    struct render *r;
    SDL_Surface *s;
    int x, y, w, bottom, step, label_w, px;
};

static bool pen_room(const struct status_pen *p)
{
    return p->y <= p->bottom;
}

static void row(struct status_pen *p, const char *label, const char *value, bool alert)
{
    if (!pen_room(p))
        return;
    struct render *r = p->r;
    render_text_fit(p->s, &r->fonts, LAYOUT_FACE_REGULAR, p->px, label, p->x, p->y,
                    p->label_w - p->px / 2, r->theme.muted);
    render_text_fit(p->s, &r->fonts, alert ? LAYOUT_FACE_BOLD : LAYOUT_FACE_REGULAR, p->px,
                    str_empty(value) ? "—" : value, p->x + p->label_w, p->y, p->w - p->label_w,
                    r->theme.fg);
    p->y += p->step;
}

static void fmt_uptime(int64_t s, char *buf, size_t len)
{
    int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
    if (d > 0)
        snprintf(buf, len, "%lld ngày %lld giờ", (long long)d, (long long)h);
    else
        snprintf(buf, len, "%lld giờ %lld phút", (long long)h, (long long)m);
}

static void fmt_when(int64_t t, char *buf, size_t len)
{
    if (t <= 0)
        snprintf(buf, len, "chưa lần nào");
    else
        render_fmt_hm_date(t, buf, len);
}

static void source_rows(struct status_pen *p, const struct render_source_status *src)
{
    char when[64], line[512];
    fmt_when(src->last_success, when, sizeof(when));
    bool failing = !str_empty(src->last_error);
    snprintf(line, sizeof(line), "%d tin  ·  thành công %s%s", src->n_items, when,
             failing ? "  ·  LỖI:" : "");
    row(p, str_empty(src->name) ? (str_empty(src->url) ? "(nguồn)" : src->url) : src->name, line,
        false);
    if (failing)
        row(p, "", src->last_error, true);
}

void render_status_paint(struct render *r, SDL_Surface *s, const struct render_status *st)
{
    const struct render_geom *g = &r->g;
    struct status_pen p = {.r = r,
                           .s = s,
                           .x = g->margin_x,
                           .w = g->w - 2 * g->margin_x,
                           .px = g->small_px,
                           .bottom = g->content.h - g->pad_bottom};
    p.step = (int)lround(1.3 * p.px);
    p.label_w = (int)lround(p.w * (g->portrait ? 0.38 : 0.3));
    p.y = g->pad_top + (int)lround(0.9 * g->body_px);
    render_text(s, &r->fonts, LAYOUT_FACE_BOLD, g->body_px, "Trạng thái thiết bị", p.x, p.y,
                r->theme.title);
    p.y += (int)lround(1.2 * g->body_px);

    char buf[256];
    row(&p, "Phiên bản", st->version, false);
    row(&p, "Địa chỉ IP", str_empty(st->addresses) ? "không có mạng" : st->addresses,
        str_empty(st->addresses));
    row(&p, "Đồng hồ", st->clock_trusted ? "đã đồng bộ" : "CHƯA đồng bộ (chờ giờ mạng, giờ bị ẩn)",
        !st->clock_trusted);
    fmt_uptime(st->uptime_s, buf, sizeof(buf));
    row(&p, "Thời gian chạy", buf, false);
    /* Vietnamese decimal comma. */
    snprintf(buf, sizeof(buf), "%zu tin, %zu,%zu MB", st->n_items, st->cache_bytes >> 20,
             (st->cache_bytes % 1048576) * 10 / 1048576);
    row(&p, "Bộ nhớ đệm", buf, false);
    if (!str_empty(st->push))
        row(&p, "Tin đẩy", st->push, st->push_failing);
    p.y += p.step / 3;
    for (size_t i = 0; i < st->n_sources; i++)
        source_rows(&p, &st->sources[i]);
    if (str_empty(st->last_errors))
        return;
    p.y += p.step / 3;
    const char *e = st->last_errors;
    bool first = true;
    while (*e && pen_room(&p)) {
        const char *nl = strchr(e, '\n');
        size_t n = nl ? (size_t)(nl - e) : strlen(e);
        char *one = xstrndup(e, n);
        row(&p, first ? "Lỗi gần đây" : "", one, false);
        free(one);
        first = false;
        e += n + (nl ? 1 : 0);
    }
}
