// The doctest runner shared by every test executable. Built twice (tests/CMakeLists.txt): the SQLite run, and for
// the domain suites a PostgreSQL run (INLOOP_TEST_ON_POSTGRES=1) in which TempStore is a fresh database on the
// throwaway server. Test suites "sqlite" (a data folder's files: WAL, modes, backups) and "postgres" (a server's
// own behaviour) run only in their engine's run.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#ifndef INLOOP_TEST_ON_POSTGRES
#define INLOOP_TEST_ON_POSTGRES 0
#endif

namespace inloop::test {
bool onPostgres() { return INLOOP_TEST_ON_POSTGRES; }
} // namespace inloop::test

int main(int argc, char** argv) {
    doctest::Context context;
    context.addFilter("test-suite-exclude", INLOOP_TEST_ON_POSTGRES ? "sqlite" : "postgres");
    context.applyCommandLine(argc, argv);
    return context.run();
}
