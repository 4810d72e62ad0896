// The appliance's TLS certificate for PostgreSQL (see server_tls.hpp).
#include "server_tls.hpp"

#include "core/base/error.hpp"
#include "core/base/run_tool.hpp"

#include <arpa/inet.h>
#include <sodium.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <system_error>

namespace inloop::ctl {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorKind;

namespace {

constexpr const char* kOpenssl = "/usr/bin/openssl";

std::string readFile(const fs::path& file) {
    std::ostringstream ss;
    ss << std::ifstream(file, std::ios::binary).rdbuf();
    return ss.str();
}

// The openssl program with `args` in `scratch`; its stdout into `out` (or nowhere).
void openssl(const std::vector<std::string>& args, const fs::path& scratch, const std::string& key,
             const std::string& what, const fs::path& out = {}) {
    if (::access(kOpenssl, X_OK) != 0)
        throw Error(ErrorKind::Storage, "tls.no_openssl",
                    std::string(kOpenssl) + " is missing: install the openssl package (scripts/setup).");
    auto env = core::currentEnvironment();
    env.erase("OPENSSL_CONF"); // Debian's own configuration, whatever the caller's
    core::runTool(kOpenssl, args, env, scratch, out, key, what);
}

bool isIpAddress(const std::string& host) {
    unsigned char buf[16];
    return ::inet_pton(AF_INET, host.c_str(), buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// A scratch folder beside the files, removed whatever happens: nothing half-made is left.
struct Scratch {
    fs::path path;
    explicit Scratch(const fs::path& dir) : path(dir / ".making") {
        fs::remove_all(path);
        fs::create_directories(path);
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Throws unless `certificate` chains to `ca` as a TLS server certificate, is made out to every host, and `key`
// is its key.
void check(const fs::path& ca, const fs::path& certificate, const fs::path& key, const std::vector<std::string>& hosts,
           const fs::path& scratch) {
    for (const std::string& host : hosts)
        openssl({"verify", "-CAfile", ca.string(), "-purpose", "sslserver", isIpAddress(host) ? "-verify_ip" : "-verify_hostname",
                 host, certificate.string()},
                scratch, "tls.not_for_host",
                "The certificate " + certificate.string() + " is not one the other machines can check for " + host +
                    " (signed by the CA " + ca.string() + ", made out to " + host + ", for a TLS server)");
    const fs::path fromCertificate = scratch / "cert.pub", fromKey = scratch / "key.pub";
    openssl({"x509", "-noout", "-pubkey", "-in", certificate.string()}, scratch, "tls.unreadable",
            "Cannot read the certificate " + certificate.string(), fromCertificate);
    openssl({"pkey", "-pubout", "-in", key.string()}, scratch, "tls.unreadable", "Cannot read the key " + key.string(),
            fromKey);
    if (readFile(fromCertificate) != readFile(fromKey))
        throw Error(ErrorKind::InvalidInput, "tls.key_mismatch",
                    "The key " + key.string() + " does not belong to the certificate " + certificate.string() + ".");
}

void make(const fs::path& scratch, const std::vector<std::string>& hosts) {
    const std::string ca = (scratch / "site-ca.pem").string(), caKey = (scratch / "ca.key").string();
    const std::string csr = (scratch / "server.csr").string(), ext = (scratch / "server.ext").string();
    const std::vector<std::string> ecKey = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc"};
    std::vector<std::string> args = {"req", "-x509"};
    args.insert(args.end(), ecKey.begin(), ecKey.end());
    args.insert(args.end(), {"-keyout", caKey, "-out", ca, "-days", "3650", "-subj", "/CN=Inloop site CA",
                             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
    openssl(args, scratch, "tls.make_failed", "openssl could not make the site's CA");
    args = {"req", "-new"};
    args.insert(args.end(), ecKey.begin(), ecKey.end());
    args.insert(args.end(), {"-keyout", (scratch / "server.key").string(), "-out", csr, "-subj", std::string("/CN=").append(hosts.front())});
    openssl(args, scratch, "tls.make_failed", "openssl could not make the server's key");
    std::string names;
    for (const std::string& host : hosts) {
        if (!names.empty()) names += ',';
        names += subjectAltName(host);
    }
    std::ofstream(ext) << "subjectAltName=" << names << "\nbasicConstraints=critical,CA:FALSE\n"
                       << "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n";
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
    unsigned char serial[16];
    randombytes_buf(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    char hex[2 * sizeof serial + 1];
    sodium_bin2hex(hex, sizeof hex, serial, sizeof serial);
    openssl({"x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-set_serial", std::string("0x") + hex, "-days",
             "3650", "-extfile", ext, "-out", (scratch / "server.crt").string()},
            scratch, "tls.make_failed", "openssl could not sign the server's certificate");
    fs::remove(caKey); // the CA signs this one certificate and nothing else, ever
}

} // namespace

std::string subjectAltName(const std::string& host) {
    std::string name = isIpAddress(host) ? "IP:" : "DNS:";
    return name.append(host);
}

std::string validUntil(const ServerTls& tls) {
    Scratch scratch(tls.dir);
    const fs::path out = scratch.path / "enddate";
    openssl({"x509", "-noout", "-enddate", "-in", tls.certificate().string()}, scratch.path, "tls.unreadable",
            "Cannot read the certificate " + tls.certificate().string(), out);
    std::string line = readFile(out); // notAfter=Dec  2 07:12:00 2036 GMT
    if (const auto eq = line.find('='); eq != std::string::npos) line = line.substr(eq + 1);
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    return line;
}

TlsOrigin prepareServerTls(const ServerTls& tls, const std::vector<std::string>& hosts,
                           const std::optional<TakenCertificate>& taken) {
    if (hosts.empty()) throw Error(ErrorKind::InvalidInput, "tls.no_host", "A certificate needs the appliance's address.");
    fs::create_directories(tls.dir);
    Scratch scratch(tls.dir);
    const fs::path ca = scratch.path / "site-ca.pem", certificate = scratch.path / "server.crt",
                   key = scratch.path / "server.key";
    TlsOrigin origin = TlsOrigin::Made;
    if (taken) {
        for (const fs::path& f : {taken->certificate, taken->key})
            if (!fs::is_regular_file(f))
                throw Error(ErrorKind::InvalidInput, "tls.missing", "There is no file " + f.string() + ".");
        if (taken->ca && !fs::is_regular_file(*taken->ca))
            throw Error(ErrorKind::InvalidInput, "tls.missing", "There is no file " + taken->ca->string() + ".");
        fs::copy_file(taken->ca.value_or(taken->certificate), ca);
        fs::copy_file(taken->certificate, certificate);
        fs::copy_file(taken->key, key);
        origin = TlsOrigin::Taken;
    } else if (fs::exists(tls.ca()) && fs::exists(tls.certificate()) && fs::exists(tls.key())) {
        try {
            check(tls.ca(), tls.certificate(), tls.key(), hosts, scratch.path);
            return TlsOrigin::Kept;
        } catch (const Error&) {
            make(scratch.path, hosts); // made out to other hosts: a new one
        }
    } else {
        make(scratch.path, hosts);
    }
    fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    check(ca, certificate, key, hosts, scratch.path);
    // Three renames: a crash between them leaves a pair that check() refuses, so the next server init makes anew.
    for (const fs::path& f : {key, certificate, ca}) fs::rename(f, tls.dir / f.filename());
    return origin;
}

} // namespace inloop::ctl
