/* libFuzzer: everything a broker can send a screen on a notice topic. The bytes are the MQTT
 * payload: push_payload_parse, then push_apply_batch — the signature over the notice bytes,
 * the signed-notice rules and the store, exactly as the kiosk's main thread runs them — plus
 * the topic parser on the same bytes. Nothing unsigned may ever be stored. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;
static struct config cfg;
static char dir_path[64];

static void cleanup(void)
{
    static const char *const names[] = {"cache.db", "cache.db-wal", "cache.db-shm"};
    store_close(st);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *p = xasprintf("%s/%s", dir_path, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    log_init(LOG_LEVEL_ERR);
    char tmpl[] = "/tmp/bangtin-fuzz-push-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir)
        abort();
    snprintf(dir_path, sizeof dir_path, "%s", dir);
    st = store_open(dir);
    if (!st)
        abort();
    atexit(cleanup);
    config_init(&cfg);
    free(cfg.commune_code);
    cfg.commune_code = xstrdup("05569");
    free(cfg.province_code);
    cfg.province_code = xstrdup("19");
    /* The test key of tests/data/minisign/test.pub. */
    cfg.keys = xcalloc(1, sizeof *cfg.keys);
    cfg.keys[0].pubkey = xstrdup("RWRRULiZSFGLWzVsQFf80sfK445qKAinHGsP1C/K6pchYBGy9642DjEE");
    cfg.keys[0].name = xstrdup("fuzz");
    cfg.n_keys = 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct push_message m[2] = {
        {.topic = (char *)"bangtin/v1/notice/c/05569/fuzz",
         .payload = (char *)data,
         .len = size,
         .retained = true},
        {.topic = (char *)"bangtin/v1/notice/all/fuzz", .payload = (char *)data, .len = size},
    };
    struct push_batch b = {.msgs = m, .n = 2};
    if (push_apply_batch(st, &cfg, NULL, &b, 1795742100, true) != 0) {
        /* Only the signed test notice can be accepted: anything else is a forgery that got in. */
        char *n, *s, err[128];
        size_t nl, sl;
        if (!push_payload_parse(data, size, &n, &nl, &s, &sl, err, sizeof err) ||
            !strstr(n, "lu-2026-11"))
            abort();
        free(n), free(s);
    }
    char *text = fuzz_cstr(data, size);
    (void)push_topic_notice_id(text);
    char host[256];
    int port;
    bool tls;
    (void)push_parse_url(text, host, sizeof host, &port, &tls);
    free(text);
    return 0;
}
