/* pngcmp: image checks for the end-to-end tests.
 *   pngcmp diff A.png B.png X Y W H TOL MAXBAD [ERR.png]  region of A vs B: at most MAXBAD
 *                                                       pixels differ by more than TOL
 *   pngcmp ink A.png X Y W H MINFRAC                      at least MINFRAC of the region's
 *                                                       pixels differ from its corner colour
 * Exit 0 when the check holds, 1 when not, 2 on usage/IO errors. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static SDL_Surface *loaded[2];
static int n_loaded;

static void free_all(void)
{
    for (int i = 0; i < n_loaded; i++)
        SDL_FreeSurface(loaded[i]);
}

static SDL_Surface *load(const char *path)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s) {
        fprintf(stderr, "pngcmp: %s: %s\n", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    if (c && n_loaded < 2)
        loaded[n_loaded++] = c;
    return c;
}

static Uint32 px(SDL_Surface *s, int x, int y)
{
    return ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x];
}

static int chan_diff(Uint32 a, Uint32 b)
{
    int m = 0;
    for (int sh = 0; sh < 24; sh += 8) {
        int d = abs((int)((a >> sh) & 255) - (int)((b >> sh) & 255));
        if (d > m)
            m = d;
    }
    return m;
}

static int clip(SDL_Surface *s, int *x, int *y, int *w, int *h)
{
    if (*x < 0 || *y < 0 || *w <= 0 || *h <= 0 || *x + *w > s->w || *y + *h > s->h) {
        fprintf(stderr, "pngcmp: region %d,%d %dx%d outside %dx%d\n", *x, *y, *w, *h, s->w, s->h);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    atexit(free_all);
    if (argc >= 10 && strcmp(argv[1], "diff") == 0) {
        SDL_Surface *a = load(argv[2]), *b = load(argv[3]);
        int x = atoi(argv[4]), y = atoi(argv[5]), w = atoi(argv[6]), h = atoi(argv[7]);
        int tol = atoi(argv[8]), maxbad = atoi(argv[9]);
        if (!a || !b || !clip(a, &x, &y, &w, &h) || !clip(b, &x, &y, &w, &h))
            return 2;
        long bad = 0;
        SDL_Surface *err = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                Uint32 pa = px(a, x + i, y + j), pb = px(b, x + i, y + j);
                int d = chan_diff(pa, pb);
                ((Uint32 *)((Uint8 *)err->pixels + j * err->pitch))[i] =
                    d > tol ? 0xFFFF0000u : (0xFF000000u | ((pa & 0xFEFEFE) >> 1));
                bad += d > tol;
            }
        }
        printf("pngcmp: %ld pixels differ by more than %d (allowed %d)\n", bad, tol, maxbad);
        if (bad > maxbad && argc >= 11)
            IMG_SavePNG(err, argv[10]);
        SDL_FreeSurface(err);
        return bad > maxbad ? 1 : 0;
    }
    if (argc == 8 && strcmp(argv[1], "ink") == 0) {
        SDL_Surface *a = load(argv[2]);
        int x = atoi(argv[3]), y = atoi(argv[4]), w = atoi(argv[5]), h = atoi(argv[6]);
        double minfrac = atof(argv[7]);
        if (!a || !clip(a, &x, &y, &w, &h))
            return 2;
        Uint32 bg = px(a, x, y);
        long ink = 0;
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++)
                ink += chan_diff(px(a, x + i, y + j), bg) > 64;
        double frac = (double)ink / ((double)w * h);
        printf("pngcmp: ink %.4f of the region (need %.4f)\n", frac, minfrac);
        return frac >= minfrac ? 0 : 1;
    }
    if (argc == 11 && strcmp(argv[1], "color") == 0) {
        SDL_Surface *a = load(argv[2]);
        int x = atoi(argv[3]), y = atoi(argv[4]), w = atoi(argv[5]), h = atoi(argv[6]);
        Uint32 want = (Uint32)strtoul(argv[7], NULL, 16);
        int tol = atoi(argv[8]);
        double minfrac = atof(argv[9]), maxfrac = atof(argv[10]);
        if (!a || !clip(a, &x, &y, &w, &h))
            return 2;
        long hit = 0;
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++)
                hit += chan_diff(px(a, x + i, y + j) & 0xFFFFFF, want) <= tol;
        double frac = (double)hit / ((double)w * h);
        printf("pngcmp: %.4f of the region is #%06X (want %.4f to %.4f)\n", frac, want, minfrac,
               maxfrac);
        return frac >= minfrac && frac <= maxfrac ? 0 : 1;
    }
    fprintf(stderr, "usage: pngcmp color A X Y W H RRGGBB TOL MINFRAC MAXFRAC\n");
    fprintf(stderr, "usage: pngcmp diff A B X Y W H TOL MAXBAD [ERR] | ink A X Y W H MINFRAC\n");
    return 2;
}
