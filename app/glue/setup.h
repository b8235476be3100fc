/* setup: the configuration a command runs with — defaults, the file, command-line overrides,
 * resource paths resolved — and what other modules need derived from it (network limits,
 * screen size). */
#ifndef BANGTIN_GLUE_SETUP_H
#define BANGTIN_GLUE_SETUP_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct net_limits;

/* When nothing else says how big the screen is (no --size, no [display] width/height, no
 * display to ask). */
#define SETUP_DEFAULT_WIDTH  1920
#define SETUP_DEFAULT_HEIGHT 1080

/* What the command line asks of the configuration. */
struct setup_args {
    const char *config_path;    /* NULL: /etc/bangtin/bangtin.conf when it exists */
    const char *data_dir;       /* --data-dir */
    const char *log_level;      /* --log-level */
    const char *const *sources; /* --source URL, repeatable */
    size_t n_sources;
    bool demo;  /* --demo: the bundled demo feed */
    bool kiosk; /* the command is the kiosk (warns when it has nothing to fetch) */
};

/* strict: --check-config rules. Returns false when the config cannot be used. */
bool setup_load_config(const struct setup_args *a, struct config *cfg, bool strict);

/* The network limits of the config (time-outs, size cap, redirects, user agent). */
void setup_net_limits(const struct config *cfg, struct net_limits *lim);

/* Output size: the first of want (--size), [display] width/height, fallback; 0 = unset. */
void setup_screen_size(const struct config *cfg, int want_w, int want_h, int fallback_w,
                       int fallback_h, int *w, int *h);

/* Folder holding fonts/ and assets/ (source tree, or /usr/share/bangtin when installed). */
const char *paths_resource_root(void);
/* Absolute path of a resource ("fonts/NotoSans-Regular.ttf"); caller frees. An absolute
 * input is returned as a copy. */
char *paths_resource(const char *rel);

#endif
