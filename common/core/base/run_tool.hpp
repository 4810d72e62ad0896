// Runs another program (pg_dump, pg_restore, openssl) and waits for it: no shell, stdin from /dev/null, its own
// environment; a failure becomes an Error with the program's last words.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace inloop::core {

// Runs `tool` (a full path) with `args` and exactly `env`, stdout into `out` (or /dev/null; made 0600), stderr into
// `scratch`/tool.err. Throws Error(Storage, key) "<what>: <its last line on stderr>" unless it exits 0.
void runTool(const std::string& tool, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env, const std::filesystem::path& scratch,
             const std::filesystem::path& out, const std::string& key, const std::string& what);

// This process's environment as a map, to change a few variables for a child.
std::map<std::string, std::string> currentEnvironment();

} // namespace inloop::core
