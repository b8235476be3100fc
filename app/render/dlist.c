/* dlist: the display list. Painters add what they will draw; the list is then drawn onto a
 * surface in order. Between the two, tests can check every rectangle (tests/render). */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/util.h"

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
