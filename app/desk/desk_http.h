/* desk_http: a small layer over libmicrohttpd shared by the desk and the screen's panel —
 * requests with their form fields collected (urlencoded, size-capped), responses with the
 * security headers every page carries. Private to app/desk/. */
#ifndef BANGTIN_DESK_HTTP_H
#define BANGTIN_DESK_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/util.h"

/* Largest request body accepted (forms; a notice is a few KB). Larger: 413 before reading it
 * when Content-Length says so, the connection dropped when a chunked body grows past it. */
#define HTTP_MAX_BODY   (256 * 1024)
#define HTTP_MAX_FIELDS 400

struct MHD_Connection;

struct http_field {
    char *name;
    struct buf value;
};

struct http_req {
    struct MHD_Connection *conn;
    const char *method, *path;
    bool post, tls;
    char addr[64]; /* client address, no port */
    size_t body_bytes;
    bool too_big, bad_form;
    struct http_field fields[HTTP_MAX_FIELDS];
    size_t n_fields;
    void *pp; /* struct MHD_PostProcessor */
};

struct http_resp {
    int status;
    const char *content_type; /* static string */
    struct buf body;
    char *headers[8]; /* "Name: value" owned */
    size_t n_headers;
    const void *static_body; /* not owned, used when set (files kept in memory) */
    size_t static_len;
};

/* First value of a form field (NULL when absent). */
const char *http_field(const struct http_req *r, const char *name);
/* Every value of a repeated field, in order: returns the count, out[] borrowed. */
size_t http_fields(const struct http_req *r, const char *name, const char **out, size_t max);
const char *http_cookie(const struct http_req *r, const char *name);
const char *http_header(const struct http_req *r, const char *name);
const char *http_query(const struct http_req *r, const char *name);

void http_resp_init(struct http_resp *w);
void http_resp_header(struct http_resp *w, const char *name, const char *value);
void http_redirect(struct http_resp *w, const char *location);
void http_resp_free(struct http_resp *w);

typedef void (*http_handler_fn)(void *ctx, struct http_req *r, struct http_resp *w);

struct http_server_opts {
    const char *listen; /* "127.0.0.1:8443", "[::1]:8443"; port 0 = any free port */
    const char *tls_cert_pem, *tls_key_pem; /* NULL: plain HTTP */
    unsigned threads;
};
struct http_server;
struct http_server *http_server_start(const struct http_server_opts *o, http_handler_fn fn,
                                      void *ctx, char *err, size_t err_len);
int http_server_port(const struct http_server *s);
void http_server_stop(struct http_server *s);

#endif
