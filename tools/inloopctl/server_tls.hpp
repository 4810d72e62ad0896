// The appliance's TLS certificate for PostgreSQL (issue 20): every machine but the appliance reaches the store over
// the site's network, with TLS and the server's certificate checked (sslmode=verify-full, see connectPg). `server
// init --host` makes a site CA and a certificate made out to the appliance's addresses, or takes the site's own;
// the files stay in one folder for the site to install (the printed commands).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace inloop::ctl {

struct ServerTls {
    std::filesystem::path dir;
    std::filesystem::path ca() const { return dir / "site-ca.pem"; }       // public: every machine trusts it
    std::filesystem::path certificate() const { return dir / "server.crt"; } // for PostgreSQL
    std::filesystem::path key() const { return dir / "server.key"; }         // for PostgreSQL only (0600)
};

// What prepare did: made a new CA and certificate, took the site's, or kept the folder's (still right for hosts).
enum class TlsOrigin { Made, Taken, Kept };

// The site's own certificate to take instead of making one: its key, and the CA that signed it (none: the
// certificate is its own CA, self-signed).
struct TakenCertificate {
    std::filesystem::path certificate, key;
    std::optional<std::filesystem::path> ca;
};

// Makes sure `tls.dir` holds a CA, a certificate for every name and address in `hosts` signed by it, and its key:
// takes `taken` if given, keeps what is there if it still fits, else makes a new CA (its key is thrown away once it
// has signed) and certificate (EC P-256, ten years) with the openssl program. Checked before anything is replaced:
// a certificate that does not fit leaves the folder as it was and throws Error(InvalidInput, "tls.*").
TlsOrigin prepareServerTls(const ServerTls& tls, const std::vector<std::string>& hosts,
                           const std::optional<TakenCertificate>& taken);

// "DNS:appliance.lan" or "IP:192.168.1.10" for a certificate's subjectAltName.
std::string subjectAltName(const std::string& host);

// The certificate's last day, as openssl prints it ("Dec  2 07:12:00 2036 GMT").
std::string validUntil(const ServerTls& tls);

} // namespace inloop::ctl
