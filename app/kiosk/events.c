/* events: what happens to the screen between two ticks of the loop — a fetch result, the
 * cache changed under us, the night schedule, the status file — and the page on screen. */
#define LOG_MODULE "kiosk"
#include "kiosk_priv.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/render.h"
#include "bangtin/sched.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "bangtin/watchdog.h"
#include "cli.h"
#include "glue/ingest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kiosk_show_current(struct kiosk *k, bool instant)
{
    struct sched_slot slot;
    struct render_page_req req;
    memset(&req, 0, sizeof req);
    if (k->show_status) {
        report_free(&k->status);
        /* Uptime of the process: a SIGHUP reload does not restart it. */
        report_collect(&k->status, k->store, k->cfg, (clock_mono_ms() - k->cli->start_ms) / 1000,
                       k->errors);
        kiosk_push_fill_status(k, &k->status);
        req.kind = RENDER_PAGE_STATUS;
        req.status = &k->status.rs;
        req.key = ++k->page_serial << 1;
    } else if (sched_current(k->sched, &slot)) {
        playlist_page_req(&k->pl, &slot, &req);
        req.key = ++k->page_serial << 1 | 1;
        k->idle_since = 0;
        k->slot = slot;
        k->have_slot = true;
        /* An urgent page interrupts a transition at once. */
        instant = instant || slot.urgent;
        /* Logged when a notice takes the screen, not at each of its turns beside the news:
         * every journal line costs the SD card whole pages (docs/image.md, writes). */
        if (slot.urgent && strcmp(k->logged_urgent, req.urgent->id) != 0) {
            LOG_INFO("urgent notice on screen: %s", req.urgent->id);
            snprintf(k->logged_urgent, sizeof k->logged_urgent, "%s", req.urgent->id);
        }
        snprintf(k->shown_urgent, sizeof k->shown_urgent, "%s", slot.urgent ? req.urgent->id : "");
    } else {
        req.kind = RENDER_PAGE_EMPTY;
        req.key = 2;
        req.clock_trusted = clock_is_trusted();
        if (playlist_nothing_expected(k->store, k->cfg)) {
            if (!k->idle_since)
                k->idle_since = clock_now();
            req.idle_since = k->idle_since;
            req.key = (uint64_t)1 << 62 | (uint64_t)k->idle_since;
        }
        k->have_slot = false;
        k->shown_urgent[0] = '\0';
    }
    render_show(k->render, &req, instant, clock_mono_ms());
    k->need_redraw = true;
}

void kiosk_reload_items(struct kiosk *k)
{
    size_t keep = SIZE_MAX;
    int64_t keep_id = k->have_slot && !k->slot.urgent && k->slot.item < k->pl.n_items
                          ? k->pl.items[k->slot.item].id
                          : -1;
    render_flush_cache(k->render);
    playlist_load_items(&k->pl, k->store, k->render, k->cfg, clock_now(), clock_is_trusted(),
                        SIZE_MAX);
    if (keep_id >= 0)
        keep = playlist_find_item(&k->pl, keep_id);
    playlist_apply_items(&k->pl, k->sched, keep);
    k->items_dirty = false;
}

void kiosk_reload_urgent(struct kiosk *k, int64_t now_ms)
{
    bool changed =
        playlist_load_urgent(&k->pl, k->store, k->render, k->cfg, clock_now(), clock_is_trusted());
    if (!changed)
        return;
    LOG_INFO("urgent notices: %zu active", k->pl.n_urgent);
    playlist_apply_urgent(&k->pl, k->sched, k->pl.n_urgent > 0, now_ms);
    kiosk_update_night(k);
    kiosk_show_current(k, true);
}

static void remember_error(struct kiosk *k, const char *source, const char *err)
{
    char line[256];
    char hm[8];
    clock_format_hm(clock_now(), hm, sizeof hm);
    int n =
        snprintf(line, sizeof line, "%s %s: %s\n", clock_is_trusted() ? hm : "--:--", source, err);
    size_t len = n < 0 ? 0 : (size_t)n >= sizeof line ? sizeof line - 1 : (size_t)n;
    /* Newest first; the oldest lines fall off the end. */
    size_t keep = sizeof k->errors - 1 - len;
    size_t old = strlen(k->errors);
    if (old > keep)
        old = keep;
    memmove(k->errors + len, k->errors, old);
    memcpy(k->errors, line, len);
    k->errors[len + old] = '\0';
}

/* The SD-card image's provisioning (dist/image/provision) writes why it refused the
 * bangtin.conf of the boot partition to <data_dir>/provision-error.txt: shown on the status
 * page, first line on top. */
void kiosk_note_provision_error(struct kiosk *k)
{
    char *path = xasprintf("%s/provision-error.txt", k->cfg->data_dir);
    char *text = NULL;
    size_t len = 0;
    if (util_read_file(path, 4096, &text, &len)) {
        const char *lines[4];
        size_t n = 0;
        for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && n < 4;
             l = strtok_r(NULL, "\n", &save))
            lines[n++] = l;
        if (n > 0)
            LOG_WARN("%s: %s", path, lines[0]);
        while (n > 0)
            remember_error(k, "thẻ nhớ", lines[--n]);
    }
    free(text);
    free(path);
}

void kiosk_on_fetch(struct kiosk *k, const struct net_result *r)
{
    const struct config_source *src = config_find_source(k->cfg, r->source_id);
    if (!src)
        return;
    size_t idx = (size_t)(src - k->cfg->sources);
    char err[256];
    int64_t now = clock_now();
    enum ingest_outcome o = ingest_result(k->store, k->cfg, src, r, now, err, sizeof err);
    struct kiosk_source_state *ss = &k->src_state[idx];
    if (o == INGEST_FAILED) {
        LOG_WARN("%s: %s (cached items kept)", config_source_label(src), err);
        remember_error(k, config_source_label(src), err);
        if (!ss->failing)
            ss->failing_since = now;
        ss->failing = true;
        k->need_redraw = true;
        k->next_status_file = clock_mono_ms(); /* monitoring sees the error now */
        return;
    }
    if (ss->failing || o == INGEST_CHANGED)
        k->next_status_file = clock_mono_ms();
    if (ss->failing)
        LOG_INFO("%s: reachable again", config_source_label(src));
    ss->failing = false;
    ss->last_success = now;
    k->need_redraw = true;
    /* The validators are committed with the content: now the worker may send them. */
    if (r->resp.status == NET_OK)
        net_worker_set_validators(k->worker, src->id, r->resp.etag, r->resp.last_modified);
    if (o != INGEST_CHANGED)
        return;
    ingest_purge(k->store, k->cfg);
    if (src->kind == CONFIG_SOURCE_URGENT) {
        /* Our own commit also moved data_version: no second reload from the cache poll. */
        k->data_version = store_data_version(k->store);
        kiosk_reload_urgent(k, clock_mono_ms());
    } else {
        k->items_dirty = true;
        kiosk_photos_start(k);
    }
}

void kiosk_frame_info(const struct kiosk *k, struct render_frame_info *fi)
{
    memset(fi, 0, sizeof *fi);
    fi->now = clock_now();
    fi->clock_trusted = clock_is_trusted();
    const struct playlist *pl = &k->pl;
    if (k->have_slot) {
        playlist_frame_info(pl, &k->slot, fi);
    } else {
        fi->n_urgent = pl->n_urgent;
        fi->banner = pl->n_urgent ? &pl->urgent[0] : NULL;
    }
    /* About the news: an urgent source's success must not hide a news outage. */
    struct render_freshness fr = {0};
    for (size_t i = 0; i < k->cfg->n_sources; i++)
        render_freshness_add(&fr, k->cfg->sources[i].kind != CONFIG_SOURCE_URGENT,
                             k->src_state[i].failing, k->src_state[i].failing_since,
                             k->src_state[i].last_success);
    render_freshness_apply(&fr, fi);
}

void kiosk_update_night(struct kiosk *k)
{
    int on, off;
    enum render_night mode = RENDER_NIGHT_OFF;
    if (!str_empty(k->cfg->display_on) && config_parse_schedule(k->cfg->display_on, &on, &off) &&
        clock_is_trusted() && k->pl.n_urgent == 0) {
        struct clock_local l;
        clock_to_local(clock_now(), &l);
        int m = l.hour * 60 + l.minute;
        bool day = on <= off ? (m >= on && m < off) : (m >= on || m < off);
        if (!day)
            mode = k->cfg->night_dim ? RENDER_NIGHT_DIM : RENDER_NIGHT_BLANK;
    }
    if (mode != k->night) {
        LOG_INFO("display %s", mode == RENDER_NIGHT_OFF   ? "on"
                               : mode == RENDER_NIGHT_DIM ? "dimmed (night)"
                                                          : "off (night)");
        k->night = mode;
        render_set_night(k->render, mode);
        k->need_redraw = true;
    }
}

void kiosk_write_status(struct kiosk *k)
{
    struct report s;
    report_collect(&s, k->store, k->cfg, (clock_mono_ms() - k->cli->start_ms) / 1000, k->errors);
    kiosk_push_fill_status(k, &s);
    kiosk_push_publish_status(k, &s);
    if (!str_empty(k->cfg->status_file))
        report_write_json(&s, k->cfg->status_file, clock_now());
    /* systemctl status shows this line */
    watchdog_status("%zu items, %zu urgent, %s", s.rs.n_items, k->pl.n_urgent,
                    k->errors[0] ? "errors: see the status page" : "no errors");
    report_free(&s);
}
