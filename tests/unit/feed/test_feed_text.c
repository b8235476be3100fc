/* feed: HTML → text, first image, dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/feed.h"
#include "bangtin/util.h"
#include "check.h"

static void check_html(const char *html, const char *want)
{
    char *t = feed_html_to_text(html, strlen(html));
    CHECK_MSG(t && !strcmp(t, want), "html %s\n  got  \"%s\"\n  want \"%s\"", html, t, want);
    free(t);
}

static void test_html(void)
{
    check_html("<p>Một</p><p>Hai</p>", "Một\nHai");
    check_html("dòng 1<br>dòng 2<br/><br/>dòng 3", "dòng 1\ndòng 2\ndòng 3");
    check_html("<p>a\n  b\tc</p>", "a b c"); /* source newlines are spaces */
    check_html("<ul><li>Một</li><li>Hai <b>đậm</b></li></ul><ol><li>Ba</li></ol>",
               "• Một\n• Hai đậm\n• Ba");
    check_html("<table><tr><th>Tên</th><th></th><th>Ngày</th></tr>"
               "<tr><td>An</td><td>x</td><td><p>1</p><p>2</p></td></tr></table>",
               "Tên | Ngày\nAn | x | 1 2");
    check_html("<figure><img src='a.jpg'><figcaption>Toàn cảnh hội nghị</figcaption></figure>"
               "<p>Nội dung</p>",
               "Toàn cảnh hội nghị\nNội dung");
    check_html("<p>Xem <a href='http://x'>tại đây</a>.</p>", "Xem tại đây.");
    check_html("<script>alert(1)</script><style>p{}</style><p>ok</p><iframe src=x>f</iframe>"
               "<form><input value=v><button>Gửi</button></form><nav>menu</nav>"
               "<noscript>js</noscript><svg><text>s</text></svg>",
               "ok");
    check_html("AT&amp;T &#038; &#8220;trích&#8221; &lt;b&gt; a&nbsp;b &hellip;",
               "AT&T & \xE2\x80\x9Ctrích\xE2\x80\x9D <b> a\xC2\xA0"
               "b \xE2\x80\xA6");
    check_html("<p>Nội dung chính.</p><p>Bài trước<a href='/a'>Nâng cao chất lượng</a></p>"
               "<p>Bài tiếp theo<a href='/b'>Hội nghị</a></p>",
               "Nội dung chính.");
    check_html("<p>Text</p><p>The post <a href='x'>Tiêu đề</a> appeared first on "
               "<a href='y'>Site</a>.</p>",
               "Text");
    check_html("<div class='post-navigation'><a>Prev</a></div><p>Giữ</p>", "Giữ");
    /* Void elements left open must not swallow the text after them. */
    check_html("safe<embed src='http://x/'> description", "safe description");
    check_html("a<object><param name='m' value='v'>b</object> c", "ab c");
    /* NFD in, NFC out; controls and zero-width characters gone. */
    check_html("Thu\xCC\x9B\xCC\x81 ba\xE2\x80\x8B\x01", "Th\xE1\xBB\xA9 ba");
    check_html("", "");
    check_html("1 < 2 && 3 > 2", "1 < 2 && 3 > 2");
    char *t = feed_html_to_text(NULL, 0);
    CHECK(t && !*t);
    free(t);

    const char *img = "<p><img src='data:image/gif;base64,AAA'><img src='/px.gif' width='1' "
                      "height='1'><img src='anh/1.jpg'><img src='2.jpg'></p>";
    char *u = feed_html_first_image(img, strlen(img), "http://x.example/a/b.html");
    CHECK_STREQ(u, "http://x.example/a/anh/1.jpg");
    free(u);
    u = feed_html_first_image("<p>none</p>", 11, NULL);
    CHECK(u == NULL);
    free(u);
}

static void test_html_fixture(void)
{
    char *data;
    size_t len;
    CHECK(util_read_file(TEST_DATA_DIR "/wordpress/article-seed.html", 1u << 20, &data, &len));
    char *t = feed_html_to_text(data, len);
    CHECK(t && strstr(t, "Giao ban công tác dân vận quý I/2024"));
    CHECK(t && !strstr(t, "<script") && !strstr(t, "function("));
    free(t);
    free(data);
}

static void check_date(const char *s, int64_t want)
{
    int64_t got = -1;
    bool ok = feed_parse_date(s, &got);
    if (want == 0)
        CHECK_MSG(!ok, "\"%s\" should not parse (got %lld)", s, (long long)got);
    else
        CHECK_MSG(ok && got == want, "\"%s\": got %lld want %lld", s, (long long)got,
                  (long long)want);
}

static void test_dates(void)
{
    const int64_t t = 1795688100; /* 2026-11-26T10:15:00Z */
    check_date("Thu, 26 Nov 2026 10:15:00 +0000", t);
    check_date("26 Nov 2026 10:15:00 +0000", t);
    check_date("Thursday, 26 November 2026 10:15:00 GMT", t);
    check_date("Thu, 26 Nov 2026 17:15:00 +0700", t);
    check_date("Thu, 26 Nov 2026 17:15:00 +07:00", t);
    check_date("Thu, 26 Nov 2026 05:15:00 EST", t);
    check_date("Thu, 26 Nov 2026 02:15:00 PST", t);
    check_date("Thu, 26 Nov 2026 10:15:00 UT", t);
    check_date("Thu, 26 Nov 2026 10:15:00 Z", t);
    check_date("Thu, 26 Nov 2026 11:15:00 A", t);
    check_date("Thu, 26 Nov 2026 09:15:00 N", t);
    check_date("Thu,26 Nov 2026 10:15 GMT", t);
    check_date("Thu, 26 Nov 26 10:15:00 GMT", t);
    check_date("Thursday, 26-Nov-26 10:15:00 GMT", t);
    check_date("Thu, 26 Nov 2026 10:15:00", t);
    check_date("Nov 26 2026 10:15:00 GMT", t);
    check_date("Thu, 26 Nov 2026 10:15:00 +0000 (UTC)", t);
    check_date("  Thu, 26 Nov 2026 10:15:00 GMT  ", t);
    check_date("2026-11-26T10:15:00Z", t);
    check_date("2026-11-26T10:15:00.123456Z", t);
    check_date("2026-11-26T17:15:00+07:00", t);
    check_date("2026-11-26T17:15:00+0700", t);
    check_date("2026-11-26t10:15:00z", t);
    check_date("2026-11-26 10:15:00", t);
    check_date("2026-11-26T10:15:00", t); /* WordPress date_gmt */
    check_date("2026-11-26T10:15", t);
    check_date("2026-11-26", t - 36900);
    check_date("Thu, 26 Nov 2026 10:15:00 PM GMT", t + 12 * 3600);
    check_date("", 0);
    check_date("hôm qua", 0);
    check_date("2026-13-01T00:00:00Z", 0);
    check_date("Thu, 31 Feb 2026 10:15:00 GMT", 0);
    check_date("Thu, 26 Nov 2026 25:15:00 GMT", 0);
    check_date("Mon, 99 Foo 2026", 0);
    check_date("1969-12-31T23:59:59Z", 0);
    int64_t x;
    CHECK(!feed_parse_date(NULL, &x));
}

static void test_charsets(void)
{
    char *ref, *vis, *w58, *a, *b;
    size_t rl, vl, wl, al, bl;
    /* Our own samples: the same words in VISCII and windows-1258 decode to the same NFC. */
    const char *vi = "Vi\xE1\xBB\x87t Nam"; /* "Việt Nam" */
    CHECK(feed_to_utf8("Vi\xAE"
                       "t Nam",
                       8, "VISCII", &vis, &vl));
    CHECK_STREQ(vis, vi);
    CHECK(feed_to_utf8("Vi\xEA\xF2t Nam", 9, "windows-1258", &w58, &wl));
    char *html = feed_html_to_text(w58, wl); /* sanitizes: NFC */
    CHECK_STREQ(html, vi);
    free(html);
    free(vis);
    free(w58);
    (void)ref, (void)rl, (void)a, (void)al, (void)b, (void)bl;
}

int main(void)
{
    test_html();
    test_html_fixture();
    test_dates();
    test_charsets();
    return CHECK_DONE();
}
