/* desk: start-up checks (no user → no start), TLS, the units list, MQTT, and the run loop of
 * `bangtin desk`. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define LOG_MODULE "desk"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "desk_priv.h"

static bool dir_writable(const char *dir, char *err, size_t err_len)
{
    if (!util_mkdir_p(dir, 0755) || access(dir, W_OK) != 0) {
        snprintf(err, err_len, "[desk] webroot %s is not a writable folder: %s", dir,
                 strerror(errno));
        return false;
    }
    return true;
}

/* What differs between the two roles. */
struct role {
    const char *name, *listen, *users, *cert, *key;
    bool http;
};

/* Users, stylesheet, TLS, listening: the same for the desk and the panel. */
static bool start_common(struct desk *d, const struct role *ro, char *err, size_t err_len)
{
    char *cert = NULL, *key = NULL;
    char why[384] = "";
    d->auth = auth_create(ro->users, why, sizeof(why));
    if (!d->auth || auth_user_count(d->auth) == 0) {
        snprintf(err, err_len,
                 "%s%s: add one with `bangtin passwd --config FILE%s USER` (there is no "
                 "default password)",
                 d->auth ? "no user in " : why, d->auth ? ro->users : "",
                 d->panel ? " --panel" : "");
        return false;
    }
    if (!util_read_file(d->o.css_path ? d->o.css_path : "", 256 * 1024, &d->css, &d->css_len)) {
        snprintf(err, err_len, "cannot read the stylesheet %s", d->o.css_path ? d->o.css_path : "");
        return false;
    }
    d->tls = !ro->http;
    if (d->tls && !desk_tls_load(ro->cert, ro->key, ro->listen, &cert, &key, err, err_len))
        return false;
    if (!d->tls)
        LOG_WARN("[%s] http = true: plain HTTP, passwords cross the network in clear; use it "
                 "only behind a TLS proxy or on loopback",
                 ro->name);
    struct http_server_opts ho = {
        .listen = ro->listen, .tls_cert_pem = cert, .tls_key_pem = key, .threads = 4};
    d->http = http_server_start(&ho, desk_handle, d, err, err_len);
    if (key)
        memset(key, 0, strlen(key));
    free(cert), free(key);
    if (!d->http)
        return false;
    LOG_INFO("%s listening on %s (%s), %zu users", ro->name, ro->listen, d->tls ? "https" : "http",
             auth_user_count(d->auth));
    return true;
}

static struct desk *desk_new(const struct config *cfg, const struct desk_opts *o)
{
    struct desk *d = xcalloc(1, sizeof(*d));
    d->cfg = cfg;
    d->o = *o;
    pthread_mutex_init(&d->mu, NULL);
    pthread_mutex_init(&d->sign_mu, NULL);
    pthread_mutex_init(&d->push_mu, NULL);
    pthread_mutex_init(&d->store_mu, NULL);
    pthread_cond_init(&d->frame_cv, NULL);
    return d;
}

struct desk *desk_start(const struct config *cfg, const struct desk_opts *o, char *err,
                        size_t err_len)
{
    struct desk *d = desk_new(cfg, o);
    size_t tl = 0;
    struct role ro = {"desk",
                      cfg->desk_listen,
                      cfg->desk_users_file,
                      cfg->desk_tls_cert,
                      cfg->desk_tls_key,
                      cfg->desk_http};
    if (str_empty(cfg->desk_secret_key) || access(cfg->desk_secret_key, R_OK) != 0) {
        snprintf(err, err_len,
                 "[desk] secret_key \"%s\" is not readable: make one with `minisign -G -s FILE` "
                 "and pin its public key on the screens",
                 cfg->desk_secret_key ? cfg->desk_secret_key : "");
        goto fail;
    }
    if (str_empty(cfg->desk_signer_name))
        LOG_WARN("[desk] signer_name is empty: previews show \"?\" where screens show the name "
                 "pinned with the key");
    if (!dir_writable(cfg->desk_webroot, err, err_len))
        goto fail;
    if (!units_load(&d->units, o->units_csv ? o->units_csv : "", err, err_len))
        goto fail;
    if (!str_empty(cfg->desk_api_token_file)) {
        if (!util_read_file(cfg->desk_api_token_file, 4096, &d->api_token, &tl)) {
            snprintf(err, err_len, "cannot read [desk] api_token_file %s",
                     cfg->desk_api_token_file);
            goto fail;
        }
        d->api_token[strcspn(d->api_token, "\r\n")] = '\0';
        if (strlen(d->api_token) < 16) {
            snprintf(err, err_len,
                     "[desk] api_token_file: the token must be 16 characters or "
                     "more");
            goto fail;
        }
    }
    d->fleet = o->fleet;
    if (!start_common(d, &ro, err, err_len))
        goto fail;
    LOG_INFO("desk webroot %s", cfg->desk_webroot);
    if (!desk_push_fleet(d))
        LOG_INFO("MQTT: %s",
                 str_empty(cfg->push_broker) ? "off (no [push] broker)" : "not connected yet");
    return d;
fail:
    desk_stop(d);
    return NULL;
}

struct desk *panel_start(const struct config *cfg, const struct desk_opts *o, char *err,
                         size_t err_len)
{
    struct desk *d = desk_new(cfg, o);
    d->panel = true;
    char *cert = str_empty(cfg->panel_tls_cert) ? xasprintf("%s/panel-cert.pem", cfg->data_dir)
                                                : xstrdup(cfg->panel_tls_cert);
    char *key = str_empty(cfg->panel_tls_key) ? xasprintf("%s/panel-key.pem", cfg->data_dir)
                                              : xstrdup(cfg->panel_tls_key);
    struct role ro = {"panel", cfg->panel_listen, cfg->panel_users_file, cert,
                      key,     cfg->panel_http};
    /* Unit names for the status page; the panel runs without them. */
    char uerr[256];
    if (o->units_csv && !units_load(&d->units, o->units_csv, uerr, sizeof(uerr)))
        LOG_WARN("panel: %s", uerr);
    d->store = store_open(cfg->data_dir);
    bool ok = d->store != NULL;
    if (!ok)
        snprintf(err, err_len, "cannot open the cache in %s", cfg->data_dir);
    ok = ok && start_common(d, &ro, err, err_len);
    free(cert), free(key);
    if (!ok) {
        desk_stop(d);
        return NULL;
    }
    return d;
}

int desk_port(const struct desk *d)
{
    return http_server_port(d->http);
}

void desk_stop(struct desk *d)
{
    if (!d)
        return;
    http_server_stop(d->http);
    desk_push_close(d);
    panel_free(d);
    for (size_t i = 0; i < DESK_MAX_PREVIEWS; i++)
        desk_preview_free(&d->previews[i]);
    auth_destroy(d->auth);
    units_free(&d->units);
    free(d->css);
    free(d->api_token);
    pthread_mutex_destroy(&d->mu);
    pthread_mutex_destroy(&d->sign_mu);
    pthread_mutex_destroy(&d->push_mu);
    pthread_mutex_destroy(&d->store_mu);
    pthread_cond_destroy(&d->frame_cv);
    free(d);
}

int desk_main(const struct config *cfg, const struct desk_opts *o_in)
{
    struct desk_opts o = *o_in;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* before any thread: they inherit the mask */
    signal(SIGPIPE, SIG_IGN);
    char err[512] = "";
    struct desk *d = desk_start(cfg, &o, err, sizeof(err));
    int rc = 0;
    if (!d) {
        LOG_ERR("desk not started: %s", err);
        rc = 1;
    } else {
        int sig = 0;
        sigwait(&set, &sig);
        LOG_INFO("desk stopping (signal %d)", sig);
        desk_stop(d);
    }
    return rc;
}

/* One line from the terminal without echo, or from stdin when it is not a terminal. */
static char *read_password(const char *prompt, bool tty)
{
    struct termios old, quiet;
    if (tty) {
        fputs(prompt, stderr);
        fflush(stderr);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (n < 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

int desk_passwd_main(const struct config *cfg, const char *users_file, const char *user)
{
    (void)cfg;
    bool tty = isatty(STDIN_FILENO);
    if (!auth_user_name_ok(user)) {
        fprintf(stderr, "bangtin passwd: user name must be 1-%d of A-Z a-z 0-9 . _ -\n",
                AUTH_USER_MAX);
        return 2;
    }
    char *pw = read_password("New password: ", tty);
    char *again = tty && pw ? read_password("Again: ", tty) : NULL;
    int rc = 0;
    char err[256];
    if (!pw) {
        fputs("bangtin passwd: no password given\n", stderr);
        rc = 2;
    } else if (tty && (!again || strcmp(pw, again) != 0)) {
        fputs("bangtin passwd: the two passwords differ; nothing changed\n", stderr);
        rc = 1;
    } else if (!auth_passwd_set(users_file, user, pw, err, sizeof(err))) {
        fprintf(stderr, "bangtin passwd: %s\n", err);
        rc = 1;
    } else {
        printf("password of %s set in %s\n", user, users_file);
    }
    if (pw)
        memset(pw, 0, strlen(pw));
    if (again)
        memset(again, 0, strlen(again));
    free(pw), free(again);
    return rc;
}
