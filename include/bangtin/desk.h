/* desk: the officials' web desk and the screen's own panel (DESIGN.md §11). One HTTP module
 * on libmicrohttpd (HTTPS through GnuTLS; a self-signed certificate is made on first start),
 * server-rendered Vietnamese forms that work without JavaScript, sessions with CSRF tokens,
 * argon2id accounts (bangtin passwd), previews rendered by `bangtin --screenshot`, signing with
 * the official's minisign key (notify_sign), publishing to the webroot and MQTT (push.h). */
#ifndef BANGTIN_DESK_H
#define BANGTIN_DESK_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct push_fleet;

struct desk_opts {
    const char *config_path;  /* handed to the preview renderer */
    const char *exe;          /* the bangtin program (previews); NULL = /proc/self/exe */
    const char *css_path;     /* stylesheet (assets/desk/desk.css) */
    const char *units_csv;    /* assets/admin-units/units-2025.csv */
    struct push_fleet *fleet; /* MQTT view + publishing; NULL = webroot only */
    /* The panel only: ask the screen for a picture of its current frame (called on an HTTP
     * thread; the kiosk answers on its main thread with panel_frame_set). */
    void (*want_frame)(void *ctx);
    void *want_frame_ctx;
};

struct desk;
/* Checks the config (users exist, key file readable, webroot writable), loads TLS material or
 * makes it, starts listening. NULL + err (logged by the caller) when it cannot run. */
struct desk *desk_start(const struct config *cfg, const struct desk_opts *o, char *err,
                        size_t err_len);
int desk_port(const struct desk *d);
void desk_stop(struct desk *d);

/* The screen's own panel ([panel] listen in the kiosk's config): login as the desk, the
 * screen's status (its status file), local notices for this screen (as `bangtin notify`: no
 * signature) and a PNG of what is on screen now. Runs inside the kiosk process; opens its own
 * connection to the cache. NULL + err when it cannot run (no user, port taken …). */
struct desk *panel_start(const struct config *cfg, const struct desk_opts *o, char *err,
                         size_t err_len);
/* Kiosk main thread: true when a client waits for a frame; hand it over with panel_frame_set
 * (PNG bytes, copied; NULL/0 when the frame could not be read). */
bool panel_frame_wanted(struct desk *p);
void panel_frame_set(struct desk *p, const void *png, size_t len);

/* `bangtin desk --config FILE`: runs until SIGINT/SIGTERM. Returns the exit code. */
int desk_main(const struct config *cfg, const struct desk_opts *o);
/* `bangtin passwd --config FILE [--panel] USER`: reads the password from the terminal (twice,
 * not echoed) or from stdin's first line when stdin is not a terminal. */
int desk_passwd_main(const struct config *cfg, const char *users_file, const char *user);

#endif
