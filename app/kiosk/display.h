/* display: the window and renderer the kiosk draws into, and the wake-up of its loop. */
#ifndef BANGTIN_KIOSK_DISPLAY_H
#define BANGTIN_KIOSK_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>

struct cli;
struct config;
struct SDL_Window;
struct SDL_Renderer;

struct kiosk_display {
    struct SDL_Window *win;
    struct SDL_Renderer *ren;
    int w, h;       /* output pixels */
    bool can_block; /* the video driver sleeps in SDL_WaitEventTimeout (x11, wayland) */
    int wake[2];    /* pipe written by threads that push events, for the other drivers */
};

/* The SDL user events other threads hand results to the loop with; the receiver frees the
 * payload (data1). Registered in one place, at the first kiosk_display_open. */
enum kiosk_event_id {
    KIOSK_EVENT_FETCH,  /* struct net_result *: a feed fetched by the net worker */
    KIOSK_EVENT_PHOTOS, /* struct images_batch *: lead photos downloaded */
    KIOSK_EVENT_PUSH,   /* struct push_batch *: what the MQTT thread received */
    KIOSK_EVENT_PANEL,  /* no payload: the panel wants the frame on screen (a PNG) */
    KIOSK_EVENT_COUNT_
};
uint32_t kiosk_event_type(enum kiosk_event_id id);

bool kiosk_display_open(struct kiosk_display *d, const struct cli *cli, const struct config *cfg);
void kiosk_display_close(struct kiosk_display *d);
/* Wake the loop after pushing an SDL event from another thread. Thread-safe. */
void kiosk_display_wake(const struct kiosk_display *d);

#endif
