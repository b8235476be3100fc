/* kiosk_push: the kiosk's side of MQTT (DESIGN.md §12). The push thread's batches arrive as
 * SDL events like fetch results; they are applied here on the main thread through the signed
 * notice rules, and the screen's status is published on change and every 5 minutes. */
#define LOG_MODULE "kiosk"
#include "app.h"
#include "kiosk_priv.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_REPUBLISH_MS (5 * 60 * 1000)

/* Push thread → main thread, like the fetch worker's results. The receiver frees. */
static void deliver(void *ctx, struct push_batch *b)
{
    struct kiosk *k = ctx;
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = k->push_event;
    ev.user.data1 = b;
    if (SDL_PushEvent(&ev) != 1) {
        push_batch_free(b);
        push_client_batch_done(k->push);
    } else {
        kiosk_display_wake(k->disp);
    }
}

void kiosk_push_start(struct kiosk *k)
{
    const struct config *cfg = k->cfg;
    if (str_empty(cfg->push_broker))
        return;
    k->push_event = SDL_RegisterEvents(1);
    char device[80];
    push_device_id(cfg->push_device_id, NULL, device, sizeof device);
    struct push_client_config pc;
    memset(&pc, 0, sizeof pc);
    push_conn_from_config(cfg, &pc.conn);
    pc.device_id = device;
    pc.province_code = cfg->province_code;
    pc.commune_code = cfg->commune_code;
    pc.deliver = deliver;
    pc.ctx = k;
    k->push = push_client_start(&pc);
}

void kiosk_push_stop(struct kiosk *k)
{
    if (!k->push)
        return;
    push_client_stop(k->push);
    k->push = NULL;
    SDL_Event ev;
    while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, k->push_event, k->push_event) == 1)
        push_batch_free(ev.user.data1);
    free(k->push_status_key);
    k->push_status_key = NULL;
}

bool kiosk_push_on_batch(struct kiosk *k, struct push_batch *b)
{
    if (b->n == 0) /* the connection state changed: status.json now */
        k->next_status_file = clock_mono_ms();
    size_t changed =
        push_apply_batch(k->store, k->cfg, k->push, b, clock_now(), clock_is_trusted());
    push_batch_free(b);
    push_client_batch_done(k->push);
    if (changed == 0)
        return false;
    /* Our own commit moved data_version: no second reload from the cache poll. */
    k->data_version = store_data_version(k->store);
    k->next_status_file = clock_mono_ms(); /* what is on screen changes */
    return true;
}

void kiosk_push_fill_status(struct kiosk *k, struct status_snapshot *s)
{
    if (!k->push)
        return;
    struct push_state st;
    push_client_state(k->push, &st);
    push_state_line(&st, s->push, sizeof s->push);
    s->push_state = push_state_name(st.state);
    s->rs.push = s->push;
    s->rs.push_failing = st.state == PUSH_RETRYING;
}

void kiosk_push_publish_status(struct kiosk *k, const struct status_snapshot *s)
{
    if (!k->push)
        return;
    const struct config *cfg = k->cfg;
    struct store_urgent *act = NULL;
    size_t n_act = store_urgent_active(k->store, clock_now(), clock_is_trusted(), &act);
    const char **ids = xcalloc(n_act ? n_act : 1, sizeof *ids);
    for (size_t i = 0; i < n_act; i++)
        ids[i] = act[i].id;
    struct push_source_status *src = xcalloc(s->rs.n_sources ? s->rs.n_sources : 1, sizeof *src);
    for (size_t i = 0; i < s->rs.n_sources; i++) {
        src[i].name = s->rs.sources[i].name;
        src[i].last_success = s->rs.sources[i].last_success;
        src[i].last_error = s->rs.sources[i].last_error;
    }
    char showing[160], last_error[256] = "";
    if (k->shown_urgent[0])
        snprintf(showing, sizeof showing, "urgent:%s", k->shown_urgent);
    else if (k->show_status)
        snprintf(showing, sizeof showing, "status");
    else
        snprintf(showing, sizeof showing, "rotation:%zu items", k->pl.n_items);
    snprintf(last_error, sizeof last_error, "%.*s", (int)strcspn(k->errors, "\n"), k->errors);
    struct push_screen_status ps = {
        .device_id = push_client_device_id(k->push),
        .version = BANGTIN_VERSION,
        .office_name = cfg->office_name,
        .province_code = cfg->province_code,
        .commune_code = cfg->commune_code,
        .showing = showing,
        .last_error = last_error[0] ? last_error : NULL,
        .ip = s->addresses,
        .sources = src,
        .n_sources = s->rs.n_sources,
        .active_notices = ids,
        .n_active = n_act,
    };
    /* Uptime and time change every call: compare without them, publish on a real change or
     * every 5 minutes. */
    char *key = push_status_json(&ps);
    int64_t mono = clock_mono_ms();
    if (key && (!k->push_status_key || strcmp(key, k->push_status_key) != 0 ||
                mono - k->push_status_mono >= STATUS_REPUBLISH_MS)) {
        ps.uptime_s = (mono - k->start_ms) / 1000;
        ps.now = clock_is_trusted() ? clock_now() : 0;
        char *json = push_status_json(&ps);
        push_client_set_status(k->push, json);
        free(json);
        free(k->push_status_key);
        k->push_status_key = key;
        k->push_status_mono = mono;
        key = NULL;
    }
    free(key);
    free(src);
    free(ids);
    store_urgent_free(act, n_act);
}
