/* backend: which SDL renderer draws the screen. A GL renderer that is not a GPU — Mesa's
 * llvmpipe, softpipe or swrast, e.g. under Xvfb or on a board without a GPU driver — costs
 * ~100 MiB for the picture SDL's software renderer makes in ~15 MiB (DESIGN.md §9), so `auto`
 * asks the GL renderer what it is and falls back to the software renderer when it is one of
 * those. `[display] renderer = gpu|software` overrides. The log says which and why. */
#include <string.h>

#include <SDL.h>

#include "bangtin/config.h"
#include "bangtin/render.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"

#define GL_RENDERER_ENUM 0x1F01

bool render_backend_is_cpu_gl(const char *gl_renderer)
{
    static const char *const cpu[] = {"llvmpipe", "softpipe", "swrast"};
    if (!gl_renderer)
        return false;
    for (size_t i = 0; i < sizeof cpu / sizeof cpu[0]; i++)
        if (strstr(gl_renderer, cpu[i]))
            return true;
    return false;
}

/* GL_RENDERER of the current context (the GL renderer makes its context current). */
static const char *gl_renderer_name(SDL_Renderer *ren)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(ren, &info) != 0 || strncmp(info.name, "opengl", 6) != 0)
        return NULL;
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get = (get_string_fn)(uintptr_t)SDL_GL_GetProcAddress("glGetString");
    const unsigned char *s = get ? get(GL_RENDERER_ENUM) : NULL;
    return s ? (const char *)s : NULL;
}

/* A new window like old (title, place, size, flags other than OpenGL): destroying a window
 * that had a GL context lets SDL unload the GL library. */
static SDL_Window *window_again(SDL_Window *old)
{
    int x, y, w, h;
    SDL_GetWindowPosition(old, &x, &y);
    SDL_GetWindowSize(old, &w, &h);
    Uint32 keep = SDL_WINDOW_SHOWN | SDL_WINDOW_BORDERLESS | SDL_WINDOW_RESIZABLE |
                  SDL_WINDOW_FULLSCREEN | SDL_WINDOW_FULLSCREEN_DESKTOP;
    Uint32 flags = SDL_GetWindowFlags(old) & keep;
    char title[128];
    SDL_strlcpy(title, SDL_GetWindowTitle(old), sizeof title);
    SDL_DestroyWindow(old);
    return SDL_CreateWindow(title, x, y, w, h, flags);
}

static SDL_Renderer *software(SDL_Window *win, const char *why)
{
    SDL_Renderer *ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    if (ren)
        LOG_INFO("renderer: software (%s)", why);
    else
        LOG_ERR("software renderer: %s", SDL_GetError());
    return ren;
}

SDL_Renderer *render_backend_open(SDL_Window **win, int mode)
{
    const char *forced = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
    if (mode == CONFIG_RENDERER_SOFTWARE)
        return software(*win, "[display] renderer = software");
    if (mode == CONFIG_RENDERER_AUTO && forced && strcmp(forced, "software") == 0)
        return software(*win, "SDL_RENDER_DRIVER=software");
    SDL_Renderer *ren = SDL_CreateRenderer(*win, -1,
                                           SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC |
                                               SDL_RENDERER_TARGETTEXTURE);
    if (!ren) {
        LOG_INFO("no accelerated renderer (%s)", SDL_GetError());
        return software(*win, "no accelerated renderer");
    }
    SDL_RendererInfo info;
    SDL_GetRendererInfo(ren, &info);
    const char *gl = gl_renderer_name(ren);
    if (mode == CONFIG_RENDERER_GPU) {
        LOG_INFO("renderer: %s%s%s ([display] renderer = gpu)", info.name,
                 gl ? ", GL_RENDERER " : "", gl ? gl : "");
        return ren;
    }
    if (!render_backend_is_cpu_gl(gl)) {
        LOG_INFO("renderer: %s%s%s (a GPU)", info.name, gl ? ", GL_RENDERER " : "", gl ? gl : "");
        return ren;
    }
    char why[192];
    SDL_snprintf(why, sizeof why, "GL_RENDERER is %s: no GPU, the same picture in less memory", gl);
    SDL_DestroyRenderer(ren);
    /* Without GL from here on, and no GL-backed window framebuffer (DESIGN.md §9). */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    *win = window_again(*win);
    if (!*win) {
        LOG_ERR("cannot create the window again: %s", SDL_GetError());
        return NULL;
    }
    return software(*win, why);
}
