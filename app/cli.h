/* cli: command-line options of the bangtin program. These flags are a contract that scripts
 * and monitoring rely on: keep them. */
#ifndef BANGTIN_APP_CLI_H
#define BANGTIN_APP_CLI_H

#include <stdbool.h>
#include <stddef.h>

enum cli_mode {
    CLI_KIOSK,
    CLI_SCREENSHOT,
    CLI_FETCH_ONCE,
    CLI_CHECK_CONFIG,
    CLI_DUMP,
    CLI_VERSION,
    CLI_HELP,
    CLI_NOTIFY,
    CLI_FLEET,
    CLI_DESK,   /* bangtin desk --config FILE */
    CLI_PASSWD, /* bangtin passwd --config FILE [--panel] USER */
    CLI_NOTICE  /* bangtin notice check … */
};

struct cli {
    enum cli_mode mode;
    const char *config_path; /* NULL: /etc/bangtin/bangtin.conf when it exists */
    const char *data_dir;
    const char **sources; /* --source URL, repeatable */
    size_t n_sources;
    bool demo, windowed, status_page;
    int width, height;      /* --size WxH */
    const char *screenshot; /* --screenshot OUT.png */
    int pages;              /* --pages N */
    const char *dump;       /* --dump SOURCE */
    const char *log_level;
    long long start_ms;      /* monotonic ms when main() started: for "first frame" */
    int notify_argc;         /* `bangtin notify …` */
    char **notify_argv;      /* also `bangtin fleet …` */
    const char *passwd_user; /* bangtin passwd … USER */
    bool passwd_panel;       /* --panel: the panel's users file instead of the desk's */
};

struct setup_args;
/* What the options ask of the configuration (points into c). */
void cli_setup_args(const struct cli *c, struct setup_args *a);

/* false on a usage error (message printed). */
bool cli_parse(int argc, char **argv, struct cli *out);
void cli_free(struct cli *c);
void cli_usage(void);

#endif
