/* transition: the content area of one frame — the current page, or during a transition the
 * previous and the new page cross-faded or sliding. Header and footer stay put. */
#include "render_internal.h"

static double ease(double t)
{
    return t * t * (3.0 - 2.0 * t); /* smoothstep: no jolt at either end */
}

static void copy_page(struct render *r, SDL_Texture *tex, int dx, Uint8 alpha)
{
    const SDL_Rect *c = &r->g.content;
    SDL_Rect dst = {c->x + dx, c->y, c->w, c->h};
    SDL_SetTextureBlendMode(tex, alpha == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(tex, alpha);
    render_sdl_ok(r, SDL_RenderCopy(r->sdl, tex, NULL, &dst), "page copy");
    SDL_SetTextureAlphaMod(tex, 255);
}

bool render_transition_draw(struct render *r, int64_t now_ms)
{
    if (r->cur < 0 || !r->cache[r->cur].tex)
        return false;
    SDL_Texture *cur = r->cache[r->cur].tex;
    SDL_Texture *prev = r->prev >= 0 ? r->cache[r->prev].tex : NULL;
    double t = r->transition_ms > 0 ? (double)(now_ms - r->trans_start_ms) / r->transition_ms : 1.0;
    if (!r->trans_running || !prev || t >= 1.0 || t < 0.0) {
        r->trans_running = false;
        copy_page(r, cur, 0, 255);
        return false;
    }
    double e = ease(t);
    if (r->transition == RENDER_TRANSITION_SLIDE) {
        int w = r->g.content.w, dx = (int)(e * w);
        SDL_RenderSetClipRect(r->sdl, &r->g.content);
        copy_page(r, prev, -dx, 255);
        copy_page(r, cur, w - dx, 255);
        SDL_RenderSetClipRect(r->sdl, NULL);
    } else {
        copy_page(r, prev, 0, 255);
        copy_page(r, cur, 0, (Uint8)(e * 255.0 + 0.5));
    }
    return true;
}
