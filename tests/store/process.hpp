// Running test code in a forked child process: no doctest macros there, any exception means exit code 1.
#pragma once

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <utility>

namespace inloop::test {

// Forks; the child runs `body` and leaves with _exit(0), or _exit(1) after printing any exception.
// The caller must hold no open SQLite connection while forking.
template <typename F> pid_t forkChild(F&& body) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid != 0) return pid; // parent (or -1)
    try {
        std::forward<F>(body)();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "child %d: %s\n", static_cast<int>(::getpid()), e.what());
        ::_exit(1);
    } catch (...) {
        ::_exit(1);
    }
    ::_exit(0);
}

// The child's exit code, or 128 + signal number when it was killed.
inline int waitExit(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace inloop::test
