/* theme: the colours of the light, dark and urgent looks. Every text colour is chosen to reach
 * WCAG AAA (7:1) on its background (DESIGN.md §3); tests/render checks each pair. */
#include <math.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/config.h"
#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/util.h"

#define MIN_CONTRAST 7.0

static SDL_Color rgb(uint32_t v)
{
    SDL_Color c = {(Uint8)(v >> 16), (Uint8)(v >> 8), (Uint8)v, 255};
    return c;
}

void render_theme_default(enum render_theme_kind kind, struct render_theme *t)
{
    switch (kind) {
    case RENDER_THEME_DARK:
        *t = (struct render_theme){.bg = rgb(0x101418),
                                   .fg = rgb(0xEEEEEE),
                                   .muted = rgb(0xC2C6CC),
                                   .title = rgb(0xFFFFFF),
                                   .band_bg = rgb(0x1D2935),
                                   .band_fg = rgb(0xF4F4F4),
                                   .foot_bg = rgb(0x1A2129),
                                   .foot_fg = rgb(0xD9DCE0),
                                   .rule = rgb(0x3A4552),
                                   .alert_bg = rgb(0xA00000),
                                   .alert_fg = rgb(0xFFFFFF)};
        break;
    case RENDER_THEME_URGENT:
        /* White on ~#A00000: flag red #DA251D only reaches ~4.7:1 (DESIGN.md §2). */
        *t = (struct render_theme){.bg = rgb(0xA00000),
                                   .fg = rgb(0xFFFFFF),
                                   .muted = rgb(0xFFF4F4),
                                   .title = rgb(0xFFFFFF),
                                   .band_bg = rgb(0x780000),
                                   .band_fg = rgb(0xFFFFFF),
                                   .foot_bg = rgb(0x780000),
                                   .foot_fg = rgb(0xFFFFFF),
                                   .rule = rgb(0xE8A0A0),
                                   .alert_bg = rgb(0xFFFFFF),
                                   .alert_fg = rgb(0xA00000)};
        break;
    case RENDER_THEME_URGENT_SEVERE:
        /* Black on orange: warmer than the extreme red, darker than the moderate yellow. */
        *t = (struct render_theme){.bg = rgb(0xFF7A00),
                                   .fg = rgb(0x000000),
                                   .muted = rgb(0x000000),
                                   .title = rgb(0x000000),
                                   .band_bg = rgb(0x000000),
                                   .band_fg = rgb(0xFFFFFF),
                                   .foot_bg = rgb(0x000000),
                                   .foot_fg = rgb(0xFFFFFF),
                                   .rule = rgb(0x5A3400),
                                   .alert_bg = rgb(0x000000),
                                   .alert_fg = rgb(0xFF7A00)};
        break;
    case RENDER_THEME_URGENT_MODERATE:
        *t = (struct render_theme){.bg = rgb(0xFFD21F),
                                   .fg = rgb(0x000000),
                                   .muted = rgb(0x1A1A1A),
                                   .title = rgb(0x000000),
                                   .band_bg = rgb(0x000000),
                                   .band_fg = rgb(0xFFFFFF),
                                   .foot_bg = rgb(0x000000),
                                   .foot_fg = rgb(0xFFFFFF),
                                   .rule = rgb(0x6B5600),
                                   .alert_bg = rgb(0x000000),
                                   .alert_fg = rgb(0xFFD21F)};
        break;
    case RENDER_THEME_URGENT_MINOR:
        *t = (struct render_theme){.bg = rgb(0x0B3D91),
                                   .fg = rgb(0xFFFFFF),
                                   .muted = rgb(0xF0F4FA),
                                   .title = rgb(0xFFFFFF),
                                   .band_bg = rgb(0x062558),
                                   .band_fg = rgb(0xFFFFFF),
                                   .foot_bg = rgb(0x062558),
                                   .foot_fg = rgb(0xFFFFFF),
                                   .rule = rgb(0x8FB0E0),
                                   .alert_bg = rgb(0xFFFFFF),
                                   .alert_fg = rgb(0x0B3D91)};
        break;
    case RENDER_THEME_LIGHT:
    default:
        /* Near-black on a warm off-white: calmer than pure white on a bright TV. */
        *t = (struct render_theme){.bg = rgb(0xFAF7F0),
                                   .fg = rgb(0x181818),
                                   .muted = rgb(0x404040),
                                   .title = rgb(0x0E0E0E),
                                   .band_bg = rgb(0x0B3A64),
                                   .band_fg = rgb(0xFFFFFF),
                                   .foot_bg = rgb(0xECE7DC),
                                   .foot_fg = rgb(0x262626),
                                   .rule = rgb(0xC8BFAE),
                                   .alert_bg = rgb(0xA00000),
                                   .alert_fg = rgb(0xFFFFFF)};
        break;
    }
}

static double channel_lin(Uint8 v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(SDL_Color c)
{
    return 0.2126 * channel_lin(c.r) + 0.7152 * channel_lin(c.g) + 0.0722 * channel_lin(c.b);
}

double render_contrast(SDL_Color a, SDL_Color b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

size_t render_theme_pairs(const struct render_theme *t, struct render_colour_pair *out, size_t max)
{
    const struct render_colour_pair all[] = {
        {"text", t->fg, t->bg},
        {"secondary text", t->muted, t->bg},
        {"title", t->title, t->bg},
        {"header", t->band_fg, t->band_bg},
        {"footer", t->foot_fg, t->foot_bg},
        {"alert band", t->alert_fg, t->alert_bg},
    };
    size_t n = ARRAY_LEN(all) < max ? ARRAY_LEN(all) : max;
    for (size_t i = 0; i < n; i++)
        out[i] = all[i];
    return n;
}

static bool theme_ok(const struct render_theme *t, const char **bad)
{
    struct render_colour_pair pairs[8];
    size_t n = render_theme_pairs(t, pairs, ARRAY_LEN(pairs));
    for (size_t i = 0; i < n; i++) {
        if (render_contrast(pairs[i].fg, pairs[i].bg) < MIN_CONTRAST) {
            *bad = pairs[i].name;
            return false;
        }
    }
    return true;
}

enum theme_field { THEME_FG, THEME_BG, THEME_ACCENT };

static void theme_set(struct render_theme *t, enum theme_field f, SDL_Color c)
{
    switch (f) {
    case THEME_FG: t->fg = t->title = c; break;
    case THEME_BG: t->bg = c; break;
    case THEME_ACCENT: t->band_bg = c; break;
    }
}

/* Apply one override; keep it only if every text pair still reaches 7:1. */
static void theme_override(struct render_theme *t, const char *key, uint32_t v, enum theme_field f)
{
    if (v == 0xFFFFFFFFu)
        return;
    struct render_theme trial = *t;
    theme_set(&trial, f, rgb(v));
    const char *bad = NULL;
    if (!theme_ok(&trial, &bad)) {
        LOG_WARN("[display].%s = #%06X ignored: %s contrast below 7:1", key, (unsigned)v, bad);
        return;
    }
    *t = trial;
}

void render_theme_from_config(const struct config *cfg, struct render_theme *t)
{
    render_theme_default(cfg->theme == CONFIG_THEME_DARK ? RENDER_THEME_DARK : RENDER_THEME_LIGHT,
                         t);
    theme_override(t, "color_fg", cfg->color_fg, THEME_FG);
    theme_override(t, "color_bg", cfg->color_bg, THEME_BG);
    theme_override(t, "color_accent", cfg->color_accent, THEME_ACCENT);
}

static int clamp_severity(int severity)
{
    /* Unknown is shown as severe: a notice somebody chose to send as urgent. */
    if (severity <= FEED_SEVERITY_UNKNOWN || severity > FEED_SEVERITY_EXTREME)
        return FEED_SEVERITY_SEVERE;
    return severity;
}

const char *render_urgent_word(int severity)
{
    switch (clamp_severity(severity)) {
    case FEED_SEVERITY_EXTREME: return "KHẨN CẤP";
    case FEED_SEVERITY_MODERATE: return "CHÚ Ý";
    case FEED_SEVERITY_MINOR: return "THÔNG TIN";
    case FEED_SEVERITY_SEVERE:
    default: return "KHẨN";
    }
}

const struct render_theme *render_severity_theme(struct render *r, int severity)
{
    return &r->severity[clamp_severity(severity)];
}
