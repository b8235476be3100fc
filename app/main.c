/* bangtin: arguments → config → the command (kiosk by default). Kept short on purpose. */
#define LOG_MODULE "main"
#include "app.h"

#include "bangtin/config.h"
#include "bangtin/desk.h"
#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/notify.h"
#include "bangtin/push.h"

#include <libxml/parser.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    struct cli cli;
    log_init(LOG_LEVEL_INFO);
    xmlInitParser(); /* once, before any thread: libxml2's global state */
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
        int frc = push_fleet_cli_main(cli.notify_argc, cli.notify_argv);
        cli_free(&cli);
        return frc;
    }
    struct config cfg;
    bool strict = cli.mode == CLI_CHECK_CONFIG;
    bool usable = app_load_config(&cli, &cfg, strict);
    int rc = 1;
    if (strict) {
        printf("%s\n", usable ? "configuration OK" : "configuration has errors (see above)");
        rc = usable ? 0 : 1;
    } else if (!usable) {
        rc = 1;
    } else if (!net_global_init()) {
        LOG_ERR("cannot initialise libcurl");
    } else {
        switch (cli.mode) {
        case CLI_NOTIFY: rc = notify_cli_main(cli.notify_argc, cli.notify_argv, &cfg); break;
        case CLI_DESK: rc = app_desk(&cfg, &cli); break;
        case CLI_PASSWD:
            rc = desk_passwd_main(&cfg,
                                  cli.passwd_panel ? cfg.panel_users_file : cfg.desk_users_file,
                                  cli.passwd_user);
            break;
        case CLI_DUMP: rc = app_dump(&cfg, cli.dump); break;
        case CLI_FETCH_ONCE: rc = app_fetch_once(&cfg); break;
        case CLI_SCREENSHOT: rc = app_screenshot(&cfg, &cli); break;
        default: rc = kiosk_run(&cli, &cfg); break;
        }
        net_global_cleanup();
    }
    config_free(&cfg);
    cli_free(&cli);
    xmlCleanupParser();
    return rc;
}
