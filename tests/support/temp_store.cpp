// Test fixtures (see temp_store.hpp).
#include "support/temp_store.hpp"

#include "support/test_pg.hpp"

#include <algorithm>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace inloop::test {

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "inloop-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    m_path = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::permissions(m_path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(m_path, ec);
}

namespace {
// The PostgreSQL store of the newest TempStore, for inloopctl children (empty on the SQLite run).
std::string g_currentServer;
} // namespace

TempStore::TempStore() {
    if (!onPostgres()) {
        core::Store::init(data);
        location = core::StoreLocation{data};
        return;
    }
    static int counter = 0;
    const std::string conninfo = serverOrSkip();
    m_pgDatabase = "inloop_t" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    {
        Pg admin(conninfo);
        admin.exec("DROP DATABASE IF EXISTS " + m_pgDatabase);
        admin.exec("CREATE DATABASE " + m_pgDatabase + " TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'");
    }
    location = core::StoreLocation{data, conninfo + " dbname=" + m_pgDatabase};
    core::Store::init(location);
    g_currentServer = location.server;
}

TempStore::~TempStore() {
    if (m_pgDatabase.empty()) return;
    if (g_currentServer == location.server) g_currentServer.clear();
    try {
        Pg admin(serverOrSkip());
        admin.exec("DROP DATABASE IF EXISTS " + m_pgDatabase + " WITH (FORCE)");
    } catch (const std::exception&) {
        // the throwaway server went away; it takes the database with it
    }
}

void writeFile(const fs::path& file, std::string_view bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.good()) throw std::runtime_error("cannot write " + file.string());
}

void makeFlat(const fs::path& data) {
    const core::StorePaths paths{data};
    const std::pair<fs::path, mode_t> files[] = {{paths.publicDb(), 0640}, {paths.deskDb(), 0600}, {paths.codeKey(), 0600}};
    const fs::path folders[] = {paths.publicDir(), paths.deskDir()};
    for (const auto& [file, mode] : files) {
        fs::rename(file, data / file.filename());
        ::chmod((data / file.filename()).c_str(), mode);
    }
    for (const fs::path& folder : folders) fs::remove(folder); // throws if a WAL was left: then it was not flat
    ::chmod(data.c_str(), 0750);
}

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

RunResult runCtl(const std::vector<std::string>& args, const std::vector<std::string>& env, const std::string& input) {
    TempDir io;
    const fs::path outFile = io.path() / "out", errFile = io.path() / "err", inFile = io.path() / "in";
    writeFile(inFile, input);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, inFile.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);

    std::vector<std::string> argStore{INLOOPCTL_PATH};
    argStore.insert(argStore.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argStore) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::vector<std::string> envStore;
    for (char** e = environ; *e; ++e)
        if (std::string_view(*e).rfind("INLOOP_DATA_DIR=", 0) != 0 && std::string_view(*e).rfind("INLOOP_STORE=", 0) != 0)
            envStore.emplace_back(*e);
    // Site facts as a ready site has them, unless the test brings its own (the shipped site.ini has placeholders,
    // and `check` exits 3 on those).
    const auto given = [&env](std::string_view key) {
        return std::any_of(env.begin(), env.end(), [key](const std::string& e) { return e.rfind(key, 0) == 0; });
    };
    if (!given("INLOOP_SITE="))
        envStore.push_back(std::string("INLOOP_SITE=") + INLOOP_TEST_SITE_READY);
    // On the PostgreSQL run, --data-dir names the folder with the key and INLOOP_STORE the database.
    if (!g_currentServer.empty() && !given("INLOOP_STORE=")) envStore.push_back("INLOOP_STORE=" + g_currentServer);
    envStore.insert(envStore.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& e : envStore) envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start inloopctl");
    int status = 0;
    ::waitpid(pid, &status, 0);
    RunResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = readBytes(outFile);
    r.err = readBytes(errFile);
    return r;
}

} // namespace inloop::test
