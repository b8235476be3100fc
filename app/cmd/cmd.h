/* cmd: the one-shot commands. Each returns the process exit code. */
#ifndef BANGTIN_CMD_H
#define BANGTIN_CMD_H

struct cli;
struct config;

/* --fetch-once: every source once into the cache; 1 when any source failed. */
int cmd_fetch_once(const struct config *cfg);
/* --dump SOURCE: a feed (URL or file) as JSON lines on stdout. */
int cmd_dump(const struct config *cfg, const char *source);
/* --screenshot OUT.png [--pages N] [--status]: pages from the cache, no display needed. */
int cmd_screenshot(const struct config *cfg, const struct cli *cli);
/* `bangtin notify …`: argv[0] is "notify". Returns the process exit code: 0 ok, 1 refused
 * or failed, 2 usage. Uses cfg->data_dir (must exist and be writable). */
int cmd_notify(int argc, char **argv, const struct config *cfg);

/* `bangtin fleet --broker URL …`: every screen and active notice as seen on the broker; 1 when
 * a screen is offline. argv[0] is "fleet". */
int cmd_fleet(int argc, char **argv);

/* `bangtin desk --config FILE`: the officials' web desk (DESIGN.md §11); runs until stopped. */
int cmd_desk(const struct config *cfg, const struct cli *cli);
/* `bangtin passwd --config FILE [--panel] USER`: add or change a desk (or panel) user. */
int cmd_passwd(const struct config *cfg, const struct cli *cli);

#endif
