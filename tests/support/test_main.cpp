// The doctest runner shared by every test executable. Built twice (tests/CMakeLists.txt): the SQLite run, and for
// the domain suites a PostgreSQL run (INLOOP_TEST_ON_POSTGRES=1) in which TempStore is a fresh database on the
// throwaway server. Test suites "sqlite" (a data folder's files: WAL, modes, backups) and "postgres" (a server's
// own behaviour) run only in their engine's run.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#ifndef INLOOP_TEST_ON_POSTGRES
#define INLOOP_TEST_ON_POSTGRES 0
#endif

#include <cstdio>
#include <cstring>

namespace inloop::test {
bool onPostgres() { return INLOOP_TEST_ON_POSTGRES; }
} // namespace inloop::test

namespace {

// How many test cases the filters let through: CTest runs each case by name (--test-case=NAME), and a name that
// matches nothing — doctest's CMake module cuts names at ';' — must fail, not pass having tested nothing.
struct CountRun : doctest::IReporter {
    static inline unsigned ran = 0;
    explicit CountRun(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats& stats) override { ran = stats.numTestCasesPassingFilters; }
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};
REGISTER_LISTENER("count-run", 1, CountRun);

} // namespace

int main(int argc, char** argv) {
    doctest::Context context;
    context.addFilter("test-suite-exclude", INLOOP_TEST_ON_POSTGRES ? "sqlite" : "postgres");
    context.applyCommandLine(argc, argv);
    const int rc = context.run();
    if (context.shouldExit()) return rc; // --list-test-cases, --help, …
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--test-case=", 12) == 0 && CountRun::ran == 0) {
            std::fprintf(stderr, "No test case is named %s (a ';' in a name cuts it in two for CTest).\n", argv[i] + 12);
            return 1;
        }
    }
    return rc;
}
