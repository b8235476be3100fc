/* fixture: a render over a software renderer drawing into an RGBA surface, no window, and a
 * fixed wall clock (Thứ Sáu, 27/11/2026 08:15 in Hà Nội). */
#ifndef BANGTIN_TEST_RENDER_FIXTURE_H
#define BANGTIN_TEST_RENDER_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "bangtin/config.h"
#include "bangtin/render.h"
#include "bangtin/store.h"

#define FIXED_NOW ((int64_t)1795742100) /* 2026-11-27 01:15 UTC = 08:15 UTC+7 */

struct fixture {
    SDL_Surface *surf;
    SDL_Renderer *sdl;
    struct render *r;
    struct config cfg;
};

/* cfg is config_init() defaults with the bundled fonts; tweak (may be NULL) edits it before
 * render_create. false on failure (printed). */
bool fx_open(struct fixture *f, int out_w, int out_h, void (*tweak)(struct config *));
void fx_close(struct fixture *f);
/* A frame with the usual footer: item 3/12, updated 07:15, clock trusted. */
void fx_frame_info(struct render_frame_info *fi);
/* Draw a static frame and return the surface (owned by the fixture). */
SDL_Surface *fx_draw(struct fixture *f, const struct render_frame_info *fi);
/* Lay out it, show page `page` instantly, draw, compare with the golden. */
bool fx_item_golden(struct fixture *f, const struct store_item *it, size_t page, const char *golden,
                    const char *docs_name);
/* A copy of the surface (caller frees). */
SDL_Surface *fx_copy(SDL_Surface *s);

/* Test items (static storage; strings not to be freed). */
struct store_item fx_item_short(void);
/* The status page of a screen with three sources (one failing, waiting for time), 24 items,
 * uptime 3 days: src must hold 3; the first source is named first_source. Callers add what
 * they test beyond it. */
void fx_status(struct render_status *st, struct render_source_status src[3],
               const char *first_source);
struct store_item fx_item_long(void); /* tests/data/seed-article.txt */
void fx_item_long_free(struct store_item *it);
/* Makes TEST_DATA_DIR/photo-hoi-nghi.jpg if it is missing (drawn, then IMG_SaveJPG). */
const char *fx_photo_path(void);

#endif
