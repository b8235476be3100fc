/* config: the INI file (inih) → struct config. Every key is documented in
 * assets/bangtin.conf (installed as /etc/bangtin/bangtin.conf).
 *
 * Strict mode (--check-config) fails on any unknown section/key or bad value and reports
 * "path:line: [section].key: reason"; run-time mode logs the same lines as warnings and
 * keeps the default, so a typo never blanks the screen. */
#ifndef BANGTIN_CONFIG_H
#define BANGTIN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum config_source_kind { CONFIG_SOURCE_NEWS, CONFIG_SOURCE_URGENT };

struct config_source {
    char *id;   /* the section name after "source ", or "cli-N" */
    char *name; /* shown on screen ("Cổng TTĐT tỉnh") */
    char *url;  /* http(s)://… or file://… (file only when local = true) */
    enum config_source_kind kind;
    int poll_s;    /* 0 = default for the kind */
    int max_items; /* 0 = no per-source cap */
    bool local;    /* may read file:// */
    bool require_signature;
    char *where; /* "file:line" of its section, NULL for --source */
};

struct config_key {
    char *pubkey; /* minisign public key, base64 ("RW…") */
    char *name;   /* signer name shown on screen */
};

enum config_theme { CONFIG_THEME_LIGHT, CONFIG_THEME_DARK };
/* [display] renderer: auto = the GPU when there is one, the software renderer when SDL's GL
 * renderer is Mesa's llvmpipe/softpipe/swrast (no GPU: same picture, a fraction of the memory). */
enum config_renderer { CONFIG_RENDERER_AUTO, CONFIG_RENDERER_GPU, CONFIG_RENDERER_SOFTWARE };

struct config {
    /* [display] */
    char *office_name;
    int rotate;        /* 0, 90, 180, 270 */
    int width, height; /* 0 = the display's size */
    double screen_diagonal_in;
    double viewing_distance_m;
    enum config_theme theme;
    uint32_t color_fg, color_bg, color_accent; /* 0xRRGGBB; 0xFFFFFFFF = theme default */
    char *logo;
    char *font_regular, *font_bold;
    char *transition; /* "fade", "slide", "none" */
    int transition_ms;
    char *display_on; /* "06:30-21:00" or "" = always */
    bool night_dim;   /* dim instead of blank outside display_on */
    bool kiosk;       /* q/Esc do not quit */
    bool show_qr;
    enum config_renderer renderer;

    /* [rotation] */
    int max_items;
    int max_age_days;
    int max_pages_per_item;
    double dwell_base_s, dwell_per_word_s, dwell_min_s, dwell_max_s;
    double line_spacing;

    /* [network] */
    int poll_s;         /* news sources */
    int urgent_poll_s;  /* urgent sources */
    int full_refetch_s; /* unconditional refetch period */
    int connect_timeout_s, total_timeout_s, low_speed_time_s, low_speed_limit;
    size_t max_feed_bytes, max_image_bytes, image_cache_bytes;
    int max_redirects;
    int startup_delay_max_s;
    char *user_agent;

    /* [urgent] */
    char *province_code; /* 2 digits (2025 two-level system), "" = none */
    char *commune_code;
    int urgent_takeover_s;
    bool show_test_alerts;
    struct config_key *keys;
    size_t n_keys;

    /* [push] (MQTT, DESIGN.md §12); broker "" = off */
    char *push_broker, *push_ca_file, *push_username, *push_password_file, *push_device_id;
    int push_keepalive_s;

    /* [system] */
    char *data_dir;
    char *status_file;
    char *log_level;

    struct config_source *sources;
    size_t n_sources;

    char *path; /* the file loaded, NULL when none (defaults) */
    /* [desk] (bangtin desk, DESIGN.md §11) */
    char *desk_listen, *desk_tls_cert, *desk_tls_key, *desk_secret_key, *desk_signer_name;
    char *desk_users_file, *desk_webroot, *desk_api_token_file, *desk_units_file;
    bool desk_http; /* plain HTTP instead of HTTPS */
    /* [panel] (the screen's own panel; listen "" = off) */
    char *panel_listen, *panel_tls_cert, *panel_tls_key, *panel_users_file;
    bool panel_http;
};

/* Defaults for everything. */
void config_init(struct config *c);
/* Load path on top of the defaults. strict: every problem is an error (returns false);
 * otherwise problems are logged as warnings and the defaults kept (returns false only if the
 * file cannot be read). Messages are "path:line: [section].key: reason". */
bool config_load(struct config *c, const char *path, bool strict);
/* Append a source given on the command line (--source URL). */
void config_add_source_url(struct config *c, const char *url, bool local);
/* The source with this id, or NULL. */
const struct config_source *config_find_source(const struct config *c, const char *id);
/* What a person calls a source: its name, else its id. */
const char *config_source_label(const struct config_source *src);
/* Problems that make the config unusable even at run time (no sources, bad keys).
 * Logs each; returns the number found. */
int config_validate(const struct config *c, bool strict);
void config_free(struct config *c);
/* "06:30-21:00" → minutes after local midnight. */
bool config_parse_schedule(const char *v, int *on_min, int *off_min);

#endif
