/* panel: the screen's own panel ([panel] listen, DESIGN.md §11) inside the kiosk. The
 * panel's HTTP threads never touch SDL: for "what is on screen now" they ask through an SDL
 * event; the main thread draws the current frame again, reads it before presenting and hands
 * the PNG over (panel_frame_set). */
#define LOG_MODULE "kiosk"
#include "kiosk_priv.h"

#include "bangtin/config.h"
#include "bangtin/desk.h"
#include "bangtin/log.h"
#include "bangtin/util.h"
#include "glue/setup.h"

#include <SDL.h>
#include <SDL_image.h>
#include <stdlib.h>
#include <string.h>

/* HTTP thread: wake the loop. */
static void want_frame(void *ctx)
{
    struct kiosk *k = ctx;
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = kiosk_event_type(KIOSK_EVENT_PANEL);
    if (SDL_PushEvent(&ev) == 1)
        kiosk_display_wake(k->disp);
}

void kiosk_panel_start(struct kiosk *k)
{
    const struct config *cfg = k->cfg;
    if (str_empty(cfg->panel_listen))
        return;
    char *css = paths_resource("assets/desk/desk.css");
    char *units = paths_resource("assets/admin-units/units-2025.csv");
    struct desk_opts o = {
        .css_path = css,
        .units_csv = units,
        .want_frame = want_frame,
        .want_frame_ctx = k,
    };
    char err[512] = "";
    k->panel = panel_start(cfg, &o, err, sizeof err);
    if (!k->panel)
        LOG_ERR("panel not started: %s (the screen runs on without it)", err);
    free(css), free(units);
}

void kiosk_panel_stop(struct kiosk *k)
{
    desk_stop(k->panel);
    k->panel = NULL;
}

bool kiosk_panel_capture_pending(const struct kiosk *k)
{
    return k->panel && panel_frame_wanted(k->panel);
}

/* After render_draw(…, present = false): the frame as PNG to the panel. */
void kiosk_panel_capture(struct kiosk *k)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, k->disp->w, k->disp->h, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_RWops *rw = NULL;
    void *mem = NULL;
    size_t len = 0;
    if (s && SDL_RenderReadPixels(k->disp->ren, NULL, SDL_PIXELFORMAT_RGBA32, s->pixels,
                                  s->pitch) == 0) {
        len = (size_t)k->disp->w * (size_t)k->disp->h * 4 + 65536; /* PNG ≤ raw + headers */
        mem = malloc(len);
        rw = mem ? SDL_RWFromMem(mem, (int)len) : NULL;
        if (rw && IMG_SavePNG_RW(s, rw, 0) == 0)
            len = (size_t)SDL_RWtell(rw);
        else
            len = 0;
        if (rw)
            SDL_RWclose(rw);
    }
    if (!len)
        LOG_WARN("panel: the current frame could not be read: %s", SDL_GetError());
    panel_frame_set(k->panel, len ? mem : NULL, len);
    free(mem);
    SDL_FreeSurface(s);
}
