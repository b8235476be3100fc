/* setup: the configuration the program runs with — defaults, the file, command-line overrides,
 * resource paths resolved. */
#define LOG_MODULE "config"
#include "app.h"

#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void resolve(char **field)
{
    if (str_empty(*field))
        return;
    char *abs = paths_resource(*field);
    if (access(abs, R_OK) != 0)
        LOG_WARN("%s: not readable; ignored", abs);
    free(*field);
    *field = access(abs, R_OK) == 0 ? abs : NULL;
    if (!*field)
        free(abs);
}

static char *demo_data_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (!str_empty(xdg))
        return xasprintf("%s/bangtin-demo", xdg);
    if (!str_empty(home) && access(home, W_OK) == 0)
        return xasprintf("%s/.cache/bangtin-demo", home);
    return xasprintf("/tmp/bangtin-demo-%ld", (long)getuid());
}

bool app_load_config(const struct cli *cli, struct config *cfg, bool strict)
{
    config_init(cfg);
    bool ok = true;
    const char *path = cli->config_path;
    const char *sys = BANGTIN_SYSCONFDIR "/bangtin.conf";
    if (!path && !cli->demo && access(sys, R_OK) == 0)
        path = sys;
    if (path)
        ok = config_load(cfg, path, strict);
    else if (strict)
        LOG_INFO("no configuration file; checking the defaults");

    enum log_level lvl;
    if (log_level_parse(cli->log_level ? cli->log_level : cfg->log_level, &lvl))
        log_set_level(lvl);

    if (cli->demo) {
        char *feed = paths_resource("assets/demo/feed.xml");
        char *url = xasprintf("file://%s", feed);
        config_add_source_url(cfg, url, true);
        struct config_source *s = &cfg->sources[cfg->n_sources - 1];
        free(s->name);
        s->name = xstrdup("UBND xã Hương Khê (demo)");
        free(url);
        free(feed);
        if (!cli->data_dir) {
            free(cfg->data_dir);
            cfg->data_dir = demo_data_dir();
        }
        /* The demo content has fixed dates: it must keep showing long after they pass. */
        cfg->max_age_days = 0;
        free(cfg->status_file);
        cfg->status_file = xasprintf("%s/status.json", cfg->data_dir);
        if (strcmp(cfg->office_name, "ỦY BAN NHÂN DÂN XÃ") == 0) {
            free(cfg->office_name);
            cfg->office_name = xstrdup("UBND XÃ HƯƠNG KHÊ");
        }
    }
    for (size_t i = 0; i < cli->n_sources; i++)
        config_add_source_url(cfg, cli->sources[i], false);
    if (cli->data_dir) {
        free(cfg->data_dir);
        cfg->data_dir = xstrdup(cli->data_dir);
    }
    resolve(&cfg->logo);
    resolve(&cfg->font_regular);
    resolve(&cfg->font_bold);
    if (config_validate(cfg, strict) > 0 && strict)
        ok = false;
    char *units = paths_resource("assets/admin-units/units-2025.csv");
    if (push_config_check(cfg, units, strict) > 0 && strict)
        ok = false;
    free(units);
    if (!strict && cfg->n_sources == 0 && cli->mode == CLI_KIOSK)
        LOG_WARN("no sources configured: showing the cache only (add [source …] sections)");
    return ok;
}
