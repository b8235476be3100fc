/* bangtin: arguments → config → the command (kiosk by default). Kept short on purpose. */
#define LOG_MODULE "main"
#include "cli.h"
#include "cmd/cmd.h"
#include "glue/setup.h"
#include "kiosk/kiosk.h"

#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/notify.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    struct cli cli;
    log_init(LOG_LEVEL_INFO);
    if (argc >= 2 && strcmp(argv[1], "--fetch-job") == 0)
        return net_fetch_job_main(argc, argv); /* the kiosk's fetch process (app/net/proc.c) */
    xmlInitParser();                           /* once, before any thread: libxml2's global state */
    if (!cli_parse(argc, argv, &cli)) {
        cli_free(&cli);
        return 2;
    }
    if (cli.mode == CLI_HELP || cli.mode == CLI_VERSION) {
        if (cli.mode == CLI_HELP)
            cli_usage();
        else
            printf("bangtin %s\n", BANGTIN_VERSION);
        cli_free(&cli);
        return 0;
    }

    if (cli.mode == CLI_FLEET) {
        int frc = cmd_fleet(cli.notify_argc, cli.notify_argv);
        cli_free(&cli);
        return frc;
    }
    struct config cfg;
    bool strict = cli.mode == CLI_CHECK_CONFIG;
    struct setup_args args;
    cli_setup_args(&cli, &args);
    bool usable = setup_load_config(&args, &cfg, strict);
    int rc = 1;
    if (strict) {
        /* The verdict goes to the stream of the errors, after them, also when both are piped. */
        fflush(stdout);
        fprintf(usable ? stdout : stderr, "%s\n",
                usable ? "configuration OK" : "configuration has errors (see above)");
        rc = usable ? 0 : 1;
    } else if (!usable) {
        rc = 1;
    } else {
        /* libcurl is set up by its first user (net_global_init), not here: the screen's first
         * frame and --screenshot do not wait for it (issue 11). */
        switch (cli.mode) {
        case CLI_NOTIFY: rc = cmd_notify(cli.notify_argc, cli.notify_argv, &cfg); break;
        case CLI_NOTICE: rc = notify_notice_main(cli.notify_argc, cli.notify_argv, &cfg); break;
        case CLI_DESK: rc = cmd_desk(&cfg, &cli); break;
        case CLI_PASSWD: rc = cmd_passwd(&cfg, &cli); break;
        case CLI_DUMP: rc = cmd_dump(&cfg, cli.dump); break;
        case CLI_FETCH_ONCE: rc = cmd_fetch_once(&cfg); break;
        case CLI_SCREENSHOT: rc = cmd_screenshot(&cfg, &cli); break;
        default: rc = kiosk_run(&cli, &args, &cfg); break;
        }
        net_global_cleanup();
    }
    config_free(&cfg);
    cli_free(&cli);
    xmlCleanupParser();
    return rc;
}
