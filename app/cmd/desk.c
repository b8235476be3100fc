/* desk: `bangtin desk` — the resource paths the desk needs, then desk_main. */
#include "cli.h"
#include "cmd.h"

#include "bangtin/config.h"
#include "bangtin/desk.h"
#include "bangtin/util.h"
#include "glue/setup.h"

#include <stdlib.h>

int cmd_desk(const struct config *cfg, const struct cli *cli)
{
    char *css = paths_resource("assets/desk/desk.css");
    char *units = str_empty(cfg->desk_units_file)
                      ? paths_resource("assets/admin-units/units-2025.csv")
                      : xstrdup(cfg->desk_units_file);
    struct desk_opts o = {
        .config_path = cli->config_path,
        .exe = "/proc/self/exe",
        .css_path = css,
        .units_csv = units,
    };
    int rc = desk_main(cfg, &o);
    free(css), free(units);
    return rc;
}

int cmd_passwd(const struct config *cfg, const struct cli *cli)
{
    return desk_passwd_main(cfg, cli->passwd_panel ? cfg->panel_users_file : cfg->desk_users_file,
                            cli->passwd_user);
}
