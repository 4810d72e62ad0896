// Small file systems for fault tests: a size-limited tmpfs (or a loop file), a read-only bind mount, filling a disk.
#pragma once

#include "support/temp_store.hpp"

#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace inloop::test {

// A tmpfs of `bytes` mounted on a new folder; unmounted when the object goes. ok() is false where mounting is not
// allowed (not root, no CAP_SYS_ADMIN): then a size-limited loop file is tried (mkfs.ext2 + mount -o loop).
class SmallDisk {
public:
    explicit SmallDisk(size_t bytes) : m_point(m_dir.path() / "disk") {
        fs::create_directory(m_point);
        const std::string opts = "size=" + std::to_string(bytes) + ",mode=0755";
        if (::mount("tmpfs", m_point.c_str(), "tmpfs", 0, opts.c_str()) == 0) {
            m_mounted = true;
            return;
        }
        const fs::path image = m_dir.path() / "disk.img";
        const std::string cmd = "truncate -s " + std::to_string(bytes) + " '" + image.string() +
                                "' && mkfs.ext2 -q -m 0 '" + image.string() + "' && mount -o loop '" + image.string() +
                                "' '" + m_point.string() + "' 2>/dev/null";
        m_mounted = std::system(cmd.c_str()) == 0;
    }
    ~SmallDisk() {
        if (m_mounted) ::umount2(m_point.c_str(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    bool ok() const { return m_mounted; }
    const fs::path& path() const { return m_point; }

    size_t freeBytes() const {
        struct statvfs v {};
        return ::statvfs(m_point.c_str(), &v) == 0 ? static_cast<size_t>(v.f_bavail) * v.f_frsize : 0;
    }
    // Fills the disk with a file until at most `leave` bytes are free (0: full).
    void fill(const fs::path& filler, size_t leave) const {
        const int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd < 0) return;
        std::string block(4096, 'f');
        while (freeBytes() > leave) {
            const size_t n = std::min(block.size(), freeBytes() - leave);
            if (::write(fd, block.data(), n) <= 0) break;
        }
        ::close(fd);
    }

private:
    TempDir m_dir;
    fs::path m_point;
    bool m_mounted = false;
};

// A read-only view of a folder (a bind mount, remounted read-only: read-only even for root).
class ReadOnlyView {
public:
    ReadOnlyView(const fs::path& source, const fs::path& point) : m_point(point) {
        fs::create_directories(point);
        if (::mount(source.c_str(), point.c_str(), nullptr, MS_BIND, nullptr) != 0) return;
        m_mounted = true;
        m_readOnly = ::mount(nullptr, point.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) == 0;
    }
    ~ReadOnlyView() {
        if (m_mounted) ::umount2(m_point.c_str(), MNT_DETACH);
    }
    ReadOnlyView(const ReadOnlyView&) = delete;
    ReadOnlyView& operator=(const ReadOnlyView&) = delete;
    bool ok() const { return m_mounted && m_readOnly; }

private:
    fs::path m_point;
    bool m_mounted = false, m_readOnly = false;
};

} // namespace inloop::test
