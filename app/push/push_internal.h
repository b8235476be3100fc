/* Private helpers shared by the push files. */
#ifndef BANGTIN_PUSH_INTERNAL_H
#define BANGTIN_PUSH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/push.h"

struct mosquitto;

/* libmosquitto's process-wide init, once (thread-safe). */
void push_lib_init(void);
/* A configured mosquitto handle: MQTT 5, TLS with the pinned CA for mqtts, credentials from
 * the password file, the maximum packet size. Does not connect. NULL + err. */
struct mosquitto *push_mosq_new(const struct push_conn *conn, const char *client_id, void *obj,
                                char *host, size_t host_len, int *port, char *err, size_t err_len);
/* Connect (non-blocking) with MQTT 5 CONNECT properties (maximum packet size). */
int push_mosq_connect(struct mosquitto *m, const char *host, int port, int keepalive_s);
/* "2026-12-06T18:00:00Z"; out must hold 21 bytes. */
void push_format_time(int64_t t, char *out, size_t out_len);
/* RFC 3339 UTC "…Z" → seconds, 0 when absent or malformed. */
int64_t push_parse_time(const char *s);
/* {"result": …, "reason": …, "at": …}; reason may be NULL. Caller frees. */
char *push_ack_json(const char *result, const char *reason, const char *at);
/* A connection failure reason from a libmosquitto / CONNACK code. */
const char *push_connack_reason(int rc);

#endif
