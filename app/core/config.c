/* config: INI (inih) → struct config. Table-driven so that --check-config, the run-time
 * loader and the documented example (assets/bangtin.conf) agree on every key. */
#define LOG_MODULE "config"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/quote.h"
#include "bangtin/util.h"

#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COLOR_UNSET 0xFFFFFFFFu

enum opt_type {
    OPT_STR,
    OPT_INT,
    OPT_DOUBLE,
    OPT_BOOL,
    OPT_COLOR,
    OPT_SIZE,
    OPT_DURATION,
    OPT_ROTATE,
    OPT_THEME,
    OPT_TRANSITION,
    OPT_SCHEDULE,
    OPT_NIGHT,
    OPT_LOGLEVEL,
    OPT_RENDERER
};

struct opt {
    const char *section, *key;
    enum opt_type type;
    size_t offset;
    double min, max;
};

#define O(sec, k, t, field, lo, hi)                                                                \
    {                                                                                              \
        sec, k, t, offsetof(struct config, field), lo, hi                                          \
    }
static const struct opt options[] = {
    O("display", "office_name", OPT_STR, office_name, 0, 0),
    O("display", "rotate", OPT_ROTATE, rotate, 0, 0),
    O("display", "width", OPT_INT, width, 0, 16384),
    O("display", "height", OPT_INT, height, 0, 16384),
    O("display", "screen_diagonal_in", OPT_DOUBLE, screen_diagonal_in, 7, 150),
    O("display", "viewing_distance_m", OPT_DOUBLE, viewing_distance_m, 0.5, 15),
    O("display", "theme", OPT_THEME, theme, 0, 0),
    O("display", "color_text", OPT_COLOR, color_fg, 0, 0),
    O("display", "color_background", OPT_COLOR, color_bg, 0, 0),
    O("display", "color_accent", OPT_COLOR, color_accent, 0, 0),
    O("display", "logo", OPT_STR, logo, 0, 0),
    O("display", "font_regular", OPT_STR, font_regular, 0, 0),
    O("display", "font_bold", OPT_STR, font_bold, 0, 0),
    O("display", "transition", OPT_TRANSITION, transition, 0, 0),
    O("display", "transition_ms", OPT_INT, transition_ms, 0, 3000),
    O("display", "display_on", OPT_SCHEDULE, display_on, 0, 0),
    O("display", "night_mode", OPT_NIGHT, night_dim, 0, 0),
    O("display", "kiosk", OPT_BOOL, kiosk, 0, 0),
    O("display", "show_qr", OPT_BOOL, show_qr, 0, 0),
    O("display", "renderer", OPT_RENDERER, renderer, 0, 0),
    O("rotation", "max_items", OPT_INT, max_items, 1, 1000),
    O("rotation", "max_age_days", OPT_INT, max_age_days, 0, 3650),
    O("rotation", "max_pages_per_item", OPT_INT, max_pages_per_item, 1, 100),
    O("rotation", "dwell_base_s", OPT_DOUBLE, dwell_base_s, 0, 600),
    O("rotation", "dwell_per_word_s", OPT_DOUBLE, dwell_per_word_s, 0, 10),
    O("rotation", "dwell_min_s", OPT_DOUBLE, dwell_min_s, 1, 600),
    O("rotation", "dwell_max_s", OPT_DOUBLE, dwell_max_s, 1, 3600),
    O("rotation", "line_spacing", OPT_DOUBLE, line_spacing, 1.3, 2.5),
    O("network", "poll_interval", OPT_DURATION, poll_s, 10, 86400),
    O("network", "urgent_poll_interval", OPT_DURATION, urgent_poll_s, 5, 3600),
    O("network", "full_refetch_interval", OPT_DURATION, full_refetch_s, 300, 7 * 86400),
    O("network", "connect_timeout", OPT_DURATION, connect_timeout_s, 1, 300),
    O("network", "total_timeout", OPT_DURATION, total_timeout_s, 1, 3600),
    O("network", "low_speed_time", OPT_DURATION, low_speed_time_s, 1, 600),
    O("network", "low_speed_limit", OPT_INT, low_speed_limit, 1, 1 << 20),
    O("network", "max_feed_size", OPT_SIZE, max_feed_bytes, 1024, 256.0 * 1024 * 1024),
    O("network", "max_image_size", OPT_SIZE, max_image_bytes, 1024, 256.0 * 1024 * 1024),
    O("network", "image_cache_size", OPT_SIZE, image_cache_bytes, 0, 64.0 * 1024 * 1024 * 1024),
    O("network", "max_redirects", OPT_INT, max_redirects, 0, 20),
    O("network", "startup_delay_max", OPT_DURATION, startup_delay_max_s, 0, 3600),
    O("network", "user_agent", OPT_STR, user_agent, 0, 0),
    O("urgent", "province_code", OPT_STR, province_code, 0, 0),
    O("urgent", "commune_code", OPT_STR, commune_code, 0, 0),
    O("urgent", "takeover", OPT_DURATION, urgent_takeover_s, 0, 86400),
    O("urgent", "show_test_alerts", OPT_BOOL, show_test_alerts, 0, 0),
    O("push", "broker", OPT_STR, push_broker, 0, 0),
    O("push", "ca_file", OPT_STR, push_ca_file, 0, 0),
    O("push", "username", OPT_STR, push_username, 0, 0),
    O("push", "password_file", OPT_STR, push_password_file, 0, 0),
    O("push", "device_id", OPT_STR, push_device_id, 0, 0),
    O("push", "keepalive", OPT_DURATION, push_keepalive_s, 10, 3600),
    O("system", "data_dir", OPT_STR, data_dir, 0, 0),
    O("system", "status_file", OPT_STR, status_file, 0, 0),
    O("system", "log_level", OPT_LOGLEVEL, log_level, 0, 0),
    O("desk", "listen", OPT_STR, desk_listen, 0, 0),
    O("desk", "http", OPT_BOOL, desk_http, 0, 0),
    O("desk", "tls_cert", OPT_STR, desk_tls_cert, 0, 0),
    O("desk", "tls_key", OPT_STR, desk_tls_key, 0, 0),
    O("desk", "secret_key", OPT_STR, desk_secret_key, 0, 0),
    O("desk", "signer_name", OPT_STR, desk_signer_name, 0, 0),
    O("desk", "users_file", OPT_STR, desk_users_file, 0, 0),
    O("desk", "webroot", OPT_STR, desk_webroot, 0, 0),
    O("desk", "api_token_file", OPT_STR, desk_api_token_file, 0, 0),
    O("desk", "units_file", OPT_STR, desk_units_file, 0, 0),
    O("panel", "listen", OPT_STR, panel_listen, 0, 0),
    O("panel", "http", OPT_BOOL, panel_http, 0, 0),
    O("panel", "tls_cert", OPT_STR, panel_tls_cert, 0, 0),
    O("panel", "tls_key", OPT_STR, panel_tls_key, 0, 0),
    O("panel", "users_file", OPT_STR, panel_users_file, 0, 0),
};
#undef O

void config_init(struct config *c)
{
    memset(c, 0, sizeof *c);
    c->office_name = xstrdup("ỦY BAN NHÂN DÂN XÃ");
    c->screen_diagonal_in = 43;
    c->viewing_distance_m = 3;
    c->theme = CONFIG_THEME_LIGHT;
    c->color_fg = c->color_bg = c->color_accent = COLOR_UNSET;
    c->transition = xstrdup("fade");
    c->transition_ms = 400;
    c->display_on = xstrdup("");
    c->night_dim = false;
    c->kiosk = true;
    c->show_qr = true;
    c->max_items = 30;
    c->max_age_days = 30;
    c->max_pages_per_item = 6;
    c->dwell_base_s = 2;
    c->dwell_per_word_s = 0.75;
    c->dwell_min_s = 8;
    c->dwell_max_s = 45;
    c->line_spacing = 1.4;
    c->poll_s = 600;
    c->urgent_poll_s = 30;
    c->full_refetch_s = 4 * 3600;
    c->connect_timeout_s = 10;
    c->total_timeout_s = 60;
    c->low_speed_time_s = 20;
    c->low_speed_limit = 64;
    c->max_feed_bytes = 8u << 20;
    c->max_image_bytes = 4u << 20;
    c->image_cache_bytes = 64u << 20;
    c->max_redirects = 5;
    c->startup_delay_max_s = 30;
    c->user_agent = xasprintf("bangtin/%s (+notice board)", BANGTIN_VERSION);
    c->province_code = xstrdup("");
    c->commune_code = xstrdup("");
    c->push_broker = xstrdup("");
    c->push_ca_file = xstrdup("");
    c->push_username = xstrdup("");
    c->push_password_file = xstrdup("");
    c->push_device_id = xstrdup("");
    c->push_keepalive_s = 60;
    c->urgent_takeover_s = 60;
    c->data_dir = xstrdup("/var/lib/bangtin");
    c->status_file = xstrdup("/run/bangtin/status.json");
    c->log_level = xstrdup("info");
    c->desk_listen = xstrdup("127.0.0.1:8443");
    c->desk_tls_cert = xstrdup("/var/lib/bangtin-desk/desk-cert.pem");
    c->desk_tls_key = xstrdup("/var/lib/bangtin-desk/desk-key.pem");
    c->desk_secret_key = xstrdup("");
    c->desk_signer_name = xstrdup("");
    c->desk_users_file = xstrdup("/etc/bangtin/desk-users");
    c->desk_webroot = xstrdup("/var/lib/bangtin-desk/www");
    c->desk_api_token_file = xstrdup("");
    c->desk_units_file = xstrdup("");
    c->panel_listen = xstrdup("");
    c->panel_tls_cert = xstrdup("");
    c->panel_tls_key = xstrdup("");
    c->panel_users_file = xstrdup("/etc/bangtin/panel-users");
}

struct load_ctx {
    struct config *c;
    const char *path;
    bool strict;
    int errors;
    int line;
    FILE *f;
    char *cur_source; /* section name of the source being filled */
    /* Every section header and "section\nkey" seen, with its line: a repeated section or a
     * key set twice is an error (the second silently won before). */
    struct seen {
        char *name;
        int line;
    } * seen;
    size_t n_seen;
    char section[256]; /* the section of the current line, as written */
    int section_line;
};

/* The line of an earlier occurrence of name, or 0 (and name recorded at line). */
static int seen_before(struct load_ctx *lc, const char *name, int line)
{
    for (size_t i = 0; i < lc->n_seen; i++)
        if (strcmp(lc->seen[i].name, name) == 0)
            return lc->seen[i].line;
    lc->seen = xrealloc(lc->seen, (lc->n_seen + 1) * sizeof *lc->seen);
    lc->seen[lc->n_seen++] = (struct seen){xstrdup(name), line};
    return 0;
}

/* Levenshtein distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static const char *const source_keys[] = {
    "url", "name", "kind", "poll_interval", "max_items", "local", "require_signature"};

/* The closest known key of the section (or any section's key for an unknown section), when
 * close enough to be a typo; NULL otherwise. */
static const char *suggest_key(const char *section, const char *key)
{
    const char *best = NULL;
    size_t best_d = 3; /* at most 2 edits */
    bool is_source = strncmp(section, "source ", 7) == 0;
    for (size_t i = 0; i < ARRAY_LEN(source_keys) && is_source; i++) {
        size_t d = edit_distance(key, source_keys[i]);
        if (d < best_d)
            best_d = d, best = source_keys[i];
    }
    for (size_t i = 0; i < ARRAY_LEN(options) && !is_source; i++) {
        if (strcmp(options[i].section, section) != 0)
            continue;
        size_t d = edit_distance(key, options[i].key);
        if (d < best_d)
            best_d = d, best = options[i].key;
    }
    if (!is_source && strcmp(section, "urgent") == 0 && edit_distance(key, "trusted_key") < best_d)
        best = "trusted_key";
    return best;
}

static const char *suggest_section(const char *section)
{
    static const char *const names[] = {"display", "rotation", "network", "urgent", "system"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (edit_distance(section, names[i]) <= 2)
            return names[i];
    return NULL;
}

/* A duration must say its unit: "600" could be seconds or minutes to the person who wrote
 * it. "0" needs none. */
static bool duration_has_unit(const char *v)
{
    size_t n = strlen(v);
    while (n && v[n - 1] == ' ')
        n--;
    if (n == 0)
        return false;
    char last = v[n - 1];
    if (last >= '0' && last <= '9') {
        char *end;
        double d = strtod(v, &end);
        return d == 0 && end != v;
    }
    return true;
}

/* http(s):// or file:// and nothing a URL cannot hold: no blank, no control character. */
static bool url_plausible(const char *v)
{
    if (!str_starts_with(v, "http://") && !str_starts_with(v, "https://") &&
        !str_starts_with(v, "file://"))
        return false;
    const char *rest = strstr(v, "://") + 3;
    if (!*rest)
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= ' ' || *p == 0x7F)
            return false;
    return true;
}

static void problem(struct load_ctx *lc, const char *section, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void problem(struct load_ctx *lc, const char *section, const char *key, const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    lc->errors++;
    log_msg(lc->strict ? LOG_LEVEL_ERR : LOG_LEVEL_WARN, LOG_MODULE, "%s:%d: [%s]%s%s: %s%s",
            lc->path, lc->line, section, key ? "." : "", key ? key : "", reason,
            lc->strict ? "" : " (default kept)");
}

static bool parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

static bool parse_size(const char *v, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || d < 0)
        return false;
    while (*end == ' ')
        end++;
    double mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1024;
    else if (*end == 'm' || *end == 'M')
        mul = 1024.0 * 1024;
    else if (*end == 'g' || *end == 'G')
        mul = 1024.0 * 1024 * 1024;
    else if (*end)
        return false;
    if (*end && end[1] && strcasecmp(end + 1, "b") != 0 && strcasecmp(end + 1, "ib") != 0)
        return false;
    *out = d * mul;
    return true;
}

bool config_parse_schedule(const char *v, int *on_min, int *off_min)
{
    int h1, m1, h2, m2;
    char tail;
    if (sscanf(v, "%d:%d-%d:%d%c", &h1, &m1, &h2, &m2, &tail) != 4)
        return false;
    if (h1 < 0 || h1 > 24 || h2 < 0 || h2 > 24 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59)
        return false;
    *on_min = h1 * 60 + m1;
    *off_min = h2 * 60 + m2;
    return true;
}

static void set_str(char **field, const char *v)
{
    free(*field);
    *field = xstrdup(v);
}

/* Returns NULL on success, or the reason. */
static const char *apply_opt(struct config *c, const struct opt *o, const char *v)
{
    void *field = (char *)c + o->offset;
    char *end;
    switch (o->type) {
    case OPT_STR: set_str(field, v); return NULL;
    case OPT_INT: {
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end)
            return "not a whole number";
        if (n < o->min || n > o->max)
            return "out of range";
        *(int *)field = (int)n;
        return NULL;
    }
    case OPT_DOUBLE: {
        errno = 0;
        double d = strtod(v, &end);
        if (errno || end == v || *end)
            return "not a number";
        if (d < o->min || d > o->max)
            return "out of range";
        *(double *)field = d;
        return NULL;
    }
    case OPT_BOOL: return parse_bool(v, field) ? NULL : "expected true or false";
    case OPT_COLOR: {
        const char *h = v[0] == '#' ? v + 1 : v;
        unsigned long rgb = strtoul(h, &end, 16);
        if (strlen(h) != 6 || *end)
            return "expected a colour like #1A1A1A";
        *(uint32_t *)field = (uint32_t)rgb;
        return NULL;
    }
    case OPT_SIZE: {
        double d;
        if (!parse_size(v, &d))
            return "expected a size like 8M or 512K";
        if (d < o->min || d > o->max)
            return "out of range";
        *(size_t *)field = (size_t)d;
        return NULL;
    }
    case OPT_DURATION: {
        int64_t s;
        if (!str_parse_duration(v, &s))
            return "expected a duration like 30s, 10m or 4h";
        if (s < o->min || s > o->max)
            return "out of range";
        *(int *)field = (int)s;
        return NULL;
    }
    case OPT_ROTATE: {
        long n = strtol(v, &end, 10);
        if (*end || (n != 0 && n != 90 && n != 180 && n != 270))
            return "expected 0, 90, 180 or 270";
        *(int *)field = (int)n;
        return NULL;
    }
    case OPT_THEME:
        if (strcasecmp(v, "light") == 0)
            *(enum config_theme *)field = CONFIG_THEME_LIGHT;
        else if (strcasecmp(v, "dark") == 0)
            *(enum config_theme *)field = CONFIG_THEME_DARK;
        else
            return "expected light or dark";
        return NULL;
    case OPT_TRANSITION:
        if (strcmp(v, "fade") && strcmp(v, "slide") && strcmp(v, "none"))
            return "expected fade, slide or none";
        set_str(field, v);
        return NULL;
    case OPT_SCHEDULE: {
        int a, b;
        if (*v && !config_parse_schedule(v, &a, &b))
            return "expected HH:MM-HH:MM, e.g. 06:30-21:00 (empty = always on)";
        set_str(field, v);
        return NULL;
    }
    case OPT_NIGHT:
        if (strcasecmp(v, "dim") == 0)
            *(bool *)field = true;
        else if (strcasecmp(v, "blank") == 0)
            *(bool *)field = false;
        else
            return "expected dim or blank";
        return NULL;
    case OPT_RENDERER:
        if (strcasecmp(v, "auto") == 0)
            *(enum config_renderer *)field = CONFIG_RENDERER_AUTO;
        else if (strcasecmp(v, "gpu") == 0)
            *(enum config_renderer *)field = CONFIG_RENDERER_GPU;
        else if (strcasecmp(v, "software") == 0)
            *(enum config_renderer *)field = CONFIG_RENDERER_SOFTWARE;
        else
            return "expected auto, gpu or software";
        return NULL;
    case OPT_LOGLEVEL: {
        enum log_level l;
        if (!log_level_parse(v, &l))
            return "expected error, warning, info or debug";
        set_str(field, v);
        return NULL;
    }
    }
    return "unsupported";
}

static struct config_source *find_source(struct config *c, const char *id)
{
    for (size_t i = 0; i < c->n_sources; i++) {
        if (strcmp(c->sources[i].id, id) == 0)
            return &c->sources[i];
    }
    return NULL;
}

static struct config_source *add_source(struct config *c, const char *id)
{
    c->sources = xrealloc(c->sources, (c->n_sources + 1) * sizeof *c->sources);
    struct config_source *s = &c->sources[c->n_sources++];
    memset(s, 0, sizeof *s);
    s->id = xstrdup(id);
    s->kind = CONFIG_SOURCE_NEWS;
    return s;
}

static const char *apply_source_key(struct config_source *s, const char *key, const char *v)
{
    char *end;
    if (strcmp(key, "url") == 0) {
        if (!url_plausible(v))
            return "expected an http://, https:// or file:// URL without spaces";
        set_str(&s->url, v);
    } else if (strcmp(key, "name") == 0) {
        set_str(&s->name, v);
    } else if (strcmp(key, "kind") == 0) {
        if (strcmp(v, "news") == 0)
            s->kind = CONFIG_SOURCE_NEWS;
        else if (strcmp(v, "urgent") == 0)
            s->kind = CONFIG_SOURCE_URGENT;
        else
            return "expected news or urgent";
    } else if (strcmp(key, "poll_interval") == 0) {
        int64_t d;
        if (!str_parse_duration(v, &d) || d < 5 || d > 86400)
            return "expected a duration between 5s and 24h";
        s->poll_s = (int)d;
    } else if (strcmp(key, "max_items") == 0) {
        long n = strtol(v, &end, 10);
        if (*end || end == v || n < 0 || n > 1000)
            return "expected a whole number 0–1000";
        s->max_items = (int)n;
    } else if (strcmp(key, "local") == 0) {
        if (!parse_bool(v, &s->local))
            return "expected true or false";
    } else if (strcmp(key, "require_signature") == 0) {
        if (!parse_bool(v, &s->require_signature))
            return "expected true or false";
    } else {
        return "unknown key";
    }
    return NULL;
}

static const char *add_trusted_key(struct config *c, const char *v)
{
    char *copy = xstrdup(v);
    char *sp = strpbrk(copy, " \t");
    char *name = sp ? str_trim(sp + 1) : NULL;
    if (sp)
        *sp = '\0';
    if (strlen(copy) != 56 || copy[0] != 'R' || copy[1] != 'W') {
        free(copy);
        return "expected a minisign public key (56 characters starting RW) then the signer's name";
    }
    c->keys = xrealloc(c->keys, (c->n_keys + 1) * sizeof *c->keys);
    c->keys[c->n_keys].pubkey = xstrdup(copy);
    c->keys[c->n_keys].name = xstrdup(str_empty(name) ? "?" : name);
    c->n_keys++;
    free(copy);
    return NULL;
}

static size_t commune_opt_index(void)
{
    for (size_t i = 0; i < ARRAY_LEN(options); i++)
        if (strcmp(options[i].key, "commune_code") == 0)
            return i;
    return 0;
}

/* Mã đơn vị hành chính: digits (letters, - and _ allowed for other schemes); never a blank. */
static bool commune_code_valid(const char *v)
{
    size_t n = strlen(v);
    return n == 0 || (n <= 32 && strspn(v, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "abcdefghijklmnopqrstuvwxyz_-") == n);
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    struct load_ctx *lc = user;
    struct config *c = lc->c;
    if (!key)
        return 1; /* section header alone (inih INI_CALL_HANDLER_ON_NEW_SECTION) */
    if (!(strcmp(section, "urgent") == 0 && strcmp(key, "trusted_key") == 0)) {
        char *sk = xasprintf("%s\n%s", section, key);
        int first = seen_before(lc, sk, lc->line);
        free(sk);
        if (first) {
            problem(lc, section, key, "set twice (first on line %d); write it once", first);
            return 1;
        }
    }
    if (strncmp(section, "source ", 7) == 0) {
        const char *id = section + 7;
        while (*id == ' ' || *id == '"')
            id++;
        char *clean = xstrdup(id);
        size_t n = strlen(clean);
        while (n && (clean[n - 1] == '"' || clean[n - 1] == ' '))
            clean[--n] = '\0';
        struct config_source *s = find_source(c, clean);
        if (!s) {
            s = add_source(c, clean);
            s->where = xasprintf("%s:%d", lc->path, lc->section_line ? lc->section_line : lc->line);
        }
        free(clean);
        const char *why = apply_source_key(s, key, value);
        if (!why && strcmp(key, "poll_interval") == 0 && !duration_has_unit(value))
            why = "a duration needs its unit (5m, 30s, 1h)";
        if (why) {
            char *q = quote_visible_str(value);
            const char *hint = strcmp(why, "unknown key") == 0 ? suggest_key(section, key) : NULL;
            if (hint)
                problem(lc, section, key, "unknown key; did you mean %s?", hint);
            else
                problem(lc, section, key, "%s: \"%s\"", why, q);
            free(q);
        }
        return 1;
    }
    if (strcmp(section, "urgent") == 0 && strcmp(key, "trusted_key") == 0) {
        const char *why = add_trusted_key(c, value);
        if (why)
            problem(lc, section, key, "%s", why);
        return 1;
    }
    for (size_t i = 0; i < ARRAY_LEN(options); i++) {
        const struct opt *o = &options[i];
        if (strcmp(o->section, section) == 0 && strcmp(o->key, key) == 0) {
            const char *why = apply_opt(c, o, value);
            if (!why && o->type == OPT_DURATION && !duration_has_unit(value))
                why = "a duration needs its unit";
            if (!why && o == &options[commune_opt_index()] && !commune_code_valid(value))
                why = "expected the commune code, digits only (e.g. 26734)";
            if (why) {
                char *q = quote_visible_str(value);
                if (strcmp(why, "a duration needs its unit") == 0)
                    problem(lc, section, key, "\"%s\" has no unit: write %ss, %sm or %sh", q, q, q,
                            q);
                else
                    problem(lc, section, key, "%s: \"%s\"", why, q);
                free(q);
            }
            return 1;
        }
    }
    bool known_section = strcmp(section, "urgent") == 0;
    for (size_t i = 0; i < ARRAY_LEN(options) && !known_section; i++)
        known_section = strcmp(options[i].section, section) == 0;
    const char *hint = known_section ? suggest_key(section, key) : suggest_section(section);
    if (hint)
        problem(lc, section, key, "unknown %s; did you mean %s%s%s?",
                known_section ? "key" : "section", known_section ? "" : "[", hint,
                known_section ? "" : "]");
    else
        problem(lc, section, key, known_section ? "unknown key" : "unknown section");
    return 1;
}

/* inih calls the reader once per line, so counting here gives the line of each entry. */
static char *line_reader(char *str, int num, void *stream)
{
    struct load_ctx *lc = stream;
    char *r = fgets(str, num, lc->f);
    if (!r)
        return r;
    lc->line++;
    const char *p = r;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *close = *p == '[' ? strchr(p, ']') : NULL;
    if (close) {
        char *name = xstrndup(p + 1, (size_t)(close - p - 1));
        char *t = str_trim(name);
        char *tag = xasprintf("[%s]", t);
        int first = seen_before(lc, tag, lc->line);
        lc->section_line = lc->line;
        if (first) {
            lc->errors++;
            log_msg(lc->strict ? LOG_LEVEL_ERR : LOG_LEVEL_WARN, LOG_MODULE,
                    "%s:%d: [%s]: the section appears twice (first on line %d); merge them",
                    lc->path, lc->line, t, first);
        }
        free(tag);
        free(name);
    }
    return r;
}

bool config_load(struct config *c, const char *path, bool strict)
{
    struct load_ctx lc = {.c = c, .path = path, .strict = strict};
    lc.f = fopen(path, "r");
    if (!lc.f) {
        LOG_ERR("%s: cannot read: %s", path, strerror(errno));
        return false;
    }
    free(c->path);
    c->path = xstrdup(path);
    int rc = ini_parse_stream(line_reader, &lc, on_entry, &lc);
    fclose(lc.f);
    for (size_t i = 0; i < lc.n_seen; i++)
        free(lc.seen[i].name);
    free(lc.seen);
    if (rc > 0) {
        lc.line = rc;
        problem(&lc, "?", NULL, "syntax error (expected [section] or key = value)");
    }
    return strict ? lc.errors == 0 : true;
}

const struct config_source *config_find_source(const struct config *c, const char *id)
{
    for (size_t i = 0; id && i < c->n_sources; i++) {
        if (strcmp(c->sources[i].id, id) == 0)
            return &c->sources[i];
    }
    return NULL;
}

const char *config_source_label(const struct config_source *src)
{
    return src->name ? src->name : src->id;
}

void config_add_source_url(struct config *c, const char *url, bool local)
{
    char id[32];
    snprintf(id, sizeof id, "cli-%zu", c->n_sources + 1);
    struct config_source *s = add_source(c, id);
    s->url = xstrdup(url);
    s->local = local || str_starts_with(url, "file://");
}

int config_validate(const struct config *c, bool strict)
{
    int n = 0;
    for (size_t i = 0; i < c->n_sources; i++) {
        const struct config_source *s = &c->sources[i];
        if (str_empty(s->url)) {
            log_msg(strict ? LOG_LEVEL_ERR : LOG_LEVEL_WARN, LOG_MODULE,
                    "%s%s[source %s]: no url; this source is ignored", s->where ? s->where : "",
                    s->where ? ": " : "", s->id);
            n++;
        } else if (str_starts_with(s->url, "file://") && !s->local) {
            log_msg(strict ? LOG_LEVEL_ERR : LOG_LEVEL_WARN, LOG_MODULE,
                    "[source %s].url: file:// needs local = true", s->id);
            n++;
        }
        if (s->require_signature && c->n_keys == 0) {
            log_msg(strict ? LOG_LEVEL_ERR : LOG_LEVEL_WARN, LOG_MODULE,
                    "[source %s].require_signature: no [urgent].trusted_key is pinned, so "
                    "nothing from this source can be shown",
                    s->id);
            n++;
        }
    }
    if (c->dwell_min_s > c->dwell_max_s) {
        log_msg(strict ? LOG_LEVEL_ERR : LOG_LEVEL_WARN, LOG_MODULE,
                "[rotation].dwell_min_s is larger than dwell_max_s");
        n++;
    }
    return n;
}

void config_free(struct config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < ARRAY_LEN(options); i++) {
        const struct opt *o = &options[i];
        if (o->type == OPT_STR || o->type == OPT_TRANSITION || o->type == OPT_SCHEDULE ||
            o->type == OPT_LOGLEVEL) {
            char **field = (char **)((char *)c + o->offset);
            free(*field);
            *field = NULL;
        }
    }
    for (size_t i = 0; i < c->n_sources; i++) {
        free(c->sources[i].id);
        free(c->sources[i].name);
        free(c->sources[i].url);
        free(c->sources[i].where);
    }
    free(c->sources);
    for (size_t i = 0; i < c->n_keys; i++) {
        free(c->keys[i].pubkey);
        free(c->keys[i].name);
    }
    free(c->keys);
    free(c->path);
    memset(c, 0, sizeof *c);
}
