/* client: the screen's MQTT thread. Connects in the background and keeps trying with backoff
 * and jitter; subscribes to its notice topics; hands messages to the main thread (retained
 * bursts as one batch); publishes the retained status and the acks queued by the main thread.
 * Every libmosquitto call happens on this thread: the main thread only queues under a mutex. */
#define LOG_MODULE "push"
#include "bangtin/clock.h"
#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/push.h"
#include "bangtin/util.h"
#include "push_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_ACKS          256
#define MAX_IN_FLIGHT     64    /* batches handed over and not yet handled */
#define MAX_RETAINED      1000  /* messages in one retained burst */
#define RETAINED_QUIET_MS 300   /* a retained burst ends after this long without one */
#define CONNACK_WAIT_MS   15000 /* no CONNACK by then: the attempt failed */
#define PROBE_TIMEOUT_MS  10000
#define BACKOFF_MAX_S     300
#define LOOP_MS           100
#define TLS_FAILURE                                                                                \
    "TLS failure (certificate not signed by ca_file, expired, or for another host name)"

#define MAX_SEEN 4096 /* topics whose last payload is remembered */

/* The last payload handed over per topic: after a reconnect the broker sends every retained
 * notice again, and the very same bytes need not be verified and logged again. */
struct seen {
    char *topic;
    unsigned char hash[16];
};

struct pending_ack {
    char *topic, *payload;
};

struct push_client {
    struct mosquitto *m;
    char host[256];
    int port;
    int keepalive_s;
    bool v311;
    char *device_id, *broker, *status_topic, *topics[3];
    char *province, *commune; /* for a will made before the first status */
    size_t n_topics;
    push_deliver_fn deliver;
    void *ctx;
    pthread_t thread;
    bool started;
    atomic_bool stop;
    _Atomic int64_t heartbeat;
    atomic_int in_flight;
    pthread_mutex_t mu; /* guards the fields below */
    struct push_state st;
    char *status_json;
    bool status_dirty;
    struct pending_ack acks[MAX_ACKS];
    size_t n_acks;
    /* thread only */
    bool connected, connecting;
    int64_t connect_started, next_try, last_flood_log;
    uint64_t rng, dropped_logged;
    char logged_error[256];
    struct push_batch retained;
    int64_t last_retained;
    struct seen *seen;
    size_t n_seen;
};

const char *push_state_name(enum push_state_kind s)
{
    switch (s) {
    case PUSH_OFF: return "off";
    case PUSH_CONNECTING: return "connecting";
    case PUSH_CONNECTED: return "connected";
    case PUSH_RETRYING: return "retrying";
    }
    return "?";
}

void push_state_line(const struct push_state *st, char *out, size_t out_len)
{
    char hm[8] = "--:--";
    if (st->since > 0)
        clock_format_hm(st->since, hm, sizeof hm);
    switch (st->state) {
    case PUSH_OFF: snprintf(out, out_len, "MQTT: không dùng"); break;
    case PUSH_CONNECTING: snprintf(out, out_len, "MQTT: đang kết nối %s", st->broker); break;
    case PUSH_CONNECTED:
        snprintf(out, out_len, "MQTT: đã kết nối %s từ %s, đã nhận %llu, bỏ %llu", st->broker, hm,
                 (unsigned long long)st->received, (unsigned long long)st->dropped);
        break;
    case PUSH_RETRYING:
        snprintf(out, out_len, "MQTT: mất kết nối %s từ %s (%s), đang thử lại", st->broker, hm,
                 st->last_error);
        break;
    }
}

static double rnd01(struct push_client *c)
{
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return (double)((c->rng * 0x2545F4914F6CDD1DULL) >> 11) / (double)(1ULL << 53);
}

static void set_state(struct push_client *c, enum push_state_kind s, const char *err)
{
    pthread_mutex_lock(&c->mu);
    bool changed = c->st.state != s || strcmp(c->st.last_error, err ? err : "") != 0;
    if (c->st.state != s)
        c->st.since = clock_now();
    c->st.state = s;
    snprintf(c->st.last_error, sizeof c->st.last_error, "%s", err ? err : "");
    pthread_mutex_unlock(&c->mu);
    /* An empty batch tells the main thread the state changed (status page, status.json). */
    if (changed && c->deliver) {
        atomic_fetch_add(&c->in_flight, 1);
        c->deliver(c->ctx, xcalloc(1, sizeof(struct push_batch)));
    }
}

static void count_dropped(struct push_client *c, const char *why, const char *topic)
{
    pthread_mutex_lock(&c->mu);
    uint64_t n = ++c->st.dropped;
    pthread_mutex_unlock(&c->mu);
    int64_t now = clock_mono_ms();
    /* A flood must not become a flood of log lines: at most one line a minute. */
    if (now - c->last_flood_log >= 60000 || c->last_flood_log == 0) {
        LOG_WARN("message on %.80s dropped: %s (%llu dropped so far; logged at most once a "
                 "minute)",
                 topic, why, (unsigned long long)n);
        c->last_flood_log = now;
    }
}

static void fail(struct push_client *c, const char *reason)
{
    if (c->connected || c->connecting)
        mosquitto_disconnect(c->m);
    c->connected = c->connecting = false;
    pthread_mutex_lock(&c->mu);
    int failures = ++c->st.failures;
    pthread_mutex_unlock(&c->mu);
    int64_t delay = net_backoff_ms(failures, 1, BACKOFF_MAX_S, rnd01(c));
    c->next_try = clock_mono_ms() + delay;
    set_state(c, PUSH_RETRYING, reason);
    /* Once per distinct reason, not once per retry. */
    if (strcmp(c->logged_error, reason) != 0) {
        LOG_WARN("broker %s: %s; retrying with backoff (next in %lld s; repeats of this error "
                 "are not logged)",
                 c->broker, reason, (long long)(delay / 1000));
        snprintf(c->logged_error, sizeof c->logged_error, "%s", reason);
    } else {
        LOG_DBG("broker %s: %s (failure %d, next in %lld s)", c->broker, reason, failures,
                (long long)(delay / 1000));
    }
}

/* Is anything listening? A plain non-blocking connect with a time-out, so that the blocking
 * libmosquitto connect after it does not hang for minutes on a black-holed address. */
static bool probe(struct push_client *c, char *err, size_t err_len)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    char port[8];
    snprintf(port, sizeof port, "%d", c->port);
    int rc = getaddrinfo(c->host, port, &hints, &res);
    if (rc != 0) {
        snprintf(err, err_len, "cannot resolve %.120s: %s", c->host, gai_strerror(rc));
        return false;
    }
    bool ok = false;
    int last_errno = ECONNREFUSED;
    for (struct addrinfo *a = res; a && !ok && !atomic_load(&c->stop); a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            ok = true;
        } else if (errno == EINPROGRESS) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int64_t end = clock_mono_ms() + PROBE_TIMEOUT_MS;
            int r = 0;
            while (!atomic_load(&c->stop) && clock_mono_ms() < end && r == 0) {
                atomic_store(&c->heartbeat, clock_mono_ms());
                r = poll(&p, 1, 200);
            }
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            if (r > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
                ok = true;
            else
                last_errno = r == 0 ? ETIMEDOUT : soerr;
        } else {
            last_errno = errno;
        }
        close(fd);
    }
    freeaddrinfo(res);
    if (!ok)
        snprintf(err, err_len, "cannot reach %.120s port %d: %s", c->host, c->port,
                 strerror(last_errno));
    return ok;
}

/* The last will (and the goodbye of a clean stop): the last status with "online": false, so that a
 * fleet view started after the screen died still knows which unit it was. */
static char *will_payload(struct push_client *c, const char *how)
{
    pthread_mutex_lock(&c->mu);
    json_t *o = c->status_json ? json_loads(c->status_json, 0, NULL) : NULL;
    pthread_mutex_unlock(&c->mu);
    if (!json_is_object(o)) {
        /* Connected before the first status: still say which screen, and where. */
        json_decref(o);
        o = json_object();
        json_object_set_new(o, "device", json_string(c->device_id));
        if (c->province)
            json_object_set_new(o, "province", json_string(c->province));
        if (c->commune)
            json_object_set_new(o, "commune", json_string(c->commune));
    }
    json_object_set_new(o, "online", json_false());
    json_object_set_new(o, "offline_by", json_string(how));
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text ? text : xstrdup("{\"online\": false}");
}

static void try_connect(struct push_client *c)
{
    char err[256];
    if (!probe(c, err, sizeof err)) {
        fail(c, err);
        return;
    }
    char *will = will_payload(c, "will");
    mosquitto_will_set_v5(c->m, c->status_topic, (int)strlen(will), will, 1, true, NULL);
    free(will);
    int rc = push_mosq_connect(c->m, c->host, c->port, c->keepalive_s);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, sizeof err, "%s",
                 rc == MOSQ_ERR_TLS     ? TLS_FAILURE
                 : rc == MOSQ_ERR_ERRNO ? strerror(errno)
                                        : mosquitto_strerror(rc));
        fail(c, err);
        return;
    }
    c->connecting = true;
    c->connect_started = clock_mono_ms();
}

static void publish_pending(struct push_client *c)
{
    char *status = NULL;
    struct pending_ack acks[MAX_ACKS];
    size_t n;
    pthread_mutex_lock(&c->mu);
    if (c->status_dirty && c->status_json) {
        status = xstrdup(c->status_json);
        c->status_dirty = false;
    }
    n = c->n_acks;
    memcpy(acks, c->acks, n * sizeof *acks);
    c->n_acks = 0;
    pthread_mutex_unlock(&c->mu);
    if (status) {
        mosquitto_publish_v5(c->m, NULL, c->status_topic, (int)strlen(status), status, 1, true,
                             NULL);
        free(status);
    }
    for (size_t i = 0; i < n; i++) {
        mosquitto_publish_v5(c->m, NULL, acks[i].topic, (int)strlen(acks[i].payload),
                             acks[i].payload, 1, true, NULL);
        free(acks[i].topic);
        free(acks[i].payload);
    }
}

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags,
                       const mosquitto_property *props)
{
    struct push_client *c = obj;
    if (rc != 0) {
        if ((rc == MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION ||
             rc == CONNACK_REFUSED_PROTOCOL_VERSION) &&
            !c->v311) {
            c->v311 = true;
            mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
            LOG_INFO("broker %s does not speak MQTT 5: using 3.1.1", c->broker);
        }
        fail(c, push_connack_reason(rc));
        return;
    }
    c->connecting = false;
    c->connected = true;
    pthread_mutex_lock(&c->mu);
    int failures = c->st.failures;
    c->st.failures = 0;
    c->status_dirty = true; /* the broker may have lost it (restart without persistence) */
    pthread_mutex_unlock(&c->mu);
    set_state(c, PUSH_CONNECTED, NULL);
    c->logged_error[0] = '\0';
    if (failures)
        LOG_INFO("connected to %s again after %d failed attempts", c->broker, failures);
    else
        LOG_INFO("connected to %s as %s", c->broker, c->device_id);
    for (size_t i = 0; i < c->n_topics; i++)
        mosquitto_subscribe_v5(m, NULL, c->topics[i], 1, 0, NULL);
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc, const mosquitto_property *p)
{
    struct push_client *c = obj;
    bool was = c->connected;
    c->connected = c->connecting = false;
    if (!atomic_load(&c->stop) && was)
        fail(c, rc == MOSQ_ERR_KEEPALIVE ? "no answer to keepalive" : "connection lost");
}

static void deliver(struct push_client *c, struct push_batch *b)
{
    pthread_mutex_lock(&c->mu);
    c->st.received += b->n;
    c->st.last_message = clock_now();
    pthread_mutex_unlock(&c->mu);
    atomic_fetch_add(&c->in_flight, 1);
    c->deliver(c->ctx, b);
}

/* true when topic last carried exactly these bytes; remembers them otherwise. */
static bool seen_before(struct push_client *c, const char *topic, const void *data, size_t len)
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    for (size_t i = 0; i < c->n_seen; i++) {
        if (strcmp(c->seen[i].topic, topic) != 0)
            continue;
        if (memcmp(c->seen[i].hash, h, sizeof h) == 0)
            return true;
        memcpy(c->seen[i].hash, h, sizeof h);
        return false;
    }
    if (c->n_seen == MAX_SEEN) { /* forget the oldest */
        free(c->seen[0].topic);
        memmove(c->seen, c->seen + 1, (MAX_SEEN - 1) * sizeof *c->seen);
        c->n_seen--;
    }
    c->seen = xrealloc(c->seen, (c->n_seen + 1) * sizeof *c->seen);
    c->seen[c->n_seen].topic = xstrdup(topic);
    memcpy(c->seen[c->n_seen].hash, h, sizeof h);
    c->n_seen++;
    return false;
}

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
                       const mosquitto_property *p)
{
    struct push_client *c = obj;
    if (!push_topic_notice_id(msg->topic)) {
        count_dropped(c, "not a notice topic", msg->topic);
        return;
    }
    if (msg->payloadlen < 0 || (size_t)msg->payloadlen > PUSH_MAX_PAYLOAD) {
        count_dropped(c, "payload too large", msg->topic);
        return;
    }
    bool retained = msg->retain;
    if (retained && seen_before(c, msg->topic, msg->payload, (size_t)msg->payloadlen))
        return;
    if (retained && c->retained.n >= MAX_RETAINED) {
        count_dropped(c, "too many retained notices", msg->topic);
        return;
    }
    if (!retained && atomic_load(&c->in_flight) >= MAX_IN_FLIGHT) {
        count_dropped(c, "flood (the screen is still handling earlier ones)", msg->topic);
        return;
    }
    if (!retained)
        seen_before(c, msg->topic, msg->payload, (size_t)msg->payloadlen);
    struct push_message pm = {
        .topic = xstrdup(msg->topic),
        .payload = xstrndup(msg->payload ? msg->payload : "", (size_t)msg->payloadlen),
        .len = (size_t)msg->payloadlen,
        .retained = retained,
    };
    if (retained) {
        c->retained.msgs =
            xrealloc(c->retained.msgs, (c->retained.n + 1) * sizeof *c->retained.msgs);
        c->retained.msgs[c->retained.n++] = pm;
        c->last_retained = clock_mono_ms();
        return;
    }
    struct push_batch *b = xcalloc(1, sizeof *b);
    b->msgs = xmalloc(sizeof *b->msgs);
    b->msgs[0] = pm;
    b->n = 1;
    deliver(c, b);
}

static void flush_retained(struct push_client *c, bool force)
{
    if (c->retained.n == 0 || (!force && clock_mono_ms() - c->last_retained < RETAINED_QUIET_MS))
        return;
    struct push_batch *b = xcalloc(1, sizeof *b);
    *b = c->retained;
    memset(&c->retained, 0, sizeof c->retained);
    deliver(c, b);
}

static void say_goodbye(struct push_client *c)
{
    if (!c->connected)
        return;
    /* A clean stop sends no will: say it ourselves. */
    publish_pending(c);
    char *bye = will_payload(c, "stop");
    mosquitto_publish_v5(c->m, NULL, c->status_topic, (int)strlen(bye), bye, 1, true, NULL);
    free(bye);
    for (int i = 0; i < 5; i++)
        mosquitto_loop(c->m, 20, 1);
    mosquitto_disconnect(c->m);
    mosquitto_loop(c->m, 20, 1);
}

static void *client_main(void *arg)
{
    struct push_client *c = arg;
    while (!atomic_load(&c->stop)) {
        int64_t now = clock_mono_ms();
        atomic_store(&c->heartbeat, now);
        if (!c->connected && !c->connecting) {
            if (now >= c->next_try)
                try_connect(c);
            else
                usleep(LOOP_MS * 1000);
            continue;
        }
        int rc = mosquitto_loop(c->m, LOOP_MS, 1);
        if (rc != MOSQ_ERR_SUCCESS && (c->connected || c->connecting)) {
            c->connected = c->connecting = false;
            fail(c, rc == MOSQ_ERR_TLS         ? TLS_FAILURE
                    : rc == MOSQ_ERR_CONN_LOST ? "connection lost"
                                               : mosquitto_strerror(rc));
            continue;
        }
        if (c->connecting && clock_mono_ms() - c->connect_started > CONNACK_WAIT_MS)
            fail(c, "no answer to CONNECT");
        if (c->connected) {
            publish_pending(c);
            flush_retained(c, c->retained.n >= MAX_RETAINED);
        }
    }
    say_goodbye(c);
    return NULL;
}

struct push_client *push_client_start(const struct push_client_config *cfg)
{
    struct push_client *c = xcalloc(1, sizeof *c);
    char err[256];
    c->device_id = xstrdup(cfg->device_id);
    c->broker = xstrdup(cfg->conn.broker);
    c->keepalive_s = cfg->conn.keepalive_s;
    c->deliver = cfg->deliver;
    c->ctx = cfg->ctx;
    pthread_mutex_init(&c->mu, NULL);
    snprintf(c->st.broker, sizeof c->st.broker, "%s", c->broker ? c->broker : "");
    c->m = push_mosq_new(&cfg->conn, c->device_id, c, c->host, sizeof c->host, &c->port, err,
                         sizeof err);
    if (!c->m) {
        LOG_ERR("push: %s; notices come only from polled sources", err);
        push_client_stop(c);
        return NULL;
    }
    mosquitto_connect_v5_callback_set(c->m, on_connect);
    mosquitto_disconnect_v5_callback_set(c->m, on_disconnect);
    mosquitto_message_v5_callback_set(c->m, on_message);
    c->status_topic = xasprintf(PUSH_TOPIC_ROOT "/status/%s", c->device_id);
    c->topics[c->n_topics++] = xstrdup(PUSH_TOPIC_ROOT "/notice/all/+");
    c->province = str_empty(cfg->province_code) ? NULL : xstrdup(cfg->province_code);
    c->commune = str_empty(cfg->commune_code) ? NULL : xstrdup(cfg->commune_code);
    if (!str_empty(cfg->province_code))
        c->topics[c->n_topics++] = xasprintf(PUSH_TOPIC_ROOT "/notice/p/%s/+", cfg->province_code);
    if (!str_empty(cfg->commune_code))
        c->topics[c->n_topics++] = xasprintf(PUSH_TOPIC_ROOT "/notice/c/%s/+", cfg->commune_code);
    if (getrandom(&c->rng, sizeof c->rng, GRND_NONBLOCK) != (ssize_t)sizeof c->rng || !c->rng)
        c->rng = (uint64_t)clock_mono_ms() | 1;
    c->st.state = PUSH_CONNECTING;
    c->st.since = clock_now();
    atomic_store(&c->heartbeat, clock_mono_ms());
    int e = pthread_create(&c->thread, NULL, client_main, c);
    c->started = e == 0;
    if (e) {
        LOG_ERR("cannot start the MQTT thread: %s", strerror(e));
        push_client_stop(c);
        return NULL;
    }
    LOG_INFO("push client started: %s as %s, %zu subscriptions", c->broker, c->device_id,
             c->n_topics);
    return c;
}

void push_client_stop(struct push_client *c)
{
    if (!c)
        return;
    if (c->started) {
        atomic_store(&c->stop, true);
        pthread_join(c->thread, NULL);
        LOG_INFO("push client stopped");
    }
    if (c->m)
        mosquitto_destroy(c->m);
    for (size_t i = 0; i < c->n_acks; i++) {
        free(c->acks[i].topic);
        free(c->acks[i].payload);
    }
    for (size_t i = 0; i < c->n_topics; i++)
        free(c->topics[i]);
    for (size_t i = 0; i < c->retained.n; i++) {
        free(c->retained.msgs[i].topic);
        free(c->retained.msgs[i].payload);
    }
    free(c->retained.msgs);
    for (size_t i = 0; i < c->n_seen; i++)
        free(c->seen[i].topic);
    free(c->seen);
    free(c->status_json);
    free(c->status_topic);
    free(c->province);
    free(c->commune);
    free(c->device_id);
    free(c->broker);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

void push_client_batch_done(struct push_client *c)
{
    if (c)
        atomic_fetch_sub(&c->in_flight, 1);
}

void push_batch_free(struct push_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->msgs[i].topic);
        free(b->msgs[i].payload);
    }
    free(b->msgs);
    free(b);
}

void push_client_set_status(struct push_client *c, const char *json)
{
    if (!c || !json)
        return;
    pthread_mutex_lock(&c->mu);
    if (!c->status_json || strcmp(c->status_json, json) != 0) {
        free(c->status_json);
        c->status_json = xstrdup(json);
        c->status_dirty = true;
    }
    pthread_mutex_unlock(&c->mu);
}

void push_client_ack(struct push_client *c, const char *notice_id, const char *result,
                     const char *reason, int64_t at)
{
    if (!c || !notice_id)
        return;
    char when[32];
    push_format_time(at, when, sizeof when);
    char *payload = push_ack_json(result, reason, when);
    char *topic = xasprintf(PUSH_TOPIC_ROOT "/ack/%s/%s", notice_id, c->device_id);
    pthread_mutex_lock(&c->mu);
    if (c->n_acks == MAX_ACKS) { /* offline for long: keep the newest */
        free(c->acks[0].topic);
        free(c->acks[0].payload);
        memmove(c->acks, c->acks + 1, (MAX_ACKS - 1) * sizeof *c->acks);
        c->n_acks--;
    }
    c->acks[c->n_acks].topic = topic;
    c->acks[c->n_acks].payload = payload;
    c->n_acks++;
    pthread_mutex_unlock(&c->mu);
}

void push_client_state(struct push_client *c, struct push_state *out)
{
    if (!c) {
        memset(out, 0, sizeof *out);
        out->state = PUSH_OFF;
        return;
    }
    pthread_mutex_lock(&c->mu);
    *out = c->st;
    pthread_mutex_unlock(&c->mu);
}

int64_t push_client_heartbeat(struct push_client *c)
{
    return c ? atomic_load(&c->heartbeat) : 0;
}

const char *push_client_device_id(const struct push_client *c)
{
    return c ? c->device_id : NULL;
}
