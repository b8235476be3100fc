/* quote: invisible characters in quoted text become U+XXXX (issue 12, point 4). */
#include <stdlib.h>
#include <string.h>

#include "bangtin/quote.h"
#include "check.h"

static void expect(const char *in, size_t len, const char *want)
{
    char *got = quote_visible(in, len);
    CHECK_STREQ(got, want);
    free(got);
}

int main(void)
{
    /* jansson's own message for a file saved by Notepad, before the BOM was accepted. */
    const char *near = "'[' or '{' expected near '\xEF\xBB\xBF'";
    expect(near, strlen(near), "'[' or '{' expected near 'U+FEFF'");
    expect("Cổng thông tin xã", strlen("Cổng thông tin xã"), "Cổng thông tin xã");
    expect("a\xE2\x80\x8B"
           "b",
           5, "aU+200Bb"); /* zero-width space */
    expect("a\xE2\x80\xAE"
           "b",
           5, "aU+202Eb");                         /* right-to-left override */
    expect("x\ty\n", 4, "xU+0009yU+000A");         /* controls */
    expect("\xC2\xA0", 2, "U+00A0");               /* no-break space */
    expect("\xC2\xAD", 2, "U+00AD");               /* soft hyphen */
    expect("\xF3\xA0\x80\x81", 4, "U+E0001");      /* tag character */
    expect("bad \xFF byte", 10, "bad \\xFF byte"); /* invalid UTF-8 */
    expect("a b", 3, "a b");                       /* a plain space is visible */
    expect("nul\0x", 5, "nulU+0000x");
    char *s = quote_visible_str(NULL);
    CHECK_STREQ(s, "");
    free(s);
    CHECK(quote_is_invisible(0xFEFF));
    CHECK(!quote_is_invisible('A'));
    CHECK(!quote_is_invisible(0x1EA1)); /* ạ */
    return CHECK_DONE();
}
