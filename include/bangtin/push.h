/* push: MQTT (libmosquitto, MQTT 5 with 3.1.1 fallback) for province-wide notices in a second
 * and fleet health at a glance (DESIGN.md §12). No SDL here: the kiosk hands the client's
 * batches to its main thread itself, and `bangtin desk` / `bangtin fleet` link this too.
 *
 * Topics (a contract: desks publish to them, screens and desks read them):
 *   bangtin/v1/notice/all/<id>            retained, signed notice for every screen
 *   bangtin/v1/notice/p/<province>/<id>   retained, for one province (2-digit code)
 *   bangtin/v1/notice/c/<commune>/<id>    retained, for one commune/ward (5-digit code)
 *   bangtin/v1/status/<device id>         retained, a screen's health (JSON, below); its last
 *                                         will is {"online": false}
 *   bangtin/v1/ack/<notice id>/<device id> retained, {"result": "shown"|"refused"|"cancelled",
 *                                         "reason": "…", "at": "<RFC 3339 UTC>"}
 * Notice payload: UTF-8 JSON {"notice": "<exact text of notice.json>", "minisig": "<exact
 * text of its .minisig>"}. A cancel is a signed {"action": "cancel"} document on the same
 * topic. The broker is not trusted: everything is verified by notify/ like a polled notice. */
#ifndef BANGTIN_PUSH_H
#define BANGTIN_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct store;

#define PUSH_TOPIC_ROOT "bangtin/v1"
/* Largest MQTT packet a screen accepts (told to the broker in CONNECT, MQTT 5) and largest
 * notice payload anyone publishes: a notice is < 64 KiB, its JSON-escaped form < 2×. */
#define PUSH_MAX_PAYLOAD (192 * 1024)
/* The notice id as it may appear in a topic: 1–64 of [A-Za-z0-9._:-] (notify's id rule). */
#define PUSH_MAX_ID 64

/* ---- connection settings (shared by screens, fleet and desk) ---- */
struct push_conn {
    const char *broker;        /* mqtt://host[:1883] or mqtts://host[:8883] */
    const char *ca_file;       /* PEM CA pinned for mqtts (NULL = the system store) */
    const char *username;      /* NULL = anonymous */
    const char *password_file; /* first line is the password; NULL = none */
    const char *client_id;     /* NULL = random (libmosquitto) */
    int keepalive_s;           /* 0 = 60 */
};
/* Parse "mqtt://host:port" / "mqtts://host:port" ([v6] hosts too). host must hold 256 bytes.
 * Default ports 1883 / 8883. */
bool push_parse_url(const char *url, char *host, size_t host_len, int *port, bool *tls);
/* Topic for a notice target: "all", a 2-digit province code or a 5-digit commune code.
 * false for anything else or a bad id. */
bool push_notice_topic(const char *target, const char *id, char *out, size_t out_len);

/* The device id of this screen: the configured one, else "bt-" + 16 hex of a keyed BLAKE2b of
 * /etc/machine-id (stable across reboots, not the machine id itself), else of the host name.
 * out must hold 65 bytes. */
void push_device_id(const char *configured, const char *machine_id_path, char *out, size_t out_len);

/* ---- payloads (pure) ---- */
/* {"notice": …, "minisig": …} → the two texts, copied exactly (caller frees both). false +
 * reason for anything else: not JSON, not an object, missing/non-string members, oversized,
 * embedded NUL. */
bool push_payload_parse(const void *data, size_t len, char **notice, size_t *notice_len,
                        char **minisig, size_t *minisig_len, char *err, size_t err_len);
/* The payload for notice + minisig; caller frees. NULL if either holds a NUL byte. */
char *push_payload_make(const char *notice, size_t notice_len, const char *minisig,
                        size_t minisig_len);
/* The notice id of a notice topic (its last level), or NULL when topic is not
 * bangtin/v1/notice/{all/<id>,p/<2 digits>/<id>,c/<5 digits>/<id>}. Points into topic. */
const char *push_topic_notice_id(const char *topic);

/* ---- the screen's client (one thread) ---- */
struct push_message {
    char *topic, *payload; /* payload NUL-terminated, len bytes */
    size_t len;
    bool retained;
};
/* Messages of one delivery: the retained burst after (re)subscribing comes as one batch, so
 * that notices of one key are applied in seq order whatever order the broker sends them. */
struct push_batch {
    struct push_message *msgs;
    size_t n;
};
void push_batch_free(struct push_batch *b); /* NULL is a no-op */

enum push_state_kind {
    PUSH_OFF,        /* no [push] broker configured */
    PUSH_CONNECTING, /* first attempt under way */
    PUSH_CONNECTED,
    PUSH_RETRYING /* failed; next attempt after a backoff with jitter */
};
struct push_state {
    enum push_state_kind state;
    char broker[128];
    char last_error[256]; /* "" when none; the reason of the current failure */
    int64_t since;        /* wall clock of the last state change */
    int64_t last_message; /* wall clock of the last notice message, 0 = none */
    uint64_t received;    /* notice messages handed to the main thread */
    uint64_t dropped;     /* messages dropped: oversized, bad topic, or over the flood cap */
    int failures;         /* consecutive failed attempts */
};
const char *push_state_name(enum push_state_kind s);
/* One line for the status page: "đã kết nối mqtts://… từ 08:15" and the like (Vietnamese). */
void push_state_line(const struct push_state *st, char *out, size_t out_len);

/* Called on the client thread; must take ownership of b quickly (the kiosk pushes an SDL
 * event; the receiver frees with push_batch_free and then calls push_client_batch_done). An
 * empty batch (n = 0) says the connection state changed (push_client_state). */
typedef void (*push_deliver_fn)(void *ctx, struct push_batch *b);

struct push_client_config {
    struct push_conn conn;
    const char *device_id;                    /* also the MQTT client id */
    const char *province_code, *commune_code; /* subscriptions; "" = none */
    push_deliver_fn deliver;
    void *ctx;
};
/* Starts the thread (connects in the background, retries forever with backoff and jitter;
 * each distinct failure is logged once, recovery once). Strings are copied. NULL when the
 * config is unusable (logged). */
struct push_client *push_client_start(const struct push_client_config *cfg);
/* Disconnects cleanly (the will is not sent: status gets {"online": false} explicitly) and
 * joins the thread within about a second. NULL is a no-op. */
void push_client_stop(struct push_client *c);
/* A delivered batch has been handled (flood control counts batches in flight). */
void push_client_batch_done(struct push_client *c);
/* Set the retained status document (JSON text, copied); published now if it differs from the
 * last one, and again on every (re)connect. Thread-safe. */
void push_client_set_status(struct push_client *c, const char *json);
/* Queue bangtin/v1/ack/<notice_id>/<device id> (retained, QoS 1); sent now or on the next
 * connect (the newest 256 are kept while offline). result "shown", "refused" or "cancelled".
 * Thread-safe. */
void push_client_ack(struct push_client *c, const char *notice_id, const char *result,
                     const char *reason, int64_t at);
void push_client_state(struct push_client *c, struct push_state *out);
/* Monotonic ms of the thread's last sign of life (for the watchdog). */
int64_t push_client_heartbeat(struct push_client *c);
const char *push_client_device_id(const struct push_client *c);

/* Main thread: apply a batch to the store through notify_accept_signed (signature over the
 * exact notice bytes first, then the signed-notice rules, per-key seq in the store's
 * transaction), ordered by key then seq; ack each message (ack topic id = the topic's last
 * level). The same document again (retained and live, or via HTTP too) is "unchanged" (ack
 * "shown"/"cancelled", logged at info). Empty payloads (a cleared retained topic) are ignored.
 * c may be NULL (no acks: tests, bench). Returns the number of notices accepted or
 * cancelled (> 0: reload the urgent notices). */
size_t push_apply_batch(struct store *s, const struct config *cfg, struct push_client *c,
                        const struct push_batch *b, int64_t now, bool clock_trusted);

/* ---- the screen's status document ---- */
struct push_source_status {
    const char *name;
    int64_t last_success; /* 0 = never */
    const char *last_error;
};
struct push_screen_status {
    const char *device_id, *version, *office_name;
    const char *province_code, *commune_code;
    const char *showing; /* "urgent:<id>", "item:<title>", "status", "empty" */
    const char *last_error;
    const char *ip;
    int64_t uptime_s, now;
    const struct push_source_status *sources;
    size_t n_sources;
    const char *const *active_notices; /* store ids of active urgent notices */
    size_t n_active;
};
/* {"online": true, "device": …, "version": …, "province": …, "commune": …, "office": …,
 * "showing": …, "last_error": …, "ip": …, "uptime_s": …, "at": …, "sources": [{"name",
 * "last_success", "last_error"}], "active_notices": [...]}. Caller frees. */
char *push_status_json(const struct push_screen_status *s);

/* ---- the fleet view (bangtin fleet, the desk) ---- */
struct push_fleet_screen {
    char *device;
    bool online;
    int64_t since;     /* wall clock when this view first saw it in its current state */
    char *status_json; /* the last status document (NULL when only a will was seen) */
    char *province, *commune, *office, *showing, *last_error, *version, *ip;
    int64_t last_fetch; /* newest last_success of its sources, 0 = never */
    int64_t at;         /* "at" of its status, 0 = unknown */
};
struct push_fleet_reason {
    char *device, *reason;
};
struct push_fleet_notice {
    char *id; /* the notice id of the ack topics / of the screens' active notices */
    size_t shown, refused, cancelled, unanswered; /* unanswered: online screens, no ack */
    struct push_fleet_reason *refusals;           /* n = refused */
};
struct push_fleet;
/* Connect (client id "bangtin-fleet-<random>"), subscribe to status/+ and ack/+/+ and collect
 * in a background thread. NULL + err (Vietnamese-free one line, for logs) when the broker
 * cannot be reached within connect_timeout_ms. */
struct push_fleet *push_fleet_open(const struct push_conn *conn, int connect_timeout_ms, char *err,
                                   size_t err_len);
void push_fleet_close(struct push_fleet *f); /* NULL is a no-op */
/* Sleep wait_ms while retained messages arrive. */
void push_fleet_wait(struct push_fleet *f, int wait_ms);
/* Snapshots (caller frees with the matching free). Sorted by device / notice id. */
size_t push_fleet_screens(struct push_fleet *f, struct push_fleet_screen **out);
void push_fleet_screens_free(struct push_fleet_screen *s, size_t n);
size_t push_fleet_notices(struct push_fleet *f, struct push_fleet_notice **out);
void push_fleet_notices_free(struct push_fleet_notice *n, size_t count);
/* The whole view as JSON {"screens": [...], "notices": [...]}; caller frees. */
char *push_fleet_json(struct push_fleet *f);
/* Publish a signed notice (or cancel) retained, QoS 1, to the topic of each target; waits for
 * the broker's acknowledgement (timeout_ms). false + err on failure. */
bool push_fleet_publish_notice(struct push_fleet *f, const char *const *targets, size_t n_targets,
                               const char *id, const char *notice, size_t notice_len,
                               const char *minisig, size_t minisig_len, int timeout_ms, char *err,
                               size_t err_len);
/* Remove a retained notice from its topics (an empty retained message), e.g. after expiry. */
bool push_fleet_clear_notice(struct push_fleet *f, const char *const *targets, size_t n_targets,
                             const char *id, int timeout_ms, char *err, size_t err_len);

/* `bangtin fleet …` (argv[0] = "fleet"): exit 0 all online, 1 a screen offline or the broker
 * unreachable, 2 usage. */
int push_fleet_cli_main(int argc, char **argv);

/* ---- administrative units (assets/admin-units/units-2025.csv) ---- */
struct push_unit {
    char code[8];        /* "01" (province) or "00004" (commune/ward/special zone) */
    char *name;          /* "Phường Ba Đình" / "Thành phố Hà Nội" */
    char *province_name; /* of a commune; the province's own name for a province */
    char province_code[4];
};
struct push_units;
/* NULL + err when the file cannot be read or parsed. */
struct push_units *push_units_load(const char *csv_path, char *err, size_t err_len);
void push_units_free(struct push_units *u);
/* NULL when unknown. Valid until push_units_free. */
const struct push_unit *push_units_find(const struct push_units *u, const char *code);
/* All units (provinces first, then communes, each sorted by code). */
size_t push_units_all(const struct push_units *u, const struct push_unit **out);

/* --check-config and start-up: [push] and [urgent] province/commune codes. Logs "05569 = Xã
 * Định Hóa, Tỉnh Thái Nguyên" at info, warns on unknown codes or a commune outside the
 * province; errors (counted) for a bad broker URL, unreadable ca_file/password_file.
 * units_csv may be NULL (codes then only checked for form). Returns the number of errors. */
int push_config_check(const struct config *cfg, const char *units_csv, bool strict);
/* The connection settings of a config (pointers into cfg). */
void push_conn_from_config(const struct config *cfg, struct push_conn *out);

#endif
