/* render: the only code that draws. Pages → textures (each page rendered once), header and
 * footer composed per frame (the clock ticks without re-rendering the page), QR codes,
 * transitions, rotation, the status page, the urgent style.
 *
 * Works on any SDL_Renderer, including SDL_CreateSoftwareRenderer(surface) for tests and
 * --screenshot. Sizes are logical (after rotation). */
#ifndef BANGTIN_RENDER_H
#define BANGTIN_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/layout.h"

struct SDL_Renderer;
struct SDL_Window;
struct SDL_Surface;
struct config;
struct store_item;
struct store_urgent;

struct render;

/* Which GL renderer SDL would get, asked by a child process so that Mesa's ~50 MiB stay out of
 * this one. Call before SDL_Init (it forks). remember (may be NULL): a file keeping the answer
 * for the next start, which then need not wait. */
struct render_backend_probe {
    int fd;
    bool cached;
    char answer[256];
};
void render_backend_probe(struct render_backend_probe *p, const char *remember);
/* Is the probe worth its child for this SDL_VIDEODRIVER (NULL = SDL picks)? Not on kmsdrm: the
 * child would open the DRM device beside the kiosk, and the answer is not used there. */
bool render_backend_probe_wanted(const char *video_driver);
/* The SDL render driver to ask for first on this video driver (SDL_GetCurrentVideoDriver()),
 * NULL = SDL's own order; forced = SDL_RENDER_DRIVER (a named driver always wins). kmsdrm:
 * "opengles2" — SDL's desktop-GL renderer there shows only its glClear (docs/image.md). */
const char *render_backend_preferred_driver(const char *video_driver, const char *forced);
/* The SDL renderer for *win by [display] renderer (enum config_renderer): gpu, software, or
 * auto = the accelerated renderer unless it is OpenGL on Mesa's llvmpipe/softpipe/swrast (no
 * GPU): then the software renderer (the probe's answer when given; else the GL renderer is
 * asked in-process and *win replaced by a new window). Logs which and why. NULL on failure. */
struct SDL_Renderer *render_backend_open(struct SDL_Window **win, int mode,
                                         struct render_backend_probe *probe);
/* Is this GL_RENDERER string a CPU emulation (llvmpipe, softpipe, swrast)? */
bool render_backend_is_cpu_gl(const char *gl_renderer);

/* Loads and checks the fonts (every Vietnamese letter must be provided by both faces; a font
 * that fails falls back to the bundled/system Noto Sans, logged). out_w × out_h is the output
 * size in pixels; the logical page size swaps them for rotate 90/270. NULL on failure
 * (logged: no usable font). */
struct render *render_create(struct SDL_Renderer *sdl, const struct config *cfg, int out_w,
                             int out_h);
void render_destroy(struct render *r); /* NULL is a no-op */

/* Lay out an item / an urgent notice with the real fonts (page count, words for dwell).
 * Caller frees with layout_doc_free. */
void render_layout_item(struct render *r, const struct store_item *it, struct layout_doc *out);
void render_layout_urgent(struct render *r, const struct store_urgent *u, size_t index,
                          size_t count, struct layout_doc *out);

/* What the header/footer show this frame. */
struct render_frame_info {
    int64_t now;                /* wall clock */
    bool clock_trusted;         /* false: "--:--", no date */
    size_t item_index, n_items; /* 0-based position in the rotation */
    size_t page_index, n_pages;
    int64_t last_update; /* last successful fetch (wall clock), 0 = never */
    bool offline;        /* the last fetch of every source failed */
    int64_t offline_since;
    const struct store_urgent *banner; /* urgent banner on regular pages, or NULL */
    size_t n_urgent;
};

/* Freshness and the offline mark follow the news sources only: add every source (news =
 * false for an urgent source, which is then ignored), then apply to the frame. */
struct render_freshness {
    size_t news, failing;
    int64_t last_update, since;
};
void render_freshness_add(struct render_freshness *f, bool news, bool failing,
                          int64_t failing_since, int64_t last_success);
void render_freshness_apply(const struct render_freshness *f, struct render_frame_info *fi);

enum render_page_kind {
    RENDER_PAGE_ITEM,
    RENDER_PAGE_URGENT,
    RENDER_PAGE_STATUS,
    RENDER_PAGE_EMPTY
};

struct render_source_status {
    const char *name, *url;
    int64_t last_success, last_attempt;
    const char *last_error;
    int n_items;
};
struct render_status {
    const char *version;
    const char *addresses; /* "eth0 192.168.1.20, wlan0 …" */
    const struct render_source_status *sources;
    size_t n_sources;
    size_t n_items, cache_bytes;
    int64_t uptime_s; /* of the kiosk process; < 0 = unknown (not shown) */
    bool clock_trusted;
    bool clock_synchronised;   /* NTP (the kernel's view): the same value as status.json */
    const char *last_errors;   /* newline-separated, newest first */
    const char *commune_code;  /* [urgent] commune_code, "" = none */
    const char *trusted_keys;  /* "5B8B514899B85051 Văn phòng UBND tỉnh, …", "" = none */
    const char *urgent_active; /* active urgent notices, one title per line, "" = none */
    const char *push;          /* MQTT state line (push_state_line), NULL = not configured */
    bool push_failing;         /* drawn as a problem */
};

struct render_page_req {
    enum render_page_kind kind;
    const struct store_item *item;     /* ITEM */
    const struct store_urgent *urgent; /* URGENT */
    const struct layout_doc *doc;      /* ITEM/URGENT */
    size_t page;
    const struct render_status *status; /* STATUS */
    uint64_t key; /* identifies the page content: same key → cached texture reused */
    /* Optional (zero = unknown): the wall clock for the meta line's "2 giờ trước" (0 = the
     * last frame's now) and the urgent notice's position ("1/2"; count 0 = not shown). */
    int64_t now;
    bool clock_trusted;
    size_t urgent_index, urgent_count;
    /* EMPTY: every source has answered and there is nothing to show since this wall-clock
     * time ("Hiện không có thông báo nào"); 0 = still loading ("Đang tải thông báo…"). */
    int64_t idle_since;
};

/* Make req the current page (rendered into a texture once per key) and start the configured
 * transition from the previous page unless instant. */
void render_show(struct render *r, const struct render_page_req *req, bool instant, int64_t now_ms);
/* Compose a frame (page + transition + header/footer + banner) into the renderer's target
 * and present it unless present == false. Returns true while a transition is running (call
 * again at the refresh rate), false when the frame is static. Before any render_show it shows
 * the waiting page (office name, "Đang tải thông báo…"): never a blank screen. The header is
 * repainted only when its text changes (once a minute), the page texture never. */
bool render_draw(struct render *r, const struct render_frame_info *fi, int64_t now_ms,
                 bool present);
/* Paint the whole screen for req straight onto dst (logical size, rotate 0, no night): no
 * page texture at all, for --screenshot. false when it cannot (then render_show + render_draw). */
bool render_screen_paint(struct render *r, const struct render_page_req *req,
                         const struct render_frame_info *fi, struct SDL_Surface *dst);
/* Can the screen be painted straight from its display list (render_screen_paint, the rows
 * below)? Not when rotated or at night: then render_show + render_draw onto a whole frame. */
bool render_screen_direct(const struct render *r);
/* The picture render_screen_paint makes, painted band_h rows at a time (the last band may be
 * shorter) so that the whole frame never exists: rows gets each band (RGBA32, the screen's
 * width) and its first row y, top to bottom. false when !render_screen_direct, a band cannot
 * be made (logged) or rows returns false (then no further band is painted). */
typedef bool (*render_rows_fn)(struct SDL_Surface *band, int y, void *ctx);
bool render_screen_paint_rows(struct render *r, const struct render_page_req *req,
                              const struct render_frame_info *fi, int band_h, render_rows_fn rows,
                              void *ctx);
/* Drop cached textures (playlist changed, theme reloaded). */
void render_flush_cache(struct render *r);
/* The night schedule ([display] on/night): what the screen does outside its hours. */
enum render_night {
    RENDER_NIGHT_OFF,   /* daytime: the normal picture */
    RENDER_NIGHT_DIM,   /* dimmed under a dark veil */
    RENDER_NIGHT_BLANK, /* black */
};
void render_set_night(struct render *r, enum render_night mode);

/* Logical page size (after rotation) and the body text size in px, for diagnostics. */
void render_get_size(const struct render *r, int *w, int *h, int *body_px);
/* Bytes held by cached page textures (4 bytes per pixel), for diagnostics and benchmarks. */
size_t render_cache_bytes(const struct render *r);

#endif
