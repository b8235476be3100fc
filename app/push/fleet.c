/* fleet: the province's view of its screens, from the retained status, ack and notice topics
 * of the broker (libmosquitto's own thread collects; queries take snapshots under a mutex),
 * and publishing signed notices for desks. */
#define LOG_MODULE "push"
#include "bangtin/clock.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/util.h"
#include "push_internal.h"

#include <errno.h>
#include <jansson.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

struct ack {
    char *notice, *device, *result, *reason;
};
struct topic_notice {
    char *id, *target; /* "all", province or commune code */
};
struct screen {
    char *device;
    json_t *status; /* last status document, or the will */
    int64_t seen;   /* when this view received it */
};

struct push_fleet {
    struct mosquitto *m;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool connected, refused;
    int connack;
    struct screen *screens;
    size_t n_screens;
    struct ack *acks;
    size_t n_acks;
    struct topic_notice *notices;
    size_t n_notices;
    int published_mid, last_mid_done;
};

static void fleet_on_connect(struct mosquitto *m, void *obj, int rc, int flags,
                             const mosquitto_property *p)
{
    struct push_fleet *f = obj;
    pthread_mutex_lock(&f->mu);
    f->connected = rc == 0;
    f->refused = rc != 0;
    f->connack = rc;
    pthread_cond_broadcast(&f->cond);
    pthread_mutex_unlock(&f->mu);
    if (rc == 0) {
        mosquitto_subscribe_v5(m, NULL, PUSH_TOPIC_ROOT "/status/+", 1, 0, NULL);
        mosquitto_subscribe_v5(m, NULL, PUSH_TOPIC_ROOT "/ack/+/+", 1, 0, NULL);
        mosquitto_subscribe_v5(m, NULL, PUSH_TOPIC_ROOT "/notice/#", 1, 0, NULL);
    }
}

static void fleet_on_publish(struct mosquitto *m, void *obj, int mid, int rc,
                             const mosquitto_property *p)
{
    struct push_fleet *f = obj;
    pthread_mutex_lock(&f->mu);
    f->last_mid_done = mid;
    pthread_cond_broadcast(&f->cond);
    pthread_mutex_unlock(&f->mu);
}

static struct screen *screen_get(struct push_fleet *f, const char *device)
{
    for (size_t i = 0; i < f->n_screens; i++)
        if (strcmp(f->screens[i].device, device) == 0)
            return &f->screens[i];
    f->screens = xrealloc(f->screens, (f->n_screens + 1) * sizeof *f->screens);
    struct screen *s = &f->screens[f->n_screens++];
    memset(s, 0, sizeof *s);
    s->device = xstrdup(device);
    return s;
}

static void on_status(struct push_fleet *f, const char *device, const char *payload, size_t len)
{
    json_t *doc = len ? json_loadb(payload, len, 0, NULL) : NULL;
    if (!json_is_object(doc)) {
        json_decref(doc);
        return;
    }
    struct screen *s = screen_get(f, device);
    /* An offline document (a will, a goodbye) is a snapshot taken when the screen connected —
     * possibly before its first status, with no commune at all. The last status is newer: it
     * stays, marked offline; the will adds only what the status did not say. (The screen's
     * commune stays known while it is offline.) */
    if (!json_is_true(json_object_get(doc, "online")) && json_is_object(s->status)) {
        json_t *merged = json_deep_copy(s->status);
        if (merged && json_object_update_missing(merged, doc) == 0 &&
            json_object_set(merged, "online", json_false()) == 0) {
            json_t *by = json_object_get(doc, "offline_by");
            if (by)
                json_object_set(merged, "offline_by", by);
            json_decref(s->status);
            s->status = merged;
        } else {
            json_decref(merged);
            json_object_set(s->status, "online", json_false());
        }
        json_decref(doc);
    } else {
        json_decref(s->status);
        s->status = doc;
    }
    s->seen = clock_now();
}

static void on_ack(struct push_fleet *f, const char *notice, const char *device,
                   const char *payload, size_t len)
{
    json_t *doc = len ? json_loadb(payload, len, 0, NULL) : NULL;
    struct ack *a = NULL;
    for (size_t i = 0; i < f->n_acks && !a; i++)
        if (strcmp(f->acks[i].notice, notice) == 0 && strcmp(f->acks[i].device, device) == 0)
            a = &f->acks[i];
    if (!a) {
        if (!json_is_object(doc)) {
            json_decref(doc);
            return;
        }
        f->acks = xrealloc(f->acks, (f->n_acks + 1) * sizeof *f->acks);
        a = &f->acks[f->n_acks++];
        memset(a, 0, sizeof *a);
        a->notice = xstrdup(notice);
        a->device = xstrdup(device);
    }
    free(a->result);
    free(a->reason);
    const char *r = json_string_value(json_object_get(doc, "result"));
    const char *why = json_string_value(json_object_get(doc, "reason"));
    a->result = xstrdup(r ? r : "?");
    a->reason = xstrdup(why);
    json_decref(doc);
}

static void on_notice(struct push_fleet *f, const char *topic, size_t len)
{
    const char *id = push_topic_notice_id(topic);
    if (!id)
        return;
    const char *t = topic + strlen(PUSH_TOPIC_ROOT "/notice/");
    char target[8];
    if (str_starts_with(t, "all/"))
        snprintf(target, sizeof target, "all");
    else
        snprintf(target, sizeof target, "%.*s", (int)strcspn(t + 2, "/"), t + 2);
    for (size_t i = 0; i < f->n_notices; i++) {
        if (strcmp(f->notices[i].id, id) == 0 && strcmp(f->notices[i].target, target) == 0) {
            if (len == 0) { /* cleared */
                free(f->notices[i].id);
                free(f->notices[i].target);
                f->notices[i] = f->notices[--f->n_notices];
            }
            return;
        }
    }
    if (len == 0)
        return;
    f->notices = xrealloc(f->notices, (f->n_notices + 1) * sizeof *f->notices);
    f->notices[f->n_notices].id = xstrdup(id);
    f->notices[f->n_notices].target = xstrdup(target);
    f->n_notices++;
}

static void fleet_on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
                             const mosquitto_property *p)
{
    struct push_fleet *f = obj;
    char **lv = NULL;
    int n = 0;
    if (msg->payloadlen > PUSH_MAX_PAYLOAD ||
        mosquitto_sub_topic_tokenise(msg->topic, &lv, &n) != MOSQ_ERR_SUCCESS)
        return;
    size_t len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
    pthread_mutex_lock(&f->mu);
    if (n == 4 && strcmp(lv[2], "status") == 0 && lv[3])
        on_status(f, lv[3], msg->payload, len);
    else if (n == 5 && strcmp(lv[2], "ack") == 0 && lv[3] && lv[4])
        on_ack(f, lv[3], lv[4], msg->payload, len);
    else if (n >= 5 && strcmp(lv[2], "notice") == 0)
        on_notice(f, msg->topic, len);
    pthread_mutex_unlock(&f->mu);
    mosquitto_sub_topic_tokens_free(&lv, n);
}

struct push_fleet *push_fleet_open(const struct push_conn *conn, int connect_timeout_ms, char *err,
                                   size_t err_len)
{
    struct push_fleet *f = xcalloc(1, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&f->cond, &ca);
    pthread_condattr_destroy(&ca);
    char host[256], id[40];
    int port;
    unsigned r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
        r = (unsigned)clock_mono_ms();
    snprintf(id, sizeof id, "bangtin-fleet-%08x", r);
    f->m = push_mosq_new(conn, conn->client_id ? conn->client_id : id, f, host, sizeof host, &port,
                         err, err_len);
    if (!f->m) {
        push_fleet_close(f);
        return NULL;
    }
    mosquitto_connect_v5_callback_set(f->m, fleet_on_connect);
    mosquitto_message_v5_callback_set(f->m, fleet_on_message);
    mosquitto_publish_v5_callback_set(f->m, fleet_on_publish);
    int rc = push_mosq_connect(f->m, host, port, conn->keepalive_s);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, err_len, "cannot connect to %s: %s", conn->broker,
                 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
        push_fleet_close(f);
        return NULL;
    }
    mosquitto_loop_start(f->m);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += connect_timeout_ms / 1000;
    ts.tv_nsec += (long)(connect_timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&f->mu);
    while (!f->connected && !f->refused)
        if (pthread_cond_timedwait(&f->cond, &f->mu, &ts) == ETIMEDOUT)
            break;
    bool ok = f->connected;
    int connack = f->connack;
    bool refused = f->refused;
    pthread_mutex_unlock(&f->mu);
    if (!ok) {
        snprintf(err, err_len, "%s: %s", conn->broker,
                 refused ? push_connack_reason(connack) : "no answer (TLS or network failure)");
        push_fleet_close(f);
        return NULL;
    }
    return f;
}

void push_fleet_close(struct push_fleet *f)
{
    if (!f)
        return;
    if (f->m) {
        mosquitto_disconnect(f->m);
        mosquitto_loop_stop(f->m, true);
        mosquitto_destroy(f->m);
    }
    for (size_t i = 0; i < f->n_screens; i++) {
        free(f->screens[i].device);
        json_decref(f->screens[i].status);
    }
    free(f->screens);
    for (size_t i = 0; i < f->n_acks; i++) {
        free(f->acks[i].notice);
        free(f->acks[i].device);
        free(f->acks[i].result);
        free(f->acks[i].reason);
    }
    free(f->acks);
    for (size_t i = 0; i < f->n_notices; i++) {
        free(f->notices[i].id);
        free(f->notices[i].target);
    }
    free(f->notices);
    pthread_cond_destroy(&f->cond);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

void push_fleet_wait(struct push_fleet *f, int wait_ms)
{
    struct timespec ts = {wait_ms / 1000, (long)(wait_ms % 1000) * 1000000L};
    (void)f;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static char *jstr(json_t *o, const char *key)
{
    return xstrdup(json_string_value(json_object_get(o, key)));
}

static int screen_cmp(const void *a, const void *b)
{
    return strcmp(((const struct push_fleet_screen *)a)->device,
                  ((const struct push_fleet_screen *)b)->device);
}

size_t push_fleet_screens(struct push_fleet *f, struct push_fleet_screen **out)
{
    pthread_mutex_lock(&f->mu);
    size_t n = f->n_screens;
    struct push_fleet_screen *v = xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        const struct screen *s = &f->screens[i];
        json_t *st = s->status;
        v[i].device = xstrdup(s->device);
        v[i].online = json_is_true(json_object_get(st, "online"));
        v[i].status_json = json_dumps(st, JSON_COMPACT);
        v[i].province = jstr(st, "province");
        v[i].commune = jstr(st, "commune");
        v[i].office = jstr(st, "office");
        v[i].showing = jstr(st, "showing");
        v[i].last_error = jstr(st, "last_error");
        v[i].version = jstr(st, "version");
        v[i].ip = jstr(st, "ip");
        v[i].at = push_parse_time(json_string_value(json_object_get(st, "at")));
        v[i].since = v[i].online && v[i].at
                         ? v[i].at - json_integer_value(json_object_get(st, "uptime_s"))
                         : s->seen;
        json_t *src;
        size_t k;
        json_array_foreach(json_object_get(st, "sources"), k, src)
        {
            int64_t t = push_parse_time(json_string_value(json_object_get(src, "last_success")));
            if (t > v[i].last_fetch)
                v[i].last_fetch = t;
        }
    }
    pthread_mutex_unlock(&f->mu);
    qsort(v, n, sizeof *v, screen_cmp);
    *out = v;
    return n;
}

void push_fleet_screens_free(struct push_fleet_screen *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].device);
        free(s[i].status_json);
        free(s[i].province);
        free(s[i].commune);
        free(s[i].office);
        free(s[i].showing);
        free(s[i].last_error);
        free(s[i].version);
        free(s[i].ip);
    }
    free(s);
}

/* Does a screen (its last status) get the topics of this notice? No topic known: all do. */
static bool screen_expected(const struct push_fleet *f, const char *id, json_t *status)
{
    const char *prov = json_string_value(json_object_get(status, "province"));
    const char *comm = json_string_value(json_object_get(status, "commune"));
    bool any = false;
    for (size_t i = 0; i < f->n_notices; i++) {
        const struct topic_notice *t = &f->notices[i];
        if (strcmp(t->id, id) != 0)
            continue;
        any = true;
        if (strcmp(t->target, "all") == 0 || (prov && strcmp(t->target, prov) == 0) ||
            (comm && strcmp(t->target, comm) == 0))
            return true;
    }
    return !any;
}

static int notice_cmp(const void *a, const void *b)
{
    return strcmp(((const struct push_fleet_notice *)a)->id,
                  ((const struct push_fleet_notice *)b)->id);
}

static struct push_fleet_notice *notice_get(struct push_fleet_notice **v, size_t *n, const char *id)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].id, id) == 0)
            return &(*v)[i];
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    struct push_fleet_notice *x = &(*v)[(*n)++];
    memset(x, 0, sizeof *x);
    x->id = xstrdup(id);
    return x;
}

size_t push_fleet_notices(struct push_fleet *f, struct push_fleet_notice **out)
{
    struct push_fleet_notice *v = NULL;
    size_t n = 0;
    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < f->n_notices; i++)
        notice_get(&v, &n, f->notices[i].id);
    for (size_t i = 0; i < f->n_acks; i++)
        notice_get(&v, &n, f->acks[i].notice);
    for (size_t i = 0; i < n; i++) {
        struct push_fleet_notice *x = &v[i];
        for (size_t s = 0; s < f->n_screens; s++) {
            const struct ack *a = NULL;
            for (size_t k = 0; k < f->n_acks && !a; k++)
                if (strcmp(f->acks[k].notice, x->id) == 0 &&
                    strcmp(f->acks[k].device, f->screens[s].device) == 0)
                    a = &f->acks[k];
            if (!a) {
                if (screen_expected(f, x->id, f->screens[s].status))
                    x->unanswered++;
            } else if (strcmp(a->result, "shown") == 0) {
                x->shown++;
            } else if (strcmp(a->result, "cancelled") == 0) {
                x->cancelled++;
            } else {
                x->refusals = xrealloc(x->refusals, (x->refused + 1) * sizeof *x->refusals);
                x->refusals[x->refused].device = xstrdup(a->device);
                x->refusals[x->refused].reason = xstrdup(a->reason ? a->reason : a->result);
                x->refused++;
            }
        }
    }
    pthread_mutex_unlock(&f->mu);
    if (n)
        qsort(v, n, sizeof *v, notice_cmp);
    *out = v;
    return n;
}

void push_fleet_notices_free(struct push_fleet_notice *v, size_t count)
{
    for (size_t i = 0; v && i < count; i++) {
        for (size_t k = 0; k < v[i].refused; k++) {
            free(v[i].refusals[k].device);
            free(v[i].refusals[k].reason);
        }
        free(v[i].refusals);
        free(v[i].id);
    }
    free(v);
}

char *push_fleet_json(struct push_fleet *f)
{
    struct push_fleet_screen *s;
    struct push_fleet_notice *no;
    size_t ns = push_fleet_screens(f, &s), nn = push_fleet_notices(f, &no);
    json_t *root = json_object(), *arr = json_array();
    for (size_t i = 0; i < ns; i++) {
        json_t *o = s[i].status_json ? json_loads(s[i].status_json, 0, NULL) : NULL;
        if (!json_is_object(o)) {
            json_decref(o);
            o = json_object();
        }
        json_object_set_new(o, "device", json_string(s[i].device));
        json_object_set_new(o, "online", json_boolean(s[i].online));
        char t[32];
        push_format_time(s[i].since, t, sizeof t);
        json_object_set_new(o, "since", s[i].since ? json_string(t) : json_null());
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "screens", arr);
    arr = json_array();
    for (size_t i = 0; i < nn; i++) {
        json_t *o = json_object(), *ref = json_array();
        json_object_set_new(o, "id", json_string(no[i].id));
        json_object_set_new(o, "shown", json_integer((json_int_t)no[i].shown));
        json_object_set_new(o, "refused", json_integer((json_int_t)no[i].refused));
        json_object_set_new(o, "cancelled", json_integer((json_int_t)no[i].cancelled));
        json_object_set_new(o, "unanswered", json_integer((json_int_t)no[i].unanswered));
        for (size_t k = 0; k < no[i].refused; k++) {
            json_t *r = json_object();
            json_object_set_new(r, "device", json_string(no[i].refusals[k].device));
            json_object_set_new(r, "reason", json_string(no[i].refusals[k].reason));
            json_array_append_new(ref, r);
        }
        json_object_set_new(o, "refusals", ref);
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "notices", arr);
    push_fleet_screens_free(s, ns);
    push_fleet_notices_free(no, nn);
    char *text = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    return text;
}

static bool publish_wait(struct push_fleet *f, const char *topic, const void *payload, size_t len,
                         int timeout_ms, char *err, size_t err_len)
{
    int mid = 0;
    pthread_mutex_lock(&f->mu);
    int rc = mosquitto_publish_v5(f->m, &mid, topic, (int)len, payload, 1, true, NULL);
    if (rc != MOSQ_ERR_SUCCESS) {
        pthread_mutex_unlock(&f->mu);
        snprintf(err, err_len, "%s: %s", topic, mosquitto_strerror(rc));
        return false;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000 + 1;
    bool done = false;
    /* QoS 1 PUBACKs come in order: a mid at or past ours means ours is through. */
    while (!(done = f->last_mid_done == mid))
        if (pthread_cond_timedwait(&f->cond, &f->mu, &ts) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&f->mu);
    if (!done)
        snprintf(err, err_len, "%s: the broker did not acknowledge within %d ms", topic,
                 timeout_ms);
    return done;
}

bool push_fleet_publish_notice(struct push_fleet *f, const char *const *targets, size_t n_targets,
                               const char *id, const char *notice, size_t notice_len,
                               const char *minisig, size_t minisig_len, int timeout_ms, char *err,
                               size_t err_len)
{
    char *payload = push_payload_make(notice, notice_len, minisig, minisig_len);
    if (!payload || strlen(payload) > PUSH_MAX_PAYLOAD) {
        snprintf(err, err_len, "notice or signature is not UTF-8 text, or too large");
        free(payload);
        return false;
    }
    bool ok = n_targets > 0;
    for (size_t i = 0; ok && i < n_targets; i++) {
        char topic[256];
        if (!push_notice_topic(targets[i], id, topic, sizeof topic)) {
            snprintf(err, err_len, "target \"%s\" or id \"%s\" not usable in a topic", targets[i],
                     id);
            ok = false;
        } else {
            ok = publish_wait(f, topic, payload, strlen(payload), timeout_ms, err, err_len);
        }
    }
    if (n_targets == 0)
        snprintf(err, err_len, "no target");
    free(payload);
    return ok;
}

bool push_fleet_clear_notice(struct push_fleet *f, const char *const *targets, size_t n_targets,
                             const char *id, int timeout_ms, char *err, size_t err_len)
{
    bool ok = true;
    for (size_t i = 0; ok && i < n_targets; i++) {
        char topic[256];
        ok = push_notice_topic(targets[i], id, topic, sizeof topic) &&
             publish_wait(f, topic, "", 0, timeout_ms, err, err_len);
    }
    return ok;
}
