/* png_rows: PNG written row by row with libpng (see include/bangtin/png_rows.h). libpng
 * reports errors by longjmp: every call into it is behind setjmp here, nowhere else. */
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <SDL.h>

#include "bangtin/png_rows.h"
#include "bangtin/util.h"

#define LOG_MODULE "png"
#include "bangtin/log.h"

struct png_rows {
    png_structp png;
    png_infop info;
    FILE *f;
    char *path;
    int w, h, done;
    bool failed;
};

static void on_error(png_structp png, png_const_charp msg)
{
    struct png_rows *p = png_get_error_ptr(png);
    LOG_ERR("%s: %s", p->path, msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    struct png_rows *p = png_get_error_ptr(png);
    LOG_WARN("%s: %s", p->path, msg);
}

static void discard(struct png_rows *p)
{
    png_destroy_write_struct(&p->png, &p->info);
    if (p->f)
        fclose(p->f);
    unlink(p->path);
    free(p->path);
    free(p);
}

struct png_rows *png_rows_open(const char *path, int w, int h)
{
    if (w <= 0 || h <= 0)
        return NULL;
    struct png_rows *p = xcalloc(1, sizeof *p);
    p->path = xstrdup(path);
    p->w = w;
    p->h = h;
    p->f = fopen(path, "wbe");
    if (!p->f) {
        LOG_ERR("%s: cannot create: %m", path);
        free(p->path);
        free(p);
        return NULL;
    }
    p->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, p, on_error, on_warning);
    p->info = p->png ? png_create_info_struct(p->png) : NULL;
    if (!p->info) {
        LOG_ERR("%s: libpng: out of memory", path);
        discard(p);
        return NULL;
    }
    if (setjmp(png_jmpbuf(p->png))) {
        discard(p);
        return NULL;
    }
    png_init_io(p->png, p->f);
    png_set_IHDR(p->png, p->info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(p->png, p->info);
    return p;
}

bool png_rows_add(struct png_rows *p, const SDL_Surface *band)
{
    if (p->failed)
        return false;
    if (band->format->format != SDL_PIXELFORMAT_RGBA32 || band->w != p->w ||
        band->h > p->h - p->done) {
        LOG_ERR("%s: rows %dx%d (format %s) do not fit the picture %dx%d at row %d", p->path,
                band->w, band->h, SDL_GetPixelFormatName(band->format->format), p->w, p->h,
                p->done);
        p->failed = true;
        return false;
    }
    if (setjmp(png_jmpbuf(p->png))) {
        p->failed = true;
        return false;
    }
    for (int y = 0; y < band->h; y++)
        png_write_row(p->png, (png_const_bytep)band->pixels + (size_t)y * (size_t)band->pitch);
    p->done += band->h;
    return true;
}

bool png_rows_close(struct png_rows *p)
{
    if (!p)
        return false;
    if (p->failed || p->done != p->h) {
        if (!p->failed)
            LOG_ERR("%s: %d of %d rows written", p->path, p->done, p->h);
        discard(p);
        return false;
    }
    if (setjmp(png_jmpbuf(p->png))) {
        discard(p);
        return false;
    }
    png_write_end(p->png, p->info);
    png_destroy_write_struct(&p->png, &p->info);
    bool ok = fflush(p->f) == 0 && !ferror(p->f);
    ok = fclose(p->f) == 0 && ok;
    p->f = NULL;
    if (!ok) {
        LOG_ERR("%s: cannot write: %m", p->path);
        unlink(p->path);
    }
    free(p->path);
    free(p);
    return ok;
}
