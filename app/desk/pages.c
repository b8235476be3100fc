/* desk pages: the routes and their forms (the form contract is in issue 14 and docs/desk.md;
 * scripts and tests rely on the names). Every POST needs the session's CSRF token; every page
 * but /login and the stylesheet needs a logged-in session; everything a person or a screen
 * wrote goes through html_esc. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "desk"
#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/push.h"
#include "bangtin/util.h"
#include "desk_html.h"
#include "desk_priv.h"

#define COOKIE "bt_sid"

struct ctx {
    struct desk *d;
    struct http_req *r;
    struct http_resp *w;
    struct auth_session s;
    bool has_session, logged_in;
    int64_t now;
};

static const char *sev_label(const char *s)
{
    if (!s)
        return "";
    if (strcmp(s, "extreme") == 0)
        return "Cực kỳ nghiêm trọng";
    if (strcmp(s, "severe") == 0)
        return "Nghiêm trọng";
    if (strcmp(s, "moderate") == 0)
        return "Trung bình";
    if (strcmp(s, "minor") == 0)
        return "Nhẹ";
    return s;
}

static void set_cookie(struct ctx *c, const char *value, int max_age)
{
    char *v = xasprintf(COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", value,
                        max_age, c->d->tls ? "; Secure" : "");
    http_resp_header(c->w, "Set-Cookie", v);
    free(v);
}

static void page_error(struct ctx *c, int status, const char *title, const char *msg)
{
    c->w->status = status;
    html_begin(&c->w->body, title, c->logged_in ? c->s.user : NULL, c->s.csrf);
    const char *m[] = {msg};
    html_errors(&c->w->body, m, 1);
    buf_append_str(&c->w->body, c->logged_in
                                    ? "<p><a href=\"/notices\">Về danh sách thông báo</a></p>"
                                    : "<p><a href=\"/login\">Đăng nhập</a></p>");
    html_end(&c->w->body);
}

static void csrf_refused(struct ctx *c)
{
    LOG_WARN("%s %s from %s refused: no session or wrong CSRF token", c->r->method, c->r->path,
             c->r->addr);
    page_error(c, 403, "Không thực hiện được",
               "Phiên làm việc đã hết hạn hoặc biểu mẫu không gửi từ trang này. Hãy mở lại trang, "
               "đăng nhập nếu cần, rồi thử lại.");
}

/* ---- units ---- */
static void unit_text(const struct desk *d, const char *code, struct buf *b)
{
    if (strcmp(code, "all") == 0) {
        buf_append_str(b, "Tất cả màn hình");
        return;
    }
    const struct unit *u = units_by_code(&d->units, code);
    html_esc(b, u ? u->label : code);
    buf_append_str(b, " (");
    html_esc(b, code);
    buf_append_str(b, ")");
}

/* ---- login ---- */
static void login_form(struct ctx *c, const char *user, const char *msg)
{
    struct buf *b = &c->w->body;
    html_begin(b, "Đăng nhập", NULL, NULL);
    if (msg) {
        const char *m[] = {msg};
        html_errors(b, m, 1);
    }
    buf_append_str(b, "<form method=\"post\" action=\"/login\" class=\"card\">");
    html_csrf(b, c->s.csrf);
    buf_append_str(b, "<label for=\"user\">Tên đăng nhập</label><input id=\"user\" name=\"user\" "
                      "autocomplete=\"username\" required value=\"");
    html_esc(b, user);
    buf_append_str(b, "\"><label for=\"password\">Mật khẩu</label><input id=\"password\" "
                      "name=\"password\" type=\"password\" autocomplete=\"current-password\" "
                      "required><button type=\"submit\">Đăng nhập</button></form>");
    html_end(b);
}

static void ensure_session(struct ctx *c)
{
    if (c->has_session)
        return;
    auth_session_new(c->d->auth, "", NULL, c->now, &c->s);
    c->has_session = true;
    set_cookie(c, c->s.id, AUTH_SESSION_MAX_S);
}

static const char *home(const struct desk *d)
{
    return d->panel ? "/panel" : "/notices";
}

static void get_login(struct ctx *c)
{
    if (c->logged_in) {
        http_redirect(c->w, home(c->d));
        return;
    }
    ensure_session(c);
    login_form(c, "", NULL);
}

static void post_login(struct ctx *c)
{
    const char *user = http_field(c->r, "user"), *pw = http_field(c->r, "password");
    int64_t retry = 0;
    enum auth_login res = auth_login(c->d->auth, user, pw, c->r->addr, c->now, &retry);
    if (res == AUTH_LOGIN_LOCKED) {
        char hm[16], ra[24], msg[320];
        int64_t wait = retry - c->now;
        clock_format_hm(retry, hm, sizeof(hm));
        snprintf(ra, sizeof(ra), "%lld", (long long)wait);
        snprintf(msg, sizeof(msg),
                 "Đăng nhập tạm khóa vì nhập sai mật khẩu %d lần liên tiếp. Hãy thử lại sau %s "
                 "(khoảng %lld phút). Nếu quên mật khẩu, hãy nhờ quản trị đặt lại bằng lệnh "
                 "bangtin passwd.",
                 AUTH_MAX_FAILS, hm, (long long)((wait + 59) / 60));
        LOG_WARN("login for \"%s\" from %s refused: locked for %lld s more", user ? user : "",
                 c->r->addr, (long long)wait);
        c->w->status = 429;
        http_resp_header(c->w, "Retry-After", ra);
        login_form(c, user, msg);
        return;
    }
    if (res == AUTH_LOGIN_WRONG) {
        LOG_WARN("login for \"%s\" from %s: wrong user or password", user ? user : "", c->r->addr);
        c->w->status = 401;
        login_form(c, user,
                   "Sai tên đăng nhập hoặc mật khẩu. Hãy kiểm tra bộ gõ (Caps Lock, "
                   "tiếng Việt) rồi nhập lại.");
        return;
    }
    LOG_INFO("user \"%s\" logged in from %s", user, c->r->addr);
    /* A new session id at login: a fixed (planted) id is never promoted. */
    auth_session_new(c->d->auth, user, c->s.id, c->now, &c->s);
    set_cookie(c, c->s.id, AUTH_SESSION_MAX_S);
    http_redirect(c->w, home(c->d));
}

static void post_logout(struct ctx *c)
{
    auth_session_end(c->d->auth, c->s.id);
    set_cookie(c, "", 0);
    http_redirect(c->w, "/login");
}

/* ---- compose ---- */
static void hidden(struct buf *b, const char *name, const char *value)
{
    buf_append_str(b, "<input type=\"hidden\" name=\"");
    buf_append_str(b, name);
    buf_append_str(b, "\" value=\"");
    html_esc(b, value);
    buf_append_str(b, "\">");
}

static void compose_form(struct ctx *c, const struct desk_form *f, bool show_errors,
                         const char *search)
{
    struct buf *b = &c->w->body;
    struct desk *d = c->d;
    html_begin(b, "Soạn thông báo khẩn", c->s.user, c->s.csrf);
    if (show_errors)
        html_errors(b, f->errors, f->n_errors);
    buf_append_str(b, "<form method=\"post\" action=\"/notices/preview\" class=\"card\">");
    html_csrf(b, c->s.csrf);
    buf_append_str(b, "<label for=\"title\">Tiêu đề</label><input id=\"title\" name=\"title\" "
                      "maxlength=\"400\" value=\"");
    html_esc(b, f ? f->title : "");
    buf_append_str(b, "\"><label for=\"body\">Nội dung</label><textarea id=\"body\" name=\"body\" "
                      "rows=\"8\">");
    html_esc(b, f ? f->body : "");
    buf_append_str(b, "</textarea><label for=\"severity\">Mức độ</label><select id=\"severity\" "
                      "name=\"severity\">");
    static const char *const sev[] = {"extreme", "severe", "moderate", "minor"};
    const char *cur = f && f->severity ? f->severity : "severe";
    for (size_t i = 0; i < ARRAY_LEN(sev); i++)
        buf_printf(b, "<option value=\"%s\"%s>%s</option>", sev[i],
                   strcmp(cur, sev[i]) == 0 ? " selected" : "", sev_label(sev[i]));
    buf_append_str(b, "</select><label for=\"expires\">Hết hạn sau</label><input id=\"expires\" "
                      "name=\"expires\" value=\"");
    html_esc(b, f && f->expires ? f->expires : "24h");
    buf_append_str(b, "\"><small>Ví dụ: 30m (30 phút), 2h (2 giờ), 3d (3 ngày) hoặc 07/12/2026 "
                      "08:00</small><fieldset><legend>Nơi nhận</legend>");
    bool all = false;
    for (size_t i = 0; f && i < f->n_targets; i++)
        all |= strcmp(f->targets[i], "all") == 0;
    buf_printf(b,
               "<label class=\"check\"><input type=\"checkbox\" name=\"targets\" "
               "value=\"all\"%s> Tất cả màn hình</label>",
               all ? " checked" : "");
    for (size_t i = 0; f && i < f->n_targets; i++) {
        if (strcmp(f->targets[i], "all") == 0)
            continue;
        buf_append_str(b, "<label class=\"check\"><input type=\"checkbox\" name=\"targets\" "
                          "checked value=\"");
        html_esc(b, f->targets[i]);
        buf_append_str(b, "\"> ");
        unit_text(d, f->targets[i], b);
        buf_append_str(b, "</label>");
    }
    if (search && search[0]) {
        const struct unit *hits[40];
        size_t n = units_search(&d->units, search, hits, ARRAY_LEN(hits));
        buf_append_str(b, "<div class=\"results\"><p>");
        if (n == 0) {
            buf_append_str(b, "Không tìm thấy đơn vị nào tên \"");
            html_esc(b, search);
            buf_append_str(b, "\". Hãy gõ ít chữ hơn, có hoặc không dấu (ví dụ \"huong khe\").");
        } else {
            buf_printf(b, "%zu%s đơn vị khớp với \"", n, n == ARRAY_LEN(hits) ? "+" : "");
            html_esc(b, search);
            buf_append_str(b, "\": đánh dấu nơi cần gửi.");
        }
        buf_append_str(b, "</p>");
        for (size_t i = 0; i < n; i++) {
            bool chosen = false;
            for (size_t j = 0; f && j < f->n_targets; j++)
                chosen |= strcmp(f->targets[j], hits[i]->code) == 0;
            if (chosen)
                continue;
            buf_printf(b,
                       "<label class=\"check\"><input type=\"checkbox\" name=\"targets\" "
                       "value=\"%s\"> ",
                       hits[i]->code);
            unit_text(d, hits[i]->code, b);
            buf_append_str(b, "</label>");
        }
        buf_append_str(b, "</div>");
    }
    buf_append_str(b, "<label for=\"target_name\">Tìm tỉnh, xã theo tên</label><div class=\"row\">"
                      "<input id=\"target_name\" name=\"target_name\" list=\"provinces\" "
                      "placeholder=\"Hương Khê, Thái Nguyên…\"><button type=\"submit\" name=\"do\" "
                      "value=\"find\" class=\"secondary\">Tìm</button></div><datalist "
                      "id=\"provinces\">");
    for (size_t i = 0; i < d->units.n; i++)
        if (d->units.u[i].province) {
            buf_append_str(b, "<option value=\"");
            html_esc(b, d->units.u[i].label);
            buf_append_str(b, "\">");
        }
    buf_append_str(b, "</datalist></fieldset><button type=\"submit\" name=\"do\" "
                      "value=\"preview\">Xem trước</button></form>");
    html_end(b);
}

static void get_compose(struct ctx *c)
{
    compose_form(c, NULL, false, NULL);
}

static struct desk_preview *preview_slot(struct desk *d, const char *token, const char *sid)
{
    for (size_t i = 0; i < DESK_MAX_PREVIEWS; i++)
        if (d->previews[i].token[0] && strcmp(d->previews[i].token, token) == 0 &&
            (!sid || strcmp(d->previews[i].sid, sid) == 0))
            return &d->previews[i];
    return NULL;
}

/* Keeps p in the cache (the oldest entry goes); returns its token. */
static void preview_keep(struct desk *d, struct desk_preview *p, const char *token)
{
    pthread_mutex_lock(&d->mu);
    size_t victim = 0;
    for (size_t i = 0; i < DESK_MAX_PREVIEWS; i++) {
        if (d->previews[i].token[0] && strcmp(d->previews[i].token, token) == 0) {
            victim = i;
            break;
        }
        if (!d->previews[i].token[0] || d->previews[i].at < d->previews[victim].at)
            victim = i;
    }
    desk_preview_free(&d->previews[victim]);
    d->previews[victim] = *p;
    snprintf(d->previews[victim].token, sizeof(d->previews[victim].token), "%s", token);
    pthread_mutex_unlock(&d->mu);
}

static void preview_images(struct buf *b, const char *base, const struct desk_preview *p)
{
    buf_printf(b, "<h2>Màn hình ngang (1920×1080)%s</h2><div class=\"shots\">",
               p->n_land > 1 ? ", lần lượt từng trang" : "");
    for (int i = 0; i < p->n_land; i++)
        buf_printf(b,
                   "<img src=\"%s/l%d.png\" alt=\"Trang %d, màn hình ngang\" "
                   "class=\"land\">",
                   base, i + 1, i + 1);
    buf_append_str(b, "</div><h2>Màn hình dọc (1080×1920)</h2><div class=\"shots\">");
    for (int i = 0; i < p->n_port; i++)
        buf_printf(b, "<img src=\"%s/p%d.png\" alt=\"Trang %d, màn hình dọc\" class=\"port\">",
                   base, i + 1, i + 1);
    buf_append_str(b, "</div>");
}

static void form_hidden(struct buf *b, const struct desk_form *f)
{
    hidden(b, "title", f->title);
    hidden(b, "body", f->body);
    hidden(b, "severity", f->severity);
    hidden(b, "expires", f->expires);
    for (size_t i = 0; i < f->n_targets; i++)
        hidden(b, "targets", f->targets[i]);
}

static void post_preview(struct ctx *c)
{
    struct desk_form f;
    const char *act = http_field(c->r, "do");
    bool find = act && strcmp(act, "find") == 0;
    desk_form_read(c->d, c->r, &f, c->now, !find);
    if (find) {
        /* The typed name becomes a list to tick; it is not an error yet. */
        char *q = xstrdup(f.target_name);
        free(f.target_name);
        f.target_name = xstrdup("");
        compose_form(c, &f, false, q);
        free(q);
        desk_form_free(&f);
        return;
    }
    if (f.n_errors || (act && strcmp(act, "edit") == 0)) {
        c->w->status = f.n_errors && !(act && strcmp(act, "edit") == 0) ? 400 : 200;
        compose_form(c, &f, c->w->status == 400, NULL);
        desk_form_free(&f);
        return;
    }
    char *doc = desk_form_doc(c->d, &f, "preview", 1, c->now);
    struct desk_preview p;
    char err[256] = "";
    memset(&p, 0, sizeof(p));
    struct buf *b = &c->w->body;
    if (!desk_preview_make(c->d, doc, strlen(doc), &p, err, sizeof(err))) {
        LOG_ERR("preview failed: %s", err);
        c->w->status = 500;
        compose_form(c, &f, false, NULL);
        const char *m[] = {"Không tạo được ảnh xem trước (lỗi máy chủ, xem nhật ký). Hãy thử "
                           "lại; nếu vẫn lỗi, báo cho quản trị."};
        html_errors(b, m, 1);
        free(doc);
        desk_form_free(&f);
        return;
    }
    char token[AUTH_TOKEN_LEN + 1];
    struct auth_session tmp;
    auth_session_new(c->d->auth, "", NULL, c->now, &tmp); /* just for a random token */
    auth_session_end(c->d->auth, tmp.id);
    snprintf(token, sizeof(token), "%s", tmp.csrf);
    snprintf(p.sid, sizeof(p.sid), "%s", c->s.id);
    p.at = c->now;
    int n_land = p.n_land, n_port = p.n_port;
    bool more = p.more;
    preview_keep(c->d, &p, token);

    html_begin(b, "Xem trước", c->s.user, c->s.csrf);
    buf_append_str(b, "<p>Đây là đúng hình các màn hình sẽ hiện. Nơi nhận: ");
    for (size_t i = 0; i < f.n_targets; i++) {
        if (i)
            buf_append_str(b, ", ");
        unit_text(c->d, f.targets[i], b);
    }
    buf_append_str(b, ".</p>");
    if (n_land > 1 || n_port > 1)
        buf_printf(b,
                   "<p class=\"warn\">Nội dung dài hơn một màn hình: màn hình ngang chia %d "
                   "trang, màn hình dọc %d trang, mỗi trang hiện ít nhất 15 giây. Người đi "
                   "ngang có thể chỉ đọc trang đầu: hãy để điều quan trọng nhất ở đầu.</p>",
                   n_land, n_port);
    if (more)
        buf_printf(b,
                   "<p class=\"warn\">Nội dung quá dài: màn hình chỉ hiện %d trang đầu, phần "
                   "sau bị cắt. Hãy rút gọn.</p>",
                   DESK_PREVIEW_PAGES);
    char *base = xasprintf("/previews/%s", token);
    preview_images(b, base, &(struct desk_preview){.n_land = n_land, .n_port = n_port});
    free(base);
    buf_append_str(b, "<form method=\"post\" action=\"/notices\" class=\"card\">");
    html_csrf(b, c->s.csrf);
    form_hidden(b, &f);
    buf_append_str(b, "<label for=\"key_password\">Mật khẩu khóa ký</label><input "
                      "id=\"key_password\" name=\"key_password\" type=\"password\" "
                      "autocomplete=\"off\" required><small>Mật khẩu của khóa ký minisign (khác "
                      "mật khẩu đăng nhập); chỉ dùng cho chữ ký này, không lưu lại.</small>"
                      "<button type=\"submit\">Ký và gửi</button></form>"
                      "<form method=\"post\" action=\"/notices/preview\">");
    html_csrf(b, c->s.csrf);
    form_hidden(b, &f);
    buf_append_str(b, "<button type=\"submit\" name=\"do\" value=\"edit\" class=\"secondary\">Sửa "
                      "lại</button></form>");
    html_end(b);
    free(doc);
    desk_form_free(&f);
}

static void get_png(struct ctx *c, const char *token, const char *which)
{
    char kind;
    int idx;
    char tail;
    if (sscanf(which, "%c%d.pn%c", &kind, &idx, &tail) != 3 || (kind != 'l' && kind != 'p') ||
        idx < 1 || idx > DESK_PREVIEW_PAGES || tail != 'g') {
        page_error(c, 404, "Không có trang này", "Không có ảnh này.");
        return;
    }
    pthread_mutex_lock(&c->d->mu);
    /* Previews of the compose form belong to one session; those of sent notices to everyone
     * logged in. */
    struct desk_preview *p =
        preview_slot(c->d, token, str_starts_with(token, "n:") ? NULL : c->s.id);
    bool ok = p && idx <= (kind == 'l' ? p->n_land : p->n_port);
    if (ok) {
        struct desk_png *png = kind == 'l' ? &p->land[idx - 1] : &p->port[idx - 1];
        buf_append(&c->w->body, png->data, png->len);
        c->w->content_type = "image/png";
    }
    pthread_mutex_unlock(&c->d->mu);
    if (!ok)
        page_error(c, 404, "Không có ảnh này", "Ảnh xem trước đã hết hạn. Hãy bấm Xem trước lại.");
}

/* ---- send and cancel ---- */
static void key_password_refused(struct ctx *c, struct desk_form *f, const char *msg)
{
    c->w->status = 400;
    f->errors[0] = xstrdup(msg);
    for (size_t i = 1; i < f->n_errors; i++)
        free((char *)f->errors[i]);
    f->n_errors = 1;
    compose_form(c, f, true, NULL);
}

/* Signs doc with the configured key and key_password; wipes the password field. */
static enum notify_sign_result sign_doc(struct ctx *c, const char *doc, const char *trusted,
                                        char **sig, char *err, size_t err_len)
{
    char *key = NULL;
    size_t key_len = 0;
    const char *pw = http_field(c->r, "key_password");
    if (!util_read_file(c->d->cfg->desk_secret_key, 64 * 1024, &key, &key_len)) {
        snprintf(err, err_len, "cannot read the secret key %s", c->d->cfg->desk_secret_key);
        return NOTIFY_SIGN_BAD_KEY_FILE;
    }
    pthread_mutex_lock(&c->d->sign_mu);
    enum notify_sign_result rc =
        notify_sign(key, key_len, pw ? pw : "", doc, strlen(doc), trusted, sig, NULL, err, err_len);
    pthread_mutex_unlock(&c->d->sign_mu);
    sodium_memzero(key, key_len);
    free(key);
    if (pw)
        sodium_memzero((char *)pw, strlen(pw));
    return rc;
}

static void publish(struct ctx *c, const char *id, const char *doc, const char *sig,
                    const char *const *targets, size_t n_targets)
{
    char err[256] = "", screens[1024] = "";
    bool ok = desk_push_publish(c->d, targets, n_targets, id, doc, sig, err, sizeof(err), screens,
                                sizeof(screens));
    pthread_mutex_lock(&c->d->mu);
    snprintf(c->d->last_push_id, sizeof(c->d->last_push_id), "%s", id);
    snprintf(c->d->last_push_error, sizeof(c->d->last_push_error), "%s", ok ? "" : err);
    snprintf(c->d->last_push_screens, sizeof(c->d->last_push_screens), "%s", ok ? "" : screens);
    pthread_mutex_unlock(&c->d->mu);
    if (ok)
        LOG_INFO("notice %s published to MQTT", id);
    else
        LOG_WARN("notice %s not published to MQTT: %s (written to the webroot)", id, err);
}

static const char *sign_message(enum notify_sign_result rc)
{
    return rc == NOTIFY_SIGN_BAD_PASSWORD
               ? "Mật khẩu khóa ký không đúng. Thông báo chưa được gửi. Hãy nhập lại mật khẩu của "
                 "khóa ký (mật khẩu đặt khi tạo khóa bằng minisign, khác mật khẩu đăng nhập)."
               : "Không ký được: tệp khóa ký trong cấu hình ([desk] secret_key) không đọc được "
                 "hoặc không phải khóa minisign. Hãy báo cho quản trị.";
}

static void post_notice(struct ctx *c)
{
    struct desk_form f;
    desk_form_read(c->d, c->r, &f, c->now, true);
    if (f.n_errors) {
        c->w->status = 400;
        compose_form(c, &f, true, NULL);
        desk_form_free(&f);
        return;
    }
    struct clock_local l;
    clock_to_local(c->now, &l);
    char id[64];
    snprintf(id, sizeof(id), "tb-%04d%02d%02d-%02d%02d%02d-%04x", l.year, l.month, l.day, l.hour,
             l.minute, l.second, (unsigned)randombytes_uniform(0x10000));
    pthread_mutex_lock(&c->d->mu);
    int64_t seq = desk_next_seq(c->d, c->now);
    pthread_mutex_unlock(&c->d->mu);
    char *doc = desk_form_doc(c->d, &f, id, seq, c->now), *sig = NULL;
    char *trusted = xasprintf("bangtin show id=%s seq=%lld", id, (long long)seq);
    char err[256] = "";
    enum notify_sign_result rc = sign_doc(c, doc, trusted, &sig, err, sizeof(err));
    if (rc != NOTIFY_SIGN_OK) {
        LOG_WARN("notice by \"%s\" not signed: %s", c->s.user, err);
        key_password_refused(c, &f, sign_message(rc));
    } else {
        pthread_mutex_lock(&c->d->mu);
        desk_seq_used(c->d, seq);
        bool written = desk_webroot_write(c->d, id, doc, sig, err, sizeof(err));
        pthread_mutex_unlock(&c->d->mu);
        if (!written) {
            LOG_ERR("notice %s: %s", id, err);
            page_error(c, 500, "Không lưu được",
                       "Đã ký nhưng không ghi được vào thư mục web ([desk] webroot). Hãy báo cho "
                       "quản trị; thông báo chưa được gửi.");
        } else {
            LOG_INFO("notice %s (seq %lld) signed by user \"%s\"", id, (long long)seq, c->s.user);
            publish(c, id, doc, sig, f.targets, f.n_targets);
            char *loc = xasprintf("/notices/%s", id);
            http_redirect(c->w, loc);
            free(loc);
        }
    }
    free(trusted), free(doc), free(sig);
    desk_form_free(&f);
}

static void post_cancel(struct ctx *c, const char *id)
{
    struct desk_notice n;
    if (!desk_notice_get(c->d, id, &n)) {
        page_error(c, 404, "Không có thông báo này", "Không có thông báo này.");
        return;
    }
    if (n.action && strcmp(n.action, "cancel") == 0) {
        desk_notice_free(&n);
        char *loc = xasprintf("/notices/%s", id);
        http_redirect(c->w, loc);
        free(loc);
        return;
    }
    pthread_mutex_lock(&c->d->mu);
    int64_t seq = desk_next_seq(c->d, c->now);
    pthread_mutex_unlock(&c->d->mu);
    char *doc = desk_cancel_doc(id, seq, (const char *const *)n.targets, n.n_targets, c->now);
    char *trusted = xasprintf("bangtin cancel id=%s seq=%lld", id, (long long)seq), *sig = NULL;
    char err[256] = "";
    enum notify_sign_result rc = sign_doc(c, doc, trusted, &sig, err, sizeof(err));
    if (rc != NOTIFY_SIGN_OK) {
        c->w->status = 400;
        html_begin(&c->w->body, "Không hủy được", c->s.user, c->s.csrf);
        const char *m[] = {sign_message(rc)};
        html_errors(&c->w->body, m, 1);
        buf_printf(&c->w->body, "<p><a href=\"/notices/%s\">Quay lại thông báo</a></p>", id);
        html_end(&c->w->body);
    } else {
        pthread_mutex_lock(&c->d->mu);
        desk_seq_used(c->d, seq);
        bool written = desk_webroot_write(c->d, id, doc, sig, err, sizeof(err));
        pthread_mutex_unlock(&c->d->mu);
        if (written) {
            LOG_INFO("notice %s cancelled (seq %lld) by user \"%s\"", id, (long long)seq,
                     c->s.user);
            publish(c, id, doc, sig, (const char *const *)n.targets, n.n_targets);
            char *loc = xasprintf("/notices/%s", id);
            http_redirect(c->w, loc);
            free(loc);
        } else {
            page_error(
                c, 500, "Không lưu được",
                "Đã ký lệnh hủy nhưng không ghi được vào thư mục web. Hãy báo cho quản trị.");
        }
    }
    free(doc), free(trusted), free(sig);
    desk_notice_free(&n);
}

/* ---- lists ---- */
struct delivery {
    size_t shown, refused, unanswered;
    struct buf reasons; /* escaped HTML */
    json_t *json;
};

#ifdef BANGTIN_HAVE_PUSH
static void delivery_of(struct desk *d, const char *id, struct push_fleet_notice *all, size_t n,
                        struct delivery *out)
{
    (void)d;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].id, id) == 0) {
            out->shown = all[i].shown;
            out->refused = all[i].refused;
            out->unanswered = all[i].unanswered;
            json_t *refs = json_array();
            for (size_t k = 0; k < all[i].refused; k++) {
                buf_append_str(&out->reasons, "<li>");
                html_esc(&out->reasons, all[i].refusals[k].device);
                buf_append_str(&out->reasons, ": ");
                html_esc(&out->reasons, all[i].refusals[k].reason);
                buf_append_str(&out->reasons, "</li>");
                json_array_append_new(refs,
                                      json_pack("{s:s,s:s}", "device", all[i].refusals[k].device,
                                                "reason", all[i].refusals[k].reason));
            }
            json_object_set_new(out->json, "refusals", refs);
        }
}
#endif

static size_t fleet_notices(struct desk *d, void **out)
{
    *out = NULL;
#ifdef BANGTIN_HAVE_PUSH
    if (desk_push_fleet(d))
        return push_fleet_notices(desk_push_fleet(d), (struct push_fleet_notice **)out);
#else
    (void)d;
#endif
    return 0;
}

static void fleet_notices_free(void *p, size_t n)
{
#ifdef BANGTIN_HAVE_PUSH
    push_fleet_notices_free(p, n);
#else
    (void)p, (void)n;
#endif
}

static void delivery_get(struct desk *d, const char *id, void *all, size_t n, struct delivery *dl)
{
    memset(dl, 0, sizeof(*dl));
    buf_init(&dl->reasons, 0);
    buf_append(&dl->reasons, "", 0);
    dl->json = json_object();
#ifdef BANGTIN_HAVE_PUSH
    delivery_of(d, id, all, n, dl);
#else
    (void)d, (void)id, (void)all, (void)n;
#endif
    json_object_set_new(dl->json, "shown", json_integer((json_int_t)dl->shown));
    json_object_set_new(dl->json, "refused", json_integer((json_int_t)dl->refused));
    json_object_set_new(dl->json, "not_answering", json_integer((json_int_t)dl->unanswered));
    if (!json_object_get(dl->json, "refusals"))
        json_object_set_new(dl->json, "refusals", json_array());
}

static bool notice_active(const struct desk_notice *n, int64_t now)
{
    return !(n->action && strcmp(n->action, "cancel") == 0) && n->expires > now;
}

static void delivery_html(struct ctx *c, const struct delivery *dl)
{
    struct buf *b = &c->w->body;
    if (!desk_push_available(c->d)) {
        buf_append_str(b, "<span class=\"muted\">chưa có MQTT: chỉ màn hình đọc thư mục "
                          "web</span>");
        return;
    }
    buf_printf(b,
               "<span class=\"shown\">hiện trên %zu</span> · <span class=\"%s\">từ chối %zu"
               "</span> · <span>%zu không trả lời</span>",
               dl->shown, dl->refused ? "refused" : "", dl->refused, dl->unanswered);
    if (dl->refused) {
        buf_append_str(b, "<ul class=\"reasons\">");
        buf_append_str(b, dl->reasons.data);
        buf_append_str(b, "</ul>");
    }
}

static void get_notices(struct ctx *c)
{
    struct desk_notice *list;
    size_t n = desk_notices_list(c->d, &list);
    void *fl;
    size_t nf = fleet_notices(c->d, &fl);
    struct buf *b = &c->w->body;
    html_begin(b, "Thông báo", c->s.user, c->s.csrf);
    buf_append_str(b, "<p><a class=\"button\" href=\"/notices/new\">Soạn thông báo mới</a></p>");
    for (int pass = 0; pass < 2; pass++) {
        buf_append_str(b, pass == 0 ? "<h2>Đang hiệu lực</h2>" : "<h2>Đã hủy hoặc hết hạn</h2>");
        buf_append_str(b, "<table><thead><tr><th>Tiêu đề</th><th>Mức độ</th><th>Nơi nhận</th>"
                          "<th>Hết hạn</th><th>Kết quả</th></tr></thead><tbody>");
        size_t shown = 0;
        for (size_t i = 0; i < n && shown < 50; i++) {
            if (notice_active(&list[i], c->now) != (pass == 0))
                continue;
            shown++;
            char t[32];
            struct delivery dl;
            delivery_get(c->d, list[i].id, fl, nf, &dl);
            buf_printf(b, "<tr id=\"n-%s\"><td><a href=\"/notices/%s\">", list[i].id, list[i].id);
            html_esc(b, list[i].title ? list[i].title : list[i].id);
            buf_append_str(b, "</a>");
            if (list[i].action && strcmp(list[i].action, "cancel") == 0)
                buf_append_str(b, " <em>(đã hủy)</em>");
            buf_printf(b, "</td><td>%s</td><td>", sev_label(list[i].severity));
            for (size_t k = 0; k < list[i].n_targets; k++) {
                if (k)
                    buf_append_str(b, ", ");
                unit_text(c->d, list[i].targets[k], b);
            }
            buf_printf(b, "</td><td>%s</td><td class=\"delivery\">",
                       html_time(list[i].expires, t, sizeof(t)));
            delivery_html(c, &dl);
            buf_append_str(b, "</td></tr>");
            buf_free(&dl.reasons);
            json_decref(dl.json);
        }
        if (!shown)
            buf_append_str(b, "<tr><td colspan=\"5\">Không có.</td></tr>");
        buf_append_str(b, "</tbody></table>");
    }
    html_end(b);
    fleet_notices_free(fl, nf);
    desk_notices_free(list, n);
}

static void get_notice(struct ctx *c, const char *id)
{
    struct desk_notice n;
    if (!desk_notice_get(c->d, id, &n)) {
        page_error(c, 404, "Không có thông báo này",
                   "Không có thông báo này. Hãy chọn trong danh sách thông báo.");
        return;
    }
    struct buf *b = &c->w->body;
    bool cancelled = n.action && strcmp(n.action, "cancel") == 0;
    html_begin(b, cancelled ? "Thông báo đã hủy" : "Thông báo đã ký", c->s.user, c->s.csrf);
    pthread_mutex_lock(&c->d->mu);
    if (strcmp(c->d->last_push_id, id) == 0 && c->d->last_push_error[0]) {
        buf_append_str(b, "<p class=\"warn\" role=\"alert\">Không gửi được qua MQTT: máy chủ "
                          "MQTT không nhận thông báo lúc này. ");
        if (c->d->last_push_screens[0]) {
            buf_append_str(b, "Các màn hình sau chưa nhận được: ");
            html_esc(b, c->d->last_push_screens);
            buf_append_str(b, ". ");
        }
        buf_append_str(b, "Thông báo đã được ký và ghi vào thư mục web: màn hình đọc qua HTTP sẽ "
                          "nhận ở lần hỏi sau; màn hình chỉ nhận qua MQTT chưa nhận được cho "
                          "đến khi máy chủ MQTT hoạt động lại — hãy báo quản trị. <small>Chi tiết "
                          "kỹ thuật: ");
        html_esc(b, c->d->last_push_error);
        buf_append_str(b, "</small></p>");
    }
    pthread_mutex_unlock(&c->d->mu);
    char t1[32], t2[32];
    buf_append_str(b, "<dl><dt>Tiêu đề</dt><dd class=\"title\">");
    html_esc(b, n.title ? n.title : "(lệnh hủy)");
    buf_append_str(b, "</dd>");
    if (n.body) {
        buf_append_str(b, "<dt>Nội dung</dt><dd class=\"body\">");
        html_esc(b, n.body);
        buf_append_str(b, "</dd>");
    }
    buf_printf(b,
               "<dt>Mức độ</dt><dd>%s</dd><dt>Ký lúc</dt><dd>%s</dd><dt>Hết hạn</dt><dd>%s</dd>"
               "<dt>Nơi nhận</dt><dd>",
               sev_label(n.severity), html_time(n.issued, t1, sizeof(t1)),
               html_time(n.expires, t2, sizeof(t2)));
    for (size_t k = 0; k < n.n_targets; k++) {
        if (k)
            buf_append_str(b, ", ");
        unit_text(c->d, n.targets[k], b);
    }
    void *fl;
    size_t nf = fleet_notices(c->d, &fl);
    struct delivery dl;
    delivery_get(c->d, id, fl, nf, &dl);
    buf_printf(b,
               "</dd><dt>Mã</dt><dd><code>%s</code> (số thứ tự %lld)</dd><dt>Kết quả</dt>"
               "<dd class=\"delivery\">",
               n.id, (long long)n.seq);
    delivery_html(c, &dl);
    buf_append_str(b, "</dd></dl>");
    buf_free(&dl.reasons);
    json_decref(dl.json);
    fleet_notices_free(fl, nf);
    buf_printf(b,
               "<p>Tệp đã ký cho màn hình đọc qua HTTP: <code>notices/%s.json</code> và "
               "<code>.minisig</code> trong thư mục web.</p>",
               n.id);
    if (!cancelled && notice_active(&n, c->now)) {
        buf_printf(b,
                   "<p><a href=\"/notices/%s/screens\">Xem hình trên màn hình</a></p>"
                   "<form method=\"post\" action=\"/notices/%s/cancel\" class=\"card\">"
                   "<h2>Hủy thông báo</h2>",
                   n.id, n.id);
        html_csrf(b, c->s.csrf);
        buf_append_str(b, "<label for=\"key_password\">Mật khẩu khóa ký</label><input "
                          "id=\"key_password\" name=\"key_password\" type=\"password\" "
                          "autocomplete=\"off\" required><button type=\"submit\" "
                          "class=\"danger\">Ký lệnh hủy và gửi</button></form>");
    }
    html_end(b);
    desk_notice_free(&n);
}

/* The signed notice rendered like the preview (cached under "n:<id>"). */
static void get_notice_screens(struct ctx *c, const char *id, const char *png)
{
    struct desk_notice n;
    if (!desk_notice_get(c->d, id, &n) || !n.title) {
        if (n.id)
            desk_notice_free(&n);
        page_error(c, 404, "Không có thông báo này", "Không có thông báo này.");
        return;
    }
    char token[80];
    snprintf(token, sizeof(token), "n:%s", id);
    pthread_mutex_lock(&c->d->mu);
    struct desk_preview *cached = preview_slot(c->d, token, NULL);
    if (cached && (c->now - cached->at > 30 || c->now < cached->at))
        cached = NULL; /* the header shows the time: older pictures are drawn again */
    int nl = cached ? cached->n_land : 0, np = cached ? cached->n_port : 0;
    pthread_mutex_unlock(&c->d->mu);
    if (!cached) {
        struct desk_preview p;
        char err[256];
        memset(&p, 0, sizeof(p));
        if (!desk_preview_make(c->d, n.doc, n.doc_len, &p, err, sizeof(err))) {
            LOG_ERR("render of %s failed: %s", id, err);
            page_error(c, 500, "Không tạo được ảnh", "Không tạo được ảnh (xem nhật ký).");
            desk_notice_free(&n);
            return;
        }
        p.at = c->now;
        nl = p.n_land, np = p.n_port;
        preview_keep(c->d, &p, token);
    }
    if (png) {
        get_png(c, token, png);
    } else {
        struct buf *b = &c->w->body;
        html_begin(b, "Trên màn hình", c->s.user, c->s.csrf);
        buf_append_str(b, "<p>");
        html_esc(b, n.title);
        buf_append_str(b, "</p>");
        char *base = xasprintf("/notices/%s/screens", id);
        preview_images(b, base, &(struct desk_preview){.n_land = nl, .n_port = np});
        free(base);
        html_end(b);
    }
    desk_notice_free(&n);
}

static void get_fleet(struct ctx *c)
{
    struct buf *b = &c->w->body;
    html_begin(b, "Màn hình", c->s.user, c->s.csrf);
    if (!desk_push_available(c->d)) {
        buf_append_str(b, "<p class=\"warn\">Chưa kết nối MQTT ([push] broker trong cấu hình): "
                          "không biết tình trạng các màn hình.</p>");
        html_end(b);
        return;
    }
#ifdef BANGTIN_HAVE_PUSH
    struct push_fleet_screen *s;
    size_t n = push_fleet_screens(desk_push_fleet(c->d), &s), online = 0;
    for (size_t i = 0; i < n; i++)
        online += s[i].online;
    buf_printf(b, "<p>%zu màn hình: %zu trực tuyến, %zu mất kết nối.</p>", n, online, n - online);
    buf_append_str(b, "<table><thead><tr><th>Màn hình</th><th>Đơn vị</th><th>Trạng thái</th>"
                      "<th>Đang hiện</th><th>Lấy tin lần cuối</th><th>Lỗi gần nhất</th></tr>"
                      "</thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        char t1[32], t2[32];
        buf_append_str(b, "<tr><td>");
        html_esc(b, s[i].device);
        buf_append_str(b, "</td><td>");
        const char *code = !str_empty(s[i].commune) ? s[i].commune : s[i].province;
        if (!str_empty(code))
            unit_text(c->d, code, b);
        if (!str_empty(s[i].office)) {
            buf_append_str(b, "<br><small>");
            html_esc(b, s[i].office);
            buf_append_str(b, "</small>");
        }
        buf_printf(b, "</td><td class=\"%s\">%s từ %s</td><td>", s[i].online ? "on" : "off",
                   s[i].online ? "trực tuyến" : "mất kết nối",
                   html_time(s[i].since, t1, sizeof(t1)));
        html_esc(b, s[i].showing);
        buf_printf(b, "</td><td>%s</td><td>", html_time(s[i].last_fetch, t2, sizeof(t2)));
        html_esc(b, s[i].last_error);
        buf_append_str(b, "</td></tr>");
    }
    buf_append_str(b, "</tbody></table>");
    push_fleet_screens_free(s, n);
#endif
    html_end(b);
}

/* ---- JSON ---- */
static void send_json(struct ctx *c, json_t *root)
{
    char *s = json_dumps(root, JSON_INDENT(1));
    json_decref(root);
    buf_append_str(&c->w->body, s);
    free(s);
    c->w->content_type = "application/json";
}

static void api_notices(struct ctx *c)
{
    struct desk_notice *list;
    size_t n = desk_notices_list(c->d, &list);
    void *fl;
    size_t nf = fleet_notices(c->d, &fl);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        struct delivery dl;
        delivery_get(c->d, list[i].id, fl, nf, &dl);
        json_t *t = json_array();
        for (size_t k = 0; k < list[i].n_targets; k++)
            json_array_append_new(t, json_string(list[i].targets[k]));
        json_t *o =
            json_pack("{s:s,s:s?,s:s?,s:s?,s:I,s:I,s:I,s:o,s:b,s:o}", "id", list[i].id, "title",
                      list[i].title, "severity", list[i].severity, "action", list[i].action, "seq",
                      (json_int_t)list[i].seq, "issued", (json_int_t)list[i].issued, "expires",
                      (json_int_t)list[i].expires, "targets", t, "active",
                      notice_active(&list[i], c->now), "delivery", dl.json);
        json_array_append_new(arr, o);
        buf_free(&dl.reasons);
    }
    fleet_notices_free(fl, nf);
    desk_notices_free(list, n);
    send_json(c, json_pack("{s:o,s:b}", "notices", arr, "mqtt", desk_push_available(c->d)));
}

static void api_fleet(struct ctx *c)
{
#ifdef BANGTIN_HAVE_PUSH
    if (desk_push_fleet(c->d)) {
        char *s = push_fleet_json(desk_push_fleet(c->d));
        buf_append_str(&c->w->body, s ? s : "{}");
        free(s);
        c->w->content_type = "application/json";
        return;
    }
#endif
    send_json(c, json_pack("{s:[],s:[],s:b}", "screens", "notices", "mqtt", false));
}

/* ---- dispatch ---- */
static bool same_origin(const struct ctx *c)
{
    /* Browsers send Origin on POST; a form from another site has another one. */
    const char *origin = http_header(c->r, "Origin"), *host = http_header(c->r, "Host");
    if (!origin)
        return true;
    if (!host)
        return false;
    const char *o = strstr(origin, "://");
    return o && strcmp(o + 3, host) == 0;
}

static bool api_token_ok(const struct ctx *c)
{
    const char *h = http_header(c->r, "Authorization");
    return h && c->d->api_token && strncasecmp(h, "Bearer ", 7) == 0 &&
           auth_token_ok(c->d->api_token, h + 7);
}

void desk_handle(void *ctx_, struct http_req *r, struct http_resp *w)
{
    struct desk *d = ctx_;
    struct ctx c = {.d = d, .r = r, .w = w, .now = clock_now()};
    const char *p = r->path;
    if (strcmp(p, "/static/desk.css") == 0 && !r->post) {
        w->content_type = "text/css; charset=utf-8";
        w->static_body = d->css;
        w->static_len = d->css_len;
        return;
    }
    c.has_session = auth_session_get(d->auth, http_cookie(r, COOKIE), c.now, &c.s);
    c.logged_in = c.has_session && c.s.user[0];
    if (r->post &&
        (!c.has_session || !same_origin(&c) || !auth_csrf_ok(&c.s, http_field(r, "csrf_token")))) {
        c.logged_in = false;
        csrf_refused(&c);
        return;
    }
    if (strcmp(p, "/login") == 0) {
        r->post ? post_login(&c) : get_login(&c);
        return;
    }
    bool api = !d->panel && str_starts_with(p, "/api/");
    if (api && !r->post && (c.logged_in || api_token_ok(&c))) {
        if (strcmp(p, "/api/notices") == 0)
            api_notices(&c);
        else if (strcmp(p, "/api/fleet") == 0)
            api_fleet(&c);
        else
            page_error(&c, 404, "Không có trang này", "Không có trang này.");
        return;
    }
    if (!c.logged_in) {
        if (api) {
            w->status = 401;
            w->content_type = "application/json";
            buf_append_str(&w->body, "{\"error\":\"đăng nhập hoặc dùng token chỉ-đọc\"}\n");
        } else if (r->post) {
            csrf_refused(&c);
        } else {
            http_redirect(w, "/login");
        }
        return;
    }
    if (d->panel) {
        if (strcmp(p, "/logout") == 0 && r->post)
            post_logout(&c);
        else if (strcmp(p, "/") == 0 && !r->post)
            http_redirect(w, "/panel");
        else
            panel_route(d, r, w, &c.s, c.now);
        return;
    }
    char id[80] = "", rest[40] = "", tail[8];
    int k = sscanf(p, "/notices/%79[A-Za-z0-9._-]/%39[a-z0-9.]%7s", id, rest, tail);
    bool id_route =
        k >= 1 && desk_id_ok(id) && strcmp(id, "new") != 0 && strcmp(id, "preview") != 0;
    if (strcmp(p, "/") == 0 && !r->post)
        http_redirect(w, "/notices");
    else if (strcmp(p, "/logout") == 0 && r->post)
        post_logout(&c);
    else if (strcmp(p, "/notices/new") == 0 && !r->post)
        get_compose(&c);
    else if (strcmp(p, "/notices/preview") == 0 && r->post)
        post_preview(&c);
    else if (strcmp(p, "/notices") == 0)
        r->post ? post_notice(&c) : get_notices(&c);
    else if (id_route && k == 1 && !r->post && p[strlen(p) - 1] != '/')
        get_notice(&c, id);
    else if (id_route && k == 2 && r->post && strcmp(rest, "cancel") == 0)
        post_cancel(&c, id);
    else if (id_route && k == 2 && !r->post && strcmp(rest, "screens") == 0)
        get_notice_screens(&c, id, NULL);
    else if (id_route && k == 3 && !r->post && strcmp(rest, "screens") == 0 && tail[0] == '/')
        get_notice_screens(&c, id, tail + 1);
    else if (str_starts_with(p, "/previews/") && !r->post) {
        char tok[AUTH_TOKEN_LEN + 1], png[16];
        if (sscanf(p, "/previews/%43[A-Za-z0-9_-]/%15s", tok, png) == 2)
            get_png(&c, tok, png);
        else
            page_error(&c, 404, "Không có trang này", "Không có trang này.");
    } else if (strcmp(p, "/fleet") == 0 && !r->post)
        get_fleet(&c);
    else
        page_error(&c, 404, "Không có trang này",
                   "Không có trang này. Hãy dùng các liên kết ở đầu trang.");
}
