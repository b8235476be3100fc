/* backend: which SDL renderer draws the screen. A GL renderer that is not a GPU — Mesa's
 * llvmpipe, softpipe or swrast, e.g. under Xvfb or on a board without a GPU driver — costs
 * ~100 MiB for the picture SDL's software renderer makes in ~15 MiB (DESIGN.md §9), so `auto`
 * asks the GL renderer what it is and falls back to the software renderer when it is one of
 * those. `[display] renderer = gpu|software` overrides. The log says which and why.
 *
 * Asking costs the asker ~50 MiB that stay mapped (Mesa and LLVM), so a child process asks,
 * forked before SDL starts, and the parent waits until the child has exited: on KMS/DRM only
 * one process can drive the display, and on two cores a child starting Mesa beside the kiosk
 * slows the first frame. The answer is remembered in the data directory with what it depends
 * on (the video driver asked for, whether there is an X or Wayland display, the kernel's DRM
 * drivers); a later start with the same machine takes the remembered answer and forks no child.
 * File: line 1 the answer, line 2 the machine key. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <SDL.h>

#include "bangtin/clock.h"
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

/* SDL's render driver named name, or -1. */
static int render_driver_index(const char *name)
{
    for (int i = 0; i < SDL_GetNumRenderDrivers(); i++) {
        SDL_RendererInfo info;
        if (SDL_GetRenderDriverInfo(i, &info) == 0 && strcmp(info.name, name) == 0)
            return i;
    }
    return -1;
}

/* On kmsdrm SDL's desktop-GL renderer ("opengl", a GL 2.1 context through EGL/GBM) shows only
 * what glClear paints: every texture copy — the page, the header, the text — and every read
 * back are lost without an error (seen with Mesa llvmpipe and softpipe on virtio-gpu, Debian
 * 12, SDL 2.26; docs/image.md). SDL's kmsdrm is built around OpenGL ES, so there "opengles2"
 * draws, unless SDL_RENDER_DRIVER names a driver. */
static SDL_Renderer *accelerated(SDL_Window *win)
{
    Uint32 flags =
        SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC | SDL_RENDERER_TARGETTEXTURE;
    const char *want = render_backend_preferred_driver(SDL_GetCurrentVideoDriver(),
                                                       SDL_GetHint(SDL_HINT_RENDER_DRIVER));
    int gles2 = want ? render_driver_index(want) : -1;
    if (gles2 >= 0) {
        SDL_Renderer *ren = SDL_CreateRenderer(win, gles2, flags);
        if (ren)
            return ren;
        LOG_WARN("kmsdrm: no opengles2 renderer (%s); trying the others", SDL_GetError());
    }
    return SDL_CreateRenderer(win, -1, flags);
}

/* The software renderer draws into the window's surface. Drivers without one of their own
 * (kmsdrm) get it only through a GL texture, which SDL_HINT_FRAMEBUFFER_ACCELERATION = 0
 * forbids (display.c names opengles2 there instead; SDL decides once per start). When it
 * cannot be made the accelerated renderer draws: never a blank screen. */
static SDL_Renderer *software(SDL_Window *win, const char *why)
{
    SDL_Renderer *ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    if (ren) {
        LOG_INFO("renderer: software (%s)", why);
        return ren;
    }
    LOG_ERR("software renderer: %s; the accelerated renderer draws instead", SDL_GetError());
    return accelerated(win);
}

const char *render_backend_preferred_driver(const char *video_driver, const char *forced)
{
    if (forced && *forced)
        return NULL; /* SDL_RENDER_DRIVER: SDL picks what it names */
    if (video_driver && SDL_strcasecmp(video_driver, "kmsdrm") == 0)
        return "opengles2";
    return NULL;
}

/* On kmsdrm every picture reaches the screen through EGL/GBM: the software renderer would add
 * a GL texture of the whole screen on top of the same Mesa, so `auto` keeps the GL renderer. */
static bool driver_needs_gl(void)
{
    const char *d = SDL_GetCurrentVideoDriver();
    return d && SDL_strcasecmp(d, "kmsdrm") == 0;
}

bool render_backend_probe_wanted(const char *video_driver)
{
    /* The probe's child would open the DRM device beside this process (and may hold DRM
     * master while the kiosk sets its mode): on kmsdrm the answer is not used anyway. */
    return !(video_driver && SDL_strcasecmp(video_driver, "kmsdrm") == 0);
}

/* What the answer depends on: the video driver asked for, X/Wayland, the DRM drivers. */
static void machine_key(char *key, size_t len)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    int n = snprintf(key, len, "video=%s x11=%d wayland=%d drm=", drv ? drv : "",
                     getenv("DISPLAY") != NULL, getenv("WAYLAND_DISPLAY") != NULL);
    DIR *d = opendir("/sys/class/drm");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n > 0 && (size_t)n < len) {
        if (strncmp(e->d_name, "card", 4) != 0 || strchr(e->d_name, '-'))
            continue; /* card0, not its connectors card0-HDMI-A-1 */
        char link[512], target[512];
        snprintf(link, sizeof link, "/sys/class/drm/%s/device/driver", e->d_name);
        ssize_t t = readlink(link, target, sizeof target - 1);
        if (t <= 0)
            continue;
        target[t] = '\0';
        const char *base = strrchr(target, '/');
        n += snprintf(key + n, len - (size_t)n, "%s:%s,", e->d_name, base ? base + 1 : target);
    }
    if (d)
        closedir(d);
}

/* The child: a hidden window, SDL's accelerated renderer, its GL_RENDERER ("-" when not GL,
 * "none" when there is no accelerated renderer) to the remembered file and to fd. */
static void probe_child(int fd, const char *remember, const char *key)
{
    char answer[256] = "none";
    if (SDL_Init(SDL_INIT_VIDEO) == 0) {
        SDL_Window *w = SDL_CreateWindow("bangtin-probe", 0, 0, 16, 16, SDL_WINDOW_HIDDEN);
        SDL_Renderer *ren = w ? SDL_CreateRenderer(w, -1, SDL_RENDERER_ACCELERATED) : NULL;
        if (ren) {
            const char *gl = gl_renderer_name(ren);
            snprintf(answer, sizeof answer, "%s", gl ? gl : "-");
        }
    }
    answer[strcspn(answer, "\n")] = '\0';
    size_t n = strlen(answer);
    if (remember) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", remember);
        FILE *out = fopen(tmp, "we");
        if (out) {
            bool ok = fprintf(out, "%s\n%s\n", answer, key) > 0;
            ok = fclose(out) == 0 && ok;
            if (ok)
                rename(tmp, remember);
        }
    }
    answer[n++] = '\n';
    if (write(fd, answer, n) < 0) {
        /* the parent stopped waiting: the file above is for the next start */
    }
    _exit(0); /* closes the display device too: the parent waits for that (EOF on fd) */
}

static bool read_line(int fd, char *buf, size_t len, int timeout_ms)
{
    size_t n = 0;
    while (n + 1 < len) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        ssize_t got = read(fd, buf + n, 1);
        if (got <= 0)
            return false;
        if (buf[n] == '\n')
            break;
        n++;
    }
    buf[n] = '\0';
    return n > 0;
}

void render_backend_probe(struct render_backend_probe *p, const char *remember)
{
    memset(p, 0, sizeof(*p));
    p->fd = -1;
    char key[1024], saved[1024] = "";
    machine_key(key, sizeof key);
    if (remember) {
        FILE *f = fopen(remember, "re");
        if (f) {
            bool got = fgets(p->answer, sizeof p->answer, f) != NULL;
            got = got && fgets(saved, sizeof saved, f) != NULL;
            fclose(f);
            p->answer[strcspn(p->answer, "\n")] = '\0';
            saved[strcspn(saved, "\n")] = '\0';
            p->cached = got && p->answer[0] && strcmp(saved, key) == 0;
        }
    }
    if (p->cached)
        return; /* the same machine as when it was asked: no child */
    p->answer[0] = '\0';
    int fds[2];
    if (pipe(fds) != 0)
        return;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* Double fork: a grandchild stuck in a driver is nobody's zombie; the parent gives up
         * on it after 5 s (then it asks in-process). */
        close(fds[0]);
        if (fork() == 0)
            probe_child(fds[1], remember, key);
        _exit(0);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return;
    }
    waitpid(pid, NULL, 0);
    p->fd = fds[0];
    fcntl(p->fd, F_SETFD, FD_CLOEXEC);
}

/* The GL renderer: the remembered answer, else the child's once it has exited (up to 5 s). */
static const char *probe_answer(struct render_backend_probe *p)
{
    if (!p->cached && p->fd >= 0) {
        int64_t until = clock_mono_ms() + 5000;
        if (!read_line(p->fd, p->answer, sizeof p->answer, 5000))
            p->answer[0] = '\0';
        /* EOF: the child has exited and let go of the display device. */
        char c;
        int left;
        while ((left = (int)(until - clock_mono_ms())) > 0) {
            struct pollfd pf = {.fd = p->fd, .events = POLLIN};
            if (poll(&pf, 1, left) <= 0 || read(p->fd, &c, 1) <= 0)
                break;
        }
    }
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
    return p->answer[0] ? p->answer : NULL;
}

SDL_Renderer *render_backend_open(SDL_Window **win, int mode, struct render_backend_probe *probe)
{
    bool kms = driver_needs_gl();
    if (mode == CONFIG_RENDERER_AUTO && probe) {
        const char *gl = probe_answer(probe);
        if (render_backend_is_cpu_gl(gl) && !kms) {
            char why[320];
            SDL_snprintf(why, sizeof why,
                         "GL_RENDERER is %s%s: no GPU, the same picture in less "
                         "memory",
                         gl, probe->cached ? " (remembered from the last start)" : "");
            return software(*win, why);
        }
    }
    const char *forced = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
    if (mode == CONFIG_RENDERER_SOFTWARE)
        return software(*win, "[display] renderer = software");
    if (mode == CONFIG_RENDERER_AUTO && forced && strcmp(forced, "software") == 0)
        return software(*win, "SDL_RENDER_DRIVER=software");
    SDL_Renderer *ren = accelerated(*win);
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
    if (kms) {
        LOG_INFO("renderer: %s, GL_RENDERER %s (no GPU, but kmsdrm shows every picture "
                 "through GL: the software renderer would only add a copy)",
                 info.name, gl);
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
