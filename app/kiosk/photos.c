/* photos: lead photos are downloaded on a short-lived thread so the loop never waits on
 * the network; results come back as an SDL event (the receiver commits and frees). */
#define LOG_MODULE "images"
#include "kiosk_priv.h"

#include "bangtin/log.h"
#include "bangtin/util.h"
#include "glue/images.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>

struct images_batch {
    struct images_env env;
    struct images_job *jobs;
    size_t n;
    int generation;
    uint32_t event;
    const struct kiosk_display *disp; /* lives until the process exits */
};

/* Bumped when a kiosk stops: a batch of an older kiosk frees itself instead of reporting. */
static SDL_atomic_t generation;

static void batch_free(struct images_batch *b)
{
    images_jobs_free(b->jobs, b->n);
    images_env_free(&b->env);
    free(b);
}

static int batch_main(void *arg)
{
    struct images_batch *b = arg;
    /* In the fetch process, like the feeds (app/net/proc.c): no libcurl in the screen. */
    b->env.proc = net_proc_new(NULL);
    for (size_t i = 0; i < b->n && SDL_AtomicGet(&generation) == b->generation; i++)
        images_download(&b->env, &b->jobs[i]);
    net_proc_idle(b->env.proc);
    net_proc_free(b->env.proc);
    b->env.proc = NULL;
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = b->event;
    ev.user.data1 = b;
    const struct kiosk_display *disp = b->disp;
    if (SDL_AtomicGet(&generation) != b->generation || SDL_PushEvent(&ev) != 1)
        batch_free(b);
    else
        kiosk_display_wake(disp);
    return 0;
}

void kiosk_photos_start(struct kiosk *k)
{
    if (k->images_running)
        return;
    struct images_batch *b = xcalloc(1, sizeof *b);
    b->n = images_pending(k->store, k->cfg, 16, &b->jobs);
    if (b->n == 0) {
        batch_free(b);
        return;
    }
    images_env_init(&b->env, k->cfg);
    b->generation = SDL_AtomicGet(&generation);
    b->event = kiosk_event_type(KIOSK_EVENT_PHOTOS);
    b->disp = k->disp;
    SDL_Thread *t = SDL_CreateThread(batch_main, "bangtin-images", b);
    if (!t) {
        LOG_WARN("cannot start the photo download thread: %s", SDL_GetError());
        batch_free(b);
        return;
    }
    SDL_DetachThread(t);
    k->images_running = true;
}

void kiosk_photos_done(struct kiosk *k, void *data)
{
    struct images_batch *b = data;
    images_commit(k->store, k->cfg, b->jobs, b->n);
    batch_free(b);
    k->images_running = false;
    k->items_dirty = true;
    /* More may be waiting (a feed with more than one batch of photos). */
    kiosk_photos_start(k);
}

void kiosk_photos_stop(struct kiosk *k)
{
    SDL_AtomicIncRef(&generation);
    SDL_Event ev;
    Uint32 photos = kiosk_event_type(KIOSK_EVENT_PHOTOS);
    while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, photos, photos) == 1)
        batch_free(ev.user.data1);
    k->images_running = false;
}
