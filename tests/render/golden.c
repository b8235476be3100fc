/* golden: see golden.h. */
#include "golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

static Uint32 px(SDL_Surface *s, int x, int y)
{
    return *(Uint32 *)((Uint8 *)s->pixels + (size_t)y * s->pitch + (size_t)x * 4);
}

long golden_diff(SDL_Surface *a, SDL_Surface *b, int tolerance, SDL_Surface *err)
{
    long n = 0;
    for (int y = 0; y < a->h; y++) {
        for (int x = 0; x < a->w; x++) {
            Uint8 ar, ag, ab, br, bg, bb;
            SDL_GetRGB(px(a, x, y), a->format, &ar, &ag, &ab);
            SDL_GetRGB(px(b, x, y), b->format, &br, &bg, &bb);
            int d = abs(ar - br);
            if (abs(ag - bg) > d)
                d = abs(ag - bg);
            if (abs(ab - bb) > d)
                d = abs(ab - bb);
            bool bad = d > tolerance;
            n += bad;
            if (err) {
                Uint8 v = (Uint8)(160 + (ar + ag + ab) / 12);
                Uint32 c =
                    bad ? SDL_MapRGB(err->format, 255, 0, 0) : SDL_MapRGB(err->format, v, v, v);
                *(Uint32 *)((Uint8 *)err->pixels + (size_t)y * err->pitch + (size_t)x * 4) = c;
            }
        }
    }
    return n;
}

static void save(SDL_Surface *s, const char *path)
{
    if (IMG_SavePNG(s, path) != 0)
        fprintf(stderr, "golden: cannot write %s: %s\n", path, IMG_GetError());
    else
        fprintf(stderr, "golden: wrote %s\n", path);
}

bool golden_check(SDL_Surface *actual, const char *name, const char *docs_name)
{
    char golden[1024], out[1024];
    snprintf(golden, sizeof(golden), "%s/tests/render/golden/%s.png", SOURCE_DIR, name);
    const char *upd = getenv("BANGTIN_UPDATE_GOLDEN");
    if (upd && strcmp(upd, "1") == 0) {
        save(actual, golden);
        if (docs_name) {
            snprintf(out, sizeof(out), "%s/docs/screens/%s", SOURCE_DIR, docs_name);
            save(actual, out);
        }
        return true;
    }
    SDL_Surface *loaded = IMG_Load(golden);
    if (!loaded) {
        fprintf(stderr, "golden %s missing (%s); run with BANGTIN_UPDATE_GOLDEN=1\n", golden,
                IMG_GetError());
        snprintf(out, sizeof(out), "%s/%s_actual.png", BINARY_DIR, name);
        save(actual, out);
        return false;
    }
    SDL_Surface *want = SDL_ConvertSurfaceFormat(loaded, actual->format->format, 0);
    SDL_FreeSurface(loaded);
    bool ok = false;
    if (!want || want->w != actual->w || want->h != actual->h) {
        fprintf(stderr, "golden %s: size differs\n", name);
    } else {
        SDL_Surface *err =
            SDL_CreateRGBSurfaceWithFormat(0, actual->w, actual->h, 32, actual->format->format);
        long n = golden_diff(actual, want, GOLDEN_TOLERANCE, err);
        long max = (long)((double)actual->w * actual->h * GOLDEN_MAX_DIFF_PPM / 1e6);
        ok = n <= max;
        if (!ok) {
            fprintf(stderr, "golden %s: %ld pixels differ (max %ld)\n", name, n, max);
            snprintf(out, sizeof(out), "%s/%s_err.png", BINARY_DIR, name);
            save(err, out);
        }
        SDL_FreeSurface(err);
    }
    if (!ok) {
        snprintf(out, sizeof(out), "%s/%s_actual.png", BINARY_DIR, name);
        save(actual, out);
    }
    SDL_FreeSurface(want);
    return ok;
}
