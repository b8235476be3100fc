/* dynlib: load a shared library at its first use (see include/bangtin/dynlib.h). */
#define LOG_MODULE "dynlib"
#include "bangtin/dynlib.h"

#include "bangtin/log.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static void missing(const struct dynlib *l, const char *err)
{
    LOG_ERR("cannot load %s (%s): %s", l->soname, l->what, err ? err : "?");
    fprintf(stderr, "bangtin: cannot load %s (%s): %s\n", l->soname, l->what, err ? err : "?");
    exit(1);
}

void dynlib_need(struct dynlib *l)
{
    if (atomic_load_explicit(&l->ready, memory_order_acquire))
        return;
    pthread_mutex_lock(&l->lock);
    if (!atomic_load_explicit(&l->ready, memory_order_relaxed)) {
        void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
        if (!h)
            missing(l, dlerror());
        for (size_t i = 0; i < l->n_fns; i++) {
            dlerror();
            *l->fns[i].slot = dlsym(h, l->fns[i].name);
            if (!*l->fns[i].slot) {
                char msg[256];
                snprintf(msg, sizeof msg, "no function %s", l->fns[i].name);
                missing(l, msg);
            }
        }
        LOG_DBG("loaded %s (%zu functions)", l->soname, l->n_fns);
        atomic_store_explicit(&l->ready, true, memory_order_release);
    }
    pthread_mutex_unlock(&l->lock);
}

bool dynlib_loaded(struct dynlib *l)
{
    return atomic_load_explicit(&l->ready, memory_order_acquire);
}
