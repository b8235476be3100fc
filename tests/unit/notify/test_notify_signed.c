/* Signed notices end to end: keys made and notices signed with the real minisign tool in a
 * temp dir, accepted or refused by notify_accept_signed into a real store. Every refusal
 * must be logged with its reason and leave the active notices unchanged. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/config.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "check.h"
#include "notify_test.h"

#define COMMUNE "26734"

struct fx {
    char *dir;
    struct config cfg;
    struct store *store;
    char key_hex[17];
    int64_t now;
};

static bool make_key(const char *dir, const char *name)
{
    return test_run("cd '%s' && minisign -G -W -p %s.pub -s %s.key >/dev/null", dir, name, name);
}

static void rfc3339(int64_t t, char *out, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes <name>.json and signs it (key "pinned" or "other"; legacy when asked). */
static void make_notice(struct fx *fx, const char *name, const char *id, long seq, int64_t expires,
                        const char *targets, const char *action, const char *key, bool legacy)
{
    char issued[32], exp[32];
    rfc3339(fx->now - 60, issued, sizeof(issued));
    rfc3339(expires, exp, sizeof(exp));
    char *json = xasprintf("{\"id\":\"%s\",\"seq\":%ld,\"issued\":\"%s\",\"expires\":\"%s\","
                           "\"title\":\"Cảnh báo %s\",\"body\":\"Nội dung\\ndòng hai\","
                           "\"severity\":\"severe\",\"targets\":%s,\"action\":\"%s\"}\n",
                           id, seq, issued, exp, id, targets, action);
    char *path = xasprintf("%s/%s.json", fx->dir, name);
    CHECK(test_write(path, json));
    CHECK_MSG(test_run("cd '%s' && minisign -S %s -s %s.key -m %s.json -t 'bangtin %s seq %ld'"
                       " >/dev/null",
                       fx->dir, legacy ? "-l" : "", key, name, id, seq),
              "minisign -S failed for %s", name);
    free(json), free(path);
}

static void load(struct fx *fx, const char *name, char **msg, size_t *msg_len, char **sig,
                 size_t *sig_len)
{
    char *p = xasprintf("%s/%s.json", fx->dir, name);
    char *ps = xasprintf("%s/%s.json.minisig", fx->dir, name);
    *msg = test_read(p, msg_len);
    *sig = test_read(ps, sig_len);
    free(p), free(ps);
}

/* Submits the notice (optionally spoiled) and checks the verdict; a refusal must be logged
 * with want_log in the message and leave the active set as it was. */
static void expect(struct fx *fx, const char *name, enum notify_verdict want, const char *want_log,
                   void (*spoil)(char *, size_t *, char *, size_t *))
{
    char *msg, *sig, err[512];
    size_t msg_len, sig_len;
    load(fx, name, &msg, &msg_len, &sig, &sig_len);
    if (spoil)
        spoil(msg, &msg_len, sig, &sig_len);
    char *before = test_active_ids(fx->store, fx->now);
    log_capture_reset();
    enum notify_verdict v = notify_accept_signed(fx->store, &fx->cfg, "tinh", msg, msg_len, sig,
                                                 sig_len, fx->now, true, err, sizeof(err));
    CHECK_MSG(v == want, "%s: got %s (%s), want %s", name, notify_verdict_name(v), err,
              notify_verdict_name(want));
    if (want_log) {
        CHECK_MSG(strstr(log_captured(), want_log) != NULL, "%s: log \"%s\" lacks \"%s\"", name,
                  log_captured(), want_log);
        CHECK_MSG(strstr(err, want_log) != NULL, "%s: err \"%s\"", name, err);
        char *after = test_active_ids(fx->store, fx->now);
        CHECK_MSG(strcmp(before, after) == 0, "%s: active changed: \"%s\" → \"%s\"", name, before,
                  after);
        free(after);
    }
    free(before), free(msg), free(sig);
}

static bool is_active(struct fx *fx, const char *doc_id)
{
    char *ids = test_active_ids(fx->store, fx->now);
    char *want = xasprintf("signed:%s:%s", fx->key_hex, doc_id);
    bool found = false;
    for (char *save = NULL, *t = strtok_r(ids, " ", &save); t; t = strtok_r(NULL, " ", &save))
        found |= strcmp(t, want) == 0;
    free(ids), free(want);
    return found;
}

static void flip_byte(char *msg, size_t *msg_len, char *sig, size_t *sig_len)
{
    msg[*msg_len / 2] ^= 0x20;
}

static void truncate_sig(char *msg, size_t *msg_len, char *sig, size_t *sig_len)
{
    *sig_len = *sig_len / 2;
}

static void alter_comment(char *msg, size_t *msg_len, char *sig, size_t *sig_len)
{
    char *tc = strstr(sig, "trusted comment: bangtin");
    if (tc)
        tc[17] = 'B';
}

static void test_details(struct fx *fx)
{
    struct store_urgent *list;
    size_t n = store_urgent_active(fx->store, fx->now, true, &list);
    bool seen = false;
    for (size_t i = 0; i < n; i++) {
        if (!strstr(list[i].id, ":n1"))
            continue;
        seen = true;
        CHECK_STREQ(list[i].issuer, "Sở Thông tin và Truyền thông");
        CHECK(list[i].verified);
        CHECK_STREQ(list[i].title, "Cảnh báo n1");
        CHECK_STREQ(list[i].body, "Nội dung\ndòng hai");
        CHECK_INTEQ(list[i].origin, STORE_URGENT_SIGNED);
        CHECK_INTEQ(list[i].expires, fx->now + 3600);
    }
    CHECK(seen);
    store_urgent_free(list, n);
}

static void run_cases(struct fx *fx)
{
    int64_t in1h = fx->now + 3600;
    make_notice(fx, "n1", "n1", 10, in1h, "[\"all\"]", "show", "pinned", false);
    expect(fx, "n1", NOTIFY_BAD_SIGNATURE, "bad signature", flip_byte);
    expect(fx, "n1", NOTIFY_BAD_SIGNATURE, "truncated", truncate_sig);
    expect(fx, "n1", NOTIFY_BAD_SIGNATURE, "trusted comment", alter_comment);
    expect(fx, "n1", NOTIFY_ACCEPTED, NULL, NULL);
    CHECK(is_active(fx, "n1"));
    test_details(fx);
    /* The same file again is not an attack: "unchanged" (issue 12); the same seq in another
     * document still is a replay. */
    expect(fx, "n1", NOTIFY_UNCHANGED, "unchanged", NULL);

    make_notice(fx, "low", "low", 9, in1h, "[\"all\"]", "show", "pinned", false);
    expect(fx, "low", NOTIFY_REPLAYED, "not above", NULL);
    make_notice(fx, "eq", "eq", 10, in1h, "[\"all\"]", "show", "pinned", false);
    expect(fx, "eq", NOTIFY_REPLAYED, "replayed", NULL);
    make_notice(fx, "other", "other", 50, in1h, "[\"all\"]", "show", "other", false);
    expect(fx, "other", NOTIFY_UNKNOWN_KEY, "not pinned", NULL);
    make_notice(fx, "old", "old", 11, fx->now - 10, "[\"all\"]", "show", "pinned", false);
    expect(fx, "old", NOTIFY_EXPIRED, "expired", NULL);
    make_notice(fx, "away", "away", 12, in1h, "[\"01234\",\"56789\"]", "show", "pinned", false);
    expect(fx, "away", NOTIFY_NOT_TARGETED, "not for commune", NULL);
    /* Refused notices do not use up their seq: 11 was refused as expired. */
    make_notice(fx, "here", "here", 11, in1h, "[\"01234\",\"" COMMUNE "\"]", "show", "pinned",
                false);
    expect(fx, "here", NOTIFY_ACCEPTED, NULL, NULL);
    CHECK(is_active(fx, "here"));
    make_notice(fx, "leg", "leg", 14, in1h, "[\"all\"]", "show", "pinned", true);
    expect(fx, "leg", NOTIFY_ACCEPTED, NULL, NULL);
    CHECK(is_active(fx, "leg"));
    make_notice(fx, "cancel", "n1", 15, in1h, "[\"all\"]", "cancel", "pinned", false);
    expect(fx, "cancel", NOTIFY_CANCELLED, NULL, NULL);
    CHECK(!is_active(fx, "n1"));
    CHECK(is_active(fx, "here"));
    expect(fx, "cancel", NOTIFY_UNCHANGED, "unchanged", NULL);
}

/* Well signed, badly formed: refused after the signature, before the store. */
static void test_bad_documents(struct fx *fx)
{
    static const char *const docs[] = {
        "not json at all",
        "[1,2,3]",
        "{\"id\":\"a\",\"seq\":20,\"seq\":21,\"issued\":\"2026-11-27T08:00:00Z\"}",
        "{\"id\":\"a b\",\"seq\":20,\"issued\":\"2026-11-27T08:00:00Z\","
        "\"expires\":\"2099-01-01T00:00:00Z\",\"title\":\"t\",\"body\":\"b\","
        "\"severity\":\"severe\",\"targets\":[\"all\"]}",
        "{\"id\":\"a\",\"seq\":\"20\",\"issued\":\"2026-11-27T08:00:00Z\","
        "\"expires\":\"2099-01-01T00:00:00Z\",\"title\":\"t\",\"body\":\"b\","
        "\"severity\":\"severe\",\"targets\":[\"all\"]}",
        "{\"id\":\"a\",\"seq\":20,\"issued\":\"27/11/2026\","
        "\"expires\":\"2099-01-01T00:00:00Z\",\"title\":\"t\",\"body\":\"b\","
        "\"severity\":\"severe\",\"targets\":[\"all\"]}",
        "{\"id\":\"a\",\"seq\":20,\"issued\":\"2026-11-27T08:00:00Z\","
        "\"title\":\"t\",\"body\":\"b\",\"severity\":\"severe\",\"targets\":[\"all\"]}",
        "{\"id\":\"a\",\"seq\":20,\"issued\":\"2026-11-27T08:00:00Z\","
        "\"expires\":\"2099-01-01T00:00:00Z\",\"title\":\"t\",\"body\":\"b\","
        "\"severity\":\"huge\",\"targets\":[\"all\"]}",
        "{\"id\":\"a\",\"seq\":20,\"issued\":\"2026-11-27T08:00:00Z\","
        "\"expires\":\"2099-01-01T00:00:00Z\",\"title\":\"t\",\"body\":\"b\","
        "\"severity\":\"severe\",\"targets\":\"all\"}",
        "{\"id\":\"a\",\"seq\":20,\"issued\":\"2026-11-27T08:00:00Z\","
        "\"expires\":\"2099-01-01T00:00:00Z\",\"title\":\"\\u0007 \\u200b\",\"body\":\"b\","
        "\"severity\":\"severe\",\"targets\":[\"all\"]}",
    };
    for (size_t i = 0; i < ARRAY_LEN(docs); i++) {
        char *path = xasprintf("%s/bad.json", fx->dir);
        CHECK(test_write(path, docs[i]));
        CHECK(test_run("cd '%s' && rm -f bad.json.minisig && minisign -S -s pinned.key "
                       "-m bad.json >/dev/null",
                       fx->dir));
        expect(fx, "bad", NOTIFY_BAD_DOCUMENT, "bad document", NULL);
        free(path);
    }
}

/* The seq survives a restart: it is in the database, not in memory. */
static void test_reopen(struct fx *fx)
{
    store_close(fx->store);
    fx->store = store_open(fx->dir);
    CHECK(fx->store != NULL);
    if (!fx->store)
        return;
    expect(fx, "leg", NOTIFY_REPLAYED, "replayed", NULL);
    CHECK(is_active(fx, "leg"));
}

/* Issue 12: a leading UTF-8 BOM is accepted (the signature covers it); an invisible
 * character before the JSON is named U+XXXX in the refusal, never printed raw. */
static void sign_raw(struct fx *fx, const char *name, const char *bytes)
{
    char *path = xasprintf("%s/%s.json", fx->dir, name);
    CHECK(test_write(path, bytes));
    CHECK(test_run("cd '%s' && rm -f %s.json.minisig && minisign -S -s pinned.key -m %s.json "
                   ">/dev/null",
                   fx->dir, name, name));
    free(path);
}

static void test_bom_and_invisible(struct fx *fx)
{
    char issued[32], exp[32];
    rfc3339(fx->now - 60, issued, sizeof(issued));
    rfc3339(fx->now + 3600, exp, sizeof(exp));
    char *doc = xasprintf("\xEF\xBB\xBF{\"id\":\"bom\",\"seq\":40,\"issued\":\"%s\","
                          "\"expires\":\"%s\",\"title\":\"Có BOM\",\"body\":\"b\","
                          "\"severity\":\"severe\",\"targets\":[\"all\"]}\n",
                          issued, exp);
    sign_raw(fx, "bom", doc);
    expect(fx, "bom", NOTIFY_ACCEPTED, NULL, NULL);
    CHECK(is_active(fx, "bom"));
    free(doc);
    sign_raw(fx, "zw", "\xE2\x80\x8B{\"id\":\"zw\"}");
    expect(fx, "zw", NOTIFY_BAD_DOCUMENT, "U+200B", NULL);
    CHECK(strstr(log_captured(), "\xE2\x80\x8B") == NULL);
}

/* Issue 6/12: a notice list from one URL — two notices and a cancel, applied in seq order;
 * fetched again, everything is unchanged and nothing is a warning. */
static char *list_entry(struct fx *fx, const char *name)
{
    char *p = xasprintf("%s/%s.json", fx->dir, name), *ps = xasprintf("%s.minisig", p);
    char *msg = test_read(p, NULL), *sig = test_read(ps, NULL);
    json_t *o = json_pack("{s:s,s:s}", "notice", msg, "minisig", sig);
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    free(p), free(ps), free(msg), free(sig);
    return text;
}

static void test_list(struct fx *fx)
{
    int64_t in1h = fx->now + 3600;
    make_notice(fx, "la", "la", 50, in1h, "[\"all\"]", "show", "pinned", false);
    make_notice(fx, "lb", "lb", 51, in1h, "[\"all\"]", "show", "pinned", false);
    make_notice(fx, "lx", "la", 52, in1h, "[\"all\"]", "cancel", "pinned", false);
    make_notice(fx, "lz", "lz", 53, in1h, "[\"01234\"]", "show", "pinned", false);
    char *a = list_entry(fx, "la"), *b = list_entry(fx, "lb"), *x = list_entry(fx, "lx"),
         *z = list_entry(fx, "lz");
    /* Out of order on purpose: the cancel first. */
    char *list =
        xasprintf("{\"format\":\"bangtin-notices/1\",\"notices\":[%s,%s,%s,%s]}", x, z, b, a);
    CHECK(notify_is_list(list, strlen(list)));
    char *one = xasprintf("%s/la.json", fx->dir);
    char *single = test_read(one, NULL);
    CHECK(!notify_is_list(single, strlen(single)));
    struct notify_list_result r;
    char err[512];
    log_capture_reset();
    notify_accept_list(fx->store, &fx->cfg, "tinh", list, strlen(list), fx->now, true, &r, err,
                       sizeof err);
    CHECK_INTEQ(r.applied, 3);
    CHECK_INTEQ(r.unchanged, 1); /* lz is for another commune */
    CHECK_INTEQ(r.refused, 0);
    CHECK(!is_active(fx, "la"));
    CHECK(is_active(fx, "lb"));
    CHECK(!is_active(fx, "lz"));
    notify_accept_list(fx->store, &fx->cfg, "tinh", list, strlen(list), fx->now, true, &r, err,
                       sizeof err);
    CHECK_INTEQ(r.applied, 0);
    CHECK_INTEQ(r.unchanged, 4);
    CHECK_INTEQ(r.refused, 0);
    CHECK_MSG(strstr(log_captured(), "replayed") == NULL, "%s", log_captured());
    /* A forged entry is refused on its own; the others still count. */
    char *forged = xasprintf("{\"notices\":[{\"notice\":\"{}\",\"minisig\":\"x\"},%s]}", b);
    notify_accept_list(fx->store, &fx->cfg, "tinh", forged, strlen(forged), fx->now, true, &r, err,
                       sizeof err);
    CHECK_INTEQ(r.refused, 1);
    CHECK_INTEQ(r.unchanged, 1);
    CHECK(strstr(err, "bad signature") != NULL);
    free(a), free(b), free(x), free(z), free(list), free(one), free(single), free(forged);
}

int main(void)
{
    if (!test_have_minisign()) {
        printf("SKIP: the minisign tool is not installed (apt-get install minisign)\n");
        return 0;
    }
    struct fx fx = {0};
    fx.dir = test_tmpdir("notify-signed");
    fx.now = (int64_t)time(NULL);
    log_capture_start();
    CHECK(make_key(fx.dir, "pinned") && make_key(fx.dir, "other"));
    char *pubpath = xasprintf("%s/pinned.pub", fx.dir);
    char *pub = test_read(pubpath, NULL);
    struct config_key key = {.pubkey = strchr(pub, '\n') + 1,
                             .name = "Sở Thông tin và Truyền thông"};
    fx.cfg.keys = &key;
    fx.cfg.n_keys = 1;
    fx.cfg.commune_code = COMMUNE;
    struct notify_key k;
    char err[128];
    CHECK(notify_key_parse(pub, "", &k, err, sizeof(err)));
    notify_key_id_hex(&k, fx.key_hex);
    notify_key_free(&k);
    fx.store = store_open(fx.dir);
    CHECK(fx.store != NULL);
    if (fx.store) {
        run_cases(&fx);
        test_bad_documents(&fx);
        test_reopen(&fx);
        test_bom_and_invisible(&fx);
        test_list(&fx);
    }
    store_close(fx.store);
    log_capture_stop();
    test_rmtree(fx.dir);
    free(fx.dir), free(pubpath), free(pub);
    return CHECK_DONE();
}
