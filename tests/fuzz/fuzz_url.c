/* libFuzzer: the query handling of paged listings (net_url_with_page, net_url_query_int). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/net.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = fuzz_cstr(data, size);
    int per_page = net_url_query_int(url, "per_page", -1);
    if (per_page < -1 || per_page > 999999999)
        abort();
    int pages = net_listing_pages_wanted(url, (int)(size % 300));
    if (pages < 1 || pages > NET_MAX_PAGES)
        abort();
    /* whatever the URL, the page asked for is the one the result names */
    char *paged = net_url_with_page(url, 7);
    if (net_url_query_int(paged, "page", -1) != 7)
        abort();
    free(paged);
    free(url);
    return 0;
}
