/* libFuzzer: date parsing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/feed.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    int64_t t = 0;
    if (feed_parse_date(s, &t) && (t <= 0 || t > INT64_C(253402300800)))
        abort(); /* a parsed date is after 1970 and before year 10000 */
    free(s);
    return 0;
}
