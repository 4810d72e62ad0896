// Typed domain errors: what the apps show to people and the CLI prints before exiting non-zero.
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>

namespace inloop::core {

enum class ErrorKind {
    InvalidInput,      // a value is missing, out of range or of the wrong kind; nothing was written
    NotFound,          // the record does not exist (any more)
    Full,              // a session or a bed has no room left
    Conflict,          // the state changed under us (already checked out, bed taken, …)
    NeedsConfirmation, // allowed only with an explicit confirmation and a reason
    Storage,           // the files cannot be used (missing, damaged, too new, no permission)
};

class Error : public std::runtime_error {
public:
    // key: a stable, translatable identifier such as "contact.channel" or "registration.full".
    Error(ErrorKind kind, std::string key, const std::string& message)
        : std::runtime_error(message), m_kind(kind), m_key(std::move(key)) {}
    ErrorKind kind() const noexcept { return m_kind; }
    const std::string& key() const noexcept { return m_key; }

private:
    ErrorKind m_kind;
    std::string m_key;
};

// One line on stderr (the journal under systemd) for an error an app shows, so `journalctl -u …` explains
// "Something went wrong". Storage problems and unexpected exceptions print their sentence (file names and
// SQLite's words); other kinds print only kind and key: their sentences may quote what someone typed. The same
// line again within a minute is left out: a kiosk retrying a missing store twice a second must not flood the journal.
inline void logError(const char* app, const std::exception& e) {
    char line[1024];
    if (const auto* err = dynamic_cast<const Error*>(&e)) {
        if (err->kind() == ErrorKind::Storage)
            std::snprintf(line, sizeof line, "%s: storage problem (%s): %s", app, err->key().c_str(), err->what());
        else
            std::snprintf(line, sizeof line, "%s: refused (%s)", app, err->key().c_str());
    } else {
        std::snprintf(line, sizeof line, "%s: error: %s", app, e.what());
    }
    static std::mutex mutex;
    static std::string last;
    static std::chrono::steady_clock::time_point lastAt;
    const std::lock_guard lock(mutex);
    const auto now = std::chrono::steady_clock::now();
    if (line == last && now - lastAt < std::chrono::minutes(1)) return;
    last = line;
    lastAt = now;
    std::fprintf(stderr, "%s\n", line);
}

} // namespace inloop::core
