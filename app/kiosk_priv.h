/* kiosk internals shared by kiosk.c (the loop) and kiosk_setup.c (everything around it). */
#ifndef BANGTIN_APP_KIOSK_PRIV_H
#define BANGTIN_APP_KIOSK_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "bangtin/sched.h"
#include "playlist.h"
#include "status.h"

struct cli;
struct config;
struct net_result;
struct render_frame_info;
struct SDL_Window;
struct SDL_Renderer;

struct kiosk_display {
    struct SDL_Window *win;
    struct SDL_Renderer *ren;
    int w, h;       /* output pixels */
    bool can_block; /* the video driver sleeps in SDL_WaitEventTimeout (x11, wayland) */
    int wake[2];    /* pipe written by threads that push events, for the other drivers */
};

/* Wake the loop after pushing an SDL event from another thread. Thread-safe. */
void kiosk_display_wake(const struct kiosk_display *d);

struct kiosk_source_state {
    bool failing;
    int64_t failing_since;
};

struct kiosk {
    const struct cli *cli;
    const struct config *cfg;
    struct kiosk_display *disp;
    struct render *render;
    struct store *store;
    struct sched *sched;
    struct net_worker *worker;
    struct playlist pl;
    struct status_snapshot status;
    struct kiosk_source_state *src_state;
    uint32_t fetch_event;

    struct sched_slot slot;
    bool first_frame_logged, images_running;
    bool have_slot, show_status, items_dirty, need_redraw, animating, quit;
    uint64_t page_serial;
    int64_t start_ms, render_heartbeat, next_cache_poll, next_status_file, last_minute;
    int64_t data_version, last_success;
    int night;
    char shown_urgent[128]; /* id of the urgent notice on screen, for the log */
    const char *frame_dump; /* tests: BANGTIN_FRAME_DUMP folder for every new frame */
    int frame_serial;
    char errors[1024];        /* recent errors, newest first, for the status page */
    struct push_client *push; /* NULL when [push] broker is empty */
    uint32_t push_event;
    char *push_status_key; /* last published status without its clock fields */
    int64_t push_status_mono;
    struct desk *panel; /* the screen's own panel; NULL when [panel] listen is empty */
    uint32_t panel_event;
};

bool kiosk_display_open(struct kiosk_display *d, const struct cli *cli, const struct config *cfg);
void kiosk_display_close(struct kiosk_display *d);
bool kiosk_start(struct kiosk *k, const struct cli *cli, const struct config *cfg,
                 struct kiosk_display *d);
void kiosk_stop(struct kiosk *k);
void kiosk_on_fetch(struct kiosk *k, const struct net_result *r);
void kiosk_frame_info(const struct kiosk *k, struct render_frame_info *fi);
void kiosk_update_night(struct kiosk *k);
/* Re-read the active urgent notices; when the set changed, pre-empt (or return to the
 * rotation) and show the new slot at once. */
void kiosk_reload_urgent(struct kiosk *k, int64_t now_ms);
void kiosk_write_status(struct kiosk *k);
/* Photos: start a download batch if none runs; the batch's event; forget batches on stop. */
void kiosk_images_start(struct kiosk *k);
void kiosk_images_done(struct kiosk *k, void *data);
void kiosk_images_stop(struct kiosk *k);
/* MQTT (kiosk_push.c): start/stop the client, apply a batch (receiver frees; true = the
 * urgent notices changed: reload them), put the push state into a status snapshot, publish
 * the status (on change, and every 5 minutes). */
struct push_batch;
/* kiosk_panel.c: [panel] (DESIGN.md §11). */
union SDL_Event;
void kiosk_panel_start(struct kiosk *k);
void kiosk_panel_stop(struct kiosk *k);
bool kiosk_panel_is_event(const struct kiosk *k, const union SDL_Event *ev);
bool kiosk_panel_capture_pending(const struct kiosk *k);
void kiosk_panel_capture(struct kiosk *k);
void kiosk_push_start(struct kiosk *k);
void kiosk_push_stop(struct kiosk *k);
bool kiosk_push_on_batch(struct kiosk *k, struct push_batch *b);
void kiosk_push_fill_status(struct kiosk *k, struct status_snapshot *s);
void kiosk_push_publish_status(struct kiosk *k, const struct status_snapshot *s);

#endif
