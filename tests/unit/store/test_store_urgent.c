/* store: urgent notices — put/cancel, ordering, expiry with a trusted and an untrusted clock,
 * signed sequence numbers (no replay), urgent feed sources. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store_fixture.h"

static struct store_urgent fx_urgent(const char *id, int severity, int64_t issued, int64_t expires)
{
    struct store_urgent u;
    memset(&u, 0, sizeof u);
    u.id = (char *)id;
    u.origin = STORE_URGENT_LOCAL;
    u.title = (char *)id;
    u.body = (char *)"Đề nghị người dân chủ động phòng tránh.";
    u.issuer = (char *)"local";
    u.severity = severity;
    u.issued = issued;
    u.expires = expires;
    return u;
}

static const char *id_at(const struct store_urgent *v, size_t n, size_t i)
{
    return i < n ? v[i].id : "(missing)";
}

static void test_put_cancel_order(struct store *s)
{
    struct store_urgent u[4] = {
        fx_urgent("local:minor-new", FEED_SEVERITY_MINOR, T0 - 10, 0),
        fx_urgent("local:extreme", FEED_SEVERITY_EXTREME, T0 - 500, T0 + 3600),
        fx_urgent("local:minor-old", FEED_SEVERITY_MINOR, T0 - 900, 0),
        fx_urgent("local:expired", FEED_SEVERITY_SEVERE, T0 - 7200, T0 - 3600),
    };
    u[1].instruction = (char *)"Di chuyển lên vùng cao";
    u[1].area = (char *)"Xã A";
    u[1].verified = true;
    for (size_t i = 0; i < 4; i++)
        CHECK(store_urgent_put(s, &u[i]));
    struct store_urgent bad = fx_urgent(NULL, 0, 0, 0);
    CHECK(!store_urgent_put(s, &bad));

    struct store_urgent *v = NULL;
    size_t n = store_urgent_active(s, T0, true, &v);
    CHECK_INTEQ(n, 3);
    CHECK_STREQ(id_at(v, n, 0), "local:extreme");
    CHECK_STREQ(id_at(v, n, 1), "local:minor-new");
    CHECK_STREQ(id_at(v, n, 2), "local:minor-old");
    if (n == 3) {
        CHECK_STREQ(v[0].instruction, "Di chuyển lên vùng cao");
        CHECK_STREQ(v[0].area, "Xã A");
        CHECK(v[0].verified);
        CHECK_INTEQ(v[0].expires, T0 + 3600);
        CHECK_INTEQ(v[0].origin, STORE_URGENT_LOCAL);
        CHECK(v[0].source_id == NULL);
        CHECK_STREQ(v[1].body, "Đề nghị người dân chủ động phòng tránh.");
    }
    store_urgent_free(v, n);

    /* Untrusted clock: nothing expires, not even the one past its time. */
    n = store_urgent_active(s, 3600, false, &v);
    CHECK_INTEQ(n, 4);
    CHECK_STREQ(id_at(v, n, 1), "local:expired");
    store_urgent_free(v, n);
    /* Trusted clock later on: the extreme one has expired too. */
    n = store_urgent_active(s, T0 + 3601, true, &v);
    CHECK_INTEQ(n, 2);
    store_urgent_free(v, n);

    CHECK(store_urgent_cancel(s, "local:extreme"));
    CHECK(!store_urgent_cancel(s, "local:extreme")); /* already cancelled */
    CHECK(!store_urgent_cancel(s, "local:nothing"));
    n = store_urgent_active(s, T0, false, &v);
    CHECK_INTEQ(n, 3);
    CHECK_STREQ(id_at(v, n, 0), "local:expired");
    store_urgent_free(v, n);

    /* Put again by id: replaced, active again. */
    u[1].title = (char *)"Lũ quét (cập nhật)";
    CHECK(store_urgent_put(s, &u[1]));
    n = store_urgent_active(s, T0, true, &v);
    CHECK_INTEQ(n, 3);
    CHECK_STREQ(n ? v[0].title : NULL, "Lũ quét (cập nhật)");
    store_urgent_free(v, n);
    store_urgent_free(NULL, 0);
    for (size_t i = 0; i < 4; i++)
        store_urgent_cancel(s, u[i].id);
}

static void test_signed(struct store *s)
{
    char err[256];
    CHECK_INTEQ(store_key_last_seq(s, "ABCD"), -1);
    struct store_urgent a = fx_urgent("signed:ABCD:flood", FEED_SEVERITY_SEVERE, T0, T0 + 7200);
    a.origin = STORE_URGENT_SIGNED;
    a.verified = true;
    a.issuer = (char *)"Sở TN&MT";
    CHECK(store_urgent_put_signed(s, "ABCD", 5, &a, NULL, err, sizeof err));
    CHECK_STREQ(err, "");
    CHECK_INTEQ(store_key_last_seq(s, "ABCD"), 5);

    /* Replays: the same seq and a lower one are refused with a reason, nothing stored. */
    struct store_urgent b = fx_urgent("signed:ABCD:other", FEED_SEVERITY_EXTREME, T0, 0);
    b.origin = STORE_URGENT_SIGNED;
    fx_log_reset();
    CHECK(!store_urgent_put_signed(s, "ABCD", 5, &b, NULL, err, sizeof err));
    CHECK(strstr(err, "not above") != NULL);
    CHECK(!store_urgent_put_signed(s, "ABCD", 4, &b, NULL, err, sizeof err));
    CHECK(strstr(err, "4") != NULL);
    CHECK(strstr(fx_log, "refused") != NULL);
    log_set_sink(NULL, NULL);
    CHECK_INTEQ(store_key_last_seq(s, "ABCD"), 5);
    struct store_urgent *v = NULL;
    size_t n = store_urgent_active(s, T0, true, &v);
    CHECK_INTEQ(n, 1);
    CHECK_STREQ(id_at(v, n, 0), "signed:ABCD:flood");
    CHECK(n == 1 && v[0].verified && v[0].origin == STORE_URGENT_SIGNED);
    CHECK_STREQ(n ? v[0].issuer : NULL, "Sở TN&MT");
    store_urgent_free(v, n);

    /* Another key has its own sequence. */
    CHECK(store_urgent_put_signed(s, "EF01", 1, &b, NULL, err, sizeof err));
    CHECK_INTEQ(store_key_last_seq(s, "EF01"), 1);

    /* A signed cancellation with a higher seq. */
    CHECK(store_urgent_put_signed(s, "ABCD", 6, NULL, "signed:ABCD:flood", err, sizeof err));
    CHECK_INTEQ(store_key_last_seq(s, "ABCD"), 6);
    n = store_urgent_active(s, T0, true, &v);
    CHECK_INTEQ(n, 1);
    CHECK_STREQ(id_at(v, n, 0), "signed:ABCD:other");
    store_urgent_free(v, n);
    /* Replaying the original notice now fails: seq 5 < 6. */
    CHECK(!store_urgent_put_signed(s, "ABCD", 5, &a, NULL, err, sizeof err));
    CHECK(!store_urgent_put_signed(s, "ABCD", 7, NULL, NULL, err, sizeof err));
    CHECK_INTEQ(store_key_last_seq(s, "ABCD"), 6);
    store_urgent_cancel(s, "signed:ABCD:other");
}

static void test_replace_source(struct store *s)
{
    struct store_urgent f[2] = {fx_urgent("cap:1", FEED_SEVERITY_SEVERE, T0 - 100, 0),
                                fx_urgent("cap:2", FEED_SEVERITY_MODERATE, T0 - 50, 0)};
    f[0].origin = f[1].origin = STORE_URGENT_CAP;
    f[0].source_id = (char *)"ignored";
    CHECK(store_urgent_replace_source(s, "cap-tinh", f, 2, "\"c1\"", NULL, T0));
    struct store_urgent *v = NULL;
    size_t n = store_urgent_active(s, T0, true, &v);
    CHECK_INTEQ(n, 2);
    CHECK_STREQ(n ? v[0].source_id : NULL, "cap-tinh");
    store_urgent_free(v, n);
    struct store_source_state st;
    CHECK(store_source_state_get(s, "cap-tinh", &st));
    CHECK_STREQ(st.etag, "\"c1\"");
    CHECK_INTEQ(st.last_success, T0);
    store_source_state_free(&st);

    /* Staff cancel cap:2; the feed still lists it: it stays cancelled. cap:1 withdrawn. */
    CHECK(store_urgent_cancel(s, "cap:2"));
    struct store_urgent local = fx_urgent("local:keep", FEED_SEVERITY_MINOR, T0, 0);
    CHECK(store_urgent_put(s, &local));
    CHECK(store_urgent_replace_source(s, "cap-tinh", &f[1], 1, "\"c2\"", NULL, T0 + 30));
    n = store_urgent_active(s, T0, true, &v);
    CHECK_INTEQ(n, 1);
    CHECK_STREQ(id_at(v, n, 0), "local:keep");
    store_urgent_free(v, n);
    CHECK(store_source_state_get(s, "cap-tinh", &st));
    CHECK_STREQ(st.etag, "\"c2\"");
    store_source_state_free(&st);
    /* An empty feed withdraws all of the source's notices. */
    CHECK(store_urgent_replace_source(s, "cap-tinh", NULL, 0, NULL, NULL, T0 + 60));
    CHECK(!store_urgent_cancel(s, "cap:2")); /* gone, not merely cancelled */
    CHECK(!store_urgent_replace_source(s, NULL, NULL, 0, NULL, NULL, T0));
}

static void test_purge_notices(struct store *s)
{
    struct store_urgent old =
        fx_urgent("local:old", FEED_SEVERITY_MINOR, T0 - 30 * DAY, T0 - 20 * DAY);
    CHECK(store_urgent_put(s, &old));
    struct store_urgent *v = NULL;
    size_t n = store_urgent_active(s, T0, false, &v);
    size_t before = n;
    store_urgent_free(v, n);
    CHECK(before >= 2); /* local:keep and local:old */
    CHECK(store_purge(s, 365 * DAY, 0, T0) >= 0);
    n = store_urgent_active(s, T0, false, &v);
    CHECK_INTEQ(n, before - 1);
    store_urgent_free(v, n);
}

/* A source removed from the configuration takes its feed notices with it. */
static void test_retain_sources(struct store *s)
{
    struct store_urgent f = fx_urgent("feed:1", FEED_SEVERITY_SEVERE, T0, 0);
    f.origin = STORE_URGENT_FEED;
    CHECK(store_urgent_replace_source(s, "khan", &f, 1, NULL, NULL, T0));
    struct store_urgent sig = fx_urgent("signed:K:1", FEED_SEVERITY_SEVERE, T0, 0);
    sig.origin = STORE_URGENT_SIGNED;
    sig.source_id = (char *)"khan";
    char err[128];
    CHECK(store_urgent_put_signed(s, "K", 1, &sig, NULL, err, sizeof err));
    struct store_urgent *v = NULL;
    size_t before = store_urgent_active(s, T0, true, &v);
    store_urgent_free(v, before);
    const char *keep[] = {"other"};
    CHECK_INTEQ(store_retain_sources(s, keep, 1), 0);
    size_t n = store_urgent_active(s, T0, true, &v);
    CHECK_INTEQ(n, before - 1);
    bool feed_left = false, signed_left = false;
    for (size_t i = 0; i < n; i++) {
        feed_left = feed_left || strcmp(v[i].id, "feed:1") == 0;
        signed_left = signed_left || strcmp(v[i].id, "signed:K:1") == 0;
    }
    CHECK(!feed_left);
    CHECK(signed_left);
    store_urgent_free(v, n);
}

int main(void)
{
    log_init(LOG_LEVEL_WARN);
    fx_mkroot();
    char *dir = fx_dir("urgent");
    struct store *s = store_open(dir);
    CHECK(s != NULL);
    if (s) {
        test_put_cancel_order(s);
        test_signed(s);
        test_replace_source(s);
        test_purge_notices(s);
        test_retain_sources(s);
    }
    store_close(s);
    /* The sequence numbers survive a reopen. */
    s = store_open(dir);
    CHECK_INTEQ(s ? store_key_last_seq(s, "ABCD") : 0, 6);
    store_close(s);
    free(dir);
    fx_rmroot();
    return CHECK_DONE();
}
