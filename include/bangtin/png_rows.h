/* png_rows: a PNG file written row by row (libpng), so that a picture too big to keep whole
 * (a 4K screenshot is 32 MiB of pixels) never has to exist in memory. 8-bit RGBA, the same
 * file IMG_SavePNG writes for an RGBA32 surface. */
#ifndef BANGTIN_PNG_ROWS_H
#define BANGTIN_PNG_ROWS_H

#include <stdbool.h>

struct SDL_Surface;
struct png_rows;

/* Creates path for a w × h picture; NULL on failure (logged). */
struct png_rows *png_rows_open(const char *path, int w, int h);
/* The next rows: all of band's rows (RGBA32, w wide). false on failure (logged); the file
 * is then unusable: png_rows_close removes it. */
bool png_rows_add(struct png_rows *p, const struct SDL_Surface *band);
/* Ends the file. false when it is incomplete (fewer rows than h, a write failed): the file is
 * removed. NULL is a no-op returning false. */
bool png_rows_close(struct png_rows *p);

#endif
