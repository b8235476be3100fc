/* dynlib: a shared library loaded at its first use instead of at exec (issue 11).
 *
 * The network stack (libcurl, libmosquitto, libmicrohttpd, GnuTLS: ~45 libraries with their
 * dependencies) is not needed to show the first page, nor by `--screenshot`; linked normally,
 * every start maps, relocates and initialises all of them before main() (~20 ms, ~7 MiB RSS).
 * Each of those libraries gets a file of small functions with the library's own names and
 * prototypes (app/net/curl_lib.c, app/push/mosquitto_lib.c, app/desk/mhd_lib.c,
 * app/desk/gnutls_lib.c) that load it on the first call and forward. Callers do not change. */
#ifndef BANGTIN_DYNLIB_H
#define BANGTIN_DYNLIB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct dynlib_fn {
    const char *name;
    void **slot; /* set to the function's address */
};

struct dynlib {
    const char *soname; /* e.g. "libcurl.so.4", from the build (cmake/latelib.cmake) */
    const char *what;   /* what it is for, for the message when it is missing */
    const struct dynlib_fn *fns;
    size_t n_fns;
    pthread_mutex_t lock;
    atomic_bool ready;
};

#define DYNLIB_INIT(so, what_for, table)                                                           \
    {                                                                                              \
        .soname = (so), .what = (what_for), .fns = (table),                                        \
        .n_fns = sizeof(table) / sizeof((table)[0]), .lock = PTHREAD_MUTEX_INITIALIZER             \
    }

/* Load the library and resolve every function of its table, once (any thread). A library or
 * function that cannot be loaded is a broken installation, as a missing DT_NEEDED library would
 * be: the message names it and the process exits with status 1. */
void dynlib_need(struct dynlib *l);
/* Whether the library has been loaded (tests). */
bool dynlib_loaded(struct dynlib *l);

#endif
