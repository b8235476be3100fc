/* display: the window, its renderer, and the wake-up pipe of the loop. A leaf: it calls
 * nothing else of the kiosk. */
#define LOG_MODULE "kiosk"
#include "display.h"

#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/render.h"
#include "bangtin/util.h"
#include "cli.h"
#include "glue/setup.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

/* SDL's user events are process-wide: registered once, at the first open. */
static Uint32 event_base;

/* SDL_Init connects to the D-Bus session bus (screensaver inhibition, input methods). With
 * none — the kiosk's system service, a bare X server, Xvfb — libdbus "autolaunches": it forks
 * and execs dbus-launch, which costs the first frame ~5 ms here (and, where dbus-x11 is
 * installed, starts a session bus nobody else uses). An address that fails at once instead;
 * the environment is put back after SDL_Init (no other thread runs yet). A real session bus
 * (DBUS_SESSION_BUS_ADDRESS set: a desktop) is used as before. */
static int sdl_init_video(void)
{
    bool no_bus = getenv("DBUS_SESSION_BUS_ADDRESS") == NULL;
    if (no_bus)
        setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:", 1);
    int rc = SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    if (no_bus)
        unsetenv("DBUS_SESSION_BUS_ADDRESS");
    return rc;
}

/* The software renderer paints into the window's pixels (X: an 8 MiB MIT-SHM segment at
 * 1080p), fresh memory touched first by the first page: one page fault per 4 KiB, ~25 ms of
 * the first frame in a VM. One madvise makes them all at once (~4 ms). Not on a GL renderer
 * (asking for the window surface there would take the window from GL). */
static void window_pixels_populate(SDL_Window *win, SDL_Renderer *ren)
{
#ifdef MADV_POPULATE_WRITE
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(ren, &info) != 0 || !(info.flags & SDL_RENDERER_SOFTWARE))
        return;
    SDL_Surface *ws = SDL_GetWindowSurface(win);
    if (!ws || !ws->pixels)
        return;
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)ws->pixels & ~(uintptr_t)(page > 0 ? page - 1 : 4095);
    size_t len = (size_t)ws->h * (size_t)ws->pitch + ((uintptr_t)ws->pixels - start);
    if (madvise((void *)start, len, MADV_POPULATE_WRITE) != 0)
        LOG_DBG("window pixels not populated ahead: %s", strerror(errno)); /* older kernel */
#else
    (void)win;
    (void)ren;
#endif
}

uint32_t kiosk_event_type(enum kiosk_event_id id)
{
    return event_base + (Uint32)id;
}

bool kiosk_display_open(struct kiosk_display *d, const struct cli *cli, const struct config *cfg)
{
    memset(d, 0, sizeof *d);
    /* Before SDL starts: a child asks which GL renderer there is (render/backend.c). */
    struct render_backend_probe probe;
    char *remember = xasprintf("%s/renderer-probe", cfg->data_dir);
    bool probed = cfg->renderer == CONFIG_RENDERER_AUTO &&
                  render_backend_probe_wanted(getenv("SDL_VIDEODRIVER"));
    if (probed)
        render_backend_probe(&probe, remember);
    free(remember);
    /* The "software" renderer on X11 otherwise loads Mesa/LLVM (~100 MiB for the same picture).
     * kmsdrm has no window surface but a GL texture: there it must be GLES2 (render/backend.c). */
    const char *video = getenv("SDL_VIDEODRIVER");
    bool kms = video && strcasecmp(video, "kmsdrm") == 0;
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, kms ? "opengles2" : "0");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_RENDER_VSYNC, "1");
    if (sdl_init_video() != 0) {
        LOG_ERR("cannot start the display: %s (set SDL_VIDEODRIVER=kmsdrm on a board with no "
                "desktop)",
                SDL_GetError());
        return false;
    }
    if (!event_base) {
        event_base = SDL_RegisterEvents(KIOSK_EVENT_COUNT_);
        if (event_base == (Uint32)-1) {
            LOG_ERR("cannot register the loop's events: %s", SDL_GetError());
            SDL_Quit();
            return false;
        }
    }
    SDL_DisplayMode mode;
    int dw = 0, dh = 0; /* no display to ask: the default size */
    if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
        dw = mode.w;
        dh = mode.h;
    }
    bool windowed = cli->windowed;
    int w, h;
    setup_screen_size(cfg, cli->width, cli->height, windowed ? 1280 : dw, windowed ? 720 : dh, &w,
                      &h);
    /* Borderless at the display's size at 0,0: FULLSCREEN_DESKTOP leaves a smaller window when
     * no window manager runs (Xvfb, bare X). kmsdrm is fullscreen by nature. */
    Uint32 flags = SDL_WINDOW_SHOWN | (windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_BORDERLESS);
    int x = windowed ? (int)SDL_WINDOWPOS_CENTERED : 0,
        y = windowed ? (int)SDL_WINDOWPOS_CENTERED : 0;
    d->win = SDL_CreateWindow("bangtin", x, y, w, h, flags);
    if (!d->win) {
        LOG_ERR("cannot create the window: %s", SDL_GetError());
        SDL_Quit();
        return false;
    }
    d->ren = render_backend_open(&d->win, cfg->renderer, probed ? &probe : NULL);
    if (!d->ren) {
        LOG_ERR("cannot create a renderer: %s", SDL_GetError());
        if (d->win)
            SDL_DestroyWindow(d->win);
        SDL_Quit();
        return false;
    }
    window_pixels_populate(d->win, d->ren);
    SDL_GetRendererOutputSize(d->ren, &d->w, &d->h);
    const char *driver = SDL_GetCurrentVideoDriver();
    d->can_block = driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "wayland") == 0);
    d->wake[0] = d->wake[1] = -1;
    if (pipe(d->wake) == 0) {
        for (int i = 0; i < 2; i++)
            fcntl(d->wake[i], F_SETFL, fcntl(d->wake[i], F_GETFL) | O_NONBLOCK);
        for (int i = 0; i < 2; i++)
            fcntl(d->wake[i], F_SETFD, FD_CLOEXEC);
    }
    if (!windowed)
        SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();
    SDL_RendererInfo info;
    SDL_GetRendererInfo(d->ren, &info);
    LOG_INFO("display %dx%d, video driver %s, renderer %s", d->w, d->h, SDL_GetCurrentVideoDriver(),
             info.name);
    return true;
}

void kiosk_display_wake(const struct kiosk_display *d)
{
    if (d->wake[1] >= 0) {
        char c = 1;
        ssize_t n = write(d->wake[1], &c, 1); /* full pipe: a wake-up is pending anyway */
        (void)n;
    }
}

void kiosk_display_close(struct kiosk_display *d)
{
    for (int i = 0; i < 2; i++) {
        if (d->wake[i] >= 0)
            close(d->wake[i]);
    }
    if (d->ren)
        SDL_DestroyRenderer(d->ren);
    if (d->win)
        SDL_DestroyWindow(d->win);
    SDL_Quit();
}
