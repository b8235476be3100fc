/* desk: private parts shared by the files of app/desk/. */
#ifndef BANGTIN_DESK_PRIV_H
#define BANGTIN_DESK_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/desk.h"
#include "desk_auth.h"
#include "desk_http.h"
#include "desk_units.h"

#define DESK_MAX_TARGETS   64
#define DESK_TITLE_MAX     200  /* characters */
#define DESK_BODY_MAX      6000 /* characters: a notice is read on a wall, not a report */
#define DESK_PREVIEW_PAGES 6    /* [rotation] max_pages_per_item's default */
#define DESK_MAX_PREVIEWS  32

struct desk_png {
    uint8_t *data;
    size_t len;
};

struct desk_preview {
    char token[AUTH_TOKEN_LEN + 1];
    char sid[AUTH_TOKEN_LEN + 1]; /* the session that asked for it */
    int64_t at;
    struct desk_png land[DESK_PREVIEW_PAGES], port[DESK_PREVIEW_PAGES];
    int n_land, n_port;
    bool more; /* the notice has more pages than a screen shows */
};

/* What the compose form holds, after checking. */
struct desk_form {
    char *title, *body, *severity, *expires, *target_name;
    const char *targets[DESK_MAX_TARGETS]; /* "all" or unit codes (borrowed from the request) */
    size_t n_targets;
    int64_t expires_at;
    const char *errors[16]; /* Vietnamese messages (owned, see desk_form_free) */
    size_t n_errors;
};

struct desk {
    struct desk_opts o;
    const struct config *cfg;
    struct auth *auth;
    struct units units;
    struct http_server *http;
    char *css;
    size_t css_len;
    char *api_token;
    bool tls;
    pthread_mutex_t mu;      /* previews, seq, webroot writes, push messages */
    pthread_mutex_t sign_mu; /* one signature at a time: minisign's scrypt takes 1 GiB */
    struct desk_preview previews[DESK_MAX_PREVIEWS];
    char last_push_error[512];
    char last_push_screens[1024];
    char last_push_id[80];
    struct push_fleet *fleet; /* read with __atomic_load_n: set once, later, by push.c */
    bool own_fleet;
    pthread_mutex_t push_mu; /* one connection attempt at a time */
    int64_t push_last_try;   /* monotonic s */

    /* the screen's panel (panel.c) */
    bool panel;
    struct store *store;      /* its own connection to the kiosk's cache */
    pthread_mutex_t store_mu; /* and frame_* below */
    pthread_cond_t frame_cv;
    bool frame_wanted;
    uint64_t frame_serial;
    struct desk_png frame;
};

/* tls.c */
bool desk_tls_load(const char *cert_path, const char *key_path, const char *listen, char **cert_pem,
                   char **key_pem, char *err, size_t err_len);

/* form.c */
/* resolve_name: a unit named in target_name joins the targets (false: it is only a search). */
void desk_form_read(struct desk *d, const struct http_req *r, struct desk_form *f, int64_t now,
                    bool resolve_name);
void desk_form_free(struct desk_form *f);
/* The notice document (JSON text, caller frees) for a checked form. */
char *desk_form_doc(const struct desk *d, const struct desk_form *f, const char *id, int64_t seq,
                    int64_t now);
char *desk_cancel_doc(const char *id, int64_t seq, const char *const *targets, size_t n_targets,
                      int64_t now);
bool desk_parse_expires(const char *s, int64_t now, int64_t *out);

/* preview.c: the notice rendered by `bangtin --screenshot` (the screens' own code path). */
bool desk_preview_make(struct desk *d, const char *doc, size_t doc_len, struct desk_preview *p,
                       char *err, size_t err_len);
void desk_preview_free(struct desk_preview *p);

/* notices.c: the webroot (signed files for polling screens) and the list of notices. */
struct desk_notice {
    char *id, *title, *body, *severity, *action, *signer;
    int64_t seq, issued, expires;
    char **targets;
    size_t n_targets;
    char *doc; /* the signed text */
    size_t doc_len;
};
size_t desk_notices_list(struct desk *d, struct desk_notice **out);
bool desk_notice_get(struct desk *d, const char *id, struct desk_notice *out);
void desk_notice_free(struct desk_notice *n);
void desk_notices_free(struct desk_notice *n, size_t count);
bool desk_id_ok(const char *id);
/* Next per-key sequence number (stored next to the secret key like scripts/sign-notice). */
int64_t desk_next_seq(struct desk *d, int64_t now);
void desk_seq_used(struct desk *d, int64_t seq);
/* Write notices/<id>.json(.minisig), notice.json(.minisig) (the newest) and index.json. */
bool desk_webroot_write(struct desk *d, const char *id, const char *doc, const char *sig, char *err,
                        size_t err_len);

/* push glue (push.c): publish and the fleet view, or explain why not. */
/* false: err (technical, for the log) and screens ("bt-a, bt-b": the targeted screens the
 * fleet view knows, which have not got it). */
bool desk_push_publish(struct desk *d, const char *const *targets, size_t n, const char *id,
                       const char *doc, const char *sig, char *err, size_t err_len, char *screens,
                       size_t screens_len);
bool desk_push_available(struct desk *d);
/* The fleet connection, (re)opened when the broker was unreachable; NULL without MQTT. */
struct push_fleet *desk_push_fleet(struct desk *d);
void desk_push_close(struct desk *d);

/* panel.c: the panel's routes for a logged-in session (after login and CSRF checks). */
void panel_route(struct desk *d, struct http_req *r, struct http_resp *w,
                 const struct auth_session *s, int64_t now);
void panel_free(struct desk *d);

/* pages.c */
void desk_handle(void *ctx, struct http_req *r, struct http_resp *w);

#endif
