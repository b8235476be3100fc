/* feed bounds (issue 16): documents within the size cap that describe millions of empty nodes
 * are refused before their tree exists, over-long fields are cut at a word boundary, a NUL byte
 * in a title costs the byte, not the feed; real-sized feeds still pass. Peak RSS is checked
 * against the 64 MiB only without sanitizers (ASan's shadow and quarantine are not the
 * product's memory). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bangtin/feed.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "check.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#define CAP_BYTES (8u * 1024u * 1024u) /* the default max_feed_size */

static long peak_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static long base_kb;

/* The parse of each hostile body may raise the process's peak by at most 64 MiB minus what
 * the test itself holds (the body). */
static void check_peak(const char *what)
{
#ifndef UNDER_ASAN
    long grew = peak_kb() - base_kb;
    CHECK_MSG(grew < 56 * 1024, "%s: peak RSS grew by %ld KiB", what, grew);
#else
    (void)what;
#endif
}

/* head + unit × n + tail, n chosen so that the whole stays just under the cap. */
static char *repeat_doc(const char *head, const char *unit, const char *sep, const char *tail,
                        size_t *len)
{
    struct buf b;
    buf_init(&b, 0);
    buf_append_str(&b, head);
    size_t room = CAP_BYTES - strlen(tail) - strlen(unit) - strlen(sep);
    for (bool first = true; b.len < room; first = false) {
        if (!first)
            buf_append_str(&b, sep);
        buf_append_str(&b, unit);
    }
    buf_append_str(&b, tail);
    *len = b.len;
    return buf_steal(&b);
}

static void expect_refused(const char *what, char *doc, size_t len, const char *reason)
{
    struct feed f;
    char err[256] = "";
    bool ok = feed_parse(doc, len, NULL, NULL, &f, err, sizeof err);
    CHECK_MSG(!ok, "%s: accepted (%zu items)", what, ok ? f.n_items : 0);
    CHECK_MSG(strstr(err, reason) != NULL, "%s: reason \"%s\"", what, err);
    if (ok)
        feed_free(&f);
    free(doc);
    check_peak(what);
}

#define JF_HEAD                                                                                    \
    "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\",\"items\":[{\"id\":\"1\","  \
    "\"title\":\"t\",\"content_text\":\"x\",\"_x\":["
#define JF_TAIL "]}]}"
#define RSS_HEAD                                                                                   \
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title>"                        \
    "<item><title>t</title><guid>g</guid><description>d</description>"

static void test_dense_documents(void)
{
    size_t len;
    char *d = repeat_doc(JF_HEAD, "{}", ",", JF_TAIL, &len);
    expect_refused("2.7M empty objects", d, len, "JSON too dense");
    d = repeat_doc(JF_HEAD, "1", ",", JF_TAIL, &len);
    expect_refused("4M numbers", d, len, "JSON too dense");
    d = repeat_doc(JF_HEAD, "\"\"", ",", JF_TAIL, &len);
    expect_refused("2.7M empty strings", d, len, "JSON too dense");
    d = repeat_doc("{\"items\":[],\"o\":{", "\"k\":1", ",", "}}", &len);
    expect_refused("1.3M members", d, len, "JSON too dense");
    d = repeat_doc(RSS_HEAD, "<a/>", "", "</item></channel></rss>", &len);
    expect_refused("2M empty elements", d, len, "more than");
    d = repeat_doc("<rss version=\"2.0\"><channel><title>x</title>", "<item></item>", "",
                   "</channel></rss>", &len);
    expect_refused("638k empty items", d, len, "more than");
    d = repeat_doc(RSS_HEAD, "<!---->", "", "</item></channel></rss>", &len);
    expect_refused("1.2M comments", d, len, "more than");
    d = repeat_doc(RSS_HEAD, "<a b='' c='' d='' e='' f='' g='' h=''/>", "",
                   "</item></channel></rss>", &len);
    expect_refused("attributes", d, len, "more than");
}

/* 2,000 ordinary items of ~4 KB: a big real feed, under the cap, must pass whole. */
static void test_big_real_feeds(void)
{
    struct buf b;
    buf_init(&b, 0);
    buf_append_str(&b, "<rss version=\"2.0\"><channel><title>Tin</title>");
    for (int i = 0; i < 2000; i++) {
        buf_printf(&b,
                   "<item><title>Tin số %d về họp dân</title><link>https://x.vn/%d</link>"
                   "<guid>g%d</guid><pubDate>Mon, 02 Nov 2026 08:00:00 +0700</pubDate>"
                   "<description>&lt;p&gt;",
                   i, i, i);
        for (int w = 0; w < 400; w++)
            buf_append_str(&b, "dân cư ");
        buf_append_str(&b, "&lt;/p&gt;</description></item>");
    }
    buf_append_str(&b, "</channel></rss>");
    struct feed f;
    char err[256] = "";
    CHECK_MSG(b.len < CAP_BYTES, "rss is %zu bytes", b.len);
    CHECK_MSG(feed_parse(b.data, b.len, NULL, NULL, &f, err, sizeof err), "big rss: %s", err);
    CHECK(f.n_items == 2000);
    feed_free(&f);
    buf_free(&b);
    check_peak("big rss");

    buf_init(&b, 0);
    buf_append_str(&b, "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\","
                       "\"items\":[");
    for (int i = 0; i < 2000; i++) {
        buf_printf(&b,
                   "%s{\"id\":\"%d\",\"url\":\"https://x.vn/%d\",\"title\":\"Tin %d\","
                   "\"date_published\":\"2026-11-02T08:00:00+07:00\",\"tags\":[\"a\",\"b\"],"
                   "\"authors\":[{\"name\":\"UBND\"}],\"content_html\":\"<p>",
                   i ? "," : "", i, i, i);
        for (int w = 0; w < 400; w++)
            buf_append_str(&b, "dân cư ");
        buf_append_str(&b, "</p>\"}");
    }
    buf_append_str(&b, "]}");
    CHECK_MSG(feed_parse(b.data, b.len, NULL, NULL, &f, err, sizeof err), "big json: %s", err);
    CHECK(f.n_items == 2000);
    feed_free(&f);
    buf_free(&b);
    check_peak("big json");
}

static void test_long_fields(void)
{
    struct buf b;
    buf_init(&b, 0);
    buf_append_str(&b, "<rss version=\"2.0\"><channel><title>x</title><item><title>");
    for (int i = 0; i < 4000000; i++)
        buf_append(&b, "A", 1);
    buf_append_str(&b, "</title><guid>g1</guid><description>");
    for (int i = 0; i < 100000; i++)
        buf_append_str(&b, "chữ ");
    buf_append_str(&b, "</description></item><item><title>");
    for (int i = 0; i < 500; i++)
        buf_append_str(&b, "Hội nghị ");
    buf_append_str(&b, "</title><guid>g2</guid></item></channel></rss>");
    struct feed f;
    char err[256] = "";
    CHECK_MSG(feed_parse(b.data, b.len, NULL, NULL, &f, err, sizeof err), "%s", err);
    CHECK(f.n_items == 2);
    if (f.n_items == 2) {
        CHECK_MSG(text_codepoints(f.items[0].title) <= 1000, "title of %zu characters",
                  text_codepoints(f.items[0].title));
        CHECK(str_ends_with(f.items[0].title, "…"));
        CHECK_MSG(strlen(f.items[0].text) <= 200 * 1024, "text of %zu bytes",
                  strlen(f.items[0].text));
        CHECK(str_ends_with(f.items[0].text, "chữ…")); /* a word boundary */
        CHECK(text_codepoints(f.items[1].title) <= 1000);
        CHECK_MSG(str_ends_with(f.items[1].title, " nghị…") ||
                      str_ends_with(f.items[1].title, " Hội…"),
                  "title ends \"%s\"", f.items[1].title + strlen(f.items[1].title) - 12);
        CHECK(f.n_cut == 2);
    }
    feed_free(&f);
    buf_free(&b);
    check_peak("long fields");
}

/* A NUL byte in one title is one bad byte: the feed, the item and the rest of the title stay. */
static void test_nul_in_title(void)
{
    static const char doc[] =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title>"
        "<item><title>Lịch\0 họp</title><guid>a</guid></item>"
        "<item><title>Thông báo</title><guid>b</guid></item>"
        "</channel></rss>";
    struct feed f;
    char err[256] = "";
    CHECK_MSG(feed_parse(doc, sizeof doc - 1, NULL, NULL, &f, err, sizeof err), "%s", err);
    CHECK(f.n_items == 2);
    CHECK(!f.recovered);
    if (f.n_items == 2) {
        CHECK_STREQ(f.items[0].title, "Lịch họp");
        CHECK_STREQ(f.items[1].title, "Thông báo");
    }
    feed_free(&f);
    static const char json[] = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":["
                               "{\"id\":\"a\",\"title\":\"Lịch\\u0000 họp\"},"
                               "{\"id\":\"b\",\"title\":\"Thông báo\"}]}";
    CHECK_MSG(feed_parse(json, sizeof json - 1, NULL, NULL, &f, err, sizeof err), "%s", err);
    CHECK(f.n_items == 2);
    feed_free(&f);
}

int main(void)
{
    base_kb = peak_kb();
    test_nul_in_title();
    test_long_fields();
    test_big_real_feeds();
    test_dense_documents();
    return CHECK_DONE();
}
