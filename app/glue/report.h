/* report: what IT staff see on the status page and what monitoring reads from
 * /run/bangtin/status.json (the render module draws the page; this collects and writes). */
#ifndef BANGTIN_GLUE_REPORT_H
#define BANGTIN_GLUE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/render.h"

struct config;
struct store;

struct report {
    struct render_status rs; /* points into the fields below */
    struct render_source_status *sources;
    char **owned; /* strings the snapshot owns */
    size_t n_owned;
    char addresses[512];
    char errors[2048];
    char push[512];              /* MQTT state line, "" when [push] is off (kiosk_push fills it) */
    const char *push_state;      /* push_state_name, NULL when off */
    struct store_urgent *urgent; /* active notices */
    size_t n_urgent;
    char **key_ids, **key_names; /* pinned keys */
    size_t n_keys;
};

/* Collect now. last_errors: newline-separated recent errors (may be NULL). */
void report_collect(struct report *s, struct store *st, const struct config *cfg, int64_t uptime_s,
                    const char *last_errors);
void report_free(struct report *s);
/* The running kiosk's uptime from its status.json (for `--screenshot --status`, which is
 * another process): uptime_s plus the time since it was written; -1 when unknown. */
int64_t report_read_uptime(const char *path, int64_t now);
/* Write status.json atomically (creating its folder). */
bool report_write_json(const struct report *s, const char *path, int64_t now);

#endif
