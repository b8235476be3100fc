/* photo: the item's lead image (SDL2_image), decoded once and kept while its item is shown.
 * A broken or tiny image (tracking pixel) is skipped with one log line: the page is then laid
 * out as if there were none. */
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/util.h"

#define PHOTO_MIN_SIDE 48
#define PHOTO_MAX_SIDE 8192

static uint64_t path_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a: a cache key, not security */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void size_remember(struct render *r, const char *path, int w, int h)
{
    struct render_photo_dims *d = &r->photo_dims[r->photo_dims_next++ % RENDER_PHOTO_DIMS];
    *d = (struct render_photo_dims){path_hash(path), w, h, true};
}

bool render_photo_size(struct render *r, const char *path, int *w, int *h)
{
    if (str_empty(path))
        return false;
    uint64_t key = path_hash(path);
    for (size_t i = 0; i < RENDER_PHOTO_DIMS; i++) {
        const struct render_photo_dims *d = &r->photo_dims[i];
        if (d->valid && d->key == key) {
            *w = d->w;
            *h = d->h;
            return d->w > 0;
        }
    }
    /* Layout needs only the size; decode once and remember it (0 × 0 = broken) so that a
     * playlist reload does not decode every photo again. */
    SDL_Surface *s = render_photo_get(r, path);
    *w = s ? s->w : 0;
    *h = s ? s->h : 0;
    return s != NULL;
}

SDL_Surface *render_photo_get(struct render *r, const char *path)
{
    if (str_empty(path))
        return NULL;
    if (r->photo_path && strcmp(r->photo_path, path) == 0)
        return r->photo; /* NULL too when it was found broken: logged once */
    free(r->photo_path);
    SDL_FreeSurface(r->photo);
    r->photo_path = xstrdup(path);
    r->photo = IMG_Load(path);
    if (!r->photo) {
        LOG_WARN("lead image %s skipped: %s", path, IMG_GetError());
        size_remember(r, path, 0, 0);
        return NULL;
    }
    int w = r->photo->w, h = r->photo->h;
    if (w < PHOTO_MIN_SIDE || h < PHOTO_MIN_SIDE || w > PHOTO_MAX_SIDE || h > PHOTO_MAX_SIDE) {
        LOG_WARN("lead image %s skipped: %dx%d is not a photo size", path, w, h);
        SDL_FreeSurface(r->photo);
        r->photo = NULL;
    }
    size_remember(r, path, r->photo ? w : 0, r->photo ? h : 0);
    return r->photo;
}

/* Fit iw × ih into bw × bh keeping the aspect ratio; at most 2× enlargement (a blurred
 * thumbnail helps nobody). */
void render_photo_fit(int iw, int ih, int bw, int bh, SDL_Rect *out)
{
    double sx = (double)bw / iw, sy = (double)bh / ih;
    double s = sx < sy ? sx : sy;
    if (s > 2.0)
        s = 2.0;
    out->w = (int)(iw * s);
    out->h = (int)(ih * s);
    out->x = 0;
    out->y = 0;
}
