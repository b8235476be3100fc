/* status: what IT staff see on the status page and what monitoring reads from
 * /run/bangtin/status.json. */
#ifndef BANGTIN_APP_STATUS_H
#define BANGTIN_APP_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/render.h"

struct config;
struct store;

struct status_snapshot {
    struct render_status rs; /* points into the fields below */
    struct render_source_status *sources;
    char **owned; /* strings the snapshot owns */
    size_t n_owned;
    char addresses[512];
    char errors[2048];
    char push[512];         /* MQTT state line, "" when [push] is off (kiosk_push fills it) */
    const char *push_state; /* push_state_name, NULL when off */
};

/* Collect now. last_errors: newline-separated recent errors (may be NULL). */
void status_collect(struct status_snapshot *s, struct store *st, const struct config *cfg,
                    int64_t uptime_s, const char *last_errors);
void status_free(struct status_snapshot *s);
/* Write status.json atomically (creating its folder). */
bool status_write_json(const struct status_snapshot *s, const char *path, int64_t now);

#endif
