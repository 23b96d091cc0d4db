#include "ssh.h"

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <fcntl.h>

#include <fstream>
#include <map>
#include <sstream>

namespace sniper::devices {

namespace {

struct KeyDeleter {
    void operator()(ssh_key k) const { ssh_key_free(k); }
};
using KeyPtr = std::unique_ptr<std::remove_pointer_t<ssh_key>, KeyDeleter>;

std::string fingerprintOf(ssh_key key)
{
    unsigned char *hash = nullptr;
    size_t len = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != SSH_OK)
        return "(unknown)";
    char *text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    std::string fp = text ? text : "(unknown)";
    ssh_string_free_char(text);
    ssh_clean_pubkey_hash(&hash);
    return fp;
}

// known_hosts names a non-default port "[host]:port".
std::string knownHostsName(const SshTarget &t)
{
    return t.port == 22 ? t.host : "[" + t.host + "]:" + std::to_string(t.port);
}

// The fingerprints recorded for the host in our known_hosts file (plain entries, as we write them).
std::vector<std::string> recordedFingerprints(const SshTarget &t)
{
    std::vector<std::string> out;
    std::ifstream in(t.knownHostsFile);
    const std::string name = knownHostsName(t);
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string hosts, type, b64;
        if (!(fields >> hosts >> type >> b64))
            continue;
        bool match = false;
        std::istringstream hostList(hosts);
        for (std::string h; std::getline(hostList, h, ',');)
            match = match || h == name;
        if (!match)
            continue;
        ssh_key key = nullptr;
        if (ssh_pki_import_pubkey_base64(b64.c_str(), ssh_key_type_from_name(type.c_str()), &key) == SSH_OK) {
            out.push_back(fingerprintOf(key));
            ssh_key_free(key);
        }
    }
    return out;
}

} // namespace

const char *authKindName(AuthKind k)
{
    switch (k) {
    case AuthKind::KeyFile:
        return "key";
    case AuthKind::Agent:
        return "agent";
    case AuthKind::Password:
        return "password";
    }
    return "key";
}

std::optional<AuthKind> parseAuthKind(const std::string &text)
{
    if (text == "key")
        return AuthKind::KeyFile;
    if (text == "agent")
        return AuthKind::Agent;
    if (text == "password")
        return AuthKind::Password;
    return std::nullopt;
}

HostKeyUnknownError::HostKeyUnknownError(const std::string &where, std::string fingerprint) :
    Error("unknown host key " + fingerprint
            + ": confirm that this is the board's key (sniper device trust --fingerprint ...) before connecting",
        where),
    m_fingerprint(std::move(fingerprint))
{
}

HostKeyChangedError::HostKeyChangedError(const std::string &where, std::string recorded, std::string presented) :
    Error("HOST KEY CHANGED: known_hosts records " + recorded + " but the host presented " + presented
            + "; refusing to connect (someone may be intercepting the connection; if the board was reinstalled, "
              "remove the old key and trust the new one)",
        where),
    m_recorded(std::move(recorded)), m_presented(std::move(presented))
{
}

std::string shellQuote(const std::string &arg)
{
    std::string out = "'";
    for (char c : arg) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::string shellCommand(const std::vector<std::string> &argv)
{
    std::string out;
    for (const auto &a : argv)
        out += (out.empty() ? "" : " ") + shellQuote(a);
    return out;
}

struct SshSession::Impl {
    ssh_session session = nullptr;
    sftp_session sftp = nullptr;
    std::string fingerprint;
    ~Impl()
    {
        if (sftp)
            sftp_free(sftp);
        if (session) {
            ssh_disconnect(session);
            ssh_free(session);
        }
    }
    std::string error() const { return ssh_get_error(session); }
    // A failed transfer on a dead connection is a dropped connection (resumable), else an error.
    [[noreturn]] void fail(const std::string &what, const std::string &where) const
    {
        if (!session || !ssh_is_connected(session))
            throw ConnectionLostError(what + " (the connection dropped)", where);
        throw Error(what, where);
    }
};

std::string SshSession::where() const
{
    return m_target.user + "@" + m_target.host + ":" + std::to_string(m_target.port);
}

std::string SshSession::hostKeyFingerprint() const
{
    return m_impl->fingerprint;
}

SshSession::SshSession(const SshTarget &target, const SshConnectOptions &options) :
    m_target(target), m_impl(std::make_unique<Impl>())
{
    if (target.host.empty())
        throw Error("no host given");
    if (target.knownHostsFile.empty())
        throw Error("no known_hosts file given", where());
    ssh_session s = ssh_new();
    if (!s)
        throw Error("cannot create an SSH session", where());
    m_impl->session = s;
    long timeout = target.timeoutSeconds > 0 ? target.timeoutSeconds : 10;
    int port = target.port;
    int noConfig = 0;
    ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &noConfig); // ~/.ssh/config must not change what we connect to
    ssh_options_set(s, SSH_OPTIONS_HOST, target.host.c_str());
    ssh_options_set(s, SSH_OPTIONS_PORT, &port);
    if (!target.user.empty())
        ssh_options_set(s, SSH_OPTIONS_USER, target.user.c_str());
    ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
    ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, target.knownHostsFile.c_str());
    ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, target.knownHostsFile.c_str());
    if (ssh_connect(s) != SSH_OK)
        throw Error("cannot connect: " + m_impl->error(), where());

    ssh_key serverKey = nullptr;
    if (ssh_get_server_publickey(s, &serverKey) != SSH_OK)
        throw Error("the server sent no host key: " + m_impl->error(), where());
    KeyPtr keyHolder(serverKey);
    m_impl->fingerprint = fingerprintOf(serverKey);
    switch (ssh_session_is_known_server(s)) {
    case SSH_KNOWN_HOSTS_OK:
        break;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER: {
        auto recorded = recordedFingerprints(target);
        std::string list;
        for (const auto &fp : recorded)
            list += (list.empty() ? "" : ", ") + fp;
        throw HostKeyChangedError(where(), list.empty() ? "another key" : list, m_impl->fingerprint);
    }
    case SSH_KNOWN_HOSTS_NOT_FOUND:
    case SSH_KNOWN_HOSTS_UNKNOWN:
        if (options.acceptFingerprint.empty() || options.acceptFingerprint != m_impl->fingerprint)
            throw HostKeyUnknownError(where(), m_impl->fingerprint);
        if (ssh_session_update_known_hosts(s) != SSH_OK)
            throw Error("cannot record the host key in " + target.knownHostsFile + ": " + m_impl->error(), where());
        break;
    case SSH_KNOWN_HOSTS_ERROR:
    default:
        throw Error("cannot check the host key against " + target.knownHostsFile + ": " + m_impl->error(), where());
    }

    int rc = SSH_AUTH_DENIED;
    switch (target.auth) {
    case AuthKind::KeyFile: {
        if (target.keyFile.empty())
            throw AuthError("no key file given", where());
        ssh_key key = nullptr;
        int imported = ssh_pki_import_privkey_file(target.keyFile.c_str(), nullptr, nullptr, nullptr, &key);
        if (imported != SSH_OK && options.secret) {
            const std::string passphrase = options.secret("passphrase for " + target.keyFile);
            imported = ssh_pki_import_privkey_file(target.keyFile.c_str(), passphrase.c_str(), nullptr, nullptr, &key);
        }
        if (imported != SSH_OK)
            throw AuthError("cannot read the private key " + target.keyFile
                    + " (missing, not a key, or a wrong or missing passphrase)",
                where());
        KeyPtr keyPtr(key);
        rc = ssh_userauth_publickey(s, nullptr, key);
        if (rc != SSH_AUTH_SUCCESS)
            throw AuthError("authentication failed: the server refused the key " + target.keyFile, where());
        break;
    }
    case AuthKind::Agent:
        rc = ssh_userauth_agent(s, nullptr);
        if (rc != SSH_AUTH_SUCCESS)
            throw AuthError("authentication failed: ssh-agent offered no key the server accepts"
                            " (is SSH_AUTH_SOCK set and the key added?)",
                where());
        break;
    case AuthKind::Password: {
        if (!options.secret)
            throw AuthError("a password is needed and none can be asked", where());
        std::string password = options.secret("password for " + where());
        rc = ssh_userauth_password(s, nullptr, password.c_str());
        std::fill(password.begin(), password.end(), '\0');
        if (rc != SSH_AUTH_SUCCESS)
            throw AuthError("authentication failed: wrong password (or password login is disabled)", where());
        break;
    }
    }
}

SshSession::~SshSession() = default;

ExecResult SshSession::exec(const std::vector<std::string> &argv,
    const std::function<void(const std::string &)> &onLine, const std::atomic<bool> *cancel)
{
    return execShell(shellCommand(argv), onLine, cancel);
}

ExecResult SshSession::execShell(
    const std::string &command, const std::function<void(const std::string &)> &onLine, const std::atomic<bool> *cancel)
{
    ssh_channel ch = ssh_channel_new(m_impl->session);
    if (!ch)
        throw ConnectionLostError("cannot open a channel: " + m_impl->error(), where());
    struct Closer {
        ssh_channel ch;
        ~Closer()
        {
            if (ssh_channel_is_open(ch))
                ssh_channel_close(ch);
            ssh_channel_free(ch);
        }
    } closer { ch };
    if (ssh_channel_open_session(ch) != SSH_OK)
        throw ConnectionLostError("cannot open a session channel: " + m_impl->error(), where());
    if (ssh_channel_request_exec(ch, command.c_str()) != SSH_OK)
        throw ConnectionLostError("cannot run the command: " + m_impl->error(), where());

    ExecResult result;
    std::string pending;
    char buf[16384];
    auto deliver = [&](bool flush) {
        if (!onLine) {
            result.out += pending;
            pending.clear();
            return;
        }
        size_t start = 0;
        for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1)
            onLine(pending.substr(start, nl - start));
        pending.erase(0, start);
        if (flush && !pending.empty()) {
            onLine(pending);
            pending.clear();
        }
    };
    // One loop drains both streams: a command that fills stderr cannot block one waiting on stdout.
    while (true) {
        if (cancel && cancel->load()) {
            ssh_channel_request_send_signal(ch, "TERM");
            result.exitStatus = -1;
            return result;
        }
        int n = ssh_channel_read_timeout(ch, buf, sizeof buf, 0, 100);
        if (n == SSH_EOF)
            n = 0;
        if (n == SSH_ERROR)
            throw ConnectionLostError("the connection dropped while running a command: " + m_impl->error(), where());
        if (n > 0) {
            pending.append(buf, size_t(n));
            deliver(false);
        }
        int e;
        while ((e = ssh_channel_read_nonblocking(ch, buf, sizeof buf, 1)) > 0)
            result.err.append(buf, size_t(e));
        if (e == SSH_EOF) // libssh 0.10 answers EOF here, not 0, once the remote side closed stderr
            e = 0;
        if (e == SSH_ERROR)
            throw ConnectionLostError("the connection dropped while running a command: " + m_impl->error(), where());
        if (n == 0 && e == 0 && ssh_channel_is_eof(ch)) {
            if (!ssh_is_connected(m_impl->session))
                throw ConnectionLostError("the connection dropped while running a command", where());
            break;
        }
        if (!ssh_is_connected(m_impl->session) || ssh_channel_is_closed(ch)) {
            if (ssh_channel_is_closed(ch) && ssh_is_connected(m_impl->session))
                break;
            throw ConnectionLostError("the connection dropped while running a command", where());
        }
    }
    deliver(true);
    ssh_channel_send_eof(ch);
    result.exitStatus = ssh_channel_get_exit_status(ch);
    return result;
}

namespace {
sftp_session openSftp(ssh_session s, const std::string &where)
{
    sftp_session sftp = sftp_new(s);
    if (!sftp)
        throw ConnectionLostError(std::string("cannot start SFTP: ") + ssh_get_error(s), where);
    if (sftp_init(sftp) != SSH_OK) {
        sftp_free(sftp);
        throw ConnectionLostError(
            std::string("cannot start SFTP (is the sftp subsystem enabled?): ") + ssh_get_error(s), where);
    }
    return sftp;
}
} // namespace

void SshSession::makeDirectories(const std::string &remoteDir)
{
    if (!m_impl->sftp)
        m_impl->sftp = openSftp(m_impl->session, where());
    std::string path;
    size_t pos = 0;
    while (pos <= remoteDir.size()) {
        size_t next = remoteDir.find('/', pos);
        if (next == std::string::npos)
            next = remoteDir.size();
        path = remoteDir.substr(0, next);
        pos = next + 1;
        if (path.empty() || path == "~")
            continue;
        sftp_attributes a = sftp_stat(m_impl->sftp, path.c_str());
        if (a) {
            sftp_attributes_free(a);
            continue;
        }
        if (sftp_mkdir(m_impl->sftp, path.c_str(), 0755) != SSH_OK)
            m_impl->fail("cannot create the remote directory " + path + ": " + m_impl->error(), where());
    }
}

void SshSession::upload(const std::string &remotePath, const std::string &bytes, int mode)
{
    if (!m_impl->sftp)
        m_impl->sftp = openSftp(m_impl->session, where());
    const std::string part = remotePath + ".part";
    sftp_file f = sftp_open(m_impl->sftp, part.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode_t(mode));
    if (!f)
        m_impl->fail("cannot write the remote file " + part + ": " + m_impl->error(), where());
    size_t offset = 0;
    while (offset < bytes.size()) {
        size_t chunk = std::min<size_t>(bytes.size() - offset, 32768);
        ssize_t w = sftp_write(f, bytes.data() + offset, chunk);
        if (w <= 0) {
            sftp_close(f);
            throw ConnectionLostError("upload of " + remotePath + " failed: " + m_impl->error(), where());
        }
        offset += size_t(w);
    }
    sftp_close(f);
    sftp_chmod(m_impl->sftp, part.c_str(), mode_t(mode));
    sftp_unlink(m_impl->sftp, remotePath.c_str()); // SFTP v3 rename does not overwrite
    if (sftp_rename(m_impl->sftp, part.c_str(), remotePath.c_str()) != SSH_OK)
        m_impl->fail("cannot rename the uploaded file to " + remotePath + ": " + m_impl->error(), where());
}

std::vector<std::string> SshSession::listDirectory(const std::string &remoteDir)
{
    if (!m_impl->sftp)
        m_impl->sftp = openSftp(m_impl->session, where());
    std::vector<std::string> names;
    sftp_dir dir = sftp_opendir(m_impl->sftp, remoteDir.c_str());
    if (!dir)
        return names;
    while (sftp_attributes a = sftp_readdir(m_impl->sftp, dir)) {
        std::string name = a->name ? a->name : "";
        if (name != "." && name != "..")
            names.push_back(name);
        sftp_attributes_free(a);
    }
    sftp_closedir(dir);
    return names;
}

std::vector<std::string> SshSession::remoteHashes(const std::vector<std::string> &remotePaths)
{
    std::vector<std::string> hashes(remotePaths.size());
    if (remotePaths.empty())
        return hashes;
    std::vector<std::string> argv = { "sha256sum", "--" };
    argv.insert(argv.end(), remotePaths.begin(), remotePaths.end());
    // Missing files make sha256sum fail for those names only; their hash stays empty.
    ExecResult r = exec(argv);
    std::map<std::string, std::string> byPath;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() < 67 || line[0] == '\\') // escaped names are simply uploaded again
            continue;
        byPath[line.substr(66)] = line.substr(0, 64);
    }
    for (size_t i = 0; i < remotePaths.size(); ++i) {
        auto it = byPath.find(remotePaths[i]);
        if (it != byPath.end())
            hashes[i] = it->second;
    }
    return hashes;
}

} // namespace sniper::devices
