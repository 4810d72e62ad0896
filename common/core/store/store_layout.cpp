// Where a data folder keeps its files, who may use them, and the sentences when someone may not (see store.hpp).
//
// [SECTION] paths
// [SECTION] access sentences
// [SECTION] folders and modes
// [SECTION] check
#include "core/store/store.hpp"

#include "core/base/error.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace inloop::core {

namespace {

constexpr const char* kPublicFolder = "public";
constexpr const char* kDeskFolder = "desk";
constexpr mode_t kFolderMode = 02770; // setgid: files made inside (SQLite's -wal, -shm) get the folder's group
constexpr mode_t kDbMode = 0660;      // group-writable: the kiosk and staff both write public.db; staff desk.db
constexpr mode_t kKeyMode = 0640;     // staff read it; only its owner replaces it (init, restore), never in place
constexpr mode_t kFlatModes[] = {0640, 0600, 0600}; // public.db, desk.db, the key in a flat store

// The split place if the file is there (or cannot be looked at: then the folder guards it), else the flat place if
// the file is there, else the split place (where a new file goes).
fs::path locate(const fs::path& dir, const char* folder, const char* name) {
    const fs::path split = dir / folder / name, flat = dir / name;
    std::error_code ec;
    if (fs::exists(split, ec) || ec) return split;
    if (fs::exists(flat, ec)) return flat;
    return split;
}

std::string octal(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

std::string userName(uid_t uid) {
    if (const passwd* pw = ::getpwuid(uid)) return pw->pw_name;
    return "uid " + std::to_string(uid);
}

std::string groupName(gid_t gid) {
    if (const group* gr = ::getgrgid(gid)) return gr->gr_name;
    return "gid " + std::to_string(gid);
}

bool processHasGroup(gid_t gid) {
    if (::getegid() == gid) return true;
    gid_t groups[256];
    const int n = ::getgroups(256, groups);
    for (int i = 0; i < n; ++i)
        if (groups[i] == gid) return true;
    return false;
}

// The account's groups as /etc/group says now (a session keeps the groups it started with).
bool accountHasGroup(uid_t uid, gid_t gid) {
    const passwd* pw = ::getpwuid(uid);
    if (!pw) return false;
    const std::string name = pw->pw_name;
    gid_t groups[256];
    int n = 256;
    if (::getgrouplist(name.c_str(), pw->pw_gid, groups, &n) < 0) return false;
    for (int i = 0; i < n; ++i)
        if (groups[i] == gid) return true;
    return false;
}

std::string program() { return program_invocation_short_name; }

} // namespace

// [SECTION] paths
fs::path StorePaths::publicDb() const { return locate(dir, kPublicFolder, "public.db"); }
fs::path StorePaths::deskDb() const { return locate(dir, kDeskFolder, "desk.db"); }
fs::path StorePaths::codeKey() const { return locate(dir, kDeskFolder, "client-code.key"); }

bool StorePaths::hasFlatFiles() const {
    return publicDb().parent_path() == dir || deskDb().parent_path() == dir || codeKey().parent_path() == dir;
}

bool StorePaths::isFlat() const {
    return publicDb().parent_path() == dir && deskDb().parent_path() == dir && codeKey().parent_path() == dir;
}

// [SECTION] access sentences
std::optional<std::string> accessProblem(const fs::path& path, int how, bool kiosk) {
    if (::faccessat(AT_FDCWD, path.c_str(), how, AT_EACCESS) == 0 || errno != EACCES) return std::nullopt;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        // The folder above is what keeps us out.
        if (errno == EACCES && path.has_parent_path() && path.parent_path() != path)
            return accessProblem(path.parent_path(), X_OK, kiosk);
        return std::nullopt;
    }
    const uid_t uid = ::geteuid();
    const std::string user = userName(uid), grp = groupName(st.st_gid);
    const std::string who = kiosk ? "The kiosk" : program();
    const bool folder = S_ISDIR(st.st_mode);
    // What the group would need: rw for a file, wx for a folder (to enter it and make the WAL beside the file).
    const mode_t need = ((how & R_OK) ? 040 : 0) | ((how & W_OK) ? 020 : 0) | ((how & X_OK) ? 010 : 0);
    if ((st.st_mode & need) != need)
        return who + " cannot open " + path.string() + ": its mode is " + octal(st.st_mode) + ", so even its group " +
               grp + " may not " + (folder ? "use it" : "read and write it") + "; run `inloopctl init` as root to set " +
               "the modes.";
    if (!processHasGroup(st.st_gid) && accountHasGroup(uid, st.st_gid))
        return who + " cannot open " + path.string() + ": this account (" + user + ") joined the group " + grp +
               " after this session began; log out and in again" + (kiosk ? " (or restart the kiosk)." : ".");
    if (user == kKioskAccount && grp == kStaffGroup)
        return who + " cannot open " + path.string() + ": this is the kiosk account (" + user +
               "), which must never be in the group " + grp + ".";
    if (kiosk)
        return "The kiosk cannot open " + path.string() + ": this account (" + user + ") is not in the group " + grp +
               ".";
    return who + " needs the group " + grp + " to open " + path.string() + " (you are " + user +
           "; ask a coordinator to run `adduser " + user + " " + grp + "`).";
}

// [SECTION] folders and modes
void makeLayoutFolders(const fs::path& dir) {
    for (const auto& [folder, groupName] : {std::pair{kPublicFolder, kPublicGroup}, std::pair{kDeskFolder, kStaffGroup}}) {
        const fs::path sub = dir / folder;
        if (::mkdir(sub.c_str(), kFolderMode) != 0) {
            if (errno == EEXIST && fs::is_directory(sub)) continue; // made by the package (tmpfiles) or before
            if (auto why = accessProblem(dir, W_OK | X_OK)) throw Error(ErrorKind::Storage, "store.no_access", *why);
            throw Error(ErrorKind::Storage, "store.unwritable",
                        "Cannot create " + sub.string() + ": " + std::strerror(errno) + ".");
        }
        ::chmod(sub.c_str(), kFolderMode); // the umask must not narrow it
        // On an installed appliance the folders belong to its groups; a checkout keeps the creator's group.
        const group* gr = ::getgrnam(groupName);
        if (gr && ::chown(sub.c_str(), static_cast<uid_t>(-1), gr->gr_gid) != 0) {
            // not ours to give (init as a member of neither group): `check` and the access sentences say so
        }
    }
}

void applyLayoutModes(const StorePaths& paths) {
    const fs::path files[] = {paths.publicDb(), paths.deskDb(), paths.codeKey()};
    for (int i = 0; i < 3; ++i) {
        const fs::path& file = files[i];
        const fs::path folder = file.parent_path();
        const bool flat = folder == paths.dir;
        const mode_t mode = flat ? kFlatModes[i] : (i == 2 ? kKeyMode : kDbMode);
        struct stat st {}, folderSt {};
        if (::stat(file.c_str(), &st) != 0 || ::stat(folder.c_str(), &folderSt) != 0) continue;
        const auto refuse = [&](const std::string& what) {
            throw Error(ErrorKind::Storage, "store.modes",
                        "Cannot " + what + " " + file.string() + " (" + std::strerror(errno) +
                            "); run `inloopctl init` as root or as the file's owner.");
        };
        if (!flat && st.st_gid != folderSt.st_gid && ::chown(file.c_str(), static_cast<uid_t>(-1), folderSt.st_gid) != 0)
            refuse("give the group " + groupName(folderSt.st_gid) + " to");
        if ((st.st_mode & 07777) != mode && ::chmod(file.c_str(), mode) != 0) refuse("set the mode " + octal(mode) + " of");
    }
}

// [SECTION] check
void checkLayoutModes(const StorePaths& paths, std::vector<std::string>& problems, std::vector<std::string>& facts) {
    const auto statOf = [](const fs::path& p, struct stat& st) { return ::stat(p.c_str(), &st) == 0; };
    struct stat st {};
    if (paths.isFlat()) {
        // desk.db and the key are for staff only: with the key, short visitor codes could be guessed from the hashes.
        for (const fs::path& f : {paths.deskDb(), paths.codeKey()})
            if (statOf(f, st) && (st.st_mode & 0027))
                problems.push_back(f.filename().string() + " can be read or changed by other users (mode " +
                                   octal(st.st_mode).substr(1) + "); run: chmod 600 " + f.string());
        facts.push_back("one folder for both files (a kiosk under its own account needs `inloopctl init` to split it)");
        return;
    }
    if (paths.hasFlatFiles()) {
        problems.push_back("The move into " + (paths.dir / kPublicFolder).string() + " and " +
                           (paths.dir / kDeskFolder).string() + " was cut short; run `inloopctl init` to finish it.");
        return;
    }
    const fs::path pubDir = paths.publicDir(), deskDir = paths.deskDir();
    struct stat pub {}, desk {};
    const bool havePub = statOf(pubDir, pub), haveDesk = statOf(deskDir, desk);
    // Staff only: nothing of the desk half for other accounts, and not the folder for the kiosk's group.
    if (haveDesk && (desk.st_mode & 0007))
        problems.push_back(deskDir.string() + " can be entered by every account (mode " + octal(desk.st_mode) +
                           "); run: chmod 2770 " + deskDir.string());
    // A folder still in its owner's own group is a one-account setup (a checkout); a shared group is the kiosk's.
    const passwd* owner = havePub ? ::getpwuid(pub.st_uid) : nullptr;
    const bool sharedPublic = havePub && !(owner && owner->pw_gid == pub.st_gid);
    if (haveDesk && havePub && sharedPublic && desk.st_gid == pub.st_gid && (desk.st_mode & 0010))
        problems.push_back(deskDir.string() + " belongs to the group " + groupName(pub.st_gid) +
                           " of the public folder, so the kiosk account can enter it; run: chgrp " + kStaffGroup + " " +
                           deskDir.string());
    for (const fs::path& f : {paths.deskDb(), fs::path(paths.deskDb().string() + "-wal"),
                              fs::path(paths.deskDb().string() + "-shm"), paths.codeKey()})
        if (statOf(f, st) && (st.st_mode & 0007))
            problems.push_back(f.filename().string() + " can be read or changed by every account (mode " +
                               octal(st.st_mode).substr(1) + "); run: chmod o= " + f.string());
    if (havePub && (pub.st_mode & 0002))
        problems.push_back(pubDir.string() + " can be changed by every account (mode " + octal(pub.st_mode) +
                           "); run: chmod 2770 " + pubDir.string());
    for (const fs::path& f : {paths.publicDb(), fs::path(paths.publicDb().string() + "-wal"),
                              fs::path(paths.publicDb().string() + "-shm")})
        if (statOf(f, st) && (st.st_mode & 0002))
            problems.push_back(f.filename().string() + " can be changed by every account (mode " +
                               octal(st.st_mode).substr(1) + "); run: chmod o-w " + f.string());
    if (havePub && haveDesk)
        facts.push_back("folders: public/ for the group " + groupName(pub.st_gid) + ", desk/ for the group " +
                        groupName(desk.st_gid) + (sharedPublic ? "" : " (one account: both in its own group)"));
}

} // namespace inloop::core
