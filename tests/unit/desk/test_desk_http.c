/* The desk's HTTP layer against a real libmicrohttpd on 127.0.0.1 with a libcurl client:
 * routes, CSRF, sessions (rotation, logout, expiry), the login limit, escaping, size limits,
 * headers, signing with a wrong and a right key password, and what lands in the webroot. */
#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/desk.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "check.h"
#include "desk/desk_auth.h"
#include "desk_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/bangtin-desk-test-XXXXXX";
static char pub[128];
static struct config cfg;

static struct desk *start(bool with_user, char *err, size_t err_len)
{
    char *users = xasprintf("%s/users%s", dir, with_user ? "" : "-empty");
    free(cfg.desk_users_file);
    cfg.desk_users_file = users;
    if (!with_user) {
        FILE *f = fopen(users, "w");
        fputs("# nobody yet\n", f);
        fclose(f);
    }
    struct desk_opts o = {
        .exe = BINARY_DIR "/app/bangtin",
        .css_path = SOURCE_DIR "/assets/desk/desk.css",
        .units_csv = SOURCE_DIR "/assets/admin-units/units-2025.csv",
    };
    return desk_start(&cfg, &o, err, err_len);
}

/* Logs in; fills cookie and the session's CSRF token. */
static bool login(int port, const char *user, const char *pw, char *cookie, char *csrf,
                  long *status)
{
    struct hresp r;
    char pre[128], tok[128];
    hreq(port, "/login", NULL, NULL, NULL, &r);
    hresp_cookie(&r, pre, sizeof(pre));
    hresp_csrf(&r, tok, sizeof(tok));
    hresp_free(&r);
    char *e = urlenc(pw);
    char *form = xasprintf("csrf_token=%s&user=%s&password=%s", tok, user, e);
    hreq(port, "/login", pre, form, NULL, &r);
    free(form), free(e);
    *status = r.status;
    hresp_cookie(&r, cookie, 128);
    hresp_free(&r);
    if (*status != 303 || !cookie[0] || strcmp(cookie, pre) == 0)
        return false;
    hreq(port, "/notices/new", cookie, NULL, NULL, &r);
    hresp_csrf(&r, csrf, 128);
    hresp_free(&r);
    return csrf[0] != '\0';
}

static void test_no_user(void)
{
    char err[512] = "";
    struct desk *d = start(false, err, sizeof(err));
    CHECK(d == NULL);
    CHECK_MSG(strstr(err, "bangtin passwd") != NULL, "%s", err);
    desk_stop(d);
}

static void test_headers_and_login(int port)
{
    struct hresp r;
    CHECK(hreq(port, "/notices", NULL, NULL, NULL, &r));
    CHECK_INTEQ(r.status, 303);
    CHECK(strstr(r.head.data, "Location: /login") != NULL);
    hresp_free(&r);

    CHECK(hreq(port, "/login", NULL, NULL, NULL, &r));
    CHECK_INTEQ(r.status, 200);
    CHECK(strstr(r.head.data, "Content-Security-Policy: default-src 'self'") != NULL);
    CHECK(strstr(r.head.data, "X-Frame-Options: DENY") != NULL);
    CHECK(strstr(r.head.data, "HttpOnly; SameSite=Strict") != NULL);
    CHECK(strstr(r.head.data, "Secure") == NULL); /* plain HTTP here */
    CHECK(strstr(r.body.data, "<script") == NULL);
    char pre[128], tok[128];
    hresp_cookie(&r, pre, sizeof(pre));
    hresp_csrf(&r, tok, sizeof(tok));
    hresp_free(&r);
    CHECK(pre[0] && tok[0]);

    /* POST without the token, with a wrong one, without the cookie: 403. */
    hreq(port, "/login", pre, "user=canbo&password=dung-mat-khau", NULL, &r);
    CHECK_INTEQ(r.status, 403);
    hresp_free(&r);
    hreq(port, "/login", pre,
         "csrf_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&user=canbo"
         "&password=dung-mat-khau",
         NULL, &r);
    CHECK_INTEQ(r.status, 403);
    hresp_free(&r);
    char *form = xasprintf("csrf_token=%s&user=canbo&password=dung-mat-khau", tok);
    hreq(port, "/login", NULL, form, NULL, &r);
    CHECK_INTEQ(r.status, 403);
    hresp_free(&r);
    /* A form posted from another site (its Origin) with a stolen token: 403. */
    hreq(port, "/login", pre, form, "Origin: http://evil.example", &r);
    CHECK_INTEQ(r.status, 403);
    hresp_free(&r);
    /* Wrong password: 401, the user name comes back escaped. */
    char *bad = xasprintf("csrf_token=%s&user=%%3Cb%%3Ex&password=nope", tok);
    hreq(port, "/login", pre, bad, NULL, &r);
    CHECK_INTEQ(r.status, 401);
    CHECK(strstr(r.body.data, "&lt;b&gt;x") != NULL && strstr(r.body.data, "<b>x") == NULL);
    hresp_free(&r);
    free(bad);
    /* Right password: 303 and a new session id (rotation); the old id is gone. */
    hreq(port, "/login", pre, form, NULL, &r);
    CHECK_INTEQ(r.status, 303);
    char sid[128];
    hresp_cookie(&r, sid, sizeof(sid));
    CHECK(sid[0] && strcmp(sid, pre) != 0);
    hresp_free(&r);
    free(form);
    hreq(port, "/notices", pre, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 303);
    hresp_free(&r);
    hreq(port, "/notices", sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 200);
    CHECK(strstr(r.body.data, "Đang hiệu lực") != NULL);
    hresp_free(&r);
}

static void test_compose(int port, const char *sid, const char *csrf)
{
    struct hresp r;
    char *form;
    hreq(port, "/notices/new", sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 200);
    for (const char *f = "title\0body\0severity\0expires\0targets\0target_name\0csrf_token\0"; *f;
         f += strlen(f) + 1) {
        char *needle = xasprintf("name=\"%s\"", f);
        CHECK_MSG(strstr(r.body.data, needle) != NULL, "%s", needle);
        free(needle);
    }
    hresp_free(&r);

    /* Search by name, with and without accents: the unit comes back as a box to tick. */
    const char *queries[] = {"H%C6%B0%C6%A1ng%20Kh%C3%AA", "huong%20khe"};
    for (size_t i = 0; i < 2; i++) {
        form = xasprintf("csrf_token=%s&do=find&title=x&target_name=%s", csrf, queries[i]);
        hreq(port, "/notices/preview", sid, form, NULL, &r);
        CHECK_INTEQ(r.status, 200);
        CHECK(strstr(r.body.data, "value=\"18496\"") != NULL);
        CHECK(strstr(r.body.data, "Xã Hương Khê — Tỉnh Hà Tĩnh") != NULL);
        hresp_free(&r);
        free(form);
    }
    form = xasprintf("csrf_token=%s&do=find&target_name=Th%%C3%%A1i%%20Nguy%%C3%%AAn", csrf);
    hreq(port, "/notices/preview", sid, form, NULL, &r);
    CHECK(strstr(r.body.data, "value=\"19\"") != NULL); /* the province first */
    hresp_free(&r);
    free(form);

    /* Every field escaped; errors in Vietnamese that say what to do. */
    form = xasprintf("csrf_token=%s&do=preview&title=&body=%%3Cscript%%3Ealert(1)%%3C/script%%3E"
                     "&severity=%%22%%3E%%3Cimg&expires=2020-01-01T08:00&targets=99999"
                     "&target_name=%%3Csvg%%20onload%%3Dx%%3E",
                     csrf);
    hreq(port, "/notices/preview", sid, form, NULL, &r);
    CHECK_INTEQ(r.status, 400);
    CHECK(strstr(r.body.data, "<script>alert") == NULL);
    CHECK(strstr(r.body.data, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
    CHECK(strstr(r.body.data, "<svg") == NULL && strstr(r.body.data, "&lt;svg onload=x&gt;"));
    CHECK(strstr(r.body.data, "<img") == NULL);
    CHECK(strstr(r.body.data, "Chưa có tiêu đề") != NULL);
    CHECK(strstr(r.body.data, "đã qua") != NULL);
    CHECK(strstr(r.body.data, "Không có đơn vị hành chính mã \"99999\"") ||
          strstr(r.body.data, "Không có đơn vị hành chính mã &quot;99999&quot;"));
    CHECK(strstr(r.body.data, "Không tìm thấy đúng một đơn vị") != NULL);
    CHECK(strstr(r.body.data, "Hãy chọn mức độ") != NULL);
    hresp_free(&r);
    free(form);
    form = xasprintf("csrf_token=%s&do=preview&title=T&expires=soon&targets=all", csrf);
    hreq(port, "/notices/preview", sid, form, NULL, &r);
    CHECK(strstr(r.body.data, "Không hiểu thời hạn") != NULL);
    hresp_free(&r);
    free(form);
    form = xasprintf("csrf_token=%s&do=preview&title=T&expires=2h", csrf);
    hreq(port, "/notices/preview", sid, form, NULL, &r);
    CHECK(strstr(r.body.data, "Chưa chọn nơi nhận") != NULL);
    hresp_free(&r);
    free(form);
}

static void test_preview(int port, const char *sid, const char *csrf, const char *other_sid)
{
    struct hresp r;
    if (access(BINARY_DIR "/app/bangtin", X_OK) != 0) {
        printf("SKIP preview: %s/app/bangtin not built\n", BINARY_DIR);
        return;
    }
    char *form = xasprintf("csrf_token=%s&do=preview&title=%%3Cscript%%3Ealert(1)%%3C/script%%3E"
                           "&body=M%%E1%%BB%%B1c%%20n%%C6%%B0%%E1%%BB%%9Bc&severity=extreme"
                           "&expires=2h&targets=18496",
                           csrf);
    hreq(port, "/notices/preview", sid, form, NULL, &r);
    free(form);
    CHECK_INTEQ(r.status, 200);
    CHECK(strstr(r.body.data, "<script>alert") == NULL);
    CHECK(strstr(r.body.data, "name=\"key_password\"") != NULL);
    const char *img = strstr(r.body.data, "src=\"/previews/");
    CHECK(img != NULL);
    char path[160] = "";
    if (img)
        snprintf(path, sizeof(path), "%.*s", (int)strcspn(img + 5, "\""), img + 5);
    CHECK(strstr(r.body.data, "/p1.png") != NULL);
    hresp_free(&r);
    hreq(port, path, sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 200);
    CHECK(strstr(r.head.data, "Content-Type: image/png") != NULL);
    CHECK(r.body.len > 1000 && memcmp(r.body.data, "\x89PNG", 4) == 0);
    hresp_free(&r);
    /* Someone else's session cannot fetch it. */
    hreq(port, path, other_sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 404);
    hresp_free(&r);
}

static void test_sign(int port, const char *sid, const char *csrf)
{
    struct hresp r;
    const char *fields = "&title=C%E1%BA%A3nh%20b%C3%A1o%20l%C5%A9&body=N%C6%B0%E1%BB%9Bc%20"
                         "l%C3%AAn&severity=extreme&expires=3h&targets=18496&targets=42";
    char *form = xasprintf("csrf_token=%s%s&key_password=sai-roi", csrf, fields);
    hreq(port, "/notices", sid, form, NULL, &r);
    free(form);
    CHECK_INTEQ(r.status, 400);
    CHECK(strstr(r.body.data, "Mật khẩu khóa ký không đúng") != NULL);
    CHECK(strstr(r.body.data, "sai-roi") == NULL); /* never echoed */
    hresp_free(&r);
    char *notice = xasprintf("%s/www/notice.json", dir);
    CHECK(access(notice, F_OK) != 0);

    form = xasprintf("csrf_token=%s%s&key_password=khoa-ky-123", csrf, fields);
    hreq(port, "/notices", sid, form, NULL, &r);
    free(form);
    CHECK_INTEQ(r.status, 303);
    const char *loc = strstr(r.head.data, "Location: /notices/tb-");
    CHECK(loc != NULL);
    char id[80] = "";
    if (loc)
        snprintf(id, sizeof(id), "%.*s", (int)strcspn(loc + 19, "\r\n"), loc + 19);
    hresp_free(&r);

    /* The files verify with the public key, as a screen checks them. */
    char *doc = NULL, *sig = NULL, *one = xasprintf("%s/www/notices/%s.json", dir, id),
         *sigp = xasprintf("%s.minisig", one);
    size_t dl = 0, sl = 0;
    CHECK(util_read_file(one, 65536, &doc, &dl) && util_read_file(sigp, 4096, &sig, &sl));
    struct notify_key k;
    char err[256];
    CHECK(notify_key_parse(pub, "UBND tỉnh", &k, err, sizeof(err)));
    CHECK(doc && sig && notify_verify(&k, 1, doc, dl, sig, sl, NULL, err, sizeof(err)));
    CHECK(doc && strstr(doc, "\"targets\":[\"18496\",\"42\"]") != NULL);
    notify_key_free(&k);
    free(doc), free(sig), free(one), free(sigp);
    CHECK(access(notice, F_OK) == 0);
    free(notice);

    char *page = xasprintf("/notices/%s", id);
    hreq(port, page, sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 200);
    CHECK(strstr(r.body.data, "Không gửi được qua MQTT") != NULL); /* no broker here */
    CHECK(strstr(r.body.data, "Xã Hương Khê — Tỉnh Hà Tĩnh") != NULL);
    hresp_free(&r);
    hreq(port, "/api/notices", sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 200);
    CHECK(strstr(r.head.data, "application/json") && strstr(r.body.data, id));
    hresp_free(&r);
    hreq(port, "/api/notices", NULL, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 401);
    hresp_free(&r);
    hreq(port, "/api/notices", NULL, NULL, "Authorization: Bearer chi-doc-0123456789abcdef", &r);
    CHECK_INTEQ(r.status, 200);
    hresp_free(&r);
    hreq(port, "/api/notices", NULL, NULL, "Authorization: Bearer chi-doc-0123456789abcdeX", &r);
    CHECK_INTEQ(r.status, 401);
    hresp_free(&r);

    /* Cancel: the signed cancel replaces the notice's file. */
    char *cancel = xasprintf("/notices/%s/cancel", id);
    form = xasprintf("csrf_token=%s&key_password=khoa-ky-123", csrf);
    hreq(port, cancel, sid, form, NULL, &r);
    CHECK_INTEQ(r.status, 303);
    hresp_free(&r);
    hreq(port, page, sid, NULL, NULL, &r);
    CHECK(strstr(r.body.data, "Thông báo đã hủy") != NULL);
    hresp_free(&r);
    hreq(port, "/api/notices", sid, NULL, NULL, &r);
    CHECK(strstr(r.body.data, "\"active\": false") != NULL);
    hresp_free(&r);
    free(form), free(cancel), free(page);
}

static void test_size_limits(int port, const char *sid, const char *csrf)
{
    /* 100 MB announced: refused from the headers, before any body is sent. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    CHECK(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    char *head = xasprintf("POST /notices HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: bt_sid=%s\r\n"
                           "Content-Type: application/x-www-form-urlencoded\r\n"
                           "Content-Length: 104857600\r\n\r\n",
                           sid);
    CHECK(write(fd, head, strlen(head)) == (ssize_t)strlen(head));
    free(head);
    char reply[512] = "";
    ssize_t n = read(fd, reply, sizeof(reply) - 1);
    CHECK_MSG(n > 12 && strncmp(reply, "HTTP/1.1 413", 12) == 0, "%s", reply);
    close(fd);

    /* A chunked body that grows past the cap: the connection is dropped. */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    head = xasprintf("POST /notices HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: bt_sid=%s\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n",
                     sid);
    CHECK(write(fd, head, strlen(head)) == (ssize_t)strlen(head));
    free(head);
    char chunk[65536 + 16];
    int hl = snprintf(chunk, sizeof(chunk), "10000\r\n");
    memset(chunk + hl, 'a', 65536);
    memcpy(chunk + hl + 65536, "\r\n", 2);
    size_t sent = 0;
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < 40; i++) {
        ssize_t w = write(fd, chunk, (size_t)hl + 65536 + 2);
        if (w <= 0)
            break;
        sent += (size_t)w;
    }
    n = read(fd, reply, sizeof(reply) - 1);
    CHECK_MSG(sent < 40u * 65536 || n <= 0, "sent %zu, read %zd", sent, n);
    close(fd);

    /* Under the cap but a body too long for a notice: a message, not a crash. */
    struct buf big;
    buf_init(&big, 0);
    buf_printf(&big, "csrf_token=%s&do=preview&title=T&expires=2h&targets=all&body=", csrf);
    for (int i = 0; i < 7000; i++)
        buf_append_str(&big, "ch%E1%BB%AF%20");
    struct hresp r;
    hreq(port, "/notices/preview", sid, big.data, NULL, &r);
    CHECK_INTEQ(r.status, 400);
    CHECK(strstr(r.body.data, "Nội dung dài") != NULL);
    hresp_free(&r);
    buf_free(&big);
}

static void test_logout(int port, const char *sid, const char *csrf)
{
    struct hresp r;
    hreq(port, "/logout", sid, "csrf_token=wrong", NULL, &r);
    CHECK_INTEQ(r.status, 403);
    hresp_free(&r);
    char *form = xasprintf("csrf_token=%s", csrf);
    hreq(port, "/logout", sid, form, NULL, &r);
    CHECK_INTEQ(r.status, 303);
    hresp_free(&r);
    free(form);
    /* The cookie reused after logout gets nothing. */
    hreq(port, "/notices", sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 303);
    hresp_free(&r);
    hreq(port, "/api/notices", sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 401);
    hresp_free(&r);
}

static void test_rate_limit(void)
{
    char err[512];
    struct desk *d = start(true, err, sizeof(err));
    CHECK(d != NULL);
    if (!d)
        return;
    int port = desk_port(d);
    char cookie[128], csrf[128];
    long st = 0;
    for (int i = 0; i < AUTH_MAX_FAILS; i++) {
        login(port, "canbo", "sai", cookie, csrf, &st);
        CHECK_INTEQ(st, 401);
    }
    for (int i = 0; i < 10; i++) {
        login(port, "canbo", "sai", cookie, csrf, &st);
        CHECK_INTEQ(st, 429);
    }
    /* Even the right password, now. */
    struct hresp r;
    char pre[128], tok[128];
    hreq(port, "/login", NULL, NULL, NULL, &r);
    hresp_cookie(&r, pre, sizeof(pre));
    hresp_csrf(&r, tok, sizeof(tok));
    hresp_free(&r);
    char *form = xasprintf("csrf_token=%s&user=canbo&password=dung-mat-khau", tok);
    hreq(port, "/login", pre, form, NULL, &r);
    free(form);
    CHECK_INTEQ(r.status, 429);
    CHECK(strstr(r.head.data, "Retry-After: ") != NULL);
    CHECK(strstr(r.body.data, "Hãy thử lại sau") != NULL);
    hresp_free(&r);
    desk_stop(d);

    /* The numbers: 60 s after 10 failures, then doubling with each failure after a lock. */
    struct auth *a = auth_create(cfg.desk_users_file, err, sizeof(err));
    int64_t t = 1000000, retry = 0;
    for (int i = 0; i < AUTH_MAX_FAILS; i++)
        CHECK(auth_login(a, "x", "y", "10.0.0.1", t, &retry) == AUTH_LOGIN_WRONG);
    CHECK(auth_login(a, "canbo", "dung-mat-khau", "10.0.0.1", t, &retry) == AUTH_LOGIN_LOCKED);
    CHECK_INTEQ(retry, t + 60);
    CHECK(auth_login(a, "x", "y", "10.0.0.1", t + 61, &retry) == AUTH_LOGIN_WRONG);
    CHECK(auth_login(a, "x", "y", "10.0.0.1", t + 62, &retry) == AUTH_LOGIN_LOCKED);
    CHECK_INTEQ(retry, t + 61 + 120);
    /* Another address and user are not locked by it. */
    CHECK(auth_login(a, "canbo", "dung-mat-khau", "10.0.0.2", t, &retry) == AUTH_LOGIN_OK);
    /* Sessions end after an hour unused, and after 12 h in any case. */
    struct auth_session s, s2;
    auth_session_new(a, "canbo", NULL, t, &s);
    CHECK(auth_session_get(a, s.id, t + 3000, &s2));
    CHECK(auth_session_get(a, s.id, t + 6000, &s2));
    CHECK(!auth_session_get(a, s.id, t + 6000 + AUTH_SESSION_IDLE_S + 1, &s2));
    auth_session_new(a, "canbo", NULL, t, &s);
    for (int64_t k = 1; k <= 13; k++)
        auth_session_get(a, s.id, t + k * 3000, &s2);
    CHECK(!auth_session_get(a, s.id, t + AUTH_SESSION_MAX_S + 1, &s2));
    auth_destroy(a);
}

static void test_tls(void)
{
    char err[512];
    cfg.desk_http = false;
    free(cfg.desk_tls_cert), free(cfg.desk_tls_key);
    cfg.desk_tls_cert = xasprintf("%s/tls/cert.pem", dir);
    cfg.desk_tls_key = xasprintf("%s/tls/key.pem", dir);
    struct desk *d = start(true, err, sizeof(err));
    CHECK_MSG(d != NULL, "%s", err);
    if (!d)
        return;
    struct stat st;
    CHECK(stat(cfg.desk_tls_key, &st) == 0 && (st.st_mode & 077) == 0);
    CURL *c = curl_easy_init();
    char *url = xasprintf("https://127.0.0.1:%d/login", desk_port(d));
    struct buf head;
    buf_init(&head, 0);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CAINFO, cfg.desk_tls_cert); /* the generated certificate */
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, hresp_write);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &head);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, hresp_write);
    struct buf body;
    buf_init(&body, 0);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(c);
    CHECK_MSG(rc == CURLE_OK, "%s", curl_easy_strerror(rc));
    CHECK(head.data && strstr(head.data, "; Secure") != NULL);
    curl_easy_cleanup(c);
    buf_free(&head), buf_free(&body);
    free(url);
    desk_stop(d);
    cfg.desk_http = true;
}

/* The panel's frame request is answered from another thread, as the kiosk's loop does. */
static struct desk *panel_for_frames;
static void *answer_frame(void *arg)
{
    (void)arg;
    usleep(50 * 1000);
    if (panel_frame_wanted(panel_for_frames))
        panel_frame_set(panel_for_frames, "\x89PNG fake frame", 16);
    return NULL;
}
static void want_frame(void *ctx)
{
    pthread_t t;
    (void)ctx;
    pthread_create(&t, NULL, answer_frame, NULL);
    pthread_detach(t);
}

static void test_panel(void)
{
    char err[512] = "";
    struct config pc;
    config_init(&pc);
    free(pc.panel_listen), free(pc.panel_users_file), free(pc.data_dir), free(pc.status_file);
    pc.panel_listen = xstrdup("127.0.0.1:0");
    pc.panel_http = true;
    pc.data_dir = xasprintf("%s/panel-data", dir);
    pc.status_file = xasprintf("%s/panel-status.json", dir);
    pc.panel_users_file = xasprintf("%s/panel-users", dir);
    util_mkdir_p(pc.data_dir, 0700);
    struct desk_opts o = {.css_path = SOURCE_DIR "/assets/desk/desk.css", .want_frame = want_frame};
    struct desk *p = panel_start(&pc, &o, err, sizeof(err));
    CHECK(p == NULL); /* no user yet */
    CHECK_MSG(strstr(err, "--panel") != NULL, "%s", err);
    CHECK(auth_passwd_set(pc.panel_users_file, "ktv", "mat-khau-panel", err, sizeof(err)));
    FILE *f = fopen(pc.status_file, "w");
    fputs("{\"version\":\"<b>1</b>\",\"items\":3,\"sources\":[{\"name\":\"<i>x</i>\","
          "\"last_success\":null,\"last_error\":\"HTTP 503\"}]}",
          f);
    fclose(f);
    p = panel_start(&pc, &o, err, sizeof(err));
    CHECK_MSG(p != NULL, "%s", err);
    if (!p) {
        config_free(&pc);
        return;
    }
    panel_for_frames = p;
    int port = desk_port(p);
    char sid[128], csrf[128];
    long st;
    struct hresp r;
    hreq(port, "/panel", NULL, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 303);
    hresp_free(&r);
    CHECK(login(port, "ktv", "mat-khau-panel", sid, csrf, &st) || csrf[0] == '\0');
    /* login() reads the token from /notices/new, which the panel does not have */
    hreq(port, "/panel", sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 200);
    hresp_csrf(&r, csrf, sizeof(csrf));
    CHECK(strstr(r.body.data, "&lt;b&gt;1&lt;/b&gt;") && strstr(r.body.data, "&lt;i&gt;x"));
    CHECK(strstr(r.body.data, "HTTP 503") != NULL);
    hresp_free(&r);
    char *form = xasprintf("title=%%3Cscript%%3EM%%E1%%BA%%A5t%%20%%C4%%91i%%E1%%BB%%87n&body=b"
                           "&severity=severe&expires=2h");
    hreq(port, "/panel/notices", sid, form, NULL, &r);
    CHECK_INTEQ(r.status, 403); /* no CSRF token */
    hresp_free(&r);
    char *form2 = xasprintf("csrf_token=%s&%s", csrf, form);
    hreq(port, "/panel/notices", sid, form2, NULL, &r);
    CHECK_INTEQ(r.status, 303);
    hresp_free(&r);
    free(form), free(form2);
    hreq(port, "/panel", sid, NULL, NULL, &r);
    CHECK(strstr(r.body.data, "&lt;script&gt;Mất điện") != NULL);
    const char *act = strstr(r.body.data, "action=\"/panel/notices/panel-");
    char cancel[160] = "";
    if (act)
        snprintf(cancel, sizeof(cancel), "%.*s", (int)strcspn(act + 8, "\""), act + 8);
    hresp_free(&r);
    CHECK(cancel[0] != '\0');
    /* The notice is in the cache the kiosk reads, as `bangtin notify` would write it. */
    struct store *s = store_open(pc.data_dir);
    struct store_urgent *u = NULL;
    size_t n = s ? store_urgent_active(s, clock_now(), true, &u) : 0;
    CHECK(n == 1 && u[0].origin == STORE_URGENT_LOCAL && strstr(u[0].title, "Mất điện"));
    store_urgent_free(u, n);
    char *cf = xasprintf("csrf_token=%s", csrf);
    hreq(port, cancel, sid, cf, NULL, &r);
    CHECK_INTEQ(r.status, 303);
    hresp_free(&r);
    free(cf);
    n = s ? store_urgent_active(s, clock_now(), true, &u) : 0;
    CHECK_INTEQ(n, 0);
    store_urgent_free(u, n);
    store_close(s);
    hreq(port, "/panel/screen.png", sid, NULL, NULL, &r);
    CHECK_INTEQ(r.status, 200);
    CHECK(r.body.len == 16 && memcmp(r.body.data, "\x89PNG", 4) == 0);
    hresp_free(&r);
    hreq(port, "/api/notices", sid, NULL, NULL, &r);
    CHECK(r.status == 404 || r.status == 303);
    hresp_free(&r);
    desk_stop(p);
    config_free(&pc);
}

int main(void)
{
    log_init(LOG_LEVEL_WARN);
    curl_global_init(CURL_GLOBAL_ALL);
    if (!mkdtemp(dir) || sodium_init() < 0)
        return 1;
    config_init(&cfg);
    free(cfg.desk_listen), free(cfg.desk_secret_key), free(cfg.desk_webroot);
    free(cfg.desk_signer_name), free(cfg.desk_api_token_file);
    cfg.desk_listen = xstrdup("127.0.0.1:0");
    cfg.desk_http = true;
    cfg.desk_secret_key = xasprintf("%s/desk.key", dir);
    cfg.desk_webroot = xasprintf("%s/www", dir);
    cfg.desk_signer_name = xstrdup("UBND tỉnh Hà Tĩnh");
    cfg.desk_api_token_file = xasprintf("%s/token", dir);
    FILE *tf = fopen(cfg.desk_api_token_file, "w");
    fputs("chi-doc-0123456789abcdef\n", tf);
    fclose(tf);
    make_minisign_key(cfg.desk_secret_key, "khoa-ky-123", pub, sizeof(pub));

    test_no_user();
    char err[512] = "";
    char *users = xasprintf("%s/users", dir);
    CHECK(!auth_passwd_set(users, "canbo", "short", err, sizeof(err)));
    CHECK(auth_passwd_set(users, "canbo", "dung-mat-khau", err, sizeof(err)));
    CHECK(auth_passwd_set(users, "other", "mat-khau-khac", err, sizeof(err)));
    free(users);

    struct desk *d = start(true, err, sizeof(err));
    CHECK_MSG(d != NULL, "%s", err);
    if (d) {
        int port = desk_port(d);
        char sid[128], csrf[128], sid2[128], csrf2[128];
        long st;
        test_headers_and_login(port);
        CHECK(login(port, "canbo", "dung-mat-khau", sid, csrf, &st));
        CHECK(login(port, "other", "mat-khau-khac", sid2, csrf2, &st));
        test_compose(port, sid, csrf);
        test_preview(port, sid, csrf, sid2);
        test_sign(port, sid, csrf);
        test_size_limits(port, sid, csrf);
        test_logout(port, sid, csrf);
        struct hresp r;
        hreq(port, "/nothing-here", sid2, NULL, NULL, &r);
        CHECK_INTEQ(r.status, 404);
        hresp_free(&r);
        hreq(port, "/static/desk.css", NULL, NULL, NULL, &r);
        CHECK(r.status == 200 && strstr(r.head.data, "text/css"));
        hresp_free(&r);
        desk_stop(d);
    }
    test_tls();
    test_panel();
    test_rate_limit();
    config_free(&cfg);
    char *rm = xasprintf("rm -rf '%s'", dir);
    CHECK(system(rm) == 0);
    free(rm);
    curl_global_cleanup();
    return CHECK_DONE();
}
