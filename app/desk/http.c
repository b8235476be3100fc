/* desk_http: libmicrohttpd underneath, forms through its post processor, and the headers every
 * response carries (CSP default-src 'self', no framing, no sniffing, no caching). */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "desk"
#include "bangtin/log.h"
#include "desk_http.h"

struct http_server {
    struct MHD_Daemon *d;
    http_handler_fn fn;
    void *ctx;
    bool tls;
    char *cert, *key; /* MHD keeps pointers: they live as long as the daemon */
};

const char *http_field(const struct http_req *r, const char *name)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            return r->fields[i].value.data ? r->fields[i].value.data : "";
    return NULL;
}

size_t http_fields(const struct http_req *r, const char *name, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_fields && n < max; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            out[n++] = r->fields[i].value.data ? r->fields[i].value.data : "";
    return n;
}

const char *http_cookie(const struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *http_header(const struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void http_resp_init(struct http_resp *w)
{
    memset(w, 0, sizeof(*w));
    w->status = 200;
    w->content_type = "text/html; charset=utf-8";
    buf_init(&w->body, 16u << 20);
}

void http_resp_header(struct http_resp *w, const char *name, const char *value)
{
    if (w->n_headers < ARRAY_LEN(w->headers))
        w->headers[w->n_headers++] = xasprintf("%s: %s", name, value);
}

void http_redirect(struct http_resp *w, const char *location)
{
    w->status = 303;
    http_resp_header(w, "Location", location);
}

void http_resp_free(struct http_resp *w)
{
    buf_free(&w->body);
    for (size_t i = 0; i < w->n_headers; i++)
        free(w->headers[i]);
    w->n_headers = 0;
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    struct http_req *r = cls;
    (void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
    struct http_field *f = NULL;
    if (off > 0 && r->n_fields > 0 && strcmp(r->fields[r->n_fields - 1].name, key) == 0)
        f = &r->fields[r->n_fields - 1];
    if (!f) {
        if (r->n_fields >= HTTP_MAX_FIELDS) {
            r->bad_form = true;
            return MHD_NO;
        }
        f = &r->fields[r->n_fields++];
        f->name = xstrdup(key);
        buf_init(&f->value, HTTP_MAX_BODY);
        buf_append(&f->value, "", 0);
    }
    if (size && !buf_append(&f->value, data, size)) {
        r->bad_form = true;
        return MHD_NO;
    }
    return MHD_YES;
}

static void req_free(struct http_req *r)
{
    if (!r)
        return;
    if (r->pp)
        MHD_destroy_post_processor(r->pp);
    for (size_t i = 0; i < r->n_fields; i++) {
        free(r->fields[i].name);
        /* Form values can hold a key password: wipe before freeing. */
        if (r->fields[i].value.data)
            memset(r->fields[i].value.data, 0, r->fields[i].value.cap);
        buf_free(&r->fields[i].value);
    }
    free(r);
}

static void add_security_headers(struct MHD_Response *resp, bool tls)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; form-action 'self'; "
                            "frame-ancestors 'none'; base-uri 'none'");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    /* same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the
     * desk's own form posts, and the Origin check needs the real one. */
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct http_resp *w, bool tls)
{
    struct MHD_Response *resp;
    if (w->static_body)
        resp = MHD_create_response_from_buffer(w->static_len, (void *)w->static_body,
                                               MHD_RESPMEM_PERSISTENT);
    else
        resp = MHD_create_response_from_buffer(w->body.len, w->body.data ? w->body.data : "",
                                               MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", w->content_type);
    add_security_headers(resp, tls);
    for (size_t i = 0; i < w->n_headers; i++) {
        char *colon = strchr(w->headers[i], ':');
        *colon = '\0';
        MHD_add_response_header(resp, w->headers[i], colon + 2);
        *colon = ':';
    }
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)w->status, resp);
    MHD_destroy_response(resp);
    return rc;
}

static enum MHD_Result simple(struct MHD_Connection *c, int status, const char *msg, bool tls)
{
    struct http_resp w;
    http_resp_init(&w);
    w.status = status;
    buf_printf(&w.body,
               "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>%d</title>"
               "<p>%s</p></html>",
               status, msg);
    enum MHD_Result rc = send_resp(c, &w, tls);
    http_resp_free(&w);
    return rc;
}

static void client_addr(struct MHD_Connection *c, char *out, size_t len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, len, "?");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)len);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)len);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct http_server *s = cls;
    struct http_req *r = *con_cls;
    (void)version;
    if (!r) {
        r = xcalloc(1, sizeof(*r));
        *con_cls = r;
        r->conn = c;
        r->tls = s->tls;
        r->method = method;
        r->path = url;
        r->post = strcmp(method, "POST") == 0;
        client_addr(c, r->addr, sizeof(r->addr));
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && !r->post)
            return simple(c, 405, "Phương thức không được hỗ trợ.", s->tls);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > HTTP_MAX_BODY) {
            LOG_WARN("%s %s from %s: body of %s bytes refused", method, url, r->addr, cl);
            r->too_big = true;
            return simple(c, 413,
                          "Yêu cầu quá lớn (tối đa 256 KB). Hãy rút gọn nội dung rồi gửi lại.",
                          s->tls);
        }
        if (r->post) {
            const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
            if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
                r->pp = MHD_create_post_processor(c, 8192, on_field, r);
        }
        return MHD_YES;
    }
    if (r->too_big)
        return MHD_NO;
    if (*upload_size) {
        r->body_bytes += *upload_size;
        if (r->body_bytes > HTTP_MAX_BODY) {
            LOG_WARN("%s %s from %s: body grew past %d bytes; connection closed", method, url,
                     r->addr, HTTP_MAX_BODY);
            r->too_big = true;
            return MHD_NO;
        }
        if (r->pp && !r->bad_form && MHD_post_process(r->pp, upload_data, *upload_size) != MHD_YES)
            r->bad_form = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->bad_form)
        return simple(c, 400, "Biểu mẫu không đọc được. Hãy tải lại trang và gửi lại.", s->tls);
    struct http_resp w;
    http_resp_init(&w);
    s->fn(s->ctx, r, &w);
    enum MHD_Result rc = send_resp(c, &w, s->tls);
    http_resp_free(&w);
    return rc;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    req_free(*con_cls);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    LOG_DBG("libmicrohttpd: %s", msg);
}

static bool parse_listen(const char *listen, struct sockaddr_storage *ss, bool *v6, char *err,
                         size_t err_len)
{
    char host[128], port[16];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof(host) || strlen(colon + 1) >= sizeof(port)) {
        snprintf(err, err_len, "listen = \"%s\": expected address:port", listen);
        return false;
    }
    const char *h = listen;
    size_t hl = (size_t)(colon - listen);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
        h++, hl -= 2;
    memcpy(host, h, hl);
    host[hl] = '\0';
    snprintf(port, sizeof(port), "%s", colon + 1);
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                             .ai_socktype = SOCK_STREAM},
                    *ai = NULL;
    if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai) {
        snprintf(err, err_len, "listen = \"%s\": not a numeric address:port", listen);
        return false;
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    return true;
}

struct http_server *http_server_start(const struct http_server_opts *o, http_handler_fn fn,
                                      void *ctx, char *err, size_t err_len)
{
    struct sockaddr_storage ss;
    bool v6 = false;
    if (!parse_listen(o->listen, &ss, &v6, err, err_len))
        return NULL;
    struct http_server *s = xcalloc(1, sizeof(*s));
    s->fn = fn;
    s->ctx = ctx;
    s->tls = o->tls_cert_pem && o->tls_key_pem;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (v6)
        flags |= MHD_USE_IPv6;
    if (s->tls) {
        flags |= MHD_USE_TLS;
        s->cert = xstrdup(o->tls_cert_pem);
        s->key = xstrdup(o->tls_key_pem);
    }
    unsigned threads = o->threads ? o->threads : 4;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)64, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        s->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->cert, MHD_OPTION_HTTPS_MEM_KEY,
        s->key, MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, err_len, "cannot listen on %s (address in use, or bad TLS key/cert?)",
                 o->listen);
        free(s->cert), free(s->key), free(s);
        return NULL;
    }
    return s;
}

int http_server_port(const struct http_server *s)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    return di ? di->port : 0;
}

void http_server_stop(struct http_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->d);
    free(s->cert), free(s->key);
    free(s);
}
