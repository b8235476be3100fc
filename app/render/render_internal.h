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
/* Closes every opened size (each holds FreeType's and SDL_ttf's glyph caches, ~0.5 MiB at 1080p
 * sizes); render_font opens them again from the font data in memory when next asked. */
void render_fonts_trim(struct render_fonts *f);
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

/* RENDER_THEME_URGENT is the extreme notice's look; the others follow CAP severity. */
enum render_theme_kind {
    RENDER_THEME_LIGHT,
    RENDER_THEME_DARK,
    RENDER_THEME_URGENT,
    RENDER_THEME_URGENT_SEVERE,
    RENDER_THEME_URGENT_MODERATE,
    RENDER_THEME_URGENT_MINOR
};

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

/* ---- the display list (dlist.c) ----
 * Every painter first says what it will draw (kind, rectangle, text, flags) into a list; the
 * list is then drawn onto a surface. Tests walk the list to check the geometry of every page
 * (nothing outside its region, no overlaps, no line wider than its box, nothing cut that must
 * not be). */

enum render_dl_kind { RENDER_DL_FILL, RENDER_DL_TEXT, RENDER_DL_IMAGE, RENDER_DL_QR };

#define RENDER_DL_MAY_SHORTEN 1u /* the text may be cut with "…" when it does not fit */
#define RENDER_DL_SHORTENED   2u /* it was cut */
#define RENDER_DL_BACKDROP    4u /* a fill under other boxes (band, rule): not an overlap */

struct render_dl_item {
    enum render_dl_kind kind;
    SDL_Rect rect;   /* what it covers; a text line: x, baseline − 1 em, its width, 1.25 em */
    SDL_Rect box;    /* the room it was given (a text line: its maximum width) */
    SDL_Rect region; /* the region it belongs to (text box, side column, header, …) */
    SDL_Rect area;   /* the part of the screen: header, content or footer */
    const char *region_name;
    char *text; /* TEXT: the line as drawn; QR: the encoded text (owned) */
    enum layout_face face;
    int size_px, baseline;
    SDL_Color colour, colour2; /* QR: dark, light */
    unsigned flags;
    SDL_Surface *image; /* IMAGE: borrowed, alive while the list is drawn */
};

struct render_dl {
    struct render_dl_item *v;
    size_t n, cap;
    SDL_Rect region; /* the current region, given to what is added */
    const char *region_name;
};

void render_dl_init(struct render_dl *dl, int w, int h);
void render_dl_free(struct render_dl *dl);
void render_dl_region(struct render_dl *dl, const char *name, SDL_Rect region);
struct render_dl_item *render_dl_add(struct render_dl *dl, enum render_dl_kind kind, SDL_Rect rect);
/* Append src moved by (dx, dy), its items marked as belonging to area. */
void render_dl_append(struct render_dl *dst, const struct render_dl *src, int dx, int dy,
                      SDL_Rect area);
/* Draw every item in order onto dst. */
void render_dl_draw(struct render *r, const struct render_dl *dl, SDL_Surface *dst);
/* A TEXT item rendered (blended, blend mode set) and the y of its top edge: NULL when nothing
 * is drawn (no font, empty text, a failure: logged). */
SDL_Surface *render_text_surface(struct render *r, const struct render_dl_item *it, int *top);
/* A surface of w × h filled with fill, then the list drawn on it. */
/* rc of an SDL drawing call (RenderCopy, RenderClear, …): a failure is logged once with
 * SDL_GetError and what was drawn, never silent. Returns rc == 0. */
bool render_sdl_ok(struct render *r, int rc, const char *what);
SDL_Surface *render_dl_surface(struct render *r, const struct render_dl *dl, int w, int h,
                               SDL_Color fill);

/* ---- text and pictures into a display list (draw.c) ---- */

SDL_Surface *render_surface_new(int w, int h, SDL_Color fill);
/* Text with its baseline at (x, baseline_y). Returns the advance width. */
int render_text(struct render_dl *dl, struct render_fonts *f, enum layout_face face, int size_px,
                const char *utf8, int x, int baseline_y, SDL_Color c);
int render_text_width(struct render_fonts *f, enum layout_face face, int size_px, const char *utf8);
/* Text in max_w: cut with "…" when it does not fit and may_cut; otherwise drawn whole (and
 * marked shortened if it was too wide, which the geometry test reports). Returns the width. */
int render_text_fit(struct render_dl *dl, struct render_fonts *f, enum layout_face face,
                    int size_px, const char *utf8, int x, int baseline_y, int max_w, SDL_Color c,
                    bool may_cut);
/* Wrapped paragraph (layout_break) from baseline_y down, at most max_lines (the last one ends
 * with "…" when cut, which only may_cut text may be). Returns the baseline after the last line
 * drawn (+ one line step). */
int render_text_wrap(struct render_dl *dl, struct render_fonts *f, const struct layout_metrics *m,
                     enum layout_face face, int size_px, const char *utf8, int x, int baseline_y,
                     int max_w, int max_lines, int line_step, SDL_Color c, bool centre,
                     bool may_cut);
/* Lines utf8 needs at size_px in max_w. */
int render_text_lines(const struct layout_metrics *m, enum layout_face face, int size_px,
                      const char *utf8, int max_w);
void render_fill(struct render_dl *dl, int x, int y, int w, int h, SDL_Color c, bool backdrop);
void render_image(struct render_dl *dl, SDL_Surface *img, int x, int y, int w, int h);
/* Scale src into dst's rect (x, y, w, h) smoothly (halving steps, then bilinear). */
void render_blit_scaled(SDL_Surface *src, SDL_Surface *dst, int x, int y, int w, int h);
/* The same picture as a w × h surface (ARGB, blend mode set) to blit 1:1; NULL on failure. */
SDL_Surface *render_scaled_new(SDL_Surface *src, int w, int h);

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

/* The header and footer bands of the logical screen. */
static inline void render_band_rects(const struct render_geom *g, SDL_Rect *header,
                                     SDL_Rect *footer)
{
    *header = (SDL_Rect){0, 0, g->w, g->header_h};
    *footer = (SDL_Rect){0, g->h - g->footer_h, g->w, g->footer_h};
}

/* ---- the render object ---- */

#define RENDER_KEY_WAITING UINT64_MAX /* the page render_draw shows before any render_show */
/* The page on screen and, during a transition only, the one going: no cache of pages beyond
 * that (a 1080p page is 7–8 MiB; painting one again costs a few ms once per dwell). */
#define RENDER_CACHE_MAX 2

enum render_transition { RENDER_TRANSITION_NONE, RENDER_TRANSITION_FADE, RENDER_TRANSITION_SLIDE };

struct render_page_tex {
    uint64_t key;
    SDL_Texture *tex;
    enum render_page_kind kind;
    const struct render_theme *theme; /* the page's look (urgent: its severity) */
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
    struct render_theme severity[5]; /* urgent looks by enum feed_severity (unknown = severe) */
    int rotate, out_w, out_h;
    SDL_Texture *target; /* logical canvas when rotated */
    bool sdl_failed;     /* an SDL drawing call failed: logged once */
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
    /* The software renderer on a window draws into the window's own surface, which keeps the
     * last frame. Between page changes the page's texture (7 MiB at 1080p) is then freed and
     * the frame redrawn over what the window holds (only the header and footer change); the
     * page is read back from the window when it is needed again (a transition from it, the
     * night veil). resting: the slot cur has no texture, the window holds its page. */
    bool sw_window, resting;

    struct render_band header, footer;
    enum render_night night;
    int64_t wall_now; /* last frame's wall clock, for "2 giờ trước" */
    bool wall_trusted;

    char *photo_path; /* one decoded lead image kept (layout and page render both need it) */
    SDL_Surface *photo;
    struct render_photo_dims photo_dims[RENDER_PHOTO_DIMS];
    unsigned photo_dims_next;
};

/* page.c: the display list of a page (content rectangle size, its own coordinates); returns
 * the page's background colour. dl is initialised here; free it with render_dl_free. */
SDL_Color render_page_plan(struct render *r, const struct render_page_req *req,
                           struct render_dl *dl);
/* The page painted into a new surface. */
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
    int qr_reserve; /* room kept free under the last page's text for the QR code */
    int reserve_w;  /* lines up to this wide may run beside it (landscape) */
    int cont_h;     /* "(tiếp theo) title" line over the text of later pages (0: in the column) */
    bool column;    /* landscape with a photo (or narrow): text beside the side column */
};
/* narrow: a single-page item in landscape with the QR code in the side column beside its text
 * (rather than under it). */
void render_item_plan(struct render *r, const struct store_item *it, bool narrow,
                      struct render_item_plan *out);
/* Was doc laid out narrow (a single page whose lines all fit beside the side column)? */
bool render_item_narrow(struct render *r, const struct store_item *it,
                        const struct layout_doc *doc);
/* The lead image of the item, decoded and cached; NULL when none or broken (logged once). */
SDL_Surface *render_photo_get(struct render *r, const char *path);
/* Size of the lead image without keeping it decoded (remembered per path); false when none
 * or broken. */
bool render_photo_size(struct render *r, const char *path, int *w, int *h);
/* Fit iw × ih into bw × bh keeping the aspect ratio (x = y = 0). */
void render_photo_fit(int iw, int ih, int bw, int bh, SDL_Rect *out);

/* urgent.c: the text box of a notice's pages (later pages start cont_h lower, under the
 * repeated title), the band and the issuer lines (as many as they need: never cut). */
void render_urgent_plan(struct render *r, const struct store_urgent *u, SDL_Rect *text_box,
                        int *band_h, int *foot_h, int *cont_h);
/* "KHẨN CẤP", "KHẨN", "CHÚ Ý", "THÔNG TIN" for CAP extreme, severe, moderate, minor. */
const char *render_urgent_word(int severity);
const struct render_theme *render_severity_theme(struct render *r, int severity);
void render_urgent_plan_page(struct render *r, struct render_dl *dl,
                             const struct render_page_req *req);
/* The look of a notice (its severity). */
const struct render_theme *render_urgent_theme(struct render *r, const struct store_urgent *u);
/* chrome.c: header and footer band textures for this frame, for a page of kind in theme t. */
void render_chrome_draw(struct render *r, const struct render_frame_info *fi,
                        enum render_page_kind kind, const struct render_theme *t);
/* The display lists of the header and the footer (each in its own band's coordinates) and
 * their background colours (bg may be NULL). */
void render_chrome_plan(struct render *r, const struct render_frame_info *fi,
                        enum render_page_kind kind, const struct render_theme *t,
                        struct render_dl *header, struct render_dl *footer, SDL_Color bg[2]);
/* The display list of a whole screen (logical coordinates): header, page, footer. */
void render_screen_plan(struct render *r, const struct render_page_req *req,
                        const struct render_frame_info *fi, struct render_dl *out);
/* qr.c: a QR code of text, dark on light, in the side × side square at (x, y) (whole-pixel
 * modules, centred); false if it cannot be encoded at that size (logged). */
bool render_qr(struct render_dl *dl, const char *text, int x, int y, int side, SDL_Color dark,
               SDL_Color light);
void render_qr_draw(SDL_Surface *dst, const char *text, SDL_Rect at, SDL_Color dark,
                    SDL_Color light);
/* Side of the whole-pixel code of text in a side × side square; 0 when it cannot be drawn
 * there (logged). */
int render_qr_used(const char *text, int side);
#define RENDER_QR_MAX_TEXT 1500 /* longer URLs make codes too dense to scan from a TV */

/* status.c */
void render_status_plan(struct render *r, struct render_dl *dl, const struct render_status *st);
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
