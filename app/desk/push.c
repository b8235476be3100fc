/* desk push glue: publishing to MQTT and reading the fleet go through push.h (issue 13's
 * client). The desk keeps one fleet connection; when the broker was down at start it tries
 * again at most every DESK_PUSH_RETRY_S when a page needs it. When a publish fails, the
 * screens of the notice's targets that the fleet view knows are named, so the page can say
 * which screens cannot be reached now (the webroot copy is written regardless). */
#include <stdio.h>
#include <string.h>

#define LOG_MODULE "desk"
#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/util.h"
#include "desk_priv.h"

#define DESK_PUSH_RETRY_S 15

struct push_fleet *desk_push_fleet(struct desk *d)
{
    struct push_fleet *f = __atomic_load_n(&d->fleet, __ATOMIC_ACQUIRE);
#ifdef BANGTIN_HAVE_PUSH
    if (f || str_empty(d->cfg->push_broker))
        return f;
    pthread_mutex_lock(&d->push_mu);
    int64_t now = clock_mono_ms() / 1000;
    f = d->fleet;
    if (!f && (d->push_last_try == 0 || now - d->push_last_try >= DESK_PUSH_RETRY_S)) {
        struct push_conn conn;
        char err[256] = "";
        d->push_last_try = now;
        push_conn_from_config(d->cfg, &conn);
        f = push_fleet_open(&conn, 3000, err, sizeof(err));
        if (f) {
            push_fleet_wait(f, 300); /* the retained statuses and acks */
            LOG_INFO("MQTT broker %s connected", d->cfg->push_broker);
            __atomic_store_n(&d->fleet, f, __ATOMIC_RELEASE);
            d->own_fleet = true;
        } else {
            LOG_WARN("MQTT broker %s not reachable: %s (notices still go to the webroot; "
                     "next try in %d s)",
                     d->cfg->push_broker, err, DESK_PUSH_RETRY_S);
        }
    }
    pthread_mutex_unlock(&d->push_mu);
#endif
    return f;
}

bool desk_push_available(struct desk *d)
{
    return desk_push_fleet(d) != NULL;
}

#ifdef BANGTIN_HAVE_PUSH
static bool screen_targeted(const struct push_fleet_screen *s, const char *const *targets, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *t = targets[i];
        if (strcmp(t, "all") == 0 ||
            (strlen(t) == 2 && s->province && strcmp(s->province, t) == 0) ||
            (strlen(t) == 5 && s->commune && strcmp(s->commune, t) == 0))
            return true;
    }
    return false;
}
#endif

bool desk_push_publish(struct desk *d, const char *const *targets, size_t n, const char *id,
                       const char *doc, const char *sig, char *err, size_t err_len, char *screens,
                       size_t screens_len)
{
    screens[0] = '\0';
    struct push_fleet *f = desk_push_fleet(d);
#ifdef BANGTIN_HAVE_PUSH
    if (f) {
        if (push_fleet_publish_notice(f, targets, n, id, doc, strlen(doc), sig, strlen(sig), 5000,
                                      err, err_len))
            return true;
        /* Name the screens this notice was for, as far as the fleet view knows them. */
        struct push_fleet_screen *s;
        size_t ns = push_fleet_screens(f, &s), named = 0;
        struct buf b;
        buf_init(&b, 0);
        buf_append(&b, "", 0);
        for (size_t i = 0; i < ns; i++)
            if (screen_targeted(&s[i], targets, n))
                buf_printf(&b, "%s%s", named++ ? ", " : "", s[i].device);
        snprintf(screens, screens_len, "%s", b.data);
        buf_free(&b);
        push_fleet_screens_free(s, ns);
        return false;
    }
    snprintf(err, err_len, "%s",
             str_empty(d->cfg->push_broker) ? "no [push] broker configured"
                                            : "the MQTT broker cannot be reached");
#else
    (void)targets, (void)n, (void)id, (void)doc, (void)sig, (void)f, (void)screens_len;
    snprintf(err, err_len, "this build has no MQTT client");
#endif
    return false;
}

void desk_push_close(struct desk *d)
{
#ifdef BANGTIN_HAVE_PUSH
    if (d->own_fleet)
        push_fleet_close(d->fleet);
#endif
    d->fleet = NULL;
}
