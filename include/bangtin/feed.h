/* feed: bytes → items. Pure: no I/O, no network, no global state beyond libxml2's.
 *
 * Formats are detected from the content: RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0, WordPress REST
 * (/wp-json/wp/v2/posts), JSON Feed 1.x, CAP 1.x (single alert, or inside Atom/RSS/EDXL-DE).
 * Every string in a feed_item has been through text_sanitize (NFC, no controls); text keeps
 * paragraphs as '\n'. */
#ifndef BANGTIN_FEED_H
#define BANGTIN_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum feed_format {
    FEED_FORMAT_UNKNOWN,
    FEED_FORMAT_RSS, /* 0.9x / 2.0 */
    FEED_FORMAT_RDF, /* RSS 1.0 */
    FEED_FORMAT_ATOM,
    FEED_FORMAT_WPJSON, /* WordPress REST posts array */
    FEED_FORMAT_JSONFEED,
    FEED_FORMAT_CAP,
};

enum feed_cap_msgtype {
    FEED_CAP_ALERT,
    FEED_CAP_UPDATE,
    FEED_CAP_CANCEL,
    FEED_CAP_ACK,
    FEED_CAP_ERROR
};
enum feed_cap_status {
    FEED_CAP_ACTUAL,
    FEED_CAP_EXERCISE,
    FEED_CAP_SYSTEM,
    FEED_CAP_TEST,
    FEED_CAP_DRAFT
};
/* Ordered: a larger value is more severe. */
enum feed_severity {
    FEED_SEVERITY_UNKNOWN,
    FEED_SEVERITY_MINOR,
    FEED_SEVERITY_MODERATE,
    FEED_SEVERITY_SEVERE,
    FEED_SEVERITY_EXTREME
};

struct feed_cap {
    char *identifier, *sender, *sender_name;
    enum feed_cap_msgtype msg_type;
    enum feed_cap_status status;
    char **references; /* identifiers (the middle field of "sender,identifier,sent") */
    size_t n_references;
    enum feed_severity severity;
    char *urgency, *certainty, *event, *language;
    char *headline, *description, *instruction, *area_desc;
    int64_t sent, effective, expires; /* 0 = absent */
};

struct feed_item {
    char *guid;      /* never NULL: guid/id, else link, else a hash of title+date */
    char *link;      /* article URL or NULL */
    char *title;     /* never NULL (may be "") */
    char *text;      /* plain text, paragraphs separated by '\n'; never NULL */
    char *image_url; /* lead image or NULL */
    char *image_caption;
    char *author;
    int64_t date;         /* UTC seconds; 0 = unknown */
    int64_t updated;      /* 0 = unknown */
    struct feed_cap *cap; /* CAP alerts only */
};

struct feed {
    enum feed_format format;
    char *title;
    char *link;
    struct feed_item *items;
    size_t n_items;
    int wp_total_pages; /* from X-WP-TotalPages when known, else 0 */
    size_t n_cut;       /* items with a field cut to its bound (title past 1,000 characters,
                           text past 200 KB, …): logged once by feed_parse */
    bool recovered;     /* the XML was not well-formed and was read in recovery mode: the
                           items are usable, but not as proof that others were removed */
};

/* hint_charset: from the HTTP Content-Type (may be NULL). base_url resolves relative links
 * (may be NULL). On failure returns false and writes a one-line reason into err. */
bool feed_parse(const char *data, size_t len, const char *hint_charset, const char *base_url,
                struct feed *out, char *err, size_t err_len);
void feed_free(struct feed *f); /* feed_free(NULL) is a no-op */
/* Moves the items of src (a later page of the same listing) to the end of dst, except those
 * whose guid dst already has (a post published between two page requests pushes one item onto
 * the next page); then frees src. Returns how many were moved. */
size_t feed_append(struct feed *dst, struct feed *src);
const char *feed_format_name(enum feed_format f);

/* HTML fragment → plain text with paragraphs as '\n', lists as "• " lines, tables readable,
 * scripts/styles/nav dropped, entities decoded, sanitized. Caller frees; never NULL. */
char *feed_html_to_text(const char *html, size_t len);
/* First <img src> in an HTML fragment, resolved against base_url; caller frees; NULL if none. */
char *feed_html_first_image(const char *html, size_t len, const char *base_url);

/* RFC 822 (any/missing day name, odd zones), RFC 3339, WordPress zone-less GMT. */
bool feed_parse_date(const char *s, int64_t *out);

/* Convert bytes in a declared charset (windows-1258, TCVN3, VISCII, UTF-16, …) to UTF-8.
 * Caller frees. false when the charset is unknown. */
bool feed_to_utf8(const char *data, size_t len, const char *charset, char **out, size_t *out_len);

/* One JSON line per item (title, link, guid, date RFC 3339, text, image) to the buffer. */
struct buf;
void feed_dump_jsonl(const struct feed *f, struct buf *out);

#endif
