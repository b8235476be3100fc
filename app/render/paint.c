/* paint: a display list drawn onto a surface, in order (text, images, fills, QR codes). The
 * list itself is built by dlist.c; painting is apart so that the painters that add to a list
 * (draw.c, qr.c) and the code that draws one never call each other in a circle. */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/util.h"

static void draw_text(struct render *r, const struct render_dl_item *it, SDL_Surface *dst)
{
    TTF_Font *font = render_font(&r->fonts, it->face, it->size_px);
    if (!font || str_empty(it->text))
        return;
    SDL_Surface *t = TTF_RenderUTF8_Blended(font, it->text, it->colour);
    if (!t) {
        LOG_WARN("text render failed: %s", TTF_GetError());
        return;
    }
    SDL_Rect at = {it->rect.x, it->baseline - TTF_FontAscent(font), t->w, t->h};
    SDL_SetSurfaceBlendMode(t, SDL_BLENDMODE_BLEND);
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

SDL_Surface *render_dl_surface(struct render *r, const struct render_dl *dl, int w, int h,
                               SDL_Color fill)
{
    SDL_Surface *s = render_surface_new(w, h, fill);
    if (s)
        render_dl_draw(r, dl, s);
    return s;
}
