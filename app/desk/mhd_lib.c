/* mhd_lib: libmicrohttpd loaded at its first call (include/bangtin/dynlib.h): a screen without
 * `[panel] listen` never maps it (nor the GnuTLS it brings), and the screen's first frame does
 * not wait for it. Every function the program calls is here with microhttpd.h's prototype. */
#include "bangtin/dynlib.h"

#include <microhttpd.h>
#include <stdarg.h>

static void *p_start_daemon_va, *p_stop_daemon, *p_get_daemon_info, *p_get_connection_info,
    *p_lookup_connection_value, *p_queue_response, *p_create_response_from_buffer,
    *p_add_response_header, *p_destroy_response, *p_create_post_processor, *p_post_process,
    *p_destroy_post_processor;

static const struct dynlib_fn fns[] = {
    {"MHD_start_daemon_va", &p_start_daemon_va},
    {"MHD_stop_daemon", &p_stop_daemon},
    {"MHD_get_daemon_info", &p_get_daemon_info},
    {"MHD_get_connection_info", &p_get_connection_info},
    {"MHD_lookup_connection_value", &p_lookup_connection_value},
    {"MHD_queue_response", &p_queue_response},
    {"MHD_create_response_from_buffer", &p_create_response_from_buffer},
    {"MHD_add_response_header", &p_add_response_header},
    {"MHD_destroy_response", &p_destroy_response},
    {"MHD_create_post_processor", &p_create_post_processor},
    {"MHD_post_process", &p_post_process},
    {"MHD_destroy_post_processor", &p_destroy_post_processor},
};

static struct dynlib lib =
    DYNLIB_INIT(BANGTIN_SONAME_MHD, "libmicrohttpd, for the desk and [panel]", fns);

typedef struct MHD_Daemon *(*start_va_fn)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                          MHD_AccessHandlerCallback, void *, va_list);

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    dynlib_need(&lib);
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d =
        ((start_va_fn)p_start_daemon_va)(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

void MHD_stop_daemon(struct MHD_Daemon *d)
{
    dynlib_need(&lib);
    ((void (*)(struct MHD_Daemon *))p_stop_daemon)(d);
}

/* The info types this program asks for (BIND_PORT, CLIENT_ADDRESS) take no further argument. */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *d, enum MHD_DaemonInfoType type,
                                                ...)
{
    dynlib_need(&lib);
    return ((const union MHD_DaemonInfo *(*)(struct MHD_Daemon *, enum MHD_DaemonInfoType,
                                             ...))p_get_daemon_info)(d, type);
}

const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *c,
                                                        enum MHD_ConnectionInfoType type, ...)
{
    dynlib_need(&lib);
    return (
        (const union MHD_ConnectionInfo *(*)(struct MHD_Connection *, enum MHD_ConnectionInfoType,
                                             ...))p_get_connection_info)(c, type);
}

const char *MHD_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
                                        const char *key)
{
    dynlib_need(&lib);
    return ((const char *(*)(struct MHD_Connection *, enum MHD_ValueKind,
                             const char *))p_lookup_connection_value)(c, kind, key);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *c, unsigned int status_code,
                                   struct MHD_Response *r)
{
    dynlib_need(&lib);
    return ((enum MHD_Result(*)(struct MHD_Connection *, unsigned int,
                                struct MHD_Response *))p_queue_response)(c, status_code, r);
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
    dynlib_need(&lib);
    return ((struct MHD_Response * (*)(size_t, void *, enum MHD_ResponseMemoryMode))
                p_create_response_from_buffer)(size, buffer, mode);
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *r, const char *header,
                                        const char *content)
{
    dynlib_need(&lib);
    return ((enum MHD_Result(*)(struct MHD_Response *, const char *,
                                const char *))p_add_response_header)(r, header, content);
}

void MHD_destroy_response(struct MHD_Response *r)
{
    dynlib_need(&lib);
    ((void (*)(struct MHD_Response *))p_destroy_response)(r);
}

struct MHD_PostProcessor *MHD_create_post_processor(struct MHD_Connection *c, size_t buffer_size,
                                                    MHD_PostDataIterator iter, void *iter_cls)
{
    dynlib_need(&lib);
    return ((struct MHD_PostProcessor *
             (*)(struct MHD_Connection *, size_t, MHD_PostDataIterator, void *))
                p_create_post_processor)(c, buffer_size, iter, iter_cls);
}

enum MHD_Result MHD_post_process(struct MHD_PostProcessor *pp, const char *data, size_t len)
{
    dynlib_need(&lib);
    return ((enum MHD_Result(*)(struct MHD_PostProcessor *, const char *, size_t))p_post_process)(
        pp, data, len);
}

enum MHD_Result MHD_destroy_post_processor(struct MHD_PostProcessor *pp)
{
    dynlib_need(&lib);
    return ((enum MHD_Result(*)(struct MHD_PostProcessor *))p_destroy_post_processor)(pp);
}
