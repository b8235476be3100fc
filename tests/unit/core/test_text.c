/* The sanitizer: NFD in → NFC out, controls/bidi/zero-width stripped, entities, whitespace. */
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static void expect(const char *in, unsigned flags, const char *want)
{
    char *got = text_sanitize_str(in, flags);
    CHECK_STREQ(got, want);
    free(got);
}

static void test_nfc_files(void)
{
    char *nfc, *nfd;
    size_t a, b;
    CHECK(util_read_file(TEST_DATA_DIR "/vi_samples.txt", 1 << 20, &nfc, &a));
    CHECK(util_read_file(TEST_DATA_DIR "/vi_samples_nfd.txt", 1 << 20, &nfd, &b));
    CHECK(a != b); /* the NFD file really is decomposed */
    char *x = text_sanitize(nfc, a, TEXT_KEEP_NEWLINES);
    char *y = text_sanitize(nfd, b, TEXT_KEEP_NEWLINES);
    CHECK_STREQ(y, x);
    CHECK(strstr(x, "THÔNG BÁO KHẨN") != NULL);
    free(x);
    free(y);
    free(nfc);
    free(nfd);
}

int main(void)
{
    /* NFD "Thông báo" (o + circumflex, a + acute) becomes precomposed. */
    expect("Tho\xcc\x82ng ba\xcc\x81o", 0, "Thông báo");
    expect("  a \t\t b  ", 0, "a b");
    expect("a\n\n\n b", TEXT_KEEP_NEWLINES, "a\nb");
    expect("a\n\n b", 0, "a b");
    /* bidi override, zero-width space, BOM, soft hyphen, C0 and C1 controls are dropped */
    expect("A\xe2\x80\xae"
           "B\xe2\x80\x8b"
           "C\xef\xbb\xbf"
           "D\xc2\xad"
           "E\x01"
           "F\xc2\x85G",
           0, "ABCDEF\x20G");
    /* invalid UTF-8 repaired */
    expect("ok\xff\xfeok", 0, "ok\xef\xbf\xbd\xef\xbf\xbdok");
    /* entities, WordPress style */
    expect("Tin &#038; b&agrave;i &#8220;mới&#8221;", TEXT_DECODE_ENTITIES,
           "Tin & bài \xe2\x80\x9cmới\xe2\x80\x9d");
    expect("&amp;&notanentity; &#x110;", TEXT_DECODE_ENTITIES, "&&notanentity; Đ");
    expect("&#150;", TEXT_DECODE_ENTITIES, "\xe2\x80\x93"); /* C1 numeric → cp1252 dash */
    /* entities untouched without the flag */
    expect("a &amp; b", 0, "a &amp; b");
    /* NBSP kept (it binds "06-ĐA/TU" to its number), and collapses with spaces around it */
    expect("số\xc2\xa0"
           "06-ĐA/TU",
           0,
           "số\xc2\xa0"
           "06-ĐA/TU");
    expect("a \xc2\xa0 b", 0,
           "a\xc2\xa0"
           "b");
    expect(" \xc2\xa0 ", 0, "");
    expect(NULL, 0, "");
    test_nfc_files();

    char *k1 = text_fold_key("  Thông báo: Cắt ĐIỆN toàn xã! ");
    char *k2 = text_fold_key("THONG BAO - cat dien toan xa");
    CHECK_STREQ(k1, "thong bao cat dien toan xa");
    CHECK_STREQ(k1, k2);
    free(k1);
    free(k2);

    /* grapheme length: "ệ" decomposed is e + U+0323 + U+0302 = 5 bytes, one cluster */
    CHECK_INTEQ(text_grapheme_len("e\xcc\xa3\xcc\x82x", 6), 5);
    CHECK_INTEQ(text_grapheme_len("ab", 2), 1);
    CHECK_INTEQ(text_codepoints("Việt"), 4);
    CHECK(text_is_valid_utf8("Việt", strlen("Việt")));
    CHECK(!text_is_valid_utf8("\xc3", 1));
    return CHECK_DONE();
}
