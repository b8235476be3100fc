/* kiosk internals shared by the files of app/kiosk. Calls go one way only: loop.c → start.c →
 * events.c → push.c → panel.c → photos.c → display.c (a file calls only files to its right). */
#ifndef BANGTIN_KIOSK_PRIV_H
#define BANGTIN_KIOSK_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "bangtin/render.h"
#include "bangtin/sched.h"
#include "display.h"
#include "glue/playlist.h"
#include "glue/report.h"

struct cli;
struct config;
struct net_result;
struct render_frame_info;

struct kiosk_source_state {
    bool failing;
    int64_t failing_since;
    int64_t last_success; /* for the footer's freshness (news sources only count) */
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
    struct report status;
    struct kiosk_source_state *src_state;

    struct sched_slot slot;
    bool first_frame_logged, images_running;
    bool reloaded;           /* started again by SIGHUP */
    bool background_started; /* the rest laid out, network and photos started */
    int64_t idle_since;      /* wall clock: nothing to show since then (0 = something or loading) */
    bool have_slot, show_status, items_dirty, need_redraw, animating, quit;
    bool trim_due; /* a frame was drawn since the heap was last trimmed */
    uint64_t page_serial;
    int64_t start_ms, render_heartbeat, next_cache_poll, next_status_file, last_minute;
    int64_t data_version;
    enum render_night night;
    char shown_urgent[128];  /* id of the urgent notice on screen, for the log */
    char logged_urgent[128]; /* the last one logged: once a notice, not at each of its turns */
    const char *frame_dump;  /* tests: BANGTIN_FRAME_DUMP folder for every new frame */
    int frame_serial;
    char errors[1024];        /* recent errors, newest first, for the status page */
    struct push_client *push; /* NULL when [push] broker is empty */
    char *push_status_key;    /* last published status without its clock fields */
    int64_t push_status_mono;
    struct desk *panel; /* the screen's own panel; NULL when [panel] listen is empty */
};

bool kiosk_start(struct kiosk *k, const struct cli *cli, const struct config *cfg,
                 struct kiosk_display *d);
/* After the first frame (or the first second): the items not yet laid out, the fetch worker,
 * push, photos and the status file. The first frame waits for none of them. */
void kiosk_start_background(struct kiosk *k);
void kiosk_stop(struct kiosk *k);
/* events.c */
/* Show the slot the scheduler says is due (or the status page, or the waiting page). */
void kiosk_show_current(struct kiosk *k, bool instant);
/* Rebuild the rotation from the cache, keeping the item on screen. */
void kiosk_reload_items(struct kiosk *k);
void kiosk_on_fetch(struct kiosk *k, const struct net_result *r);
/* Errors the SD-card image's provisioning left for the status page. */
void kiosk_note_provision_error(struct kiosk *k);
void kiosk_frame_info(const struct kiosk *k, struct render_frame_info *fi);
void kiosk_update_night(struct kiosk *k);
/* Re-read the active urgent notices; when the set changed, pre-empt (or return to the
 * rotation) and show the new slot at once. */
void kiosk_reload_urgent(struct kiosk *k, int64_t now_ms);
void kiosk_write_status(struct kiosk *k);
/* photos.c: start a download batch if none runs; the batch's event; forget batches on stop. */
void kiosk_photos_start(struct kiosk *k);
void kiosk_photos_done(struct kiosk *k, void *data);
void kiosk_photos_stop(struct kiosk *k);
/* push.c (MQTT): start/stop the client, apply a batch (receiver frees; true = the urgent
 * notices changed: reload them), put the push state into a report, publish the status (on
 * change, and every 5 minutes). */
struct push_batch;
/* panel.c: [panel] (DESIGN.md §11). */
union SDL_Event;
void kiosk_panel_start(struct kiosk *k);
void kiosk_panel_stop(struct kiosk *k);
bool kiosk_panel_capture_pending(const struct kiosk *k);
void kiosk_panel_capture(struct kiosk *k);
void kiosk_push_start(struct kiosk *k);
void kiosk_push_stop(struct kiosk *k);
bool kiosk_push_on_batch(struct kiosk *k, struct push_batch *b);
void kiosk_push_fill_status(struct kiosk *k, struct report *s);
void kiosk_push_publish_status(struct kiosk *k, const struct report *s);

#endif
