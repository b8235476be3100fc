/* dynlib: a library loaded at its first use (issue 11). Loads a real library (libm, which this
 * test links, and libz, which it does not) and checks the failures a broken installation gives:
 * a missing library or function ends the process with status 1 and a message naming it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bangtin/dynlib.h"
#include "check.h"

static void *p_cos, *p_zlib_version, *p_absent;

static const struct dynlib_fn m_fns[] = {{"cos", &p_cos}};
static struct dynlib m_lib = DYNLIB_INIT("libm.so.6", "maths", m_fns);

static const struct dynlib_fn z_fns[] = {{"zlibVersion", &p_zlib_version}};
static struct dynlib z_lib = DYNLIB_INIT("libz.so.1", "zlib", z_fns);

static struct dynlib missing_lib = DYNLIB_INIT("libbangtin-absent.so.9", "a test", m_fns);

static const struct dynlib_fn absent_fns[] = {{"bangtin_no_such_function", &p_absent}};
static struct dynlib missing_fn = DYNLIB_INIT("libm.so.6", "a test", absent_fns);

/* Run dynlib_need(l) in a child; its exit status and what it wrote to stderr. */
static int need_in_child(struct dynlib *l, char *err, size_t err_len)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);
        dynlib_need(l);
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < err_len && (r = read(fd[0], err + n, err_len - 1 - n)) > 0)
        n += (size_t)r;
    err[n] = '\0';
    close(fd[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
    CHECK(!dynlib_loaded(&m_lib));
    dynlib_need(&m_lib);
    CHECK(dynlib_loaded(&m_lib));
    CHECK(p_cos != NULL);
    volatile double zero = 0.0;
    CHECK(((double (*)(double))p_cos)(zero) == 1.0);
    dynlib_need(&m_lib); /* once only: the same address */
    CHECK(p_cos == (void *)&cos);

    /* Not linked by this test: loaded here for the first time. */
    CHECK(!dynlib_loaded(&z_lib));
    dynlib_need(&z_lib);
    CHECK(dynlib_loaded(&z_lib));
    const char *zv = ((const char *(*)(void))p_zlib_version)();
    CHECK(zv && zv[0] >= '1' && zv[0] <= '9');

    char err[1024];
    CHECK(need_in_child(&missing_lib, err, sizeof err) == 1);
    CHECK_MSG(strstr(err, "libbangtin-absent.so.9") && strstr(err, "a test"), "%s", err);
    CHECK(need_in_child(&missing_fn, err, sizeof err) == 1);
    CHECK_MSG(strstr(err, "bangtin_no_such_function"), "%s", err);
    return CHECK_DONE();
}
