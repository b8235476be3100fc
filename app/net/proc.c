/* proc: the kiosk's side of its fetch process. libcurl and the TLS stack under it (OpenSSL,
 * GnuTLS, Kerberos, LDAP, SSH…: ~7 MiB resident once a fetch ran) never enter the screen
 * process: each fetch is a job frame written to `exe --fetch-job` (child.c) and a result frame
 * read back. The child is started at the first fetch and kept while fetches follow each other
 * (connections stay alive); the worker ends it when nothing is due soon (net_proc_idle).
 * A child that dies, hangs past the job's own time-outs or sends a broken frame is killed and
 * its job ends as NET_RETRY, so the worker backs off and tries again with a new child.
 * A child that cannot start at all (no exec allowed, the program gone, an emulator without
 * binfmt_misc) is not a reason to show no news: the fetches then run in this process, as
 * before, with a warning in the log.
 * BANGTIN_FETCH_EMULATOR="qemu-aarch64-static -L /sysroot" runs the child through that command:
 * the cross tests run the ARM binaries under qemu-user without binfmt_misc (scripts/cross). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2, posix_spawn_file_actions_addclosefrom_np */
#endif
#define LOG_MODULE "net"
#include "bangtin/log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/clock.h"
#include "bangtin/net.h"
#include "bangtin/util.h"
#include "net_internal.h"

extern char **environ;

#define PROC_TICK_MS      500  /* longest wait without asking hooks->keep_going */
#define PROC_MARGIN_S     30   /* on top of the job's own time-outs: start-up, a slow board */
#define PROC_EXIT_WAIT_MS 2000 /* for a child told to end (end of input) before SIGKILL */

struct net_proc {
    char *exe; /* NULL: this program (proc_exe) */
    pid_t pid; /* 0: none running */
    int to_child, from_child;
    int started;     /* children started so far, for the log */
    bool answered;   /* some child has answered a job: it can start */
    bool in_process; /* it cannot: fetch here (curl) */
    CURL *curl;
};

struct net_proc *net_proc_new(const char *exe)
{
    struct net_proc *p = xcalloc(1, sizeof *p);
    p->exe = xstrdup(exe);
    p->to_child = p->from_child = -1;
    return p;
}

bool net_proc_running(const struct net_proc *p)
{
    return p && p->pid > 0;
}

/* Waits up to wait_ms for the child to exit, then kills it; describes how it ended. Returns
 * its exit status, or -1 when it was killed or lost. */
static int proc_reap(struct net_proc *p, int64_t wait_ms, char *how, size_t howlen)
{
    int st = 0;
    pid_t got = 0;
    int64_t end = clock_mono_ms() + wait_ms;
    struct timespec nap = {0, 10 * 1000 * 1000};
    while ((got = waitpid(p->pid, &st, WNOHANG)) == 0 && clock_mono_ms() < end)
        nanosleep(&nap, NULL);
    if (got == 0) {
        kill(p->pid, SIGKILL);
        while ((got = waitpid(p->pid, &st, 0)) < 0 && errno == EINTR)
            ;
    }
    if (how) {
        if (got < 0)
            snprintf(how, howlen, "fetch process lost (%s)", strerror(errno));
        else if (WIFSIGNALED(st))
            snprintf(how, howlen, "fetch process ended by signal %d", WTERMSIG(st));
        else
            snprintf(how, howlen, "fetch process exited with status %d", WEXITSTATUS(st));
    }
    p->pid = 0;
    return got > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void proc_close_fds(struct net_proc *p)
{
    if (p->to_child >= 0)
        close(p->to_child);
    if (p->from_child >= 0)
        close(p->from_child);
    p->to_child = p->from_child = -1;
}

/* Ends the child at once (a hang, a broken frame, a stop). */
static void proc_kill(struct net_proc *p)
{
    if (p->pid > 0) {
        kill(p->pid, SIGKILL);
        proc_reap(p, 0, NULL, 0);
    }
    proc_close_fds(p);
}

void net_proc_idle(struct net_proc *p)
{
    if (!net_proc_running(p))
        return;
    char how[128];
    close(p->to_child); /* end of input: the child finishes and exits */
    p->to_child = -1;
    proc_reap(p, PROC_EXIT_WAIT_MS, how, sizeof how);
    proc_close_fds(p);
    LOG_DBG("fetch process ended: nothing due soon (%s)", how);
}

void net_proc_free(struct net_proc *p)
{
    if (!p)
        return;
    proc_kill(p);
    if (p->curl)
        curl_easy_cleanup(p->curl);
    free(p->exe);
    free(p);
}

/* This program: its path on disk, so qemu-user (the ARM test stages) runs it through
 * binfmt_misc as the kernel would; "/proc/self/exe" when that file was replaced or removed
 * since (an upgrade while the kiosk runs: the child must be the same version). */
static char *proc_exe(void)
{
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0 || (size_t)n >= sizeof path - 1)
        return xstrdup("/proc/self/exe");
    path[n] = '\0';
    /* the kernel marks a path whose file was removed or replaced (dpkg renames over it) */
    if (strstr(path, " (deleted)") || access(path, X_OK) != 0)
        return xstrdup("/proc/self/exe");
    return xstrdup(path);
}

static bool proc_start(struct net_proc *p, char *err, size_t errlen)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot start the fetch process: pipe: %s", strerror(errno));
        for (int i = 0; i < 2; i++)
            if (in[i] >= 0)
                close(in[i]);
        return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3); /* not the X socket, the cache, … */
    posix_spawnattr_init(&attr);
    sigset_t none, dflt;
    sigemptyset(&none);
    sigemptyset(&dflt);
    int dflt_sigs[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < ARRAY_LEN(dflt_sigs); i++)
        sigaddset(&dflt, dflt_sigs[i]);
    posix_spawnattr_setsigmask(&attr, &none); /* the worker thread's mask is not the child's */
    posix_spawnattr_setsigdefault(&attr, &dflt);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char ppid[24];
    snprintf(ppid, sizeof ppid, "%ld", (long)getpid());
    char *exe = p->exe ? xstrdup(p->exe) : proc_exe();
    /* argv: [emulator words…, exe,] --fetch-job, ppid; argv[0] is "bangtin" without one */
    char *argv[16] = {"bangtin"}, *emu = xstrdup(getenv("BANGTIN_FETCH_EMULATOR")), *save = NULL;
    size_t argc = 0;
    for (char *w = emu ? strtok_r(emu, " ", &save) : NULL; w && argc < 12;
         w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    bool emulated = argc > 0;
    if (emulated)
        argv[argc++] = exe;
    else
        argc = 1;
    argv[argc++] = "--fetch-job";
    argv[argc++] = ppid;
    argv[argc] = NULL;
    pid_t pid = 0;
    int rc = emulated ? posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ)
                      : posix_spawn(&pid, exe, &fa, &attr, argv, environ);
    free(emu);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(in[0]);
    close(out[1]);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the fetch process %s: %s", exe, strerror(rc));
        close(in[1]);
        close(out[0]);
        free(exe);
        return false;
    }
    free(exe);
    p->pid = pid;
    p->to_child = in[1];
    p->from_child = out[0];
    p->started++;
    LOG_DBG("fetch process %ld started (%d so far)", (long)pid, p->started);
    return true;
}

/* Writes the job; a child that died gives EPIPE here, and SIGPIPE is held off this thread
 * (the kiosk does not ignore it process-wide) and taken back if it came. */
static bool proc_write(int fd, const char *data, size_t n)
{
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    bool ok = util_write_all(fd, data, n);
    if (!ok && errno == EPIPE) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return ok;
}

enum proc_read_end { READ_OK, READ_EOF, READ_STOPPED, READ_TIMEOUT, READ_ERROR };

static enum proc_read_end proc_read(struct net_proc *p, char *data, size_t n, int64_t deadline,
                                    const struct net_hooks *hooks)
{
    size_t got = 0;
    while (got < n) {
        if (hooks && hooks->keep_going && !hooks->keep_going(hooks->ctx))
            return READ_STOPPED;
        int64_t left = deadline - clock_mono_ms();
        if (left <= 0)
            return READ_TIMEOUT;
        struct pollfd pfd = {.fd = p->from_child, .events = POLLIN};
        int pr = poll(&pfd, 1, (int)(left < PROC_TICK_MS ? left : PROC_TICK_MS));
        if (pr < 0 && errno != EINTR)
            return READ_ERROR;
        if (pr <= 0)
            continue;
        ssize_t r = read(p->from_child, data + got, n - got);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r < 0)
            return READ_ERROR;
        if (r == 0)
            return READ_EOF;
        got += (size_t)r;
    }
    return READ_OK;
}

static enum net_status proc_fail(struct net_response *out, const char *msg)
{
    memset(out, 0, sizeof *out);
    out->status = NET_RETRY;
    snprintf(out->error, sizeof out->error, "%s", msg);
    return NET_RETRY;
}

/* The child cannot start here: from now on this process fetches (once, with a warning). */
static enum net_status proc_in_process(struct net_proc *p, const struct net_wire_job *job,
                                       const struct net_hooks *hooks, struct net_response *out,
                                       char **sig, size_t *sig_len, const char *why)
{
    if (!p->in_process) {
        LOG_WARN("%s; fetching in the screen's own process instead", why);
        p->in_process = true;
    }
    if (!p->curl)
        p->curl = net_global_init() ? curl_easy_init() : NULL;
    if (!p->curl)
        return proc_fail(out, "curl_easy_init failed");
    return net_job_run(p->curl, job, hooks, out, sig, sig_len);
}

enum net_status net_proc_run(struct net_proc *p, const struct net_wire_job *job,
                             const struct net_hooks *hooks, struct net_response *out, char **sig,
                             size_t *sig_len)
{
    *sig = NULL;
    *sig_len = 0;
    char err[256];
    if (p->in_process)
        return proc_in_process(p, job, hooks, out, sig, sig_len, NULL);
    if (!net_proc_running(p) && !proc_start(p, err, sizeof err))
        return p->answered ? (LOG_WARN("%s", err), proc_fail(out, err))
                           : proc_in_process(p, job, hooks, out, sig, sig_len, err);
    size_t len;
    char *frame = net_wire_job_encode(job, &len);
    bool sent = proc_write(p->to_child, frame, len);
    free(frame);
    /* The job's own limits end it; the margin covers start-up and a busy board. */
    int64_t budget_s = job->lim.total_timeout_s > 0 ? job->lim.total_timeout_s : 600;
    if (job->fetch_signature)
        budget_s *= 2;
    int64_t deadline = clock_mono_ms() + (budget_s + PROC_MARGIN_S) * 1000;
    unsigned char h[NET_WIRE_HEADER];
    size_t cap =
               job->lim.max_bytes + NET_SIG_MAX + NET_WIRE_JOB_MAX + (size_t)NET_MAX_PAGES * 1024u,
           n = 0;
    enum proc_read_end end = sent ? proc_read(p, (char *)h, sizeof h, deadline, hooks) : READ_EOF;
    char *whole = NULL;
    if (end == READ_OK && !net_wire_header(h, NET_WIRE_RESULT_MAGIC, cap, &n))
        end = READ_ERROR;
    if (end == READ_OK) {
        whole = xmalloc(sizeof h + n + 1);
        memcpy(whole, h, sizeof h);
        end = proc_read(p, whole + sizeof h, n, deadline, hooks);
    }
    if (end == READ_OK && net_wire_result_decode(whole, sizeof h + n, out, sig, sig_len)) {
        free(whole);
        p->answered = true;
        return out->status;
    }
    free(whole);
    switch (end) {
    case READ_STOPPED: snprintf(err, sizeof err, "stopped"); break;
    case READ_TIMEOUT:
        snprintf(err, sizeof err, "fetch process did not answer within %lld s; killed",
                 (long long)(budget_s + PROC_MARGIN_S));
        break;
    case READ_EOF: {
        close(p->to_child);
        p->to_child = -1;
        int status = proc_reap(p, PROC_EXIT_WAIT_MS, err, sizeof err);
        if (!p->answered && status >= 0) {
            /* No child ever answered and this one exited (not a crash: that is a signal, and
             * the next poll retries): exec failed (status 127 when posix_spawn has to fork),
             * or the program refused to be the fetch process. */
            proc_close_fds(p);
            return proc_in_process(p, job, hooks, out, sig, sig_len, err);
        }
        break;
    }
    default: snprintf(err, sizeof err, "broken answer from the fetch process; killed"); break;
    }
    proc_kill(p);
    if (end != READ_STOPPED)
        LOG_WARN("%s: %s", job->req.url, err);
    return proc_fail(out, err);
}

enum net_status net_proc_fetch(struct net_proc *p, const struct net_limits *lim,
                               const struct net_request *req, struct net_response *out)
{
    struct net_wire_job j = {
        .lim = *lim, .req = *req, .clock_evidence = clock_evidence(), .log_level = log_get_level()};
    char *sig;
    size_t sig_len;
    enum net_status s = net_proc_run(p, &j, NULL, out, &sig, &sig_len);
    free(sig);
    return s;
}
