/* `bangtin notify` in a temp data dir (push, --list, --cancel, usage and permission errors),
 * and scripts/sign-notice run for real, its output accepted by notify_accept_signed. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/config.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "check.h"
#include "cmd/cmd.h"
#include "notify_test.h"

/* Runs cmd_notify with stdout captured into *out (caller frees). */
static int cli(const struct config *cfg, char **out, const char *a1, const char *a2, const char *a3,
               const char *a4, const char *a5, const char *a6, const char *a7)
{
    const char *args[] = {"notify", a1, a2, a3, a4, a5, a6, a7, NULL};
    int argc = 1;
    while (args[argc])
        argc++;
    char *path = xasprintf("%s/stdout.txt", cfg->data_dir);
    fflush(stdout);
    int saved = dup(1), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    close(fd);
    int rc = cmd_notify(argc, (char **)args, cfg);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    char *text = test_read(path, NULL);
    unlink(path);
    free(path);
    if (out)
        *out = text;
    else
        free(text);
    return rc;
}

#define NA NULL

static void test_push_list_cancel(struct config *cfg)
{
    char *out, *list;
    CHECK_INTEQ(cli(cfg, &out, "--title", "Mất điện", "--body", "Từ 14 giờ đến 17 giờ.",
                    "--expires", "2h", NA),
                0);
    char *id = str_trim(out);
    CHECK(str_starts_with(id, "local:"));
    CHECK_INTEQ(cli(cfg, &list, "--list", NA, NA, NA, NA, NA, NA), 0);
    CHECK(strstr(list, id) != NULL);
    CHECK(strstr(list, "Mất điện") != NULL);
    CHECK(strstr(list, "severe") != NULL);
    free(list);

    /* The notice is in the cache a kiosk reads, with the expiry asked for. */
    struct store *s = store_open(cfg->data_dir);
    struct store_urgent *u;
    size_t n = s ? store_urgent_active(s, (int64_t)time(NULL), true, &u) : 0;
    CHECK_INTEQ(n, 1);
    if (n == 1) {
        CHECK_STREQ(u[0].id, id);
        CHECK_INTEQ(u[0].origin, STORE_URGENT_LOCAL);
        CHECK_STREQ(u[0].body, "Từ 14 giờ đến 17 giờ.");
        CHECK(u[0].expires - u[0].issued == 7200);
    }
    store_urgent_free(u, n);
    store_close(s);

    CHECK_INTEQ(cli(cfg, &out, "--title", "Họp dân", "--id", "hop-dan", "--severity", "moderate",
                    "--expires=0"),
                0);
    CHECK_STREQ(str_trim(out), "local:hop-dan");
    free(out);
    CHECK_INTEQ(cli(cfg, NULL, "--cancel", id, NA, NA, NA, NA, NA), 0);
    CHECK_INTEQ(cli(cfg, NULL, "--cancel", id, NA, NA, NA, NA, NA), 1); /* already gone */
    CHECK_INTEQ(cli(cfg, &list, "--list", NA, NA, NA, NA, NA, NA), 0);
    CHECK(strstr(list, id) == NULL);
    CHECK(strstr(list, "local:hop-dan\tmoderate\tuntil cancelled") != NULL);
    free(list);
    CHECK_INTEQ(cli(cfg, NULL, "--cancel", "local:hop-dan", NA, NA, NA, NA, NA), 0);
    CHECK_INTEQ(cli(cfg, &list, "--list", NA, NA, NA, NA, NA, NA), 0);
    CHECK_STREQ(list, "");
    free(list);
    free(id);
}

static void test_usage(struct config *cfg)
{
    CHECK_INTEQ(cli(cfg, NULL, NA, NA, NA, NA, NA, NA, NA), 2);
    CHECK_INTEQ(cli(cfg, NULL, "--title", NA, NA, NA, NA, NA, NA), 2);
    CHECK_INTEQ(cli(cfg, NULL, "--bogus", NA, NA, NA, NA, NA, NA), 2);
    CHECK_INTEQ(cli(cfg, NULL, "--title", "x", "--severity", "huge", NA, NA, NA), 2);
    CHECK_INTEQ(cli(cfg, NULL, "--title", "x", "--expires", "soon", NA, NA, NA), 2);
    CHECK_INTEQ(cli(cfg, NULL, "--title", "x", "--id", "a b", NA, NA, NA), 2);
    CHECK_INTEQ(cli(cfg, NULL, "--title", "x", "--list", NA, NA, NA, NA), 2);
    CHECK_INTEQ(cli(cfg, NULL, "--cancel", "x", "--body", "y", NA, NA, NA), 2);
    CHECK_INTEQ(cli(cfg, NULL, "--title", "   ", NA, NA, NA, NA, NA), 2);
    CHECK_INTEQ(cli(cfg, NULL, "--help", NA, NA, NA, NA, NA, NA), 0);
}

static void test_permissions(struct config *cfg)
{
    const char *args[] = {"notify", "--list", NULL};
    struct config missing = *cfg;
    missing.data_dir = xasprintf("%s/does-not-exist", cfg->data_dir);
    CHECK_INTEQ(cmd_notify(2, (char **)args, &missing), 1);
    struct stat st;
    CHECK(stat(missing.data_dir, &st) != 0); /* not created behind the user's back */
    free(missing.data_dir);
    missing.data_dir = NULL;
    CHECK_INTEQ(cmd_notify(2, (char **)args, &missing), 1);
    if (geteuid() == 0) {
        printf("SKIP: read-only data dir check (running as root, which may write anyway)\n");
        return;
    }
    CHECK(chmod(cfg->data_dir, 0555) == 0);
    /* Pushing needs write access; listing only reads (issue 12). */
    const char *push[] = {"notify", "--title", "x", NULL};
    CHECK_INTEQ(cmd_notify(3, (char **)push, cfg), 1);
    CHECK_INTEQ(cmd_notify(2, (char **)args, cfg), 0);
    CHECK(chmod(cfg->data_dir, 0755) == 0);
}

/* scripts/sign-notice → files an official publishes → accepted by a screen. */
static void test_sign_script(const char *dir)
{
    if (!test_have_minisign()) {
        printf("SKIP: sign-notice test (minisign is not installed)\n");
        return;
    }
    CHECK(test_run("cd '%s' && minisign -G -W -p k.pub -s k.key >/dev/null", dir));
    CHECK(test_run("bash '%s/scripts/sign-notice' -s '%s/k.key' -p '%s/k.pub' -o '%s/pub' "
                   "--id lu-01 --seq 5 --title 'Cảnh báo lũ \"khẩn\"' --body 'Sơ tán ngay.' "
                   "--severity extreme --expires 3h --targets 26734,all >/dev/null",
                   SOURCE_DIR, dir, dir, dir));
    char *p = xasprintf("%s/k.pub", dir), *pj = xasprintf("%s/pub/notice.json", dir);
    char *ps = xasprintf("%s/pub/notice.json.minisig", dir);
    char *pub = test_read(p, NULL);
    struct config_key key = {.pubkey = strchr(pub, '\n') + 1, .name = "UBND tỉnh"};
    struct config cfg = {.keys = &key, .n_keys = 1, .commune_code = "26734"};
    struct store *s = store_open(dir);
    CHECK(s != NULL);
    for (int round = 0; s && round < 2; round++) {
        size_t ml, sl;
        char *msg = test_read(pj, &ml), *sig = test_read(ps, &sl), err[256];
        enum notify_verdict v = notify_accept_signed(s, &cfg, "tinh", msg, ml, sig, sl,
                                                     (int64_t)time(NULL), true, err, sizeof(err));
        CHECK_MSG(v == (round ? NOTIFY_CANCELLED : NOTIFY_ACCEPTED), "round %d: %s (%s)", round,
                  notify_verdict_name(v), err);
        free(msg), free(sig);
        if (round == 0) {
            struct store_urgent *u;
            size_t n = store_urgent_active(s, (int64_t)time(NULL), true, &u);
            CHECK_INTEQ(n, 1);
            if (n == 1) {
                CHECK_STREQ(u[0].title, "Cảnh báo lũ \"khẩn\"");
                CHECK_STREQ(u[0].issuer, "UBND tỉnh");
                CHECK(u[0].verified);
                CHECK_INTEQ(u[0].expires - u[0].issued, 3 * 3600);
            }
            store_urgent_free(u, n);
            /* The cancellation, signed with the next seq the script keeps next to the key. */
            CHECK(test_run("bash '%s/scripts/sign-notice' -s '%s/k.key' -o '%s/pub' "
                           "--cancel lu-01 >/dev/null",
                           SOURCE_DIR, dir, dir));
        }
    }
    char *ids = s ? test_active_ids(s, (int64_t)time(NULL)) : xstrdup("");
    CHECK_STREQ(ids, "");
    /* Usage errors exit 2, refusals 1. */
    CHECK(!test_run("bash '%s/scripts/sign-notice' -s '%s/k.key' --bogus", SOURCE_DIR, dir));
    CHECK(!test_run("bash '%s/scripts/sign-notice' -s '%s/k.key' --title x --expires "
                    "'a[$(id)]m'",
                    SOURCE_DIR, dir));
    free(ids);
    store_close(s);
    free(p), free(pj), free(ps), free(pub);
}

int main(void)
{
    char *dir = test_tmpdir("notify-cli");
    struct config cfg = {.data_dir = dir};
    log_capture_start();
    test_usage(&cfg);
    test_push_list_cancel(&cfg);
    test_permissions(&cfg);
    test_sign_script(dir);
    log_capture_stop();
    test_rmtree(dir);
    free(dir);
    return CHECK_DONE();
}
