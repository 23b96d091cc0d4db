#pragma once

// A real OpenSSH server for tests (SPEC §9 acceptance): Debian's /usr/sbin/sshd on 127.0.0.1 and
// a free port, with generated host and user keys and its own config in a temporary directory.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <string>
#include <vector>

namespace sshtest {

inline bool run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// A TCP socket on 127.0.0.1 (port 0: any free one); listening when `listen` (it never accepts).
class Listener {
public:
    explicit Listener(bool listen)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
        if (listen)
            ::listen(m_fd, 8);
        socklen_t len = sizeof a;
        ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&a), &len);
        m_port = ntohs(a.sin_port);
    }
    ~Listener() { ::close(m_fd); }
    int port() const { return m_port; }

private:
    int m_fd = -1;
    int m_port = 0;
};

inline int freePort()
{
    return Listener(false).port();
}

inline bool canConnect(int port)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(uint16_t(port));
    bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

inline bool sshdAvailable()
{
    return QFile::exists(QStringLiteral("/usr/sbin/sshd")) && QFile::exists(QStringLiteral("/usr/bin/ssh-keygen"));
}

// An ed25519 key pair at `path` (private) and `path`.pub.
inline bool makeKey(const QString &path, const QString &passphrase = {})
{
    QFile::remove(path);
    QFile::remove(path + QStringLiteral(".pub"));
    return run(QStringLiteral("/usr/bin/ssh-keygen"),
        { QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"), passphrase,
            QStringLiteral("-f"), path });
}

class SshServer {
public:
    SshServer() : m_port(freePort()) { }
    ~SshServer() { stop(); }

    QString dir() const { return m_dir.path(); }
    int port() const { return m_port; }
    QString file(const char *name) const { return m_dir.filePath(QString::fromUtf8(name)); }

    // Host key (new one each time regenerateHostKey is true), authorized keys, config; then start.
    bool start(const QStringList &authorizedPublicKeys, bool regenerateHostKey = false)
    {
        QDir().mkpath(QStringLiteral("/run/sshd"));
        if (regenerateHostKey || !QFile::exists(file("host_key")))
            if (!makeKey(file("host_key")))
                return false;
        {
            std::ofstream auth(file("authorized_keys").toStdString());
            for (const auto &pub : authorizedPublicKeys) {
                QFile f(pub);
                if (!f.open(QIODevice::ReadOnly))
                    return false;
                auth << f.readAll().toStdString();
            }
        }
        {
            std::ofstream cfg(file("sshd_config").toStdString());
            cfg << "ListenAddress 127.0.0.1\n"
                << "HostKey " << file("host_key").toStdString() << "\n"
                << "AuthorizedKeysFile " << file("authorized_keys").toStdString() << "\n"
                << "PidFile " << file("sshd.pid").toStdString() << "\n"
                << "StrictModes no\nUsePAM no\nPermitRootLogin yes\nPasswordAuthentication yes\n"
                << "KbdInteractiveAuthentication no\nSubsystem sftp internal-sftp\nLogLevel ERROR\n"
                << "MaxStartups 100\nMaxSessions 50\n";
        }
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // A test that aborts must not leave its server running.
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_process.start(QStringLiteral("/usr/sbin/sshd"),
            { QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), file("sshd_config"),
                QStringLiteral("-p"), QString::number(m_port) });
        if (!m_process.waitForStarted(10000))
            return false;
        for (int i = 0; i < 100; ++i) { // until it listens
            if (canConnect(m_port))
                return true;
            QThread::msleep(50);
        }
        return false;
    }

    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // SIGKILLs the sshd processes serving connections (the children of the listening sshd),
    // which drops every open connection while the server keeps listening.
    int killConnections()
    {
        int killed = 0;
        for (qint64 pid : descendants(m_process.processId()))
            if (comm(pid) == "sshd") {
                ::kill(pid_t(pid), SIGKILL);
                ++killed;
            }
        return killed;
    }

private:
    static std::string comm(qint64 pid)
    {
        std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
        std::string c;
        std::getline(in, c);
        return c;
    }
    static std::vector<qint64> descendants(qint64 root)
    {
        std::vector<qint64> out, frontier { root };
        while (!frontier.empty()) {
            qint64 parent = frontier.back();
            frontier.pop_back();
            const QDir proc(QStringLiteral("/proc"));
            for (const QString &entry : proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                bool ok = false;
                qint64 pid = entry.toLongLong(&ok);
                if (!ok)
                    continue;
                std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
                std::string line;
                std::getline(stat, line);
                auto close = line.rfind(')');
                if (close == std::string::npos)
                    continue;
                char state;
                long long ppid = 0;
                if (sscanf(line.c_str() + close + 1, " %c %lld", &state, &ppid) == 2 && ppid == parent) {
                    out.push_back(pid);
                    frontier.push_back(pid);
                }
            }
        }
        return out;
    }

    QTemporaryDir m_dir;
    int m_port;
    QProcess m_process;
};

} // namespace sshtest
