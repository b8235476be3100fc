/* cli: argument parsing (getopt_long). */
#include "cli.h"
#include "glue/setup.h"

#include "bangtin/clock.h"
#include "bangtin/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_usage(void)
{
    printf("Usage: bangtin [OPTION]...\n"
           "       bangtin notify --title T --body B [--expires 2h] [--severity S]\n"
           "       bangtin notify --cancel ID | --list\n"
           "       bangtin fleet --broker mqtt[s]://HOST[:PORT] [--ca-file F] [--username U\n"
           "                     --password-file P] [--json] [--wait 3s]\n"
           "       bangtin notice check notice.json [--key RW…]\n"
           "       bangtin desk --config FILE      the officials' web desk\n"
           "       bangtin passwd --config FILE [--panel] USER   add a desk/panel user\n"
           "The firmware of a notice board: fetches announcements, caches them, shows them.\n\n"
           "  --config FILE        configuration (default $BANGTIN_CONFIG, else " BANGTIN_SYSCONFDIR
           "/bangtin.conf)\n"
           "  --data-dir DIR       where the cache lives (overrides [system] data_dir)\n"
           "  --source URL         add a source (repeatable); file:// only for local files\n"
           "  --demo               show the bundled demo content\n"
           "  --windowed           a window instead of fullscreen\n"
           "  --size WxH           window/output size\n"
           "  --screenshot OUT.png render from the cache with no display and exit\n"
           "  --pages N            with --screenshot: N pages to OUT-001.png … OUT-00N.png\n"
           "  --status             with --screenshot: the status page\n"
           "  --fetch-once         fetch every source into the cache and exit (1 if any failed)\n"
           "  --check-config       check the configuration strictly and exit (0 ok, 1 not)\n"
           "  --dump SOURCE        print the parsed items of a URL or file as JSON lines\n"
           "  --log-level LEVEL    error, warning, info or debug\n"
           "  --version            print the version\n"
           "  --help               this help\n\n"
           "Keys: right arrow next page, left arrow previous, s status page, q/Esc quit\n"
           "(only when [display] kiosk = false).\n");
}

static bool parse_size(const char *s, int *w, int *h)
{
    char x;
    return sscanf(s, "%d%c%d", w, &x, h) == 3 && (x == 'x' || x == 'X') && *w >= 64 && *h >= 64 &&
           *w <= 16384 && *h <= 16384;
}

/* `bangtin desk --config F` and `bangtin passwd --config F [--panel] USER`. */
static bool cli_parse_desk(int argc, char **argv, int at, struct cli *c)
{
    bool passwd = strcmp(argv[at], "passwd") == 0;
    c->mode = passwd ? CLI_PASSWD : CLI_DESK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i == at)
            continue;
        if ((strcmp(a, "--config") == 0 || strcmp(a, "--log-level") == 0) && i + 1 < argc) {
            if (a[2] == 'c')
                c->config_path = argv[++i];
            else
                c->log_level = argv[++i];
        } else if (passwd && strcmp(a, "--panel") == 0) {
            c->passwd_panel = true;
        } else if (passwd && a[0] != '-' && !c->passwd_user) {
            c->passwd_user = a;
        } else {
            fprintf(stderr, "bangtin %s: unexpected argument '%s'\n", argv[at], a);
            return false;
        }
    }
    if (passwd && !c->passwd_user) {
        fputs("usage: bangtin passwd --config FILE [--panel] USER\n", stderr);
        return false;
    }
    return true;
}

bool cli_parse(int argc, char **argv, struct cli *c)
{
    memset(c, 0, sizeof *c);
    c->mode = CLI_KIOSK;
    c->pages = 1;
    c->start_ms = clock_mono_ms();
    /* `bangtin [--config F] [--data-dir D] notify …`: the global options may stand before or
     * after the word notify; everything else belongs to notify. */
    if (argc > 1 && strcmp(argv[1], "fleet") == 0) {
        c->mode = CLI_FLEET;
        c->notify_argv = argv + 1;
        c->notify_argc = argc - 1;
        return true;
    }
    int at = 1;
    while (at + 1 < argc &&
           (strcmp(argv[at], "--config") == 0 || strcmp(argv[at], "--data-dir") == 0 ||
            strcmp(argv[at], "--log-level") == 0))
        at += 2;
    if (at < argc && (strcmp(argv[at], "desk") == 0 || strcmp(argv[at], "passwd") == 0))
        return cli_parse_desk(argc, argv, at, c);
    if (at < argc && (strcmp(argv[at], "notify") == 0 || strcmp(argv[at], "notice") == 0)) {
        c->mode = strcmp(argv[at], "notify") == 0 ? CLI_NOTIFY : CLI_NOTICE;
        c->notify_argv = xcalloc((size_t)argc, sizeof *c->notify_argv);
        c->notify_argv[c->notify_argc++] = argv[at];
        for (int i = 1; i < argc; i++) {
            if (i == at)
                continue;
            bool global = strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--data-dir") == 0 ||
                          strcmp(argv[i], "--log-level") == 0;
            if (global && i + 1 < argc) {
                const char *v = argv[++i];
                if (argv[i - 1][2] == 'c')
                    c->config_path = v;
                else if (argv[i - 1][2] == 'd')
                    c->data_dir = v;
                else
                    c->log_level = v;
            } else {
                c->notify_argv[c->notify_argc++] = argv[i];
            }
        }
        return true;
    }
    enum {
        O_CONFIG = 256,
        O_DATA,
        O_SOURCE,
        O_DEMO,
        O_WINDOWED,
        O_SIZE,
        O_SHOT,
        O_PAGES,
        O_STATUS,
        O_FETCH,
        O_CHECK,
        O_DUMP,
        O_LOG,
        O_VERSION,
        O_HELP
    };
    static const struct option opts[] = {
        {"config", required_argument, 0, O_CONFIG},
        {"data-dir", required_argument, 0, O_DATA},
        {"source", required_argument, 0, O_SOURCE},
        {"demo", no_argument, 0, O_DEMO},
        {"windowed", no_argument, 0, O_WINDOWED},
        {"size", required_argument, 0, O_SIZE},
        {"screenshot", required_argument, 0, O_SHOT},
        {"pages", required_argument, 0, O_PAGES},
        {"status", no_argument, 0, O_STATUS},
        {"fetch-once", no_argument, 0, O_FETCH},
        {"check-config", no_argument, 0, O_CHECK},
        {"dump", required_argument, 0, O_DUMP},
        {"log-level", required_argument, 0, O_LOG},
        {"version", no_argument, 0, O_VERSION},
        {"help", no_argument, 0, O_HELP},
        {0, 0, 0, 0},
    };
    int o;
    opterr = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case O_CONFIG: c->config_path = optarg; break;
        case O_DATA: c->data_dir = optarg; break;
        case O_SOURCE:
            c->sources = xrealloc(c->sources, (c->n_sources + 1) * sizeof *c->sources);
            c->sources[c->n_sources++] = optarg;
            break;
        case O_DEMO: c->demo = true; break;
        case O_WINDOWED: c->windowed = true; break;
        case O_SIZE:
            if (!parse_size(optarg, &c->width, &c->height)) {
                fprintf(stderr, "bangtin: --size expects WxH, e.g. 1920x1080\n");
                return false;
            }
            break;
        case O_SHOT:
            c->mode = CLI_SCREENSHOT;
            c->screenshot = optarg;
            break;
        case O_PAGES:
            c->pages = atoi(optarg);
            if (c->pages < 1 || c->pages > 999) {
                fprintf(stderr, "bangtin: --pages expects 1 to 999\n");
                return false;
            }
            break;
        case O_STATUS: c->status_page = true; break;
        case O_FETCH: c->mode = CLI_FETCH_ONCE; break;
        case O_CHECK: c->mode = CLI_CHECK_CONFIG; break;
        case O_DUMP:
            c->mode = CLI_DUMP;
            c->dump = optarg;
            break;
        case O_LOG: c->log_level = optarg; break;
        case O_VERSION: c->mode = CLI_VERSION; break;
        case O_HELP: c->mode = CLI_HELP; break;
        default: return false;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "bangtin: unexpected argument '%s' (see --help)\n", argv[optind]);
        return false;
    }
    return true;
}

void cli_setup_args(const struct cli *c, struct setup_args *a)
{
    memset(a, 0, sizeof *a);
    a->config_path = c->config_path;
    a->data_dir = c->data_dir;
    a->log_level = c->log_level;
    a->sources = c->sources;
    a->n_sources = c->n_sources;
    a->demo = c->demo;
    a->kiosk = c->mode == CLI_KIOSK;
}

void cli_free(struct cli *c)
{
    free(c->sources);
    if (c->mode != CLI_FLEET)
        free(c->notify_argv);
}
