#pragma once

// SSH to boards (SPEC §9) over libssh: connect with a timeout, check the host key against the
// workbench's own known_hosts file, authenticate (key file, ssh-agent or a password that is never
// stored), run commands reading stdout and stderr without deadlock, and upload by SFTP skipping
// files whose hash is already there. One SshSession per thread; a session is not shared.

#include "common/error.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sniper::devices {

enum class AuthKind { KeyFile, Agent, Password };
const char *authKindName(AuthKind k); // "key", "agent", "password"
std::optional<AuthKind> parseAuthKind(const std::string &text);

struct SshTarget {
    std::string host;
    int port = 22;
    std::string user;
    AuthKind auth = AuthKind::KeyFile;
    std::string keyFile; // AuthKind::KeyFile: the private key
    std::string knownHostsFile; // the workbench's own known_hosts (never ~/.ssh/known_hosts)
    int timeoutSeconds = 10; // connect and banner/handshake timeout
};

// Asked when a secret is needed: the key's passphrase or the password; never stored by us.
using SecretFn = std::function<std::string(const std::string &prompt)>;

// The host key is not in known_hosts: the caller must confirm `fingerprint` (SHA256:...) before
// connecting again with SshConnectOptions::acceptFingerprint.
class HostKeyUnknownError : public Error {
public:
    HostKeyUnknownError(const std::string &where, std::string fingerprint);
    const std::string &fingerprint() const { return m_fingerprint; }

private:
    std::string m_fingerprint;
};

// The host presented a different key than the one recorded: refused; the message names both.
class HostKeyChangedError : public Error {
public:
    HostKeyChangedError(const std::string &where, std::string recorded, std::string presented);
    const std::string &recorded() const { return m_recorded; }
    const std::string &presented() const { return m_presented; }

private:
    std::string m_recorded, m_presented;
};

class AuthError : public Error {
public:
    using Error::Error;
};

// The connection dropped or a transport operation failed (resumable by reconnecting).
class ConnectionLostError : public Error {
public:
    using Error::Error;
};

struct SshConnectOptions {
    std::string acceptFingerprint; // an unknown host with exactly this fingerprint is added to known_hosts
    SecretFn secret; // passphrase / password; empty: none available
};

struct ExecResult {
    int exitStatus = -1;
    std::string out, err; // whole stdout / stderr unless a line callback took stdout
};

// Quotes one argument for a POSIX shell: 'it'\''s' — every remote command is built with this.
std::string shellQuote(const std::string &arg);
std::string shellCommand(const std::vector<std::string> &argv); // quoted and joined by spaces

// The SHA256 fingerprint ("SHA256:base64") of the host key a server presents, without trusting it.
class SshSession {
public:
    // Throws HostKeyUnknownError, HostKeyChangedError, AuthError or Error (refused, timeout, DNS)
    // with a message naming user@host:port.
    SshSession(const SshTarget &target, const SshConnectOptions &options = {});
    ~SshSession();
    SshSession(const SshSession &) = delete;
    SshSession &operator=(const SshSession &) = delete;

    const SshTarget &target() const { return m_target; }
    std::string where() const; // "user@host:port"
    std::string hostKeyFingerprint() const;

    // Runs a command (argv quoted with shellQuote). stdout lines go to onLine when given, stderr
    // is collected; both are drained in one loop, so neither can block the other. Cancelling
    // closes the channel. Throws ConnectionLostError when the transport fails.
    ExecResult exec(const std::vector<std::string> &argv, const std::function<void(const std::string &)> &onLine = {},
        const std::atomic<bool> *cancel = nullptr);
    ExecResult execShell(const std::string &quotedCommand, const std::function<void(const std::string &)> &onLine = {},
        const std::atomic<bool> *cancel = nullptr);

    // Creates the directory and its parents (like mkdir -p), by SFTP.
    void makeDirectories(const std::string &remoteDir);
    // Uploads bytes to remotePath (written to a temporary name and renamed, so a cut never leaves a
    // half file under the real name).
    void upload(const std::string &remotePath, const std::string &bytes, int mode = 0644);
    // Names in a remote directory (without . and ..); empty when it does not exist.
    std::vector<std::string> listDirectory(const std::string &remoteDir);
    // SHA-256 hex of remote files (empty string where a file is missing), by sha256sum.
    std::vector<std::string> remoteHashes(const std::vector<std::string> &remotePaths);

private:
    struct Impl;
    SshTarget m_target;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sniper::devices
