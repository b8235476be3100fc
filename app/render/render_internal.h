/* Private to the render module: fonts, themes, geometry, the page painters and the state of
 * one struct render. Tests include it to reach the pieces (theme contrast, glyph coverage). */
#ifndef BANGTIN_RENDER_INTERNAL_H
#define BANGTIN_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "bangtin/layout.h"
#include "bangtin/render.h"

/* ---- fonts (font.c) ---- */

#define RENDER_FONT_CACHE_MAX 24

struct render_fonts {
    unsigned char *data[2]; /* whole font files, indexed by enum layout_face */
    size_t len[2];
    char *path[2];
    struct {
        int face, size;
        TTF_Font *font;
    } cache[RENDER_FONT_CACHE_MAX];
    size_t n_cache;
    unsigned next_evict;
};

/* Load regular and bold faces: the configured paths first, then the bundled/system Noto Sans.
 * A face is accepted only if it provides every Vietnamese letter. false when nothing usable
 * was found (logged). */
bool render_fonts_load(struct render_fonts *f, const char *regular, const char *bold);
void render_fonts_free(struct render_fonts *f);
/* The face at size_px, opened once and cached (never NULL after a successful load unless
 * SDL_ttf fails, which is logged). */
TTF_Font *render_font(struct render_fonts *f, enum layout_face face, int size_px);
/* layout_metrics over TTF_SizeUTF8 / TTF_FontAscent. */
void render_fonts_metrics(struct render_fonts *f, struct layout_metrics *out);
/* Count of Vietnamese letters (DESIGN.md §3, the 178 of tests/data/vi_letters.txt) the font
 * lacks; each missing one is logged with name. */
int render_font_missing_letters(TTF_Font *font, const char *name);
/* The Vietnamese letters as code points (for tests). */
size_t render_vi_letters(const uint32_t **out);

/* ---- themes (theme.c) ---- */

struct render_theme {
    SDL_Color bg, fg, muted, title; /* page */
    SDL_Color band_bg, band_fg;     /* header */
    SDL_Color foot_bg, foot_fg;     /* footer */
    SDL_Color rule;                 /* thin decorative lines (not text) */
    SDL_Color alert_bg, alert_fg;   /* urgent band / banner */
};

enum render_theme_kind { RENDER_THEME_LIGHT, RENDER_THEME_DARK, RENDER_THEME_URGENT };

void render_theme_default(enum render_theme_kind kind, struct render_theme *out);
/* Theme from config (theme + colour overrides). An override that drops a text pair below
 * 7:1 is refused with a warning and the theme default kept. */
void render_theme_from_config(const struct config *cfg, struct render_theme *out);
/* WCAG 2 contrast ratio, 1..21. */
double render_contrast(SDL_Color a, SDL_Color b);
struct render_colour_pair {
    const char *name;
    SDL_Color fg, bg;
};
/* The text-on-background pairs a theme draws; returns the count (≤ max). */
size_t render_theme_pairs(const struct render_theme *t, struct render_colour_pair *out, size_t max);

/* ---- drawing onto surfaces (draw.c) ---- */

SDL_Surface *render_surface_new(int w, int h, SDL_Color fill);
/* Blended text with its baseline at (x, baseline_y) of dst. Returns the advance width. */
int render_text(SDL_Surface *dst, struct render_fonts *f, enum layout_face face, int size_px,
                const char *utf8, int x, int baseline_y, SDL_Color c);
int render_text_width(struct render_fonts *f, enum layout_face face, int size_px, const char *utf8);
/* Text clipped to max_w with "…" when it does not fit. Returns the width drawn. */
int render_text_fit(SDL_Surface *dst, struct render_fonts *f, enum layout_face face, int size_px,
                    const char *utf8, int x, int baseline_y, int max_w, SDL_Color c);
/* Wrapped paragraph (layout_break) from baseline_y down, at most max_lines (last one ends with
 * "…" when cut). Returns the baseline after the last line drawn (+ one line step). */
int render_text_wrap(SDL_Surface *dst, struct render_fonts *f, const struct layout_metrics *m,
                     enum layout_face face, int size_px, const char *utf8, int x, int baseline_y,
                     int max_w, int max_lines, int line_step, SDL_Color c, bool centre);
void render_fill(SDL_Surface *dst, int x, int y, int w, int h, SDL_Color c);
/* Scale src into dst's rect (x, y, w, h) smoothly (halving steps, then bilinear). */
void render_blit_scaled(SDL_Surface *src, SDL_Surface *dst, int x, int y, int w, int h);

/* ---- geometry ---- */

struct render_geom {
    int w, h; /* logical size */
    bool portrait;
    int header_h, footer_h;
    SDL_Rect content; /* page texture rectangle (between header and footer) */
    int margin_x, pad_top, pad_bottom;
    int body_px, title_px, meta_px, small_px;
    int chrome_px, clock_px, foot_px;
    int side_w, side_gap; /* landscape side column (photo, QR) */
    double line_spacing;
};

/* ---- the render object ---- */

#define RENDER_KEY_WAITING UINT64_MAX /* the page render_draw shows before any render_show */
#define RENDER_CACHE_MAX   3 /* on screen, the one fading out, one spare (urgent ↔ regular) */

enum render_transition { RENDER_TRANSITION_NONE, RENDER_TRANSITION_FADE, RENDER_TRANSITION_SLIDE };

struct render_page_tex {
    uint64_t key;
    SDL_Texture *tex;
    enum render_page_kind kind;
    uint64_t used;
    bool valid;
};

#define RENDER_PHOTO_DIMS 64

struct render_photo_dims {
    uint64_t key; /* hash of the path */
    int w, h;     /* 0 × 0: broken, skipped */
    bool valid;
};

struct render_band {
    SDL_Texture *tex;
    char *sig; /* what the texture shows; re-rendered when it changes */
};

struct render {
    SDL_Renderer *sdl;
    struct render_fonts fonts;
    struct layout_metrics metrics;
    struct render_geom g;
    struct render_theme theme, urgent;
    int rotate, out_w, out_h;
    SDL_Texture *target; /* logical canvas when rotated */
    char *office_name;
    SDL_Surface *logo;
    bool show_qr;
    int max_pages;
    enum render_transition transition;
    int transition_ms;

    struct render_page_tex cache[RENDER_CACHE_MAX];
    uint64_t use_counter;
    int cur, prev; /* cache slots, -1 = none */
    int64_t trans_start_ms;
    bool trans_running;

    struct render_band header, footer;
    int night;
    int64_t wall_now; /* last frame's wall clock, for "2 giờ trước" */
    bool wall_trusted;

    char *photo_path; /* one decoded lead image kept (layout and page render both need it) */
    SDL_Surface *photo;
    struct render_photo_dims photo_dims[RENDER_PHOTO_DIMS];
    unsigned photo_dims_next;
};

/* page.c: paint a page (content rectangle size) into a new surface. */
SDL_Surface *render_page_paint(struct render *r, const struct render_page_req *req);

/* Item page plan: where text, photo and QR go (shared by layout and painting). */
struct render_item_plan {
    SDL_Rect text;  /* text box within the page surface */
    SDL_Rect side;  /* landscape side column or portrait bottom strip; w == 0: none */
    SDL_Rect photo; /* scaled photo (page 1); w == 0: none */
    int caption_lines;
    bool qr;
    int meta_h; /* height of the meta line under the title */
    int first_page_h;
    bool column; /* text narrowed (landscape) / shortened (portrait) for the side area */
};
/* column: leave the side area free on every page (needed with a photo, or when the QR code
 * does not fit beside the last page's text). */
void render_item_plan(struct render *r, const struct store_item *it, bool column,
                      struct render_item_plan *out);
/* True when the QR block fits on the last page of doc without touching its text. */
bool render_item_qr_fits(struct render *r, const struct render_item_plan *p,
                         const struct layout_doc *doc);
/* Was doc laid out in column mode (side area free on every page)? Decided from the doc
 * itself, for painting. */
bool render_item_column(struct render *r, const struct store_item *it,
                        const struct layout_doc *doc);
/* The lead image of the item, decoded and cached; NULL when none or broken (logged once). */
SDL_Surface *render_photo_get(struct render *r, const char *path);
/* Size of the lead image without keeping it decoded (remembered per path); false when none
 * or broken. */
bool render_photo_size(struct render *r, const char *path, int *w, int *h);
/* Fit iw × ih into bw × bh keeping the aspect ratio (x = y = 0). */
void render_photo_fit(int iw, int ih, int bw, int bh, SDL_Rect *out);

/* urgent.c */
void render_urgent_plan(struct render *r, SDL_Rect *text_box, int *band_h, int *foot_h);
void render_urgent_paint(struct render *r, SDL_Surface *s, const struct render_page_req *req);
/* chrome.c: header and footer band textures for this frame. */
void render_chrome_draw(struct render *r, const struct render_frame_info *fi, bool urgent);
/* qr.c: a QR code of text, dark on light, side × side pixels at (x, y); false if it cannot be
 * encoded at that size (logged). */
bool render_qr(SDL_Surface *dst, const char *text, int x, int y, int side, SDL_Color dark,
               SDL_Color light);
#define RENDER_QR_MAX_TEXT 1500 /* longer URLs make codes too dense to scan from a TV */

/* status.c */
void render_status_paint(struct render *r, SDL_Surface *s, const struct render_status *st);
/* transition.c: draw the content area for this frame; true while animating. */
bool render_transition_draw(struct render *r, int64_t now_ms);

/* Burn-in offset of the header/footer for wall clock t (a few pixels, changes every few
 * minutes). */
void render_burnin_offset(int64_t t, int *dx, int *dy);

/* Formatting helpers (chrome.c). */
const char *render_fmt_date(int64_t t, char *buf, size_t len);    /* "04/04/2024" */
const char *render_fmt_hm_date(int64_t t, char *buf, size_t len); /* "08:15 27/11/2026" */

/* What an (English) error means, in Vietnamese, for the status page. */
const char *render_error_vi(const char *err);

#endif
