/* push: URLs and topics, the notice payload, the device id, the administrative units, and
 * push_apply_batch against a real store with the signed notice of tests/data/minisign
 * (accepted, the same again unchanged, retained burst ordered by seq, forged refused). */
#include "check.h"

#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_url(void)
{
    char host[256];
    int port;
    bool tls;
    CHECK(push_parse_url("mqtts://mqtt.example.gov.vn:8883", host, sizeof host, &port, &tls));
    CHECK_STREQ(host, "mqtt.example.gov.vn");
    CHECK_INTEQ(port, 8883);
    CHECK(tls);
    CHECK(push_parse_url("mqtt://127.0.0.1", host, sizeof host, &port, &tls));
    CHECK_INTEQ(port, 1883);
    CHECK(!tls);
    CHECK(push_parse_url("mqtts://[::1]:9000/", host, sizeof host, &port, &tls));
    CHECK_STREQ(host, "::1");
    CHECK_INTEQ(port, 9000);
    CHECK(!push_parse_url("http://x", host, sizeof host, &port, &tls));
    CHECK(!push_parse_url("mqtt://", host, sizeof host, &port, &tls));
    CHECK(!push_parse_url("mqtt://h:0", host, sizeof host, &port, &tls));
    CHECK(!push_parse_url("mqtt://h:70000", host, sizeof host, &port, &tls));
    CHECK(!push_parse_url("mqtt://user@h", host, sizeof host, &port, &tls));
    CHECK(!push_parse_url("mqtt://h/path", host, sizeof host, &port, &tls));
}

static void test_topics(void)
{
    char t[128];
    CHECK(push_notice_topic("all", "lu-1", t, sizeof t));
    CHECK_STREQ(t, "bangtin/v1/notice/all/lu-1");
    CHECK(push_notice_topic("19", "lu-1", t, sizeof t));
    CHECK_STREQ(t, "bangtin/v1/notice/p/19/lu-1");
    CHECK(push_notice_topic("05569", "lu-1", t, sizeof t));
    CHECK_STREQ(t, "bangtin/v1/notice/c/05569/lu-1");
    CHECK(!push_notice_topic("1", "lu-1", t, sizeof t));
    CHECK(!push_notice_topic("all", "a/b", t, sizeof t));
    CHECK(!push_notice_topic("all", "+", t, sizeof t));
    CHECK_STREQ(push_topic_notice_id("bangtin/v1/notice/c/05569/lu-1"), "lu-1");
    CHECK_STREQ(push_topic_notice_id("bangtin/v1/notice/all/x.y:z"), "x.y:z");
    CHECK(!push_topic_notice_id("bangtin/v1/notice/c/0556/lu-1"));
    CHECK(!push_topic_notice_id("bangtin/v1/notice/p/19/a/b"));
    CHECK(!push_topic_notice_id("bangtin/v1/status/x"));
    CHECK(!push_topic_notice_id("bangtin/v1/notice/all/"));
}

static void test_payload(void)
{
    const char *doc = "{\"id\":\"a\"}\n", *sig = "untrusted comment: x\nRW…\n";
    char *p = push_payload_make(doc, strlen(doc), sig, strlen(sig));
    CHECK(p != NULL);
    char *n, *s, err[256];
    size_t nl, sl;
    CHECK(push_payload_parse(p, strlen(p), &n, &nl, &s, &sl, err, sizeof err));
    CHECK(nl == strlen(doc) && memcmp(n, doc, nl) == 0);
    CHECK(sl == strlen(sig) && memcmp(s, sig, sl) == 0);
    free(n), free(s), free(p);
    static const char *bad[] = {
        "",
        "[]",
        "{\"notice\":\"a\"}",
        "{\"notice\":1,\"minisig\":\"b\"}",
        "{\"notice\":\"a\",\"minisig\":\"b\",\"notice\":\"c\"}",
        "{\"notice\":\"a\\u0000b\",\"minisig\":\"b\"}",
        "{\"notice\":\"\",\"minisig\":\"b\"}",
        "{\"notice\":\"a\",\"minisig\":\"b\"} trailing",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_MSG(!push_payload_parse(bad[i], strlen(bad[i]), &n, &nl, &s, &sl, err, sizeof err) &&
                      !n && !s && err[0],
                  "payload %zu accepted", i);
    char *big = xmalloc(PUSH_MAX_PAYLOAD + 2);
    memset(big, ' ', PUSH_MAX_PAYLOAD + 1);
    CHECK(!push_payload_parse(big, PUSH_MAX_PAYLOAD + 1, &n, &nl, &s, &sl, err, sizeof err));
    CHECK(strstr(err, "bytes") != NULL);
    free(big);
    CHECK(push_payload_make("a\0b", 3, "s", 1) == NULL);
}

static void test_device_id(void)
{
    char a[80], b[80], c[80];
    char path[] = "/tmp/bangtin-test-machine-id-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, "0123456789abcdef0123456789abcdef\n", 33) == 33);
    close(fd);
    push_device_id(NULL, path, a, sizeof a);
    push_device_id("", path, b, sizeof b);
    push_device_id("screen-7", path, c, sizeof c);
    CHECK_STREQ(a, b);
    CHECK(strlen(a) == 19 && strncmp(a, "bt-", 3) == 0);
    CHECK(strstr(a, "0123") == NULL); /* not the machine id itself */
    CHECK_STREQ(c, "screen-7");
    unlink(path);
}

static void test_units(void)
{
    char err[256];
    struct push_units *u =
        push_units_load(SOURCE_DIR "/assets/admin-units/units-2025.csv", err, sizeof err);
    CHECK_MSG(u != NULL, "%s", err);
    const struct push_unit *x = push_units_find(u, "05569");
    CHECK(x && strcmp(x->name, "Xã Định Hóa") == 0 && strcmp(x->province_code, "19") == 0);
    x = push_units_find(u, "19");
    CHECK(x && strcmp(x->name, "Tỉnh Thái Nguyên") == 0);
    CHECK(push_units_find(u, "05866") == NULL);
    const struct push_unit *all;
    size_t n = push_units_all(u, &all);
    CHECK_INTEQ(n, 34 + 3321);
    CHECK_STREQ(all[0].code, "01");
    CHECK_INTEQ(strlen(all[34].code), 5);
    push_units_free(u);
    CHECK(push_units_load("/nonexistent.csv", err, sizeof err) == NULL);
}

static char *slurp(const char *path, size_t *len)
{
    char *d = NULL;
    CHECK(util_read_file(path, 1 << 20, &d, len));
    return d;
}

static struct push_message msg(const char *topic, const char *doc, size_t dl, const char *sig,
                               size_t sl, bool retained)
{
    struct push_message m = {.topic = xstrdup(topic), .retained = retained};
    m.payload = push_payload_make(doc, dl, sig, sl);
    m.len = strlen(m.payload);
    return m;
}

static void test_apply(void)
{
    char dir[] = "/tmp/bangtin-test-push-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct store *st = store_open(dir);
    struct config cfg;
    config_init(&cfg);
    cfg.keys = xcalloc(1, sizeof *cfg.keys);
    cfg.keys[0].pubkey = xstrdup("RWRRULiZSFGLWzVsQFf80sfK445qKAinHGsP1C/K6pchYBGy9642DjEE");
    cfg.keys[0].name = xstrdup("Test");
    cfg.n_keys = 1;
    size_t dl, sl;
    char *doc = slurp(TEST_DATA_DIR "/minisign/notice.json", &dl);
    char *sig = slurp(TEST_DATA_DIR "/minisign/notice.json.minisig", &sl);
    char *other = slurp(TEST_DATA_DIR "/minisign/notice.json.other.minisig", &sl);
    sl = strlen(sig);
    int64_t now = 1795742100;

    /* Forged (unpinned key), altered body, junk: nothing stored. */
    struct push_batch b = {.msgs = xcalloc(3, sizeof(struct push_message)), .n = 3};
    b.msgs[0] = msg("bangtin/v1/notice/all/lu-2026-11", doc, dl, other, strlen(other), false);
    char *altered = xstrdup(doc);
    altered[strlen(altered) / 2] ^= 1;
    b.msgs[1] = msg("bangtin/v1/notice/all/lu-2026-11", altered, dl, sig, sl, false);
    b.msgs[2] = (struct push_message){
        .topic = xstrdup("bangtin/v1/notice/all/x"), .payload = xstrdup("junk"), .len = 4};
    CHECK_INTEQ(push_apply_batch(st, &cfg, NULL, &b, now, true), 0);
    struct store_urgent *u;
    CHECK_INTEQ(store_urgent_active(st, now, true, &u), 0);
    for (size_t i = 0; i < b.n; i++)
        free(b.msgs[i].topic), free(b.msgs[i].payload);

    /* The real one: accepted; the same bytes again (retained + live): unchanged. */
    b.n = 2;
    b.msgs[0] = msg("bangtin/v1/notice/all/lu-2026-11", doc, dl, sig, sl, true);
    b.msgs[1] = msg("bangtin/v1/notice/all/lu-2026-11", doc, dl, sig, sl, false);
    CHECK_INTEQ(push_apply_batch(st, &cfg, NULL, &b, now, true), 1);
    size_t n = store_urgent_active(st, now, true, &u);
    CHECK_INTEQ(n, 1);
    CHECK(n == 1 && strstr(u[0].id, "lu-2026-11") && u[0].verified);
    store_urgent_free(u, n);
    CHECK_INTEQ(push_apply_batch(st, &cfg, NULL, &b, now, true), 0);
    for (size_t i = 0; i < b.n; i++)
        free(b.msgs[i].topic), free(b.msgs[i].payload);
    /* An empty retained message (a cleared topic) is ignored. */
    b.n = 1;
    b.msgs[0] = (struct push_message){.topic = xstrdup("bangtin/v1/notice/all/lu-2026-11"),
                                      .payload = xstrdup(""),
                                      .len = 0,
                                      .retained = true};
    CHECK_INTEQ(push_apply_batch(st, &cfg, NULL, &b, now, true), 0);
    free(b.msgs[0].topic), free(b.msgs[0].payload);
    free(b.msgs);
    free(doc), free(sig), free(other), free(altered);
    store_close(st);
    config_free(&cfg);
    char *cmd = xasprintf("rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    free(cmd);
}

int main(void)
{
    log_init(LOG_LEVEL_ERR);
    test_url();
    test_topics();
    test_payload();
    test_device_id();
    test_units();
    test_apply();
    return CHECK_DONE();
}
