/* test_watchdog: plays systemd. A unix datagram socket in a temp folder is NOTIFY_SOCKET, and
 * WATCHDOG_USEC sets the interval; the test drives watchdog_tick() with made-up monotonic times
 * (no sleeping) and checks which WATCHDOG=1 datagrams arrive. */
#include "check.h"

#include "bangtin/watchdog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int sock = -1;
static char dir[64];
static char path[96];

static bool notify_socket_open(void)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};

    snprintf(dir, sizeof dir, "/tmp/bangtin-wd-XXXXXX");
    if (!mkdtemp(dir))
        return false;
    snprintf(path, sizeof path, "%s/notify", dir);
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof addr) != 0)
        return false;
    return setenv("NOTIFY_SOCKET", path, 1) == 0;
}

static void notify_socket_close(void)
{
    if (sock >= 0)
        close(sock);
    unlink(path);
    rmdir(dir);
}

/* The next datagram, or "" when none is queued (sd_notify sends synchronously, so whatever
 * was sent is already queued: no waiting needed). */
static const char *recv_msg(void)
{
    static char msg[512];
    ssize_t n = recv(sock, msg, sizeof msg - 1, MSG_DONTWAIT);

    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            perror("recv");
        n = 0;
    }
    msg[n] = '\0';
    return msg;
}

static void test_pings_need_both_heartbeats(void)
{
    /* interval 2000 ms: stale after 1000 ms, pings at most every 1000 ms */
    setenv("WATCHDOG_USEC", "2000000", 1);
    watchdog_init(0);
    CHECK_INTEQ(watchdog_interval_ms(), 2000);

    CHECK(watchdog_tick(10000, 10000, 9500));
    CHECK_STREQ(recv_msg(), "WATCHDOG=1");

    /* both fresh but too soon after the last ping */
    CHECK(!watchdog_tick(10500, 10500, 10400));
    CHECK_STREQ(recv_msg(), "");
    CHECK_INTEQ(watchdog_next_due_ms(10500), 11000);

    /* the worker hangs: its heartbeat is 1100 ms old */
    CHECK(!watchdog_tick(11000, 11000, 9900));
    CHECK_STREQ(recv_msg(), "");
    /* exactly at the limit is stale too */
    CHECK(!watchdog_tick(11100, 11100, 10100));
    CHECK_STREQ(recv_msg(), "");

    /* the render loop hangs, the worker is fine */
    CHECK(!watchdog_tick(11200, 8000, 11200));
    CHECK_STREQ(recv_msg(), "");
    /* stalled: the loop is asked to look again soon, not to spin */
    CHECK(watchdog_next_due_ms(11200) > 11200);

    /* both recover */
    CHECK(watchdog_tick(12000, 12000, 11999));
    CHECK_STREQ(recv_msg(), "WATCHDOG=1");
    /* a heartbeat taken just after now (another thread) is fresh */
    CHECK(watchdog_tick(13000, 13000, 13005));
    CHECK_STREQ(recv_msg(), "WATCHDOG=1");
}

static void test_stale_limit_passed_in(void)
{
    setenv("WATCHDOG_USEC", "2000000", 1);
    watchdog_init(300);
    CHECK(!watchdog_tick(5000, 5000, 4500)); /* 500 ms old: stale under a 300 ms limit */
    CHECK_STREQ(recv_msg(), "");
    CHECK(watchdog_tick(5100, 5100, 4900));
    CHECK_STREQ(recv_msg(), "WATCHDOG=1");
}

static void test_no_watchdog_configured(void)
{
    unsetenv("WATCHDOG_USEC");
    watchdog_init(0);
    CHECK_INTEQ(watchdog_interval_ms(), 0);
    CHECK(!watchdog_tick(1000, 1000, 1000));
    CHECK_STREQ(recv_msg(), "");
    CHECK(watchdog_next_due_ms(1000) == INT64_MAX);

    /* WATCHDOG_PID naming another process: the watchdog is not ours */
    setenv("WATCHDOG_USEC", "2000000", 1);
    setenv("WATCHDOG_PID", "1", 1);
    watchdog_init(0);
    CHECK_INTEQ(watchdog_interval_ms(), 0);
    CHECK(!watchdog_tick(1000, 1000, 1000));
    CHECK_STREQ(recv_msg(), "");
    unsetenv("WATCHDOG_PID");
}

static void test_state_messages(void)
{
    const char *m;

    watchdog_ready();
    CHECK_STREQ(recv_msg(), "READY=1");
    watchdog_status("%d tin, cập nhật %s\nsecond line", 12, "08:15");
    CHECK_STREQ(recv_msg(), "STATUS=12 tin, cập nhật 08:15 second line");
    watchdog_reloading();
    m = recv_msg();
    CHECK_MSG(strncmp(m, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0 && m[27] >= '0' && m[27] <= '9',
              "got \"%s\"", m);
    watchdog_ready();
    CHECK_STREQ(recv_msg(), "READY=1");
    watchdog_stopping();
    CHECK_STREQ(recv_msg(), "STOPPING=1");
}

static void test_not_under_systemd(void)
{
    /* No NOTIFY_SOCKET: nothing is sent and nothing breaks. */
    unsetenv("NOTIFY_SOCKET");
    setenv("WATCHDOG_USEC", "2000000", 1);
    watchdog_init(0);
    watchdog_ready();
    watchdog_status("x");
    CHECK(watchdog_tick(20000, 20000, 20000)); /* the decision is still made */
    watchdog_stopping();
    CHECK_STREQ(recv_msg(), "");
}

int main(void)
{
#ifndef HAVE_SYSTEMD
    printf("SKIP: built without libsystemd, the watchdog is a no-op\n");
    return 0;
#endif
    if (!notify_socket_open()) {
        perror("notify socket");
        return 1;
    }
    test_pings_need_both_heartbeats();
    test_stale_limit_passed_in();
    test_no_watchdog_configured();
    test_state_messages();
    test_not_under_systemd();
    notify_socket_close();
    return CHECK_DONE();
}
