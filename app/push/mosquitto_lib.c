/* mosquitto_lib: libmosquitto loaded at its first call (include/bangtin/dynlib.h): a screen
 * without `[push] broker` never maps it, and one with a broker maps it after its first frame.
 * Every function the program calls is here with mosquitto.h's own prototype. */
#include "bangtin/dynlib.h"

#include <mosquitto.h>

static void *p_lib_init, *p_new, *p_destroy, *p_connect_bind_v5, *p_disconnect, *p_connect_v5_cb,
    *p_disconnect_v5_cb, *p_message_v5_cb, *p_publish_v5_cb, *p_int_option, *p_loop, *p_loop_start,
    *p_loop_stop, *p_property_add_int32, *p_property_free_all, *p_publish_v5, *p_subscribe_v5,
    *p_reason_string, *p_strerror, *p_sub_topic_tokenise, *p_sub_topic_tokens_free, *p_tls_opts_set,
    *p_tls_set, *p_username_pw_set, *p_will_set_v5;

static const struct dynlib_fn fns[] = {
    {"mosquitto_lib_init", &p_lib_init},
    {"mosquitto_new", &p_new},
    {"mosquitto_destroy", &p_destroy},
    {"mosquitto_connect_bind_v5", &p_connect_bind_v5},
    {"mosquitto_disconnect", &p_disconnect},
    {"mosquitto_connect_v5_callback_set", &p_connect_v5_cb},
    {"mosquitto_disconnect_v5_callback_set", &p_disconnect_v5_cb},
    {"mosquitto_message_v5_callback_set", &p_message_v5_cb},
    {"mosquitto_publish_v5_callback_set", &p_publish_v5_cb},
    {"mosquitto_int_option", &p_int_option},
    {"mosquitto_loop", &p_loop},
    {"mosquitto_loop_start", &p_loop_start},
    {"mosquitto_loop_stop", &p_loop_stop},
    {"mosquitto_property_add_int32", &p_property_add_int32},
    {"mosquitto_property_free_all", &p_property_free_all},
    {"mosquitto_publish_v5", &p_publish_v5},
    {"mosquitto_subscribe_v5", &p_subscribe_v5},
    {"mosquitto_reason_string", &p_reason_string},
    {"mosquitto_strerror", &p_strerror},
    {"mosquitto_sub_topic_tokenise", &p_sub_topic_tokenise},
    {"mosquitto_sub_topic_tokens_free", &p_sub_topic_tokens_free},
    {"mosquitto_tls_opts_set", &p_tls_opts_set},
    {"mosquitto_tls_set", &p_tls_set},
    {"mosquitto_username_pw_set", &p_username_pw_set},
    {"mosquitto_will_set_v5", &p_will_set_v5},
};

static struct dynlib lib =
    DYNLIB_INIT(BANGTIN_SONAME_MOSQUITTO, "libmosquitto, for [push] (MQTT)", fns);

typedef void (*on_connect_fn)(struct mosquitto *, void *, int, int, const mosquitto_property *);
typedef void (*on_disconnect_fn)(struct mosquitto *, void *, int, const mosquitto_property *);
typedef void (*on_message_fn)(struct mosquitto *, void *, const struct mosquitto_message *,
                              const mosquitto_property *);
typedef void (*on_publish_fn)(struct mosquitto *, void *, int, int, const mosquitto_property *);
typedef int (*pw_fn)(char *buf, int size, int rwflag, void *userdata);

int mosquitto_lib_init(void)
{
    dynlib_need(&lib);
    return ((int (*)(void))p_lib_init)();
}

struct mosquitto *mosquitto_new(const char *id, bool clean_session, void *obj)
{
    dynlib_need(&lib);
    return ((struct mosquitto * (*)(const char *, bool, void *)) p_new)(id, clean_session, obj);
}

void mosquitto_destroy(struct mosquitto *m)
{
    dynlib_need(&lib);
    ((void (*)(struct mosquitto *))p_destroy)(m);
}

int mosquitto_connect_bind_v5(struct mosquitto *m, const char *host, int port, int keepalive,
                              const char *bind_address, const mosquitto_property *props)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, const char *, int, int, const char *,
                     const mosquitto_property *))p_connect_bind_v5)(m, host, port, keepalive,
                                                                    bind_address, props);
}

int mosquitto_disconnect(struct mosquitto *m)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *))p_disconnect)(m);
}

void mosquitto_connect_v5_callback_set(struct mosquitto *m, on_connect_fn cb)
{
    dynlib_need(&lib);
    ((void (*)(struct mosquitto *, on_connect_fn))p_connect_v5_cb)(m, cb);
}

void mosquitto_disconnect_v5_callback_set(struct mosquitto *m, on_disconnect_fn cb)
{
    dynlib_need(&lib);
    ((void (*)(struct mosquitto *, on_disconnect_fn))p_disconnect_v5_cb)(m, cb);
}

void mosquitto_message_v5_callback_set(struct mosquitto *m, on_message_fn cb)
{
    dynlib_need(&lib);
    ((void (*)(struct mosquitto *, on_message_fn))p_message_v5_cb)(m, cb);
}

void mosquitto_publish_v5_callback_set(struct mosquitto *m, on_publish_fn cb)
{
    dynlib_need(&lib);
    ((void (*)(struct mosquitto *, on_publish_fn))p_publish_v5_cb)(m, cb);
}

int mosquitto_int_option(struct mosquitto *m, enum mosq_opt_t option, int value)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, enum mosq_opt_t, int))p_int_option)(m, option, value);
}

int mosquitto_loop(struct mosquitto *m, int timeout, int max_packets)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, int, int))p_loop)(m, timeout, max_packets);
}

int mosquitto_loop_start(struct mosquitto *m)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *))p_loop_start)(m);
}

int mosquitto_loop_stop(struct mosquitto *m, bool force)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, bool))p_loop_stop)(m, force);
}

int mosquitto_property_add_int32(mosquitto_property **list, int identifier, uint32_t value)
{
    dynlib_need(&lib);
    return ((int (*)(mosquitto_property **, int, uint32_t))p_property_add_int32)(list, identifier,
                                                                                 value);
}

void mosquitto_property_free_all(mosquitto_property **list)
{
    dynlib_need(&lib);
    ((void (*)(mosquitto_property **))p_property_free_all)(list);
}

int mosquitto_publish_v5(struct mosquitto *m, int *mid, const char *topic, int payloadlen,
                         const void *payload, int qos, bool retain, const mosquitto_property *props)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, int *, const char *, int, const void *, int, bool,
                     const mosquitto_property *))p_publish_v5)(m, mid, topic, payloadlen, payload,
                                                               qos, retain, props);
}

int mosquitto_subscribe_v5(struct mosquitto *m, int *mid, const char *sub, int qos, int options,
                           const mosquitto_property *props)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, int *, const char *, int, int,
                     const mosquitto_property *))p_subscribe_v5)(m, mid, sub, qos, options, props);
}

const char *mosquitto_reason_string(int reason_code)
{
    dynlib_need(&lib);
    return ((const char *(*)(int))p_reason_string)(reason_code);
}

const char *mosquitto_strerror(int err)
{
    dynlib_need(&lib);
    return ((const char *(*)(int))p_strerror)(err);
}

int mosquitto_sub_topic_tokenise(const char *subtopic, char ***topics, int *count)
{
    dynlib_need(&lib);
    return ((int (*)(const char *, char ***, int *))p_sub_topic_tokenise)(subtopic, topics, count);
}

int mosquitto_sub_topic_tokens_free(char ***topics, int count)
{
    dynlib_need(&lib);
    return ((int (*)(char ***, int))p_sub_topic_tokens_free)(topics, count);
}

int mosquitto_tls_opts_set(struct mosquitto *m, int cert_reqs, const char *tls_version,
                           const char *ciphers)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, int, const char *, const char *))p_tls_opts_set)(
        m, cert_reqs, tls_version, ciphers);
}

int mosquitto_tls_set(struct mosquitto *m, const char *cafile, const char *capath,
                      const char *certfile, const char *keyfile, pw_fn pw_callback)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, const char *, const char *, const char *, const char *,
                     pw_fn))p_tls_set)(m, cafile, capath, certfile, keyfile, pw_callback);
}

int mosquitto_username_pw_set(struct mosquitto *m, const char *username, const char *password)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, const char *, const char *))p_username_pw_set)(m, username,
                                                                                        password);
}

int mosquitto_will_set_v5(struct mosquitto *m, const char *topic, int payloadlen,
                          const void *payload, int qos, bool retain, mosquitto_property *props)
{
    dynlib_need(&lib);
    return ((int (*)(struct mosquitto *, const char *, int, const void *, int, bool,
                     mosquitto_property *))p_will_set_v5)(m, topic, payloadlen, payload, qos,
                                                          retain, props);
}
