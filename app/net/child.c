/* child: `bangtin --fetch-job PARENT_PID`, the fetch process. Reads job frames on stdin, runs
 * each with one easy handle (connections and TLS sessions are reused while it lives), writes
 * one result frame per job on stdout, and exits at end of input. It has no configuration of
 * its own: everything it needs comes in the job. Its log lines go to the inherited stderr. */
#define LOG_MODULE "fetch"
#include "bangtin/log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "bangtin/clock.h"
#include "bangtin/net.h"
#include "bangtin/util.h"
#include "net_internal.h"

static bool read_all(int fd, void *p, size_t n, bool *eof)
{
    size_t got = 0;
    *eof = false;
    while (got < n) {
        ssize_t r = read(fd, (char *)p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            *eof = r == 0 && got == 0;
            return false;
        }
        got += (size_t)r;
    }
    return true;
}

/* The next job frame from stdin: 1 a job, 0 end of input, -1 a broken frame. */
static int next_job(struct net_wire_job *j)
{
    unsigned char h[NET_WIRE_HEADER];
    bool eof;
    if (!read_all(0, h, sizeof h, &eof))
        return eof ? 0 : -1;
    size_t n;
    if (!net_wire_header(h, NET_WIRE_JOB_MAGIC, NET_WIRE_JOB_MAX, &n))
        return -1;
    char *frame = xmalloc(sizeof h + n + 1);
    memcpy(frame, h, sizeof h);
    bool ok = read_all(0, frame + sizeof h, n, &eof) && net_wire_job_decode(frame, sizeof h + n, j);
    free(frame);
    return ok ? 1 : -1;
}

int net_fetch_job_main(int argc, char **argv)
{
    /* Named for ps/top (exec'd as /proc/self/exe it would be "exe"); ends with the kiosk. */
    prctl(PR_SET_NAME, "bangtin-fetch", 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (argc < 3 || strtol(argv[2], NULL, 10) != (long)getppid()) {
        LOG_ERR("--fetch-job is started by the kiosk itself, not by hand");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN); /* a kiosk gone mid-answer: a failed write, then exit */
    CURL *curl = NULL;
    int rc = 0;
    for (;;) {
        struct net_wire_job j;
        int got = next_job(&j);
        if (got <= 0) {
            if (got < 0)
                LOG_ERR("broken job from the kiosk; the fetch process stops");
            rc = got < 0 ? 3 : 0;
            break;
        }
        log_set_level(j.log_level);
        clock_note_evidence(j.clock_evidence);
        if (!curl)
            curl = net_global_init() ? curl_easy_init() : NULL;
        struct net_response resp;
        char *sig = NULL;
        size_t sig_len = 0;
        if (curl) {
            net_job_run(curl, &j, NULL, &resp, &sig, &sig_len);
        } else {
            memset(&resp, 0, sizeof resp);
            resp.status = NET_RETRY;
            snprintf(resp.error, sizeof resp.error, "curl_easy_init failed");
        }
        size_t len;
        char *frame = net_wire_result_encode(&resp, sig, sig_len, &len);
        bool sent = util_write_all(1, frame, len);
        free(frame);
        free(sig);
        net_response_free(&resp);
        net_wire_job_free(&j);
        if (!sent) {
            rc = 4; /* the kiosk is gone or stopped listening */
            break;
        }
    }
    if (curl)
        curl_easy_cleanup(curl);
    net_global_cleanup();
    return rc;
}
