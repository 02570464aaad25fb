/* standalone_driver.c: a main() for the fuzz targets without libFuzzer.
 *
 * Linked in place of libFuzzer (a compiler without -fsanitize=fuzzer, such
 * as GCC), it runs every file named on the command line, and every file
 * under every directory named (recursively, in sorted order), through
 * LLVMFuzzerTestOneInput once. Each input is read into a buffer of exactly
 * its size, not NUL-terminated, as libFuzzer passes it; build with
 * -fsanitize=address to have reads past the end caught.
 *
 *   fuzz_tsan_log CORPUS_DIR... | FILE...
 *
 * Of libFuzzer's flags it understands -timeout=N (seconds one input may
 * take; 0, the default, for no limit) and ignores the others, so that a
 * libFuzzer command line replays unchanged. Each input's name is printed
 * before it runs. Built with AddressSanitizer, the driver checks for leaks
 * after each input and stops at the first that leaked.
 *
 * Exit status: 0 when every input ran; 1 when a path could not be read, an
 * input leaked or there was no input at all; 70 when an input ran out of
 * time; a crashing input aborts the driver. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Built with AddressSanitizer (-fsanitize=address, GCC or clang): check for
 * leaks after each input, so that a leak names its input as libFuzzer's
 * would, instead of one report for the whole run at exit. */
#if defined(__SANITIZE_ADDRESS__)
#define RL_FUZZ_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RL_FUZZ_LSAN 1
#endif
#endif
#ifdef RL_FUZZ_LSAN
#include <sanitizer/lsan_interface.h>
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as in libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static size_t ran;
static int failed;
static unsigned timeout_seconds;

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "standalone: timeout: the input above ran too long\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
        /* nothing better to do */
    }
    _exit(70);
}

static int run_file(const char *path, off_t expected)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "standalone: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t size = expected > 0 ? (size_t)expected : 0;
    /* malloc(0) may give NULL; the target then sees a valid empty input. */
    uint8_t *buf = size ? malloc(size) : NULL;
    if (size && !buf) {
        fclose(f);
        fprintf(stderr, "standalone: out of memory for %s (%zu bytes)\n", path, size);
        return -1;
    }
    size_t got = size ? fread(buf, 1, size, f) : 0;
    int error = ferror(f);
    fclose(f);
    if (error || got != size) {
        free(buf);
        fprintf(stderr, "standalone: cannot read %s\n", path);
        return -1;
    }
    /* Printed first, so that the input is known when the target crashes. */
    fprintf(stderr, "Running: %s (%zu bytes)\n", path, size);
    static const uint8_t empty[1];
    alarm(timeout_seconds);
    LLVMFuzzerTestOneInput(buf ? buf : empty, size);
    alarm(0);
    free(buf);
    ran++;
#ifdef RL_FUZZ_LSAN
    if (__lsan_do_recoverable_leak_check()) {
        /* Stop, as libFuzzer does: what leaked stays leaked, and every
         * later check would report it again. */
        fprintf(stderr, "standalone: %s leaked (the report is above)\n", path);
        _exit(1);
    }
#endif
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path);

static int run_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "standalone: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown)
                abort();
            names = grown;
        }
        size_t len = strlen(path) + 1 + strlen(e->d_name) + 1;
        names[n] = malloc(len);
        if (!names[n])
            abort();
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, compare_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (run_path(names[i]) < 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "standalone: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return run_dir(path);
    if (S_ISREG(st.st_mode))
        return run_file(path, st.st_size);
    return 0; /* sockets, fifos and the like are no inputs */
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "-timeout=", 9) == 0)
            timeout_seconds = (unsigned)strtoul(argv[i] + 9, NULL, 10);
    if (timeout_seconds)
        signal(SIGALRM, on_alarm);
    int paths = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue; /* a libFuzzer flag */
        paths++;
        if (run_path(argv[i]) < 0)
            failed = 1;
    }
    if (paths == 0) {
        fprintf(stderr, "usage: %s CORPUS_DIR|FILE...\n", argv[0]);
        return 1;
    }
    if (ran == 0) {
        fprintf(stderr, "standalone: no input found\n");
        return 1;
    }
    fprintf(stderr, "standalone: %zu inputs ran%s\n", ran, failed ? ", some paths unreadable" : "");
    return failed;
}
