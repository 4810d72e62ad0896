// Where Inloop's own files are: a development checkout, or an installed package (/usr/bin, /usr/share/inloop,
// /etc/inloop, /var/lib/inloop) — also unpacked under another root (`dpkg -x inloop.deb X`). One place decides.
#pragma once

#include <filesystem>
#include <string_view>

namespace inloop::core {

struct InstallPaths {
    std::filesystem::path root;     // holds assets/ and locales/
    std::filesystem::path siteFile; // the site facts (site.ini)
    std::filesystem::path dataDir;  // the data folder when neither --data-dir nor $INLOOP_DATA_DIR is given
    std::filesystem::path configDir; // installed: /etc/inloop (the machine's store-*.env); a checkout: none
    bool installed = false;         // running from an installed prefix rather than a checkout
};

// $INLOOP_ROOT if set; else <prefix>/share/inloop when this program runs from <prefix>/bin and that folder
// exists (an installed or unpacked package); else the source tree this was built from (a checkout's build).
// Installed: site facts in /etc/inloop/site.ini (<X>/etc/inloop under an unpacked root X/usr) and data in
// /var/lib/inloop; a checkout keeps <root>/assets/site.ini and ./var.
InstallPaths installPaths();

// The site facts for a resource root: <root>/assets/site.ini when it is there (a checkout), else, for a root
// laid out as <prefix>/share/inloop, the configuration folder of that prefix (/usr → /etc/inloop/site.ini).
std::filesystem::path siteFile(const std::filesystem::path& root);

// The folder holding assets/ and locales/ (installPaths().root).
std::filesystem::path resourceRoot();

// A helper program of ours (inloop-speak): beside the running program (a build's bin/), else, when it runs from
// <prefix>/bin, in <prefix>/libexec/inloop (the package). The path beside the program when neither exists.
std::filesystem::path helperProgram(std::string_view name);

} // namespace inloop::core
