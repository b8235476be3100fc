/* store: the key that tells two links to the same page apart from links to different pages
 * ("https://www.x.vn/a/" and "http://x.vn/a" are one page), for duplicate detection. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "bangtin/util.h"
#include "store_private.h"

char *store_url_key(const char *url)
{
    while (url && isspace((unsigned char)*url))
        url++;
    if (str_empty(url))
        return NULL;
    const char *p = url;
    const char *sep = strstr(url, "://");
    if (sep) {
        for (const char *c = url; c < sep; c++)
            if (!isalnum((unsigned char)*c) && *c != '+' && *c != '-' && *c != '.')
                return NULL;
        p = sep + 3;
    } else if (str_starts_with(url, "//")) {
        p = url + 2;
    } else {
        return NULL;
    }
    if (strncasecmp(p, "www.", 4) == 0)
        p += 4;
    size_t host_len = strcspn(p, "/?#");
    size_t len = strcspn(p, "#");
    if (host_len == 0)
        return NULL;
    char *k = xstrndup(p, len);
    for (size_t i = 0; i < host_len; i++)
        k[i] = (char)tolower((unsigned char)k[i]);
    /* "a/b/" and "a/b", "a/?p=1" and "a?p=1" are the same page. */
    char *q = strchr(k, '?');
    size_t path_end = q ? (size_t)(q - k) : strlen(k);
    size_t cut = path_end;
    while (cut > host_len && k[cut - 1] == '/')
        cut--;
    memmove(k + cut, k + path_end, strlen(k + path_end) + 1);
    return k;
}
