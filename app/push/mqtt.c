/* mqtt: one configured libmosquitto handle for screens, the fleet view and desks: MQTT 5 (a
 * broker that refuses it gets 3.1.1 next time), TLS with a pinned CA, the password from a file
 * (never from the configuration itself), and a maximum packet size the broker must honour. */
#define LOG_MODULE "push"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/util.h"
#include "push_internal.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_init_once(void)
{
    mosquitto_lib_init();
}

void push_lib_init(void)
{
    pthread_once(&lib_once, lib_init_once);
}

static char *read_password(const char *path, char *err, size_t err_len)
{
    char *text = NULL;
    size_t len = 0;
    if (!util_read_file(path, 4096, &text, &len)) {
        snprintf(err, err_len, "password file %s cannot be read", path);
        return NULL;
    }
    text[strcspn(text, "\r\n")] = '\0';
    if (!text[0]) {
        snprintf(err, err_len, "password file %s is empty", path);
        free(text);
        return NULL;
    }
    return text;
}

struct mosquitto *push_mosq_new(const struct push_conn *conn, const char *client_id, void *obj,
                                char *host, size_t host_len, int *port, char *err, size_t err_len)
{
    bool tls;
    if (!push_parse_url(conn->broker, host, host_len, port, &tls)) {
        snprintf(err, err_len, "broker \"%s\" is not mqtt://host[:port] or mqtts://host[:port]",
                 conn->broker ? conn->broker : "");
        return NULL;
    }
    push_lib_init();
    struct mosquitto *m = mosquitto_new(client_id, true, obj);
    if (!m) {
        snprintf(err, err_len, "cannot create an MQTT client (client id \"%s\")",
                 client_id ? client_id : "");
        return NULL;
    }
    mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    int rc = MOSQ_ERR_SUCCESS;
    if (tls) {
        if (conn->ca_file)
            rc = mosquitto_tls_set(m, conn->ca_file, NULL, NULL, NULL, NULL);
        else
            rc = mosquitto_int_option(m, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
        if (rc == MOSQ_ERR_SUCCESS)
            rc = mosquitto_tls_opts_set(m, 1, "tlsv1.2", NULL);
        if (rc != MOSQ_ERR_SUCCESS) {
            snprintf(err, err_len, "TLS set-up failed (ca_file %s): %s",
                     conn->ca_file ? conn->ca_file : "system store", mosquitto_strerror(rc));
            mosquitto_destroy(m);
            return NULL;
        }
    }
    if (conn->username) {
        char *pw = conn->password_file ? read_password(conn->password_file, err, err_len) : NULL;
        if (conn->password_file && !pw) {
            mosquitto_destroy(m);
            return NULL;
        }
        rc = mosquitto_username_pw_set(m, conn->username, pw);
        if (pw) {
            memset(pw, 0, strlen(pw));
            free(pw);
        }
        if (rc != MOSQ_ERR_SUCCESS) {
            snprintf(err, err_len, "credentials not usable: %s", mosquitto_strerror(rc));
            mosquitto_destroy(m);
            return NULL;
        }
    }
    return m;
}

int push_mosq_connect(struct mosquitto *m, const char *host, int port, int keepalive_s)
{
    mosquitto_property *props = NULL;
    int rc = mosquitto_property_add_int32(&props, MQTT_PROP_MAXIMUM_PACKET_SIZE,
                                          PUSH_MAX_PAYLOAD + 1024);
    /* 3.1.1 takes no properties: after a broker refused MQTT 5 they are left out. */
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_connect_bind_v5(m, host, port, keepalive_s > 0 ? keepalive_s : 60, NULL,
                                       props);
    if (rc == MOSQ_ERR_NOT_SUPPORTED)
        rc = mosquitto_connect_bind_v5(m, host, port, keepalive_s > 0 ? keepalive_s : 60, NULL,
                                       NULL);
    mosquitto_property_free_all(&props);
    return rc;
}

const char *push_connack_reason(int rc)
{
    switch (rc) {
    case CONNACK_REFUSED_PROTOCOL_VERSION:
    case MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION: return "the broker refuses this MQTT version";
    case CONNACK_REFUSED_IDENTIFIER_REJECTED:
    case MQTT_RC_CLIENTID_NOT_VALID: return "the broker rejects this client id";
    case CONNACK_REFUSED_SERVER_UNAVAILABLE:
    case MQTT_RC_SERVER_UNAVAILABLE: return "the broker is unavailable";
    case CONNACK_REFUSED_BAD_USERNAME_PASSWORD:
    case MQTT_RC_BAD_USERNAME_OR_PASSWORD: return "wrong user name or password";
    case CONNACK_REFUSED_NOT_AUTHORIZED:
    case MQTT_RC_NOT_AUTHORIZED: return "not authorised";
    case MQTT_RC_BANNED: return "banned by the broker";
    default: return mosquitto_reason_string(rc);
    }
}
