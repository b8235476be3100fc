/* render: create/destroy, the geometry of the screen, the page cache and the frame. Pages are
 * painted once per key into a texture; a frame copies the page (or two during a transition),
 * then the header and footer, then rotates the logical canvas onto the output. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/text.h"
#include "bangtin/util.h"

#define NOTO_CAP_RATIO 0.714

static int iround(double v)
{
    return (int)lround(v);
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

static void geom_compute(struct render_geom *g, const struct config *cfg, int w, int h)
{
    memset(g, 0, sizeof(*g));
    g->w = w;
    g->h = h;
    g->portrait = h > w;
    g->body_px =
        layout_body_px(w, h, cfg->screen_diagonal_in, cfg->viewing_distance_m, NOTO_CAP_RATIO);
    g->title_px = iround(1.3 * g->body_px);
    g->meta_px = iround(0.78 * g->body_px);
    g->small_px = imax(iround(0.6 * g->body_px), iround(0.021 * h));
    g->chrome_px = imax(iround(0.6 * g->body_px), iround(0.025 * (w < h ? w : h)));
    g->clock_px = iround(1.4 * g->chrome_px); /* a glance from the bench */
    g->foot_px = imax(iround(0.5 * g->body_px), iround(0.022 * (w < h ? w : h)));
    /* Portrait: office name over the date, beside a larger clock (the width is short). */
    if (g->portrait)
        g->clock_px = iround(1.6 * g->chrome_px);
    g->header_h = g->portrait ? iround(3.0 * g->chrome_px) : iround(1.75 * g->clock_px);
    g->footer_h = iround(2.0 * g->foot_px);
    g->line_spacing = cfg->line_spacing < 1.3 ? 1.3 : cfg->line_spacing;
    g->margin_x = iround((g->portrait ? 0.06 : 0.045) * w);
    g->pad_top = iround(0.6 * g->body_px);
    g->pad_bottom = iround(0.45 * g->body_px);
    g->content = (SDL_Rect){0, g->header_h, w, h - g->header_h - g->footer_h};
    if (!g->portrait) {
        g->side_w = iround(0.27 * w);
        g->side_gap = iround(0.035 * w);
    }
}

static enum render_transition transition_parse(const char *s)
{
    if (s && strcmp(s, "none") == 0)
        return RENDER_TRANSITION_NONE;
    if (s && strcmp(s, "slide") == 0)
        return RENDER_TRANSITION_SLIDE;
    return RENDER_TRANSITION_FADE;
}

static void logo_load(struct render *r, const char *path)
{
    if (str_empty(path))
        return;
    r->logo = IMG_Load(path);
    if (!r->logo)
        LOG_WARN("logo %s not shown: %s", path, IMG_GetError());
}

struct render *render_create(struct SDL_Renderer *sdl, const struct config *cfg, int out_w,
                             int out_h)
{
    if (!sdl || out_w <= 0 || out_h <= 0)
        return NULL;
#ifdef __GLIBC__
    /* Pages are 2–30 MiB of pixels, made and freed once per dwell. glibc raises its mmap
     * threshold to the size of the last freed block, after which such pages come from the heap
     * and their memory is not given back: keep them mmapped (returned to the system on free). */
    mallopt(M_MMAP_THRESHOLD, 512 * 1024);
#endif
    struct render *r = xcalloc(1, sizeof(*r));
    if (!render_fonts_load(&r->fonts, cfg->font_regular, cfg->font_bold)) {
        free(r);
        return NULL;
    }
    r->sdl = sdl;
    r->out_w = out_w;
    r->out_h = out_h;
    r->rotate = ((cfg->rotate % 360) + 360) % 360 / 90 * 90;
    bool swap = r->rotate == 90 || r->rotate == 270;
    render_fonts_metrics(&r->fonts, &r->metrics);
    geom_compute(&r->g, cfg, swap ? out_h : out_w, swap ? out_w : out_h);
    render_theme_from_config(cfg, &r->theme);
    render_theme_default(RENDER_THEME_URGENT, &r->urgent);
    render_theme_default(RENDER_THEME_URGENT_MINOR, &r->severity[1]);
    render_theme_default(RENDER_THEME_URGENT_MODERATE, &r->severity[2]);
    render_theme_default(RENDER_THEME_URGENT_SEVERE, &r->severity[3]);
    r->severity[0] = r->severity[3];
    r->severity[4] = r->urgent;
    r->office_name = text_sanitize_str(cfg->office_name, 0);
    logo_load(r, cfg->logo);
    r->show_qr = cfg->show_qr;
    r->max_pages = cfg->max_pages_per_item;
    r->transition = transition_parse(cfg->transition);
    r->transition_ms = cfg->transition_ms > 0 ? cfg->transition_ms : 0;
    if (r->transition_ms == 0)
        r->transition = RENDER_TRANSITION_NONE;
    r->cur = r->prev = -1;
    SDL_RendererInfo info;
    r->sw_window = SDL_GetRendererInfo(sdl, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE) &&
                   SDL_RenderGetWindow(sdl) != NULL;
    if (r->rotate != 0) {
        r->target = SDL_CreateTexture(sdl, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                      r->g.w, r->g.h);
        if (!r->target)
            LOG_ERR("rotate = %d: no render target (%s); drawing unrotated", r->rotate,
                    SDL_GetError());
    }
    LOG_INFO("screen %dx%d (logical %dx%d, rotate %d): body %d px, title %d px", out_w, out_h,
             r->g.w, r->g.h, r->rotate, r->g.body_px, r->g.title_px);
    return r;
}

static void band_free(struct render_band *b)
{
    if (b->tex)
        SDL_DestroyTexture(b->tex);
    free(b->sig);
    b->tex = NULL;
    b->sig = NULL;
}

void render_destroy(struct render *r)
{
    if (!r)
        return;
    for (int i = 0; i < RENDER_CACHE_MAX; i++)
        if (r->cache[i].tex)
            SDL_DestroyTexture(r->cache[i].tex);
    band_free(&r->header);
    band_free(&r->footer);
    if (r->target)
        SDL_DestroyTexture(r->target);
    SDL_FreeSurface(r->logo);
    SDL_FreeSurface(r->photo);
    free(r->photo_path);
    free(r->office_name);
    render_fonts_free(&r->fonts);
    free(r);
}

void render_get_size(const struct render *r, int *w, int *h, int *body_px)
{
    if (w)
        *w = r->g.w;
    if (h)
        *h = r->g.h;
    if (body_px)
        *body_px = r->g.body_px;
}

size_t render_cache_bytes(const struct render *r)
{
    size_t total = 0;
    for (int i = 0; i < RENDER_CACHE_MAX; i++) {
        int w = 0, h = 0;
        if (r->cache[i].tex && SDL_QueryTexture(r->cache[i].tex, NULL, NULL, &w, &h) == 0)
            total += (size_t)w * (size_t)h * 4;
    }
    return total;
}

/* ---- layout with the real fonts ---- */

static void params_init(const struct render *r, struct layout_params *p, int box_w, int box_h)
{
    memset(p, 0, sizeof(*p));
    p->box_w = box_w;
    p->box_h = box_h;
    p->body_px = r->g.body_px;
    p->title_px = r->g.title_px;
    p->line_spacing = r->g.line_spacing;
    p->para_spacing = 0.5;
    p->max_title_lines = 3;
}

static void item_layout(struct render *r, const struct store_item *it, bool narrow,
                        struct layout_doc *out)
{
    struct render_item_plan plan;
    render_item_plan(r, it, narrow, &plan);
    struct layout_params p;
    params_init(r, &p, plan.text.w, plan.text.h - plan.cont_h);
    p.max_pages = r->max_pages;
    p.first_page_h = plan.first_page_h;
    p.last_reserve = plan.qr_reserve;
    p.reserve_w = plan.reserve_w;
    layout_article(&r->metrics, &p, it->title ? it->title : "", it->text ? it->text : "", out);
}

void render_layout_item(struct render *r, const struct store_item *it, struct layout_doc *out)
{
    /* Full width, the last page keeping the QR code's room under its text. A landscape item
     * that then needs a second page only for that room, but fits one page beside the QR code,
     * is laid out beside it. */
    item_layout(r, it, false, out);
    if (out->n_pages <= 1 || r->g.portrait)
        return;
    struct layout_doc narrow = {0};
    item_layout(r, it, true, &narrow);
    if (narrow.n_pages == 1 && render_item_narrow(r, it, &narrow)) {
        layout_doc_free(out);
        *out = narrow;
    } else {
        layout_doc_free(&narrow);
    }
}

void render_layout_urgent(struct render *r, const struct store_urgent *u, size_t index,
                          size_t count, struct layout_doc *out)
{
    SDL_Rect box;
    int band_h, foot_h, cont_h;
    render_urgent_plan(r, u, &box, &band_h, &foot_h, &cont_h);
    struct buf body;
    buf_init(&body, 0);
    if (!str_empty(u->body))
        buf_printf(&body, "%s", u->body);
    if (!str_empty(u->instruction))
        buf_printf(&body, "%s%s", body.len ? "\n" : "", u->instruction);
    if (!str_empty(u->area))
        buf_printf(&body, "%sKhu vực: %s", body.len ? "\n" : "", u->area);
    char *text = buf_steal(&body);
    /* An urgent notice should be read in one look: shrink towards 0.7× before paging. */
    for (int tenth = 10;; tenth--) {
        struct layout_params p;
        params_init(r, &p, box.w, box.h - cont_h);
        p.first_page_h = box.h;
        p.body_px = r->g.body_px * tenth / 10;
        p.title_px = r->g.title_px * tenth / 10;
        layout_article(&r->metrics, &p, u->title ? u->title : "", text, out);
        if (out->n_pages <= 1 || tenth <= 7)
            break;
        layout_doc_free(out);
    }
    free(text);
}

/* ---- the page cache ---- */

static int cache_find(struct render *r, uint64_t key)
{
    for (int i = 0; i < RENDER_CACHE_MAX; i++)
        if (r->cache[i].valid && r->cache[i].key == key)
            return i;
    return -1;
}

/* A free slot, else the least recently used one that is not the page on screen. */
static int cache_victim(struct render *r)
{
    int best = -1;
    for (int i = 0; i < RENDER_CACHE_MAX; i++) {
        if (!r->cache[i].valid)
            return i;
        if (i == r->cur)
            continue;
        if (best < 0 || r->cache[i].used < r->cache[best].used)
            best = i;
    }
    return best;
}

static const struct render_theme *page_theme(struct render *r, const struct render_page_req *req)
{
    if (req->kind == RENDER_PAGE_URGENT && req->urgent)
        return render_urgent_theme(r, req->urgent);
    return &r->theme;
}

/* The page painted straight into the texture's pixels where the renderer allows it (the
 * software renderer: no second copy of a 7 MiB page), else through a surface. */
static SDL_Texture *page_texture(struct render *r, const struct render_page_req *req)
{
    const struct render_geom *g = &r->g;
    struct render_dl dl;
    SDL_Color bg = render_page_plan(r, req, &dl);
    SDL_Texture *tex = NULL;
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(r->sdl, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE))
        tex = SDL_CreateTexture(r->sdl, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
                                g->content.w, g->content.h);
    void *pixels;
    int pitch;
    if (tex && SDL_LockTexture(tex, NULL, &pixels, &pitch) == 0) {
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(pixels, g->content.w, g->content.h, 32,
                                                            pitch, SDL_PIXELFORMAT_ARGB8888);
        if (s) {
            SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, bg.r, bg.g, bg.b, 255));
            render_dl_draw(r, &dl, s);
            SDL_FreeSurface(s);
        }
        SDL_UnlockTexture(tex);
        if (!s) {
            SDL_DestroyTexture(tex);
            tex = NULL;
        }
    } else {
        if (tex)
            SDL_DestroyTexture(tex);
        SDL_Surface *s = render_dl_surface(r, &dl, g->content.w, g->content.h, bg);
        tex = s ? SDL_CreateTextureFromSurface(r->sdl, s) : NULL;
        SDL_FreeSurface(s);
    }
    render_dl_free(&dl);
    if (!tex)
        LOG_ERR("page texture: %s", SDL_GetError());
    return tex;
}

static void slot_free(struct render *r, int slot)
{
    if (slot < 0)
        return;
    if (r->cache[slot].tex)
        SDL_DestroyTexture(r->cache[slot].tex);
    r->cache[slot] = (struct render_page_tex){0};
    if (slot == r->prev)
        r->prev = -1;
}

static int cache_paint(struct render *r, const struct render_page_req *req)
{
    /* Free the victim first: a 1080p page is 7 MiB, and a 512 MB board should not hold the
     * old page, the new surface and the new texture at once. */
    int slot = cache_victim(r);
    slot_free(r, slot);
    SDL_Texture *tex = page_texture(r, req);
    if (!tex)
        return -1;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_NONE);
    struct render_page_tex *pt = &r->cache[slot];
    *pt = (struct render_page_tex){
        .key = req->key, .tex = tex, .kind = req->kind, .theme = page_theme(r, req), .valid = true};
    return slot;
}

/* The page on screen back into a texture, read from the window (resting → not resting). On
 * failure the slot stays without texture: no transition from it, the screen keeps it. */
static bool unrest(struct render *r)
{
    if (!r->resting)
        return true;
    if (r->cur < 0) {
        r->resting = false;
        return false;
    }
    const SDL_Rect *c = &r->g.content;
    SDL_Texture *tex = SDL_CreateTexture(r->sdl, SDL_PIXELFORMAT_ARGB8888,
                                         SDL_TEXTUREACCESS_STREAMING, c->w, c->h);
    void *pixels;
    int pitch;
    bool ok = tex && SDL_LockTexture(tex, NULL, &pixels, &pitch) == 0;
    if (ok) {
        ok = SDL_RenderReadPixels(r->sdl, c, SDL_PIXELFORMAT_ARGB8888, pixels, pitch) == 0;
        SDL_UnlockTexture(tex);
    }
    if (!ok) {
        LOG_ERR("page read back from the window: %s", SDL_GetError());
        if (tex)
            SDL_DestroyTexture(tex);
        return false;
    }
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_NONE);
    r->cache[r->cur].tex = tex;
    r->resting = false;
    return true;
}

/* After a frame without transition or veil: the window holds the page; its texture goes. */
static void rest(struct render *r)
{
    if (!r->sw_window || r->target || r->resting || r->trans_running || r->cur < 0 ||
        r->night != RENDER_NIGHT_OFF || !r->cache[r->cur].tex)
        return;
    SDL_RenderFlush(r->sdl);
    SDL_DestroyTexture(r->cache[r->cur].tex);
    r->cache[r->cur].tex = NULL;
    r->resting = true;
}

/* A display list painted straight into the window's surface at rect (its own coordinates
 * start at rect's corner), on bg. false when the window's surface cannot take it. */
static bool window_paint(struct render *r, const SDL_Rect *rc, const struct render_dl *dl,
                         SDL_Color bg)
{
    SDL_Window *win = SDL_RenderGetWindow(r->sdl);
    SDL_Surface *ws = win ? SDL_GetWindowSurface(win) : NULL;
    if (!ws || !ws->pixels || ws->format->BytesPerPixel != 4 || rc->x < 0 || rc->y < 0 ||
        ws->w < rc->x + rc->w || ws->h < rc->y + rc->h)
        return false;
    SDL_RenderFlush(r->sdl); /* what the renderer still has queued lands first */
    if (SDL_MUSTLOCK(ws) && SDL_LockSurface(ws) != 0)
        return false;
    SDL_Surface *view = SDL_CreateRGBSurfaceWithFormatFrom(
        (Uint8 *)ws->pixels + (size_t)rc->y * (size_t)ws->pitch + (size_t)rc->x * 4, rc->w, rc->h,
        32, ws->pitch, ws->format->format);
    if (view) {
        SDL_FillRect(view, NULL, SDL_MapRGBA(view->format, bg.r, bg.g, bg.b, 255));
        render_dl_draw(r, dl, view);
        SDL_FreeSurface(view);
    }
    if (SDL_MUSTLOCK(ws))
        SDL_UnlockSurface(ws);
    return view != NULL;
}

/* The page painted straight into the window's content area (no texture at all): the window
 * then rests on it. -1 when the window's surface cannot take it (the caller paints a texture). */
static int direct_paint(struct render *r, const struct render_page_req *req)
{
    struct render_dl dl;
    SDL_Color bg = render_page_plan(r, req, &dl);
    bool ok = window_paint(r, &r->g.content, &dl, bg);
    render_dl_free(&dl);
    if (!ok)
        return -1;
    int slot = cache_victim(r);
    slot_free(r, slot);
    r->cache[slot] = (struct render_page_tex){
        .key = req->key, .kind = req->kind, .theme = page_theme(r, req), .valid = true};
    return slot;
}

/* Header and footer straight into the window (at rest: no band textures kept). */
static bool chrome_direct(struct render *r, const struct render_frame_info *fi,
                          enum render_page_kind kind, const struct render_theme *t)
{
    const struct render_geom *g = &r->g;
    struct render_dl header, footer;
    SDL_Color bg[2];
    render_chrome_plan(r, fi, kind, t, &header, &footer, bg);
    SDL_Rect hr, fr;
    render_band_rects(g, &hr, &fr);
    bool ok = window_paint(r, &hr, &header, bg[0]) && window_paint(r, &fr, &footer, bg[1]);
    render_dl_free(&header);
    render_dl_free(&footer);
    if (ok) {
        band_free(&r->header);
        band_free(&r->footer);
    }
    return ok;
}

void render_show(struct render *r, const struct render_page_req *req, bool instant, int64_t now_ms)
{
    int slot = cache_find(r, req->key);
    int going = r->cur;
    bool fade = !instant && going >= 0 && r->transition != RENDER_TRANSITION_NONE;
    if (slot == going && slot >= 0) {
        r->cache[slot].used = ++r->use_counter;
        return;
    }
    /* No fade: on a software window the page goes straight into the window. */
    bool direct = false;
    if (slot < 0 && !fade && r->sw_window && !r->target && r->night == RENDER_NIGHT_OFF &&
        !r->trans_running) {
        slot = direct_paint(r, req);
        direct = slot >= 0;
    }
    if (slot < 0)
        slot = cache_paint(r, req);
    if (slot < 0)
        return; /* keep what is on screen: never blank */
    r->cache[slot].used = ++r->use_counter;
    if (r->resting && !direct) {
        /* The going page is in the window only: read it back to fade from it. */
        if (!fade || !unrest(r))
            fade = false;
        r->resting = false;
    }
    r->prev = going;
    r->cur = slot;
    r->trans_running = fade;
    r->trans_start_ms = now_ms;
    if (!r->trans_running)
        slot_free(r, going); /* nothing to fade from: keep only the page on screen */
    r->resting = direct;
}

void render_flush_cache(struct render *r)
{
    for (int i = 0; i < RENDER_CACHE_MAX; i++) {
        if (i == r->cur || !r->cache[i].valid)
            continue;
        SDL_DestroyTexture(r->cache[i].tex);
        memset(&r->cache[i], 0, sizeof(r->cache[i]));
    }
    /* The page on screen stays (its content may be gone from the caller), but under a key no
     * request can match, so the next show repaints. */
    if (r->cur >= 0)
        r->cache[r->cur].key = ~r->cache[r->cur].key ^ 0x9E3779B97F4A7C15ull;
    r->prev = -1;
    r->trans_running = false;
    band_free(&r->header);
    band_free(&r->footer);
}

void render_set_night(struct render *r, enum render_night mode)
{
    r->night = mode;
}

/* ---- the frame ---- */

static int clear(SDL_Renderer *sdl, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(sdl, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(sdl, c.r, c.g, c.b, 255);
    return SDL_RenderClear(sdl);
}

static void rotate_out(struct render *r)
{
    SDL_SetRenderTarget(r->sdl, NULL);
    SDL_SetRenderDrawColor(r->sdl, 0, 0, 0, 255);
    SDL_RenderClear(r->sdl);
    /* SDL rotates about the centre of dst: centre the logical canvas on the output. */
    SDL_Rect dst = {(r->out_w - r->g.w) / 2, (r->out_h - r->g.h) / 2, r->g.w, r->g.h};
    render_sdl_ok(r,
                  SDL_RenderCopyEx(r->sdl, r->target, NULL, &dst, r->rotate, NULL, SDL_FLIP_NONE),
                  "rotated copy");
}

bool render_draw(struct render *r, const struct render_frame_info *fi, int64_t now_ms, bool present)
{
    r->wall_now = fi->now;
    r->wall_trusted = fi->clock_trusted;
    if (r->cur < 0) {
        /* Nothing shown yet: never a blank screen. */
        struct render_page_req empty = {.kind = RENDER_PAGE_EMPTY, .key = RENDER_KEY_WAITING};
        render_show(r, &empty, true, now_ms);
    }
    bool running = false;
    /* Night: the page goes back into a texture (the veil goes over the page, not over the last
     * veiled frame; a blank screen loses it). If it cannot, the window keeps the page as is. */
    bool keep_window = r->resting && r->night != RENDER_NIGHT_OFF && !unrest(r);
    if (r->target)
        SDL_SetRenderTarget(r->sdl, r->target);
    if (r->night == RENDER_NIGHT_BLANK && !keep_window) {
        clear(r->sdl, (SDL_Color){0, 0, 0, 255});
    } else if (r->resting) {
        /* The window holds the page: only the bands are drawn again, into the window. */
        const struct render_page_tex *pt = &r->cache[r->cur];
        const struct render_theme *t = pt->theme ? pt->theme : &r->theme;
        if (!chrome_direct(r, fi, pt->kind, t))
            render_chrome_draw(r, fi, pt->kind, t);
    } else {
        const struct render_page_tex *pt = r->cur >= 0 ? &r->cache[r->cur] : NULL;
        const struct render_theme *t = pt && pt->theme ? pt->theme : &r->theme;
        render_sdl_ok(r, clear(r->sdl, t->bg), "clear");
        running = render_transition_draw(r, now_ms);
        if (!running)
            slot_free(r, r->prev); /* the transition is over: the page that went is not kept */
        render_chrome_draw(r, fi, pt ? pt->kind : RENDER_PAGE_EMPTY, t);
        if (r->night == RENDER_NIGHT_DIM) {
            /* Dimmed: a dark veil, readable up close, quiet in an empty hall. */
            SDL_SetRenderDrawBlendMode(r->sdl, SDL_BLENDMODE_BLEND);
            SDL_SetRenderDrawColor(r->sdl, 0, 0, 0, 170);
            SDL_RenderFillRect(r->sdl, NULL);
        }
    }
    if (r->target)
        rotate_out(r);
    if (present)
        SDL_RenderPresent(r->sdl);
    if (!running)
        rest(r);
    /* At rest nothing is drawn but the bands, once a minute: the opened font sizes and their
     * glyph caches go until the next page. */
    if (r->resting)
        render_fonts_trim(&r->fonts);
    return running;
}

void render_screen_plan(struct render *r, const struct render_page_req *req,
                        const struct render_frame_info *fi, struct render_dl *out)
{
    const struct render_geom *g = &r->g;
    render_dl_init(out, g->w, g->h);
    struct render_dl page, header, footer;
    SDL_Color page_bg = render_page_plan(r, req, &page), band_bg[2];
    render_chrome_plan(r, fi, req->kind, page_theme(r, req), &header, &footer, band_bg);
    SDL_Rect hr, fr;
    render_band_rects(g, &hr, &fr);
    /* Each part on its own background (backdrops: not boxes of the geometry test). */
    render_dl_region(out, "header", hr);
    render_fill(out, hr.x, hr.y, hr.w, hr.h, band_bg[0], true);
    render_dl_region(out, "content", g->content);
    render_fill(out, g->content.x, g->content.y, g->content.w, g->content.h, page_bg, true);
    render_dl_region(out, "footer", fr);
    render_fill(out, fr.x, fr.y, fr.w, fr.h, band_bg[1], true);
    render_dl_append(out, &header, 0, 0, hr);
    render_dl_append(out, &page, g->content.x, g->content.y, g->content);
    render_dl_append(out, &footer, 0, fr.y, fr);
    render_dl_free(&page);
    render_dl_free(&header);
    render_dl_free(&footer);
}

bool render_screen_paint(struct render *r, const struct render_page_req *req,
                         const struct render_frame_info *fi, struct SDL_Surface *dst)
{
    if (r->rotate != 0 || r->night != 0 || !dst || dst->w != r->g.w || dst->h != r->g.h)
        return false;
    r->wall_now = fi->now;
    r->wall_trusted = fi->clock_trusted;
    struct render_dl dl;
    render_screen_plan(r, req, fi, &dl);
    render_dl_draw(r, &dl, dst);
    render_dl_free(&dl);
    return true;
}
