/* desk preview: a notice rendered exactly as the screens will show it. The document is stored
 * in a scratch cache the way a screen stores it once accepted (notify_store_preview), then
 * `bangtin --screenshot` — the screens' own renderer and scheduler, in a child process so
 * that SDL never runs inside the HTTP server — draws landscape (1920×1080) and portrait
 * (1080×1920) frames with the desk config's [display] settings. The urgent pages cycle, so the
 * frames are taken one slot apart until the first page comes back. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOG_MODULE "desk"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "desk_priv.h"

#define SHOTS (DESK_PREVIEW_PAGES + 1)

static pid_t spawn(const struct desk *d, const char *data, const char *out, const char *size)
{
    char pages[8];
    snprintf(pages, sizeof(pages), "%d", SHOTS);
    const char *exe = d->o.exe ? d->o.exe : "/proc/self/exe";
    const char *argv[16];
    int n = 0;
    argv[n++] = "bangtin";
    if (d->o.config_path) {
        argv[n++] = "--config";
        argv[n++] = d->o.config_path;
    }
    argv[n++] = "--data-dir";
    argv[n++] = data;
    argv[n++] = "--log-level";
    argv[n++] = "error";
    argv[n++] = "--size";
    argv[n++] = size;
    argv[n++] = "--pages";
    argv[n++] = pages;
    argv[n++] = "--screenshot";
    argv[n++] = out;
    argv[n] = NULL;
    /* The environment is built before fork: the child of a threaded server may only call
     * async-signal-safe functions before exec. */
    extern char **environ;
    size_t ne = 0;
    while (environ[ne])
        ne++;
    char **envp = xcalloc(ne + 3, sizeof(char *));
    size_t k = 0;
    bool has_video = false, has_audio = false;
    for (size_t i = 0; i < ne; i++) {
        has_video |= str_starts_with(environ[i], "SDL_VIDEODRIVER=");
        has_audio |= str_starts_with(environ[i], "SDL_AUDIODRIVER=");
        envp[k++] = environ[i];
    }
    if (!has_video)
        envp[k++] = "SDL_VIDEODRIVER=dummy";
    if (!has_audio)
        envp[k++] = "SDL_AUDIODRIVER=dummy";
    pid_t pid = fork();
    if (pid == 0) {
        execve(exe, (char *const *)argv, envp);
        _exit(127);
    }
    free(envp);
    return pid;
}

static bool wait_ok(pid_t pid)
{
    int st;
    if (pid < 0)
        return false;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return false;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Reads out-001.png … and keeps the pages of one cycle. Returns the page count (0: failed). */
static int collect(const char *stem, struct desk_png *pngs, bool *more)
{
    struct desk_png all[SHOTS];
    int n = 0;
    for (int i = 0; i < SHOTS; i++) {
        char *p = xasprintf("%s-%03d.png", stem, i + 1);
        char *data = NULL;
        size_t len = 0;
        bool ok = util_read_file(p, 32u << 20, &data, &len);
        unlink(p);
        free(p);
        if (!ok)
            break;
        all[n].data = (uint8_t *)data;
        all[n].len = len;
        n++;
    }
    int pages = n;
    for (int i = 1; i < n; i++)
        if (all[i].len == all[0].len && memcmp(all[i].data, all[0].data, all[0].len) == 0) {
            pages = i;
            break;
        }
    *more = false;
    if (pages > DESK_PREVIEW_PAGES) {
        pages = DESK_PREVIEW_PAGES;
        *more = true;
    }
    for (int i = 0; i < n; i++) {
        if (i < pages)
            pngs[i] = all[i];
        else
            free(all[i].data);
    }
    return pages;
}

bool desk_preview_make(struct desk *d, const char *doc, size_t doc_len, struct desk_preview *p,
                       char *err, size_t err_len)
{
    char tmpl[] = "/tmp/bangtin-preview-XXXXXX";
    if (!mkdtemp(tmpl)) {
        snprintf(err, err_len, "cannot make a scratch folder: %s", strerror(errno));
        return false;
    }
    char *data = xasprintf("%s/data", tmpl);
    char *land = xasprintf("%s/l.png", tmpl), *port = xasprintf("%s/p.png", tmpl);
    char *stem_l = xasprintf("%s/l", tmpl), *stem_p = xasprintf("%s/p", tmpl);
    bool ok = util_mkdir_p(data, 0700);
    struct store *s = ok ? store_open(data) : NULL;
    const char *signer = str_empty(d->cfg->desk_signer_name) ? "?" : d->cfg->desk_signer_name;
    ok = s && notify_store_preview(s, "desk", doc, doc_len, signer, err, err_len);
    if (s)
        store_close(s);
    if (ok) {
        /* Both orientations at once: two children on two cores. */
        pid_t a = spawn(d, data, land, "1920x1080");
        pid_t b = spawn(d, data, port, "1080x1920");
        bool ra = wait_ok(a), rb = wait_ok(b);
        ok = ra && rb;
        if (!ok)
            snprintf(err, err_len, "the renderer (%s --screenshot) failed",
                     d->o.exe ? d->o.exe : "bangtin");
    }
    bool m1 = false, m2 = false;
    if (ok) {
        p->n_land = collect(stem_l, p->land, &m1);
        p->n_port = collect(stem_p, p->port, &m2);
        p->more = m1 || m2;
        ok = p->n_land > 0 && p->n_port > 0;
        if (!ok)
            snprintf(err, err_len, "the renderer wrote no picture");
    }
    /* Scratch cache: remove what the store and the renderer left. */
    const char *files[] = {"cache.db", "cache.db-wal", "cache.db-shm"};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char *f = xasprintf("%s/%s", data, files[i]);
        unlink(f);
        free(f);
    }
    char *q = xasprintf("%s/quarantine", data);
    rmdir(q);
    free(q);
    if (rmdir(data) != 0 || rmdir(tmpl) != 0)
        LOG_WARN("preview scratch folder %s not removed: %s", tmpl, strerror(errno));
    free(data), free(land), free(port), free(stem_l), free(stem_p);
    if (!ok)
        desk_preview_free(p);
    return ok;
}

void desk_preview_free(struct desk_preview *p)
{
    for (int i = 0; i < p->n_land; i++)
        free(p->land[i].data);
    for (int i = 0; i < p->n_port; i++)
        free(p->port[i].data);
    p->n_land = p->n_port = 0;
}
