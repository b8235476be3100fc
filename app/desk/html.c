/* desk_html: escaping and the page frame (no inline script or style: CSP default-src 'self'). */
#include <stdio.h>
#include <string.h>

#include "bangtin/clock.h"
#include "desk_html.h"

void html_esc(struct buf *b, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&': buf_append_str(b, "&amp;"); break;
        case '<': buf_append_str(b, "&lt;"); break;
        case '>': buf_append_str(b, "&gt;"); break;
        case '"': buf_append_str(b, "&quot;"); break;
        case '\'': buf_append_str(b, "&#39;"); break;
        default: buf_append(b, p, 1);
        }
    }
}

void html_csrf(struct buf *b, const char *csrf)
{
    buf_append_str(b, "<input type=\"hidden\" name=\"csrf_token\" value=\"");
    html_esc(b, csrf);
    buf_append_str(b, "\">");
}

void html_begin(struct buf *b, const char *title, const char *user, const char *csrf)
{
    buf_append_str(b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      "<link rel=\"stylesheet\" href=\"/static/desk.css\"><title>");
    html_esc(b, title);
    buf_append_str(b, " — Bảng tin</title></head><body><header><strong>Bảng tin</strong>");
    if (user && user[0]) {
        buf_append_str(b, "<nav><a href=\"/notices/new\">Soạn thông báo</a> "
                          "<a href=\"/notices\">Thông báo</a> <a href=\"/fleet\">Màn hình</a>"
                          "</nav><form class=\"logout\" method=\"post\" action=\"/logout\">");
        html_csrf(b, csrf);
        buf_append_str(b, "<span>");
        html_esc(b, user);
        buf_append_str(b, "</span> <button type=\"submit\">Đăng xuất</button></form>");
    }
    buf_append_str(b, "</header><main><h1>");
    html_esc(b, title);
    buf_append_str(b, "</h1>\n");
}

void html_end(struct buf *b)
{
    buf_append_str(b, "</main></body></html>\n");
}

void html_errors(struct buf *b, const char *const *msgs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf_append_str(b, "<p class=\"err\" role=\"alert\">");
        html_esc(b, msgs[i]);
        buf_append_str(b, "</p>\n");
    }
}

const char *html_time(int64_t t, char *out, size_t len)
{
    if (t <= 0) {
        snprintf(out, len, "—");
        return out;
    }
    struct clock_local l;
    clock_to_local(t, &l);
    snprintf(out, len, "%02d/%02d/%04d %02d:%02d", l.day, l.month, l.year, l.hour, l.minute);
    return out;
}
