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
    struct render_dl *dl;
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
    render_text_fit(p->dl, &r->fonts, LAYOUT_FACE_REGULAR, p->px, label, p->x, p->y,
                    p->label_w - p->px / 2, r->theme.muted, true);
    render_text_fit(p->dl, &r->fonts, alert ? LAYOUT_FACE_BOLD : LAYOUT_FACE_REGULAR, p->px,
                    str_empty(value) ? "—" : value, p->x + p->label_w, p->y, p->w - p->label_w,
                    r->theme.fg, true);
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

/* The screen speaks Vietnamese: an error (English, from the fetcher, the parser or the
 * notice checks) is shown as what it means; the exact text stays in status.json and the
 * journal. The first matching pattern wins: specific ones first. */
const char *render_error_vi(const char *err)
{
    static const struct {
        const char *pattern, *vi;
    } map[] = {
        {"waiting for time", "chờ giờ mạng (đồng hồ chưa đặt)"},
        {"not yet valid", "chờ giờ mạng (đồng hồ chưa đặt)"},
        {"no signature", "thiếu tệp chữ ký .minisig"},
        {"signature not fetched", "không tải được tệp chữ ký .minisig"},
        {"bad signature", "chữ ký không hợp lệ (thông báo bị từ chối)"},
        {"unknown key", "khóa ký chưa được ghim trong cấu hình"},
        {"bad document", "thông báo ký số sai định dạng"},
        {"expired", "thông báo đã hết hạn"},
        {"replayed", "số thứ tự cũ: thông báo bị từ chối"},
        {"certificate", "lỗi chứng chỉ TLS của máy chủ"},
        {"SSL", "lỗi kết nối bảo mật (TLS)"},
        {"TLS", "lỗi kết nối bảo mật (TLS)"},
        {"resolve", "không tìm thấy tên miền (DNS)"},
        {"timeout", "hết thời gian chờ máy chủ"},
        {"timed out", "hết thời gian chờ máy chủ"},
        {"too slow", "mạng quá chậm"},
        {"refused", "máy chủ từ chối kết nối"},
        {"connect", "không kết nối được máy chủ"},
        {"HTTP 404", "không tìm thấy địa chỉ (HTTP 404)"},
        {"HTTP", "máy chủ trả lỗi HTTP"},
        {"redirect", "chuyển hướng quá nhiều lần"},
        {"open file", "không đọc được tệp"},
        {"cannot read", "không đọc được tệp"},
        {"larger than", "nội dung quá lớn"},
        {"too large", "nội dung quá lớn"},
        {"store", "không ghi được bộ nhớ đệm"},
        {"JSON", "nội dung không phải bản tin hợp lệ"},
        {"XML", "nội dung không phải bản tin hợp lệ"},
        {"feed", "nội dung không phải bản tin hợp lệ"},
    };
    for (size_t i = 0; i < ARRAY_LEN(map); i++)
        if (strstr(err, map[i].pattern))
            return map[i].vi;
    return "lỗi khác (chi tiết: journalctl -u bangtin)";
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
        row(p, "", render_error_vi(src->last_error), true);
}

/* One row for the urgent side: the commune code, the pinned keys, the active notices (the
 * same facts as status.json's commune_code, trusted_keys and urgent_notices). */
static void urgent_row(struct status_pen *p, const struct render_status *st)
{
    size_t n = 0;
    for (const char *e = st->urgent_active; !str_empty(e); n++) {
        e = strchr(e, '\n');
        e = e ? e + 1 : NULL;
    }
    char *titles = xstrdup(st->urgent_active ? st->urgent_active : "");
    for (char *c = titles; *c; c++)
        if (*c == '\n')
            *c = ';';
    char *line =
        xasprintf("xã %s  ·  %zu đang hiện%s%s  ·  khóa: %s",
                  str_empty(st->commune_code) ? "chưa đặt mã" : st->commune_code, n, n ? ": " : "",
                  titles, str_empty(st->trusted_keys) ? "không có" : st->trusted_keys);
    row(p, "Thông báo khẩn", line, false);
    free(line);
    free(titles);
}

void render_status_plan(struct render *r, struct render_dl *dl, const struct render_status *st)
{
    const struct render_geom *g = &r->g;
    struct status_pen p = {.r = r,
                           .dl = dl,
                           .x = g->margin_x,
                           .w = g->w - 2 * g->margin_x,
                           .px = g->small_px,
                           .bottom = g->content.h - g->pad_bottom};
    p.step = (int)lround(1.3 * p.px);
    p.label_w = (int)lround(p.w * (g->portrait ? 0.38 : 0.3));
    p.y = g->pad_top + (int)lround(0.9 * g->body_px);
    render_dl_region(dl, "text", (SDL_Rect){p.x, 0, p.w, g->content.h});
    render_text(dl, &r->fonts, LAYOUT_FACE_BOLD, g->body_px, "Trạng thái thiết bị", p.x, p.y,
                r->theme.title);
    p.y += (int)lround(1.2 * g->body_px);

    char buf[256];
    row(&p, "Phiên bản", st->version, false);
    row(&p, "Địa chỉ IP", str_empty(st->addresses) ? "không có mạng" : st->addresses,
        str_empty(st->addresses));
    /* The same two facts as status.json: clock_synchronised (NTP) and clock_trusted. */
    row(&p, "Đồng hồ",
        st->clock_synchronised ? "đã đồng bộ (NTP)"
        : st->clock_trusted    ? "chưa đồng bộ NTP, giờ hệ thống được tin dùng"
                               : "CHƯA đồng bộ (chờ giờ mạng, giờ bị ẩn)",
        !st->clock_trusted);
    if (st->uptime_s >= 0) {
        fmt_uptime(st->uptime_s, buf, sizeof(buf));
        row(&p, "Thời gian chạy", buf, false);
    }
    /* Vietnamese decimal comma. */
    snprintf(buf, sizeof(buf), "%zu tin, %zu,%zu MB", st->n_items, st->cache_bytes >> 20,
             (st->cache_bytes % 1048576) * 10 / 1048576);
    row(&p, "Bộ nhớ đệm", buf, false);
    if (!str_empty(st->push))
        row(&p, "Tin đẩy", st->push, st->push_failing);
    urgent_row(&p, st);
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
        /* "HH:MM source: error" → "HH:MM source: <what it means>" */
        char *one = xstrndup(e, n);
        char *sep = strlen(one) > 6 ? strstr(one + 6, ": ") : NULL;
        if (sep) {
            sep[2] = '\0';
            char *vi = xasprintf("%s%s", one, render_error_vi(e + (sep + 2 - one)));
            free(one);
            one = vi;
        }
        row(&p, first ? "Lỗi gần đây" : "", one, false);
        free(one);
        first = false;
        e += n + (nl ? 1 : 0);
    }
}
