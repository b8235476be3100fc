/* feed: formats, WordPress fixtures, CAP, legacy encodings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/feed.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "check.h"

static bool load(const char *rel, const char *hint, struct feed *f)
{
    char path[512], err[256];
    char *data;
    size_t len;
    snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, rel);
    if (!util_read_file(path, 64u << 20, &data, &len)) {
        fprintf(stderr, "cannot read %s\n", path);
        memset(f, 0, sizeof(*f));
        return false;
    }
    bool ok = feed_parse(data, len, hint, NULL, f, err, sizeof(err));
    if (!ok)
        fprintf(stderr, "%s: %s\n", rel, err);
    free(data);
    return ok;
}

static bool has_combining_marks(const char *s)
{
    /* U+0300–U+036F are encoded 0xCC 0x80 … 0xCD 0xAF; NFC Vietnamese never needs them. */
    for (; *s; s++)
        if ((unsigned char)s[0] == 0xCC ||
            ((unsigned char)s[0] == 0xCD && (unsigned char)s[1] < 0xB0))
            return true;
    return false;
}

static void check_item_sane(const struct feed_item *it)
{
    CHECK(it->guid && *it->guid);
    CHECK(it->title && it->text);
    CHECK(!has_combining_marks(it->title));
    CHECK(!has_combining_marks(it->text));
}

/* The same ten newest posts from RSS2, Atom, RDF and the REST API. */
static void test_wordpress_formats(void)
{
    static const char *files[] = {"wordpress/feed-rss2.xml", "wordpress/feed-atom.xml",
                                  "wordpress/feed-rdf.xml", "wordpress/wp-json-posts-embed.json"};
    static const enum feed_format formats[] = {FEED_FORMAT_RSS, FEED_FORMAT_ATOM, FEED_FORMAT_RDF,
                                               FEED_FORMAT_WPJSON};
    struct feed f[4];
    for (int i = 0; i < 4; i++) {
        CHECK(load(files[i], NULL, &f[i]));
        CHECK_INTEQ(f[i].format, formats[i]);
    }
    CHECK_INTEQ(f[0].n_items, 10);
    CHECK_INTEQ(f[1].n_items, 10);
    CHECK_INTEQ(f[2].n_items, 10);
    CHECK_INTEQ(f[3].n_items, 13);
    for (int i = 1; i < 4; i++) {
        for (size_t k = 0; k < 10 && k < f[i].n_items && k < f[0].n_items; k++) {
            CHECK_STREQ(f[i].items[k].title, f[0].items[k].title);
            CHECK_STREQ(f[i].items[k].link, f[0].items[k].link);
            CHECK_INTEQ(f[i].items[k].date, f[0].items[k].date);
            CHECK_STREQ(f[i].items[k].text, f[0].items[k].text);
            CHECK_STREQ(f[i].items[k].guid, f[0].items[k].guid);
        }
    }
    for (int i = 0; i < 4; i++)
        for (size_t k = 0; k < f[i].n_items; k++)
            check_item_sane(&f[i].items[k]);
    /* Fri, 26 Nov 2026 10:15:00 +0000 (RSS2) = 2026-11-26T10:15:00Z (Atom) = date_gmt. */
    CHECK_INTEQ(f[0].items[0].date, 1795688100);
    CHECK_STREQ(f[0].items[0].title,
                "Thông báo nghỉ Tết Dương lịch năm 2027 đối với cán bộ, công chức, viên chức");
    CHECK_STREQ(f[0].title, "Cổng Thông tin điện tử tỉnh (máy chủ thử nghiệm)");
    for (int i = 0; i < 4; i++)
        feed_free(&f[i]);
}

static const struct feed_item *find_item(const struct feed *f, const char *link_part)
{
    for (size_t i = 0; i < f->n_items; i++)
        if (f->items[i].link && strstr(f->items[i].link, link_part))
            return &f->items[i];
    return NULL;
}

static void test_wordpress_details(void)
{
    struct feed f;
    CHECK(load("wordpress/wp-json-posts-embed.json", "UTF-8", &f));
    /* "&#038;" in title.rendered. */
    const struct feed_item *it = find_item(&f, "ke-hoach-tiem-bo-sung");
    CHECK(it && strstr(it->title, " & ") && !strstr(it->title, "&#038;"));
    /* Featured media with its caption, from _embedded. */
    it = find_item(&f, "giao-ban-cong-tac-dan-van");
    CHECK(it && it->image_url && str_ends_with(it->image_url, "toan-canh-hoi-nghi.jpg"));
    CHECK(it && it->image_caption && *it->image_caption);
    /* The NFD post is NFC everywhere. */
    it = find_item(&f, "thong-bao-tuyen-dung");
    CHECK(it && !has_combining_marks(it->text) && strstr(it->text, "tuyển dụng"));
    CHECK(it && strstr(it->text, "\n• Giáo viên mầm non hạng III: 38 chỉ tiêu;\n"));
    /* The 7,600-word post arrives whole: first and last sentences. */
    it = find_item(&f, "cong-khai-ke-hoach-su-dung-dat");
    CHECK(it && strlen(it->text) > 30000);
    CHECK(it && str_starts_with(it->text, "Thực hiện Luật Đất đai ngày 18/01/2024"));
    CHECK(it && str_ends_with(it->text, "báo cáo Ủy ban nhân dân tỉnh xem xét, giải quyết."));
    size_t words = 0;
    for (const char *p = it ? it->text : ""; *p; p++)
        words += (*p == ' ' || *p == '\n') && p[1] && p[1] != ' ';
    CHECK_MSG(words >= 7600, "%zu words", words);
    /* Tables read as rows of cells. */
    it = find_item(&f, "lich-tiem-chung");
    CHECK(it && strstr(it->text, "\nTrạm y tế | Ngày tiêm | Vắc xin\n"));
    CHECK(it && strstr(it->text, "\nXã Thanh Mai | Ngày 15 | 5 trong 1, OPV, Viêm não Nhật Bản"));
    feed_free(&f);
}

/* Pages 2 (RSS) and page 2 of 5 per page (REST) line up with the first pages. */
static void test_wordpress_paging(void)
{
    struct feed rss, rss2, all, page2;
    CHECK(load("wordpress/feed-rss2.xml", NULL, &rss));
    CHECK(load("wordpress/feed-rss2-paged2.xml", NULL, &rss2));
    /* A wrong charset hint on JSON is ignored: JSON is UTF-8. */
    CHECK(load("wordpress/wp-json-posts-embed.json", "ISO-8859-1", &all));
    CHECK(load("wordpress/wp-json-posts-page2-per5.json", NULL, &page2));
    CHECK(all.n_items > 0 && rss.n_items > 0 && !strcmp(all.items[0].title, rss.items[0].title));
    CHECK_INTEQ(rss2.n_items, 3);
    CHECK_INTEQ(page2.n_items, 5);
    for (size_t i = 0; i < rss2.n_items && 10 + i < all.n_items; i++) {
        CHECK_STREQ(rss2.items[i].link, all.items[10 + i].link);
        CHECK_INTEQ(rss2.items[i].date, all.items[10 + i].date);
    }
    for (size_t i = 0; i < page2.n_items && 5 + i < rss.n_items; i++)
        CHECK_STREQ(page2.items[i].title, rss.items[5 + i].title);
    /* RSS pages 1 + 2 appended = the whole REST listing, in order */
    CHECK_INTEQ(feed_append(&rss, &rss2), 3);
    CHECK_INTEQ(rss2.n_items, 0); /* consumed */
    CHECK_INTEQ(rss.n_items, all.n_items);
    for (size_t i = 0; i < rss.n_items && i < all.n_items; i++) {
        CHECK_STREQ(rss.items[i].link, all.items[i].link);
        CHECK_STREQ(rss.items[i].title, all.items[i].title);
    }
    /* a page overlapping what is there (a post published between two page requests pushes an
     * item onto the next page): only the new items are appended */
    struct feed again;
    CHECK(load("wordpress/wp-json-posts-page2-per5.json", NULL, &again));
    CHECK(load("wordpress/feed-rss2-paged2.xml", NULL, &rss2));
    size_t before = page2.n_items;
    CHECK_INTEQ(feed_append(&page2, &again), 0);
    CHECK_INTEQ(page2.n_items, before);
    CHECK_INTEQ(feed_append(&page2, &rss2), 3); /* RSS guids: ?p=N; REST's are the same */
    feed_free(&rss);
    feed_free(&all);
    feed_free(&page2);
    /* A REST page past the end is an error object, not an empty feed. */
    struct feed f;
    char err[128];
    const char *past = "{\"code\":\"rest_post_invalid_page_number\",\"message\":\"The page "
                       "number requested is larger than the number of pages available.\"}";
    CHECK(!feed_parse(past, strlen(past), NULL, NULL, &f, err, sizeof(err)));
    CHECK(strstr(err, "rest_post_invalid_page_number") != NULL);
    CHECK_INTEQ(f.n_items, 0);
}

static void check_vietnamese_feed(const char *file, const char *hint, bool lower)
{
    struct feed f;
    CHECK_MSG(load(file, hint, &f), "%s", file);
    CHECK_INTEQ(f.n_items, 1);
    if (f.n_items == 1) {
        CHECK_STREQ(f.items[0].title, lower ? "thông báo lịch cắt điện xã đồng tâm"
                                            : "Thông báo lịch cắt điện xã Đồng Tâm");
        CHECK(str_starts_with(f.items[0].text, lower ? "điện lực huyện thông báo tạm ngừng"
                                                     : "Điện lực huyện thông báo tạm ngừng"));
        CHECK_STREQ(f.items[0].guid, "tin-1");
        CHECK_INTEQ(f.items[0].date, 1795739400); /* 2026-11-27T00:30:00Z */
        CHECK(!has_combining_marks(f.items[0].title));
    }
    if (!lower)
        CHECK_STREQ(f.title, "Bản tin xã");
    feed_free(&f);
}

static void test_encodings(void)
{
    check_vietnamese_feed("feeds/vi-windows-1258.xml", NULL, false);
    check_vietnamese_feed("feeds/vi-viscii.xml", NULL, false);
    check_vietnamese_feed("feeds/vi-tcvn3.xml", NULL, true);
    check_vietnamese_feed("feeds/vi-utf16le-nobom.xml", NULL, false);
    check_vietnamese_feed("feeds/vi-hint-1258.xml", "windows-1258", false);

    /* Invalid UTF-8 is repaired, never a reason to lose the item. */
    const char *bad = "<rss><channel><item><title>Vi\xE1\xBB\x87t a\xC3\x28z</title>"
                      "<guid>g</guid></item></channel></rss>";
    struct feed f;
    char err[128];
    CHECK(feed_parse(bad, strlen(bad), NULL, NULL, &f, err, sizeof(err)));
    CHECK(f.n_items == 1 && strstr(f.items[0].title, "\xEF\xBF\xBD"));
    feed_free(&f);
    /* Undeclared and not UTF-8 at all: windows-1252, as browsers read it. */
    const char *cp = "<rss><channel><item><title>don\x92t caf\xE9</title></item></channel></rss>";
    CHECK(feed_parse(cp, strlen(cp), NULL, NULL, &f, err, sizeof(err)));
    CHECK(f.n_items == 1 && !strcmp(f.items[0].title, "don\xE2\x80\x99t caf\xC3\xA9"));
    feed_free(&f);

    /* A UTF-16 label on a document we can read as ASCII is a mislabel. */
    const char *u16 = "<?xml version='1.0' encoding='UTF-16'?><rss><channel><item>"
                      "<title>Vi\xE1\xBB\x87t</title></item></channel></rss>";
    CHECK(feed_parse(u16, strlen(u16), NULL, NULL, &f, err, sizeof(err)));
    CHECK(f.n_items == 1 && !strcmp(f.items[0].title, "Vi\xE1\xBB\x87t"));
    feed_free(&f);
    /* A Latin-1 label on valid UTF-8 likewise; on real Latin-1 it means windows-1252. */
    const char *l1 = "<?xml version='1.0' encoding='ISO-8859-1'?><rss><channel><item>"
                     "<title>Vi\xE1\xBB\x87t</title></item></channel></rss>";
    CHECK(feed_parse(l1, strlen(l1), NULL, NULL, &f, err, sizeof(err)));
    CHECK(f.n_items == 1 && !strcmp(f.items[0].title, "Vi\xE1\xBB\x87t"));
    feed_free(&f);
    const char *l2 = "<?xml version='1.0' encoding='ISO-8859-1'?><rss><channel><item>"
                     "<description>\x93q\x94 caf\xE9</description></item></channel></rss>";
    CHECK(feed_parse(l2, strlen(l2), NULL, NULL, &f, err, sizeof(err)));
    CHECK(f.n_items == 1 && !strcmp(f.items[0].text, "\xE2\x80\x9Cq\xE2\x80\x9D caf\xC3\xA9"));
    feed_free(&f);

    char *out = NULL;
    size_t n = 0;
    CHECK(feed_to_utf8("Vi\xEA\xF2t", 5, "windows-1258", &out, &n));
    char *nfc = text_sanitize(out, n, 0);
    CHECK_STREQ(nfc, "Vi\xE1\xBB\x87t"); /* "Việt" */
    free(nfc);
    free(out);
    CHECK(!feed_to_utf8("x", 1, "no-such-charset", &out, &n));
}

static void test_cap(void)
{
    struct feed f;
    CHECK(load("feeds/cap-alert.xml", NULL, &f));
    CHECK_INTEQ(f.format, FEED_FORMAT_CAP);
    CHECK_INTEQ(f.n_items, 1);
    const struct feed_cap *c = f.n_items ? f.items[0].cap : NULL;
    CHECK(c != NULL);
    if (c) {
        CHECK_STREQ(c->identifier, "VN-KTTV-2026-1127-001");
        CHECK_INTEQ(c->msg_type, FEED_CAP_ALERT);
        CHECK_INTEQ(c->status, FEED_CAP_ACTUAL);
        CHECK_INTEQ(c->severity, FEED_SEVERITY_EXTREME);
        CHECK_STREQ(c->language, "vi-VN"); /* the Vietnamese block, though English is first */
        CHECK_STREQ(c->headline, "Cảnh báo lũ quét tại các xã vùng cao");
        CHECK_STREQ(c->urgency, "Immediate");
        CHECK_STREQ(c->area_desc, "Xã Đồng Tâm, Xã Quang Khê");
        CHECK_STREQ(c->sender_name, "Đài Khí tượng Thủy văn tỉnh");
        CHECK_INTEQ(c->sent, 1795737600);
        CHECK_INTEQ(c->expires, 1795737600 + 86400);
        CHECK_INTEQ(c->effective, 1795737600);
        CHECK_INTEQ(c->n_references, 0);
        CHECK_STREQ(f.items[0].title, "Cảnh báo lũ quét tại các xã vùng cao");
        CHECK_STREQ(f.items[0].text, "Mưa lớn ở thượng nguồn, nguy cơ lũ quét và sạt lở đất rất "
                                     "cao.\nNgười dân không qua lại khu vực ngầm, tràn; di chuyển "
                                     "đến nơi an toàn.");
        CHECK_STREQ(f.items[0].guid, "VN-KTTV-2026-1127-001");
        CHECK_STREQ(f.items[0].link, "http://kttv.example.vn/canh-bao/001");
        CHECK_INTEQ(f.items[0].date, 1795737600);
    }
    feed_free(&f);

    CHECK(load("feeds/cap-update.xml", NULL, &f));
    c = f.n_items ? f.items[0].cap : NULL;
    CHECK(c && c->msg_type == FEED_CAP_UPDATE && c->severity == FEED_SEVERITY_SEVERE);
    CHECK(c && c->n_references == 2);
    if (c && c->n_references == 2) {
        CHECK_STREQ(c->references[0], "VN-KTTV-2026-1127-001");
        CHECK_STREQ(c->references[1], "OLD-7");
    }
    CHECK(f.n_items && !strcmp(f.items[0].title, "Lũ quét")); /* no headline: the event */
    feed_free(&f);

    CHECK(load("feeds/cap-cancel.xml", NULL, &f));
    c = f.n_items ? f.items[0].cap : NULL;
    CHECK(c && c->msg_type == FEED_CAP_CANCEL && c->n_references == 2);
    CHECK(c && c->n_references == 2 && !strcmp(c->references[1], "VN-KTTV-2026-1127-002"));
    CHECK(f.n_items && f.items[0].title && f.items[0].text && f.items[0].guid);
    feed_free(&f);

    CHECK(load("feeds/cap-test.xml", NULL, &f));
    c = f.n_items ? f.items[0].cap : NULL;
    CHECK(c && c->status == FEED_CAP_TEST && c->severity == FEED_SEVERITY_MINOR);
    feed_free(&f);

    /* Unknown type and status never read as a real alert. */
    const char *odd =
        "<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>X</identifier>"
        "<status>Real</status><msgType>Warning</msgType></alert>";
    char err[128];
    CHECK(feed_parse(odd, strlen(odd), NULL, NULL, &f, err, sizeof(err)));
    c = f.n_items ? f.items[0].cap : NULL;
    CHECK(c && c->msg_type == FEED_CAP_ERROR && c->status == FEED_CAP_TEST);
    feed_free(&f);

    /* An alert carried in an RSS item. */
    const char *rss = "<rss><channel><item><title>RSS title</title><link>http://l/</link>"
                      "<description>d</description><alert xmlns='urn:oasis:names:tc:emergency:"
                      "cap:1.2'><identifier>R-1</identifier><sent>2026-11-27T07:00:00+07:00</sent>"
                      "<status>Actual</status><msgType>Alert</msgType><info><event>Bão</event>"
                      "<severity>Severe</severity><description>Gió mạnh.</description></info>"
                      "</alert></item></channel></rss>";
    CHECK(feed_parse(rss, strlen(rss), NULL, NULL, &f, err, sizeof(err)));
    CHECK_INTEQ(f.format, FEED_FORMAT_RSS);
    c = f.n_items ? f.items[0].cap : NULL;
    CHECK(c && c->severity == FEED_SEVERITY_SEVERE && !strcmp(c->identifier, "R-1"));
    CHECK(f.n_items && !strcmp(f.items[0].title, "Bão") && !strcmp(f.items[0].text, "Gió mạnh."));
    CHECK(f.n_items && !strcmp(f.items[0].link, "http://l/") && f.items[0].date == 1795737600);
    feed_free(&f);

    CHECK(load("feeds/cap-in-atom.xml", NULL, &f));
    CHECK_INTEQ(f.format, FEED_FORMAT_ATOM);
    c = f.n_items ? f.items[0].cap : NULL;
    CHECK(c && c->status == FEED_CAP_EXERCISE && c->severity == FEED_SEVERITY_MODERATE);
    CHECK(f.n_items && !strcmp(f.items[0].title, "Diễn tập phòng cháy chữa cháy"));
    CHECK(f.n_items && !strcmp(f.items[0].text, "Sáng mai diễn tập tại trụ sở UBND xã."));
    feed_free(&f);

    CHECK(load("feeds/cap-edxl.xml", NULL, &f));
    CHECK_INTEQ(f.format, FEED_FORMAT_CAP);
    CHECK_INTEQ(f.n_items, 2);
    if (f.n_items == 2) {
        CHECK_STREQ(f.items[0].title, "Cháy rừng");
        CHECK_STREQ(f.items[1].title, "Cháy nhà dân thôn 3");
        CHECK_STREQ(f.items[1].guid, "EDXL-2");
    }
    feed_free(&f);
}

static void test_jsonfeed(void)
{
    struct feed f;
    CHECK(load("feeds/jsonfeed-1.1.json", NULL, &f));
    CHECK_INTEQ(f.format, FEED_FORMAT_JSONFEED);
    CHECK_INTEQ(f.n_items, 2);
    if (f.n_items == 2) {
        CHECK_STREQ(f.items[0].title, "Họp dân & bầu trưởng thôn");
        CHECK_STREQ(f.items[0].text, "Mời bà con dự họp.\nThời gian: 8 giờ – chủ nhật.");
        CHECK_STREQ(f.items[0].image_url, "https://xa.example.vn/anh/hop.jpg");
        CHECK_STREQ(f.items[0].author, "UBND xã");
        CHECK_INTEQ(f.items[0].date, 1795136400);
        CHECK_STREQ(f.items[1].text, "Dòng một.\nDòng hai.");
        CHECK_INTEQ(f.items[1].date, 0); /* unparsable: kept, undated */
        CHECK(f.items[1].link == NULL);
        CHECK_STREQ(f.items[1].guid, "1");
    }
    feed_free(&f);
}

/* Hand-written edge cases of the XML formats. */
static void test_rss_atom_edges(void)
{
    struct feed f;
    char err[128];
    const char *rss =
        "<?xml version='1.0'?><rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/' "
        "xmlns:media='http://search.yahoo.com/mrss/'><channel><title>T</title>"
        "<item><title>A &amp;amp; B &amp;#038; C</title><description><![CDATA[<p>x</p>]]>"
        "</description><dc:date>2026-01-02T03:04:05+07:00</dc:date><dc:creator>Ban</dc:creator>"
        "<media:content url='http://i.example/a.jpg' medium='image'/></item>"
        "<item><title>no date</title><pubDate>hôm qua</pubDate></item>"
        "<item><description>only text</description><enclosure url='/b.png' type='image/png'/>"
        "</item></channel></rss>";
    CHECK(feed_parse(rss, strlen(rss), NULL, "http://site.example/feed/", &f, err, sizeof(err)));
    CHECK_INTEQ(f.n_items, 3);
    if (f.n_items == 3) {
        CHECK_STREQ(f.items[0].title, "A & B & C");
        CHECK_STREQ(f.items[0].text, "x");
        CHECK_INTEQ(f.items[0].date, 1767297845);
        CHECK_STREQ(f.items[0].author, "Ban");
        CHECK_STREQ(f.items[0].image_url, "http://i.example/a.jpg");
        CHECK_INTEQ(f.items[1].date, 0);
        CHECK(str_starts_with(f.items[1].guid, "hash:"));
        CHECK_STREQ(f.items[2].title, "");
        CHECK_STREQ(f.items[2].image_url, "http://site.example/b.png");
        CHECK(strcmp(f.items[1].guid, f.items[2].guid) != 0);
    }
    feed_free(&f);

    const char *atom =
        "<feed xmlns='http://www.w3.org/2005/Atom' xml:base='http://a.example/blog/'>"
        "<title type='html'>Tin &amp;lt;3</title>"
        "<entry><id>urn:1</id><title type='html'>&lt;b&gt;Bold&lt;/b&gt; title</title>"
        "<link rel='self' href='/self'/><link href='posts/1'/>"
        "<updated>2026-11-27T00:00:00Z</updated><published>2026-11-26T00:00:00Z</published>"
        "<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><p>One</p><p>Two"
        "</p></div></content></entry>"
        "<entry xml:base='http://b.example/x/'><id>urn:2</id><title>Plain &lt;tag&gt;</title>"
        "<link rel='alternate' href='../y'/><summary type='text'>s</summary></entry></feed>";
    CHECK(feed_parse(atom, strlen(atom), NULL, NULL, &f, err, sizeof(err)));
    CHECK_INTEQ(f.n_items, 2);
    if (f.n_items == 2) {
        CHECK_STREQ(f.items[0].title, "Bold title");
        CHECK_STREQ(f.items[0].link, "http://a.example/blog/posts/1");
        CHECK_STREQ(f.items[0].text, "One\nTwo");
        CHECK_INTEQ(f.items[0].date, 1795651200);
        CHECK_INTEQ(f.items[0].updated, 1795737600);
        CHECK_STREQ(f.items[1].link, "http://b.example/y");
        CHECK_STREQ(f.items[1].text, "s");
        CHECK_INTEQ(f.items[1].date, 0);
    }
    feed_free(&f);

    /* Base64 content (Atom 0.3 mode, or a binary media type), and a custom type that is not. */
    const char *b64 = "<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>a</id>"
                      "<title type='application/octet-stream'>VGnDqnUgPGI+xJHhu4E8L2I+</title>"
                      "</entry><entry><id>b</id><title type='application/x-custom'>test</title>"
                      "</entry></feed>";
    CHECK(feed_parse(b64, strlen(b64), NULL, NULL, &f, err, sizeof(err)));
    CHECK(f.n_items == 2 && !strcmp(f.items[0].title, "Tiêu đề"));
    CHECK(f.n_items == 2 && !strcmp(f.items[1].title, "test"));
    feed_free(&f);

    CHECK(!feed_parse("<html><body>hi</body></html>", 28, NULL, NULL, &f, err, sizeof(err)));
    CHECK(!feed_parse("", 0, NULL, NULL, &f, err, sizeof(err)));
    CHECK(!feed_parse("{\"a\":1}", 7, NULL, NULL, &f, err, sizeof(err)));
    CHECK(!feed_parse("[1,", 3, NULL, NULL, &f, err, sizeof(err)));
    feed_free(&f);
    feed_free(NULL);
    CHECK_STREQ(feed_format_name(FEED_FORMAT_RDF), "rdf");
}

/* No entity is ever expanded and nothing is loaded from outside the document. */
static void test_hostile(void)
{
    struct feed f;
    char err[128];
    const char *laughs =
        "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY a 'lol'><!ENTITY b '&a;&a;&a;&a;'>"
        "<!ENTITY c '&b;&b;&b;&b;&b;'>]><rss><channel><item><title>&c;</title></item>"
        "</channel></rss>";
    CHECK(!feed_parse(laughs, strlen(laughs), NULL, NULL, &f, err, sizeof(err)));
    CHECK(strstr(err, "entit") != NULL);
    const char *xxe = "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY x SYSTEM "
                      "'file:///etc/passwd'>]><rss><channel><item><title>&x;</title></item>"
                      "</channel></rss>";
    CHECK(!feed_parse(xxe, strlen(xxe), NULL, NULL, &f, err, sizeof(err)));
    const char *pe = "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY % p SYSTEM "
                     "'http://127.0.0.1:9/x.dtd'> %p;]><rss/>";
    CHECK(!feed_parse(pe, strlen(pe), NULL, NULL, &f, err, sizeof(err)));
    /* A public DOCTYPE without entities is fine (RSS 0.91 has one) and is not fetched. */
    const char *dtd = "<?xml version='1.0'?><!DOCTYPE rss PUBLIC '-//Netscape Communications//"
                      "DTD RSS 0.91//EN' 'http://127.0.0.1:9/rss-0.91.dtd'><rss version='0.91'>"
                      "<channel><item><title>ok</title><link>http://x/</link></item></channel>"
                      "</rss>";
    CHECK(feed_parse(dtd, strlen(dtd), NULL, NULL, &f, err, sizeof(err)));
    CHECK(f.n_items == 1 && !strcmp(f.items[0].title, "ok"));
    feed_free(&f);
}

static void test_dump(void)
{
    struct feed f;
    CHECK(load("feeds/jsonfeed-1.1.json", NULL, &f));
    struct buf b;
    buf_init(&b, 0);
    feed_dump_jsonl(&f, &b);
    CHECK(b.data && strstr(b.data, "\"date\": \"2026-11-20T01:00:00Z\"") == NULL &&
          strstr(b.data, "\"date\":\"2026-11-20T01:00:00Z\""));
    CHECK(b.data && strstr(b.data, "\"date\":null"));
    size_t lines = 0;
    for (size_t i = 0; i < b.len; i++)
        lines += b.data[i] == '\n';
    CHECK_INTEQ(lines, 2);
    buf_free(&b);
    feed_free(&f);
}

int main(void)
{
    test_wordpress_formats();
    test_wordpress_details();
    test_wordpress_paging();
    test_encodings();
    test_cap();
    test_jsonfeed();
    test_rss_atom_edges();
    test_hostile();
    test_dump();
    return CHECK_DONE();
}
