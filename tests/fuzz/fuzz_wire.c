/* libFuzzer: the frames between the kiosk and its fetch process (app/net/wire.c). Each input is
 * tried as it is, and behind a well-formed header of its own length (so the fuzzer reaches the
 * fields without first finding the magic); whatever decodes must encode back to the same
 * frame. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/net.h"
#include "net_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void try_job(const void *frame, size_t len)
{
    struct net_wire_job j;
    if (!net_wire_job_decode(frame, len, &j))
        return;
    size_t len2;
    char *again = net_wire_job_encode(&j, &len2);
    struct net_wire_job j2;
    if (!net_wire_job_decode(again, len2, &j2) || strcmp(j.req.url, j2.req.url) != 0 ||
        j.lim.max_bytes != j2.lim.max_bytes || j.want_items != j2.want_items)
        abort();
    net_wire_job_free(&j2);
    free(again);
    net_wire_job_free(&j);
}

static void try_result(const void *frame, size_t len)
{
    struct net_response r;
    char *sig;
    size_t sig_len;
    if (!net_wire_result_decode(frame, len, &r, &sig, &sig_len))
        return;
    size_t len2;
    char *again = net_wire_result_encode(&r, sig, sig_len, &len2);
    /* error[] is cut to its 255 bytes, so only a frame whose error fits comes back whole */
    if (strlen(r.error) < sizeof r.error - 1 && (len2 != len || memcmp(again, frame, len) != 0))
        abort();
    free(again);
    free(sig);
    net_response_free(&r);
}

static void with_header(const char magic[4], const uint8_t *data, size_t size, bool job)
{
    uint8_t *f = malloc(size + NET_WIRE_HEADER);
    memcpy(f, magic, 4);
    for (int i = 0; i < 4; i++)
        f[4 + i] = (uint8_t)(size >> (8 * i));
    memcpy(f + NET_WIRE_HEADER, data, size);
    if (job)
        try_job(f, size + NET_WIRE_HEADER);
    else
        try_result(f, size + NET_WIRE_HEADER);
    free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try_job(data, size);
    try_result(data, size);
    with_header(NET_WIRE_JOB_MAGIC, data, size, true);
    with_header(NET_WIRE_RESULT_MAGIC, data, size, false);
    return 0;
}
