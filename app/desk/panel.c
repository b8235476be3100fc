/* The screen's own panel (DESIGN.md §11): after login (pages.c), the screen's status, local
 * notices for this screen — the same rows `bangtin notify` writes: origin local, no signature,
 * the running kiosk sees them through the cache's data version within a second — and a PNG of
 * what is on screen now, asked of the kiosk's main thread (panel_frame_wanted/set). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "panel"
#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "desk_html.h"
#include "desk_priv.h"

#define FRAME_WAIT_MS 3000

bool panel_frame_wanted(struct desk *p)
{
    pthread_mutex_lock(&p->store_mu);
    bool w = p->frame_wanted;
    pthread_mutex_unlock(&p->store_mu);
    return w;
}

void panel_frame_set(struct desk *p, const void *png, size_t len)
{
    pthread_mutex_lock(&p->store_mu);
    free(p->frame.data);
    p->frame.data = NULL;
    p->frame.len = 0;
    if (png && len) {
        p->frame.data = xmalloc(len);
        memcpy(p->frame.data, png, len);
        p->frame.len = len;
    }
    p->frame_wanted = false;
    p->frame_serial++;
    pthread_cond_broadcast(&p->frame_cv);
    pthread_mutex_unlock(&p->store_mu);
}

void panel_free(struct desk *d)
{
    if (d->store)
        store_close(d->store);
    d->store = NULL;
    free(d->frame.data);
    d->frame.data = NULL;
}

static void begin(struct buf *b, const char *title, const struct auth_session *s)
{
    html_begin(b, title, NULL, NULL);
    buf_append_str(b, "<form class=\"logout\" method=\"post\" action=\"/logout\">");
    html_csrf(b, s->csrf);
    buf_append_str(b, "<span>");
    html_esc(b, s->user);
    buf_append_str(b, "</span> <button type=\"submit\" class=\"secondary\">Đăng xuất</button>"
                      "</form>");
}

static void message(struct http_resp *w, const struct auth_session *s, int status, const char *msg)
{
    w->status = status;
    begin(&w->body, "Bảng điều khiển màn hình", s);
    const char *m[] = {msg};
    html_errors(&w->body, m, 1);
    buf_append_str(&w->body, "<p><a href=\"/panel\">Quay lại</a></p>");
    html_end(&w->body);
}

static void screen_png(struct desk *d, struct http_resp *w, const struct auth_session *s)
{
    if (!d->o.want_frame) {
        message(w, s, 404, "Màn hình này không cho xem ảnh.");
        return;
    }
    pthread_mutex_lock(&d->store_mu);
    uint64_t serial = d->frame_serial;
    d->frame_wanted = true;
    pthread_mutex_unlock(&d->store_mu);
    d->o.want_frame(d->o.want_frame_ctx);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += FRAME_WAIT_MS / 1000;
    pthread_mutex_lock(&d->store_mu);
    while (d->frame_serial == serial)
        if (pthread_cond_timedwait(&d->frame_cv, &d->store_mu, &until) != 0)
            break;
    bool ok = d->frame_serial != serial && d->frame.len > 0;
    if (ok) {
        buf_append(&w->body, d->frame.data, d->frame.len);
        w->content_type = "image/png";
    }
    pthread_mutex_unlock(&d->store_mu);
    if (!ok)
        message(w, s, 503,
                "Màn hình chưa trả ảnh (đang tắt theo lịch, hoặc bận). Hãy tải lại "
                "sau vài giây.");
}

static void status_section(struct desk *d, struct buf *b)
{
    char *text = NULL;
    size_t len = 0;
    buf_append_str(b, "<h2>Trạng thái</h2>");
    if (!util_read_file(d->cfg->status_file, 1u << 20, &text, &len)) {
        buf_append_str(b, "<p class=\"warn\">Chưa có tệp trạng thái (");
        html_esc(b, d->cfg->status_file);
        buf_append_str(b, "): màn hình mới khởi động hoặc không ghi được.</p>");
        return;
    }
    json_t *root = json_loadb(text, len, 0, NULL);
    free(text);
    if (!json_is_object(root)) {
        buf_append_str(b, "<p class=\"warn\">Tệp trạng thái không đọc được.</p>");
        json_decref(root);
        return;
    }
    static const char *const keys[][2] = {
        {"version", "Phiên bản"},
        {"time", "Giờ của màn hình"},
        {"uptime_s", "Chạy liên tục (giây)"},
        {"addresses", "Địa chỉ mạng"},
        {"items", "Số tin trong bộ nhớ"},
        {"clock_trusted", "Đồng hồ tin cậy"},
    };
    buf_append_str(b, "<dl>");
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        json_t *v = json_object_get(root, keys[i][0]);
        if (!v)
            continue;
        char *sv =
            json_is_string(v) ? xstrdup(json_string_value(v)) : json_dumps(v, JSON_ENCODE_ANY);
        buf_printf(b, "<dt>%s</dt><dd>", keys[i][1]);
        html_esc(b, sv);
        buf_append_str(b, "</dd>");
        free(sv);
    }
    json_t *push = json_object_get(root, "push");
    if (json_is_object(push)) {
        buf_append_str(b, "<dt>MQTT</dt><dd>");
        html_esc(b, json_string_value(json_object_get(push, "line")));
        buf_append_str(b, "</dd>");
    }
    buf_append_str(b, "</dl>");
    json_t *src = json_object_get(root, "sources");
    if (json_is_array(src) && json_array_size(src)) {
        buf_append_str(b, "<table><thead><tr><th>Nguồn tin</th><th>Lấy được lần cuối</th>"
                          "<th>Lỗi</th></tr></thead><tbody>");
        for (size_t i = 0; i < json_array_size(src); i++) {
            json_t *o = json_array_get(src, i);
            buf_append_str(b, "<tr><td>");
            html_esc(b, json_string_value(json_object_get(o, "name")));
            buf_append_str(b, "</td><td>");
            html_esc(b, json_string_value(json_object_get(o, "last_success")));
            buf_append_str(b, "</td><td>");
            html_esc(b, json_string_value(json_object_get(o, "last_error")));
            buf_append_str(b, "</td></tr>");
        }
        buf_append_str(b, "</tbody></table>");
    }
    json_decref(root);
}

static void notices_section(struct desk *d, struct buf *b, const struct auth_session *s,
                            int64_t now)
{
    struct store_urgent *u = NULL;
    pthread_mutex_lock(&d->store_mu);
    size_t n = store_urgent_active(d->store, now, clock_is_trusted(), &u);
    pthread_mutex_unlock(&d->store_mu);
    buf_append_str(b, "<h2>Thông báo khẩn đang hiện</h2>");
    if (n == 0)
        buf_append_str(b, "<p>Không có.</p>");
    for (size_t i = 0; i < n; i++) {
        char t[32];
        buf_append_str(b, "<div class=\"card\"><strong>");
        html_esc(b, u[i].title);
        buf_append_str(b, "</strong><br><small>");
        html_esc(b, u[i].issuer);
        buf_printf(b, "%s · hết hạn %s</small>", u[i].verified ? " (đã xác thực)" : "",
                   html_time(u[i].expires, t, sizeof(t)));
        if (u[i].origin == STORE_URGENT_LOCAL) {
            char *e = xstrdup(u[i].id + (str_starts_with(u[i].id, "local:") ? 6 : 0));
            buf_printf(b, "<form method=\"post\" action=\"/panel/notices/%s/cancel\">", e);
            html_csrf(b, s->csrf);
            buf_append_str(b, "<button type=\"submit\" class=\"danger\">Gỡ thông báo</button>"
                              "</form>");
            free(e);
        }
        buf_append_str(b, "</div>");
    }
    store_urgent_free(u, n);
}

static void page(struct desk *d, struct http_resp *w, const struct auth_session *s, int64_t now,
                 const char *const *errors, size_t n_errors)
{
    struct buf *b = &w->body;
    begin(b, "Bảng điều khiển màn hình", s);
    html_errors(b, errors, n_errors);
    if (d->o.want_frame)
        buf_append_str(b, "<h2>Đang hiện trên màn hình</h2><div class=\"shots\"><img "
                          "src=\"/panel/screen.png\" alt=\"Hình đang hiện trên màn hình\" "
                          "class=\"land\"></div>");
    notices_section(d, b, s, now);
    buf_append_str(b, "<form method=\"post\" action=\"/panel/notices\" class=\"card\"><h2>Thông "
                      "báo khẩn cho riêng màn hình này</h2>");
    html_csrf(b, s->csrf);
    buf_append_str(b, "<label for=\"title\">Tiêu đề</label><input id=\"title\" name=\"title\" "
                      "maxlength=\"400\"><label for=\"body\">Nội dung</label><textarea "
                      "id=\"body\" name=\"body\" rows=\"5\"></textarea><label "
                      "for=\"severity\">Mức độ</label><select id=\"severity\" name=\"severity\">"
                      "<option value=\"extreme\">Cực kỳ nghiêm trọng</option><option "
                      "value=\"severe\" selected>Nghiêm trọng</option><option "
                      "value=\"moderate\">Trung bình</option><option value=\"minor\">Nhẹ"
                      "</option></select><label for=\"expires\">Hết hạn sau</label><input "
                      "id=\"expires\" name=\"expires\" value=\"2h\"><small>30m, 2h, 3d …"
                      "</small><button type=\"submit\">Hiện ngay</button></form>");
    status_section(d, b);
    html_end(b);
}

static void post_notice(struct desk *d, struct http_req *r, struct http_resp *w,
                        const struct auth_session *s, int64_t now)
{
    char *title = text_sanitize_str(http_field(r, "title"), 0);
    char *body = text_sanitize_str(http_field(r, "body"), TEXT_KEEP_NEWLINES);
    const char *sev = http_field(r, "severity");
    const char *exp = http_field(r, "expires");
    static const char *const sevs[] = {"", "minor", "moderate", "severe", "extreme"};
    int severity = -1;
    for (int i = 1; i < 5; i++)
        if (sev && strcmp(sev, sevs[i]) == 0)
            severity = i;
    int64_t until = 0;
    const char *errs[4];
    size_t ne = 0;
    if (!title[0])
        errs[ne++] = "Chưa có tiêu đề. Hãy nhập một tiêu đề ngắn.";
    if (severity < 0)
        errs[ne++] = "Hãy chọn mức độ.";
    if (!desk_parse_expires(exp, now, &until) || until <= now)
        errs[ne++] = "Thời hạn không hợp lệ hoặc đã qua. Hãy ghi 30m, 2h, 3d hoặc ngày giờ "
                     "như 07/12/2026 08:00.";
    if (ne) {
        w->status = 400;
        page(d, w, s, now, errs, ne);
        free(title), free(body);
        return;
    }
    struct clock_local l;
    clock_to_local(now, &l);
    char *id = xasprintf("local:panel-%04d%02d%02d-%02d%02d%02d-%04x", l.year, l.month, l.day,
                         l.hour, l.minute, l.second, (unsigned)randombytes_uniform(0x10000));
    struct store_urgent u = {
        .id = id,
        .origin = STORE_URGENT_LOCAL,
        .title = title,
        .body = body,
        .issuer = xstrdup("local"),
        .severity = severity,
        .issued = now,
        .expires = until,
    };
    pthread_mutex_lock(&d->store_mu);
    bool ok = store_urgent_put(d->store, &u);
    pthread_mutex_unlock(&d->store_mu);
    if (ok) {
        LOG_INFO("local notice %s posted from the panel by \"%s\"", id, s->user);
        http_redirect(w, "/panel");
    } else {
        message(w, s, 500, "Không lưu được thông báo (xem nhật ký của màn hình).");
    }
    free(u.issuer), free(id), free(title), free(body);
}

static void post_cancel(struct desk *d, const char *id, struct http_resp *w,
                        const struct auth_session *s)
{
    char *full = xasprintf("local:%s", id);
    pthread_mutex_lock(&d->store_mu);
    bool ok = desk_id_ok(id) && store_urgent_cancel(d->store, full);
    pthread_mutex_unlock(&d->store_mu);
    if (ok) {
        LOG_INFO("local notice %s removed from the panel by \"%s\"", full, s->user);
        http_redirect(w, "/panel");
    } else {
        message(w, s, 404, "Không có thông báo này (có thể đã hết hạn).");
    }
    free(full);
}

void panel_route(struct desk *d, struct http_req *r, struct http_resp *w,
                 const struct auth_session *s, int64_t now)
{
    const char *p = r->path;
    char id[80], rest[16];
    if (strcmp(p, "/panel") == 0 && !r->post)
        page(d, w, s, now, NULL, 0);
    else if (strcmp(p, "/panel/screen.png") == 0 && !r->post)
        screen_png(d, w, s);
    else if (strcmp(p, "/panel/notices") == 0 && r->post)
        post_notice(d, r, w, s, now);
    else if (r->post && sscanf(p, "/panel/notices/%79[A-Za-z0-9._-]/%15s", id, rest) == 2 &&
             strcmp(rest, "cancel") == 0)
        post_cancel(d, id, w, s);
    else
        message(w, s, 404, "Không có trang này.");
}
