// A private temporary folder (mkdtemp: mode 0700, under $TMPDIR or /tmp), removed with everything in it when the
// object goes: the scratch of a PostgreSQL backup, the bench's data.
#pragma once

#include "core/base/error.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace inloop::core {

class TempDir {
public:
    // `prefix`: the folder's name before its random part ("inloop-pg"). Error(Storage, "temp.unwritable") if it
    // cannot be made.
    explicit TempDir(std::string_view prefix) {
        std::string tmpl = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
        if (!::mkdtemp(tmpl.data()))
            throw Error(ErrorKind::Storage, "temp.unwritable", "Cannot make a private temporary folder in " +
                                                                   std::filesystem::temp_directory_path().string() + ".");
        m_path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

} // namespace inloop::core
