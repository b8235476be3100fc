/* dlist: the display list. Painters add what they will draw; the list is then drawn onto a
 * surface in order. Between the two, tests can check every rectangle (tests/render). */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/util.h"

SDL_Surface *render_surface_new(int w, int h, SDL_Color fill)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w > 0 ? w : 1, h > 0 ? h : 1, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        LOG_ERR("surface %dx%d: %s", w, h, SDL_GetError());
        return NULL;
    }
    SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, fill.r, fill.g, fill.b, 255));
    return s;
}

void render_dl_init(struct render_dl *dl, int w, int h)
{
    memset(dl, 0, sizeof(*dl));
    dl->region = (SDL_Rect){0, 0, w, h};
    dl->region_name = "page";
}

void render_dl_free(struct render_dl *dl)
{
    for (size_t i = 0; i < dl->n; i++)
        free(dl->v[i].text);
    free(dl->v);
    memset(dl, 0, sizeof(*dl));
}

void render_dl_region(struct render_dl *dl, const char *name, SDL_Rect region)
{
    dl->region = region;
    dl->region_name = name;
}

struct render_dl_item *render_dl_add(struct render_dl *dl, enum render_dl_kind kind, SDL_Rect rect)
{
    if (dl->n == dl->cap) {
        dl->cap = dl->cap ? 2 * dl->cap : 32;
        dl->v = xrealloc(dl->v, dl->cap * sizeof(*dl->v));
    }
    struct render_dl_item *it = &dl->v[dl->n++];
    *it = (struct render_dl_item){.kind = kind,
                                  .rect = rect,
                                  .box = rect,
                                  .region = dl->region,
                                  .area = dl->region,
                                  .region_name = dl->region_name};
    return it;
}

static SDL_Rect moved(SDL_Rect r, int dx, int dy)
{
    return (SDL_Rect){r.x + dx, r.y + dy, r.w, r.h};
}

void render_dl_append(struct render_dl *dst, const struct render_dl *src, int dx, int dy,
                      SDL_Rect area)
{
    for (size_t i = 0; i < src->n; i++) {
        struct render_dl_item *it = render_dl_add(dst, src->v[i].kind, src->v[i].rect);
        *it = src->v[i];
        it->text = src->v[i].text ? xstrdup(src->v[i].text) : NULL;
        it->rect = moved(it->rect, dx, dy);
        it->box = moved(it->box, dx, dy);
        it->region = moved(it->region, dx, dy);
        it->baseline += dy;
        it->area = area;
    }
}

SDL_Surface *render_text_surface(struct render *r, const struct render_dl_item *it, int *top)
{
    TTF_Font *font = render_font(&r->fonts, it->face, it->size_px);
    if (!font || str_empty(it->text))
        return NULL;
    SDL_Surface *t = TTF_RenderUTF8_Blended(font, it->text, it->colour);
    if (!t) {
        LOG_WARN("text render failed: %s", TTF_GetError());
        return NULL;
    }
    *top = it->baseline - TTF_FontAscent(font);
    SDL_SetSurfaceBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

static void draw_text(struct render *r, const struct render_dl_item *it, SDL_Surface *dst)
{
    int top = 0;
    SDL_Surface *t = render_text_surface(r, it, &top);
    if (!t)
        return;
    SDL_Rect at = {it->rect.x, top, t->w, t->h};
    SDL_BlitSurface(t, NULL, dst, &at);
    SDL_FreeSurface(t);
}

void render_dl_draw(struct render *r, const struct render_dl *dl, SDL_Surface *dst)
{
    for (size_t i = 0; i < dl->n; i++) {
        const struct render_dl_item *it = &dl->v[i];
        switch (it->kind) {
        case RENDER_DL_FILL:
            SDL_FillRect(dst, &it->rect,
                         SDL_MapRGBA(dst->format, it->colour.r, it->colour.g, it->colour.b, 255));
            break;
        case RENDER_DL_TEXT: draw_text(r, it, dst); break;
        case RENDER_DL_IMAGE:
            if (it->image)
                render_blit_scaled(it->image, dst, it->rect.x, it->rect.y, it->rect.w, it->rect.h);
            break;
        case RENDER_DL_QR: render_qr_draw(dst, it->text, it->rect, it->colour, it->colour2); break;
        }
    }
}

bool render_sdl_ok(struct render *r, int rc, const char *what)
{
    if (rc == 0)
        return true;
    if (!r->sdl_failed)
        LOG_ERR("%s: %s (further SDL drawing errors are not logged)", what, SDL_GetError());
    r->sdl_failed = true;
    return false;
}

SDL_Surface *render_dl_surface(struct render *r, const struct render_dl *dl, int w, int h,
                               SDL_Color fill)
{
    SDL_Surface *s = render_surface_new(w, h, fill);
    if (s)
        render_dl_draw(r, dl, s);
    return s;
}

SDL_Surface *render_scaled_new(SDL_Surface *src, int w, int h)
{
    if (w <= 0 || h <= 0)
        return NULL;
    SDL_Surface *cur = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!cur) {
        LOG_WARN("image convert: %s", SDL_GetError());
        return NULL;
    }
    /* Bilinear alone aliases on big reductions: halve first, like a mipmap. */
    while (cur->w >= 2 * w && cur->h >= 2 * h) {
        SDL_Surface *half =
            SDL_CreateRGBSurfaceWithFormat(0, cur->w / 2, cur->h / 2, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!half || SDL_SoftStretchLinear(cur, NULL, half, NULL) != 0) {
            SDL_FreeSurface(half);
            break;
        }
        SDL_FreeSurface(cur);
        cur = half;
    }
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (out && SDL_SoftStretchLinear(cur, NULL, out, NULL) == 0) {
        SDL_SetSurfaceBlendMode(out, SDL_BLENDMODE_BLEND);
    } else {
        LOG_WARN("image scale: %s", SDL_GetError());
        SDL_FreeSurface(out);
        out = NULL;
    }
    SDL_FreeSurface(cur);
    return out;
}

void render_blit_scaled(SDL_Surface *src, SDL_Surface *dst, int x, int y, int w, int h)
{
    SDL_Surface *out = render_scaled_new(src, w, h);
    if (out) {
        SDL_Rect at = {x, y, w, h};
        SDL_BlitSurface(out, NULL, dst, &at);
    }
    SDL_FreeSurface(out);
}
