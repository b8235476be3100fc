/* minisign parsing and verification against checked-in fixtures (made with minisign 0.11:
 * tests/data/minisign), plus the strict RFC 3339 reader. Needs no minisign binary. */
#include <stdlib.h>
#include <string.h>

#include "bangtin/notify.h"
#include "bangtin/util.h"
#include "check.h"
#include "notify/notify_internal.h"
#include "notify_test.h"

#define FX TEST_DATA_DIR "/minisign/"

static void test_key_parse(void)
{
    struct notify_key k;
    char err[128], hex[17];
    char *pub = test_read(FX "test.pub", NULL);
    CHECK(notify_key_parse(pub, "Sở TT&TT", &k, err, sizeof(err)));
    CHECK_STREQ(notify_key_id_hex(&k, hex), "5B8B514899B85051"); /* as in the .pub comment */
    CHECK_STREQ(k.name, "Sở TT&TT");
    notify_key_free(&k);
    /* The bare "RW…" line, with the blanks a config file may leave around it. */
    CHECK(notify_key_parse("  RWRRULiZSFGLWzVsQFf80sfK445qKAinHGsP1C/K6pchYBGy9642DjEE \n", "x", &k,
                           err, sizeof(err)));
    CHECK_STREQ(notify_key_id_hex(&k, hex), "5B8B514899B85051");
    notify_key_free(&k);
    static const char *const bad[] = {
        "",
        "untrusted comment: only a comment\n",
        "RWRRULiZSFGLWzVsQFf80sfK445qKAinHGsP1C/K6pchYBGy9642DjE",    /* one char short */
        "RWRRULiZSFGLWzVsQFf80sfK445qKAinHGsP1C/K6pchYBGy9642DjEEAA", /* too long */
        "RWRRULiZSFGLWzVsQFf80sfK445q KAinHGsP1C/K6pchYBGy9642DjEE",  /* blank inside */
        "RWRRULiZSFGLWzVsQFf80sfK445qKAinHGsP1C-K6pchYBGy9642DjEE",   /* url-safe alphabet */
        "AAAAULiZSFGLWzVsQFf80sfK445qKAinHGsP1C/K6pchYBGy9642DjEE",   /* not "Ed" */
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        CHECK_MSG(!notify_key_parse(bad[i], "x", &k, err, sizeof(err)), "bad key %zu", i);
        CHECK(err[0] != '\0');
    }
    CHECK(!notify_key_parse(NULL, "x", &k, err, sizeof(err)));
    free(pub);
}

static enum notify_verdict check_file(const struct notify_key *keys, size_t n, const char *msg,
                                      size_t msg_len, const char *sig_path,
                                      const struct notify_key **signer)
{
    size_t sig_len = 0;
    char err[256];
    char *sig = test_read(sig_path, &sig_len);
    enum notify_verdict v =
        notify_check_signature(keys, n, msg, msg_len, sig, sig_len, signer, err, sizeof(err));
    if (v != NOTIFY_ACCEPTED)
        CHECK(err[0] != '\0');
    free(sig);
    return v;
}

/* Every way of spoiling a good signature file must fail as a bad signature. */
static void test_spoiled(const struct notify_key *keys, const char *msg, size_t msg_len)
{
    size_t sig_len;
    char err[256];
    char *sig = test_read(FX "notice.json.minisig", &sig_len);
    for (size_t cut = 0; cut < sig_len - 1; cut += 7) /* every truncation fails cleanly */
        CHECK_MSG(notify_check_signature(keys, 1, msg, msg_len, sig, cut, NULL, err, sizeof(err)) ==
                      NOTIFY_BAD_SIGNATURE,
                  "cut %zu", cut);
    /* minisign writes a final newline; without it the file is still whole. */
    CHECK(notify_check_signature(keys, 1, msg, msg_len, sig, sig_len - 1, NULL, err, sizeof(err)) ==
          NOTIFY_ACCEPTED);
    char *copy = xstrdup(sig);
    char *tc = strstr(copy, "seq 1");
    tc[4] = '2'; /* trusted comment altered */
    CHECK(notify_check_signature(keys, 1, msg, msg_len, copy, sig_len, NULL, err, sizeof(err)) ==
          NOTIFY_BAD_SIGNATURE);
    CHECK(strstr(err, "trusted comment") != NULL);
    free(copy);
    copy = xasprintf("%sextra line\n", sig);
    CHECK(notify_check_signature(keys, 1, msg, msg_len, copy, strlen(copy), NULL, err,
                                 sizeof(err)) == NOTIFY_BAD_SIGNATURE);
    free(copy);
    copy = xstrdup(sig);
    char *l2 = strchr(copy, '\n') + 1;
    l2[1] = 'X'; /* "RU…" → "RX…": unknown algorithm bytes */
    CHECK(notify_check_signature(keys, 1, msg, msg_len, copy, sig_len, NULL, err, sizeof(err)) ==
          NOTIFY_BAD_SIGNATURE);
    free(copy);
    free(sig);
}

/* Random damage to a good signature file (a cheap stand-in for a fuzzer under ASan): it
 * must never crash, and never verify unless the damage left the file's meaning intact. */
static void test_random_damage(const struct notify_key *keys, const char *msg, size_t msg_len)
{
    size_t sig_len;
    char err[256];
    char *sig = test_read(FX "notice.json.minisig", &sig_len);
    char *copy = xmalloc(sig_len + 1);
    unsigned seed = 12345, accepted_changed = 0;
    for (int round = 0; round < 20000; round++) {
        memcpy(copy, sig, sig_len + 1);
        int flips = 1 + (int)(rand_r(&seed) % 4);
        for (int f = 0; f < flips; f++)
            copy[rand_r(&seed) % sig_len] = (char)(rand_r(&seed) % 256);
        size_t len = rand_r(&seed) % 8 ? sig_len : rand_r(&seed) % sig_len;
        enum notify_verdict v =
            notify_check_signature(keys, 1, msg, msg_len, copy, len, NULL, err, sizeof(err));
        /* Only the untrusted comment may change without breaking the signature. */
        const char *l2 = strchr(sig, '\n');
        if (v == NOTIFY_ACCEPTED && memcmp(copy + (l2 - sig), l2, sig_len - (size_t)(l2 - sig)))
            accepted_changed++;
    }
    CHECK_INTEQ(accepted_changed, 0);
    /* The byte libsodium would read as '/' (see decode_b64). */
    memcpy(copy, sig, sig_len + 1);
    char *slash = strchr(strstr(copy, "trusted comment"), '/');
    CHECK(slash != NULL);
    if (slash) {
        *slash = (char)0xd2;
        CHECK(notify_check_signature(keys, 1, msg, msg_len, copy, sig_len, NULL, err,
                                     sizeof(err)) == NOTIFY_BAD_SIGNATURE);
    }
    free(copy), free(sig);
}

static void test_verify(void)
{
    struct notify_key keys[2];
    const struct notify_key *signer;
    char err[128];
    size_t msg_len;
    char *pub = test_read(FX "test.pub", NULL), *other = test_read(FX "other.pub", NULL);
    char *msg = test_read(FX "notice.json", &msg_len);
    CHECK(notify_key_parse(other, "Khác", &keys[0], err, sizeof(err)));
    CHECK(notify_key_parse(pub, "Sở TT&TT", &keys[1], err, sizeof(err)));

    CHECK_INTEQ(check_file(keys, 2, msg, msg_len, FX "notice.json.minisig", &signer),
                NOTIFY_ACCEPTED);
    CHECK(signer == &keys[1]);
    CHECK_INTEQ(check_file(keys, 2, msg, msg_len, FX "notice.json.legacy.minisig", &signer),
                NOTIFY_ACCEPTED);
    CHECK_INTEQ(check_file(keys, 2, msg, msg_len, FX "notice.json.other.minisig", &signer),
                NOTIFY_ACCEPTED);
    CHECK(signer == &keys[0]);
    /* Only the first key pinned: the other key's signature is an unknown key. */
    CHECK_INTEQ(check_file(&keys[1], 1, msg, msg_len, FX "notice.json.other.minisig", &signer),
                NOTIFY_UNKNOWN_KEY);
    CHECK(signer == NULL);
    for (size_t i = 0; i < msg_len; i += 13) { /* any changed byte breaks both forms */
        msg[i] ^= 0x01;
        CHECK(check_file(keys, 2, msg, msg_len, FX "notice.json.minisig", NULL) ==
              NOTIFY_BAD_SIGNATURE);
        CHECK(check_file(keys, 2, msg, msg_len, FX "notice.json.legacy.minisig", NULL) ==
              NOTIFY_BAD_SIGNATURE);
        msg[i] ^= 0x01;
    }
    CHECK(check_file(keys, 2, msg, msg_len - 1, FX "notice.json.minisig", NULL) ==
          NOTIFY_BAD_SIGNATURE);
    CHECK(notify_verify(keys, 2, msg, msg_len, "", 0, NULL, err, sizeof(err)) == false);
    test_spoiled(&keys[1], msg, msg_len);
    test_random_damage(&keys[1], msg, msg_len);
    notify_key_free(&keys[0]);
    notify_key_free(&keys[1]);
    free(pub), free(other), free(msg);
}

static void test_rfc3339(void)
{
    int64_t t = 0;
    CHECK(notify_parse_rfc3339("1970-01-01T00:00:00Z", &t) && t == 0);
    CHECK(notify_parse_rfc3339("2026-11-27T08:00:00+07:00", &t) && t == 1795741200);
    CHECK(notify_parse_rfc3339("2026-11-27T01:00:00Z", &t) && t == 1795741200);
    CHECK(notify_parse_rfc3339("2026-11-27t01:00:00.123z", &t) && t == 1795741200);
    CHECK(notify_parse_rfc3339("2026-11-26T20:00:00-05:00", &t) && t == 1795741200);
    CHECK(notify_parse_rfc3339("2024-02-29T00:00:00Z", &t) && t == 1709164800);
    CHECK(notify_parse_rfc3339("2016-12-31T23:59:60Z", &t) && t == 1483228799);
    static const char *const bad[] = {
        "",
        "2026-11-27",
        "2026-11-27T08:00:00",
        "2026-11-27T08:00Z",
        "2026-13-01T00:00:00Z",
        "2025-02-29T00:00:00Z",
        "2026-11-27T24:00:00Z",
        "2026-11-27T08:00:00+0700",
        "Fri, 27 Nov 2026 08:00:00 +0700",
        "2026-11-27T08:00:00Z ",
        "2026-11-27T08:00:00.Z",
        "1969-12-31T23:59:59Z",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        CHECK_MSG(!notify_parse_rfc3339(bad[i], &t), "accepted \"%s\"", bad[i]);
    CHECK(!notify_parse_rfc3339(NULL, &t));
}

int main(void)
{
    test_key_parse();
    test_verify();
    test_rfc3339();
    CHECK_STREQ(notify_verdict_name(NOTIFY_REPLAYED), "replayed");
    CHECK_INTEQ(notify_severity_parse("extreme"), 4);
    CHECK_INTEQ(notify_severity_parse("bad"), -1);
    return CHECK_DONE();
}
