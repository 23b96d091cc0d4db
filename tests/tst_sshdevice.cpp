// Remote boards over SSH (SPEC §9, §14): real OpenSSH servers on 127.0.0.1, the real agent,
// trust, authentication errors, injection-proof commands, campaigns that survive a dropped
// connection and a restarted runner without losing or duplicating a measurement, two devices in
// parallel, and an agent that links no Qt and no SQLite of its own.

#include "sshtestserver.h"

#include "builders.h"
#include "common/error.h"
#include "database.h"
#include "devicerepo.h"
#include "generator/generatorspec.h"
#include "measurements.h"
#include "models.h"
#include "remotecampaign.h"
#include "runs.h"
#include "ssh.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace sniper;

namespace {

const std::string kAgent = SNIPER_AGENT_BINARY;

std::string qs(const QString &s)
{
    return s.toStdString();
}
bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

template <class E, class F> std::string errorOf(F &&f)
{
    try {
        f();
    } catch (const E &e) {
        return e.what();
    } catch (const std::exception &e) {
        return std::string("(other exception) ") + e.what();
    }
    return "(nothing thrown)";
}

} // namespace

class TestSshDevice : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    sshtest::SshServer m_a, m_b;
    std::string m_knownHosts;
    std::optional<db::Database> m_db;
    std::vector<int64_t> m_models; // 20 tiny generated networks
    std::vector<int64_t> m_injected; // hostile names
    std::vector<int64_t> m_fast; // the six fastest of m_models

    devices::SshTarget target(const sshtest::SshServer &s, const std::string &key = {})
    {
        devices::SshTarget t;
        t.host = "127.0.0.1";
        t.port = s.port();
        t.user = "root";
        t.keyFile = key.empty() ? qs(m_tmp.filePath(QStringLiteral("user_key"))) : key;
        t.knownHostsFile = m_knownHosts;
        t.timeoutSeconds = 5;
        return t;
    }
    devices::DeviceRunOptions options() const
    {
        devices::DeviceRunOptions o;
        o.knownHostsFile = m_knownHosts;
        o.agentBinary = kAgent;
        o.timeoutSeconds = 5;
        return o;
    }
    void trust(const sshtest::SshServer &s)
    {
        std::string fp;
        try {
            devices::SshSession probe(target(s));
        } catch (const devices::HostKeyUnknownError &e) {
            fp = e.fingerprint();
        }
        if (!fp.empty())
            devices::SshSession(target(s), { fp, {} });
    }
    void addDevice(const std::string &name, const sshtest::SshServer &s)
    {
        db::DeviceRecord d;
        d.name = name;
        d.host = "127.0.0.1";
        d.port = s.port();
        d.user = "root";
        d.auth = "key";
        d.keyFile = qs(m_tmp.filePath(QStringLiteral("user_key")));
        d.workDir = qs(m_tmp.filePath(QString::fromStdString("board-" + name)));
        d.platforms = { "torch-cpu-1t", "opencv-cpu-1t" };
        db::DeviceRepository(*m_db).add(d);
    }
    devices::DeviceCampaignSpec spec(
        const std::string &device, std::vector<int64_t> models, std::vector<std::string> platforms, int batch)
    {
        devices::DeviceCampaignSpec s;
        s.device = device;
        s.modelIds = std::move(models);
        s.platforms = std::move(platforms);
        s.protocol.batch = batch;
        s.protocol.warmupRuns = 1;
        s.protocol.minRuns = 3;
        s.protocol.maxRuns = 5;
        s.protocol.maxSeconds = 1;
        return s;
    }
    // Each (model, platform) of the run exactly once, every item settled.
    void checkComplete(int64_t runId, int64_t expected)
    {
        db::MeasurementFilter f;
        f.runId = runId;
        auto rows = db::MeasurementRepository(*m_db).list(f);
        QCOMPARE(int64_t(rows.size()), expected);
        std::set<std::pair<int64_t, std::string>> keys;
        for (const auto &r : rows)
            keys.insert({ r.modelId, r.measurement.platform });
        QCOMPARE(int64_t(keys.size()), expected);
        auto progress = db::RunRepository(*m_db).progress(runId);
        QCOMPARE(progress.pending, int64_t(0));
        QCOMPARE(progress.total(), expected);
        QVERIFY(m_db->integrityCheck().ok);
    }
    void checkNoPwned()
    {
        for (const std::string &dir : { qs(m_tmp.path()), qs(QDir::currentPath()), std::string("/root"),
                 std::string("/"), qs(m_a.dir()), qs(m_b.dir()) })
            QVERIFY2(!std::filesystem::exists(dir + "/pwned"), dir.c_str());
        for (const auto &entry : std::filesystem::recursive_directory_iterator(qs(m_tmp.path())))
            QVERIFY2(entry.path().filename() != "pwned", entry.path().c_str());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!sshtest::sshdAvailable())
            QSKIP("needs Debian's openssh-server (/usr/sbin/sshd) and ssh-keygen");
        if (geteuid() != 0) // an sshd started by another user cannot authenticate root
            QSKIP("logs in to its own sshd as root: run as root (CI does)");
        QVERIFY(std::filesystem::exists(kAgent));
        QVERIFY(sshtest::makeKey(m_tmp.filePath(QStringLiteral("user_key"))));
        QVERIFY(sshtest::makeKey(m_tmp.filePath(QStringLiteral("other_key"))));
        QVERIFY(sshtest::makeKey(m_tmp.filePath(QStringLiteral("pass_key")), QStringLiteral("s3cret phrase")));
        const QStringList authorized
            = { m_tmp.filePath(QStringLiteral("user_key.pub")), m_tmp.filePath(QStringLiteral("pass_key.pub")) };
        QVERIFY(m_a.start(authorized));
        QVERIFY(m_b.start(authorized));
        m_knownHosts = qs(m_tmp.filePath(QStringLiteral("known_hosts")));

        m_db.emplace(db::Database::open(qs(m_tmp.filePath(QStringLiteral("project.sniper")))));
        generator::GeneratorSpec g;
        g.maxMacs = 5'000'000;
        m_models = db::addGeneratedNetworks(*m_db, g, 7, 20, "tiny").modelIds;
        QCOMPARE(int(m_models.size()), 20);
        // Hostile names on five more networks (made in a scratch project, stored here under the names).
        db::Database scratch = db::Database::open(qs(m_tmp.filePath(QStringLiteral("scratch.sniper"))));
        auto extra = db::addGeneratedNetworks(scratch, g, 99, 5, "extra").modelIds;
        const std::vector<std::string> names
            = { "my model v2", "it's \"quoted\"", "a; touch pwned; b", "$(touch pwned)", "-rf --version" };
        db::ModelRepository from(scratch), to(*m_db);
        for (size_t i = 0; i < names.size(); ++i) {
            db::ModelRecord r = *from.find(extra[i]);
            r.id = 0;
            r.name = names[i];
            r.source = "test:hostile";
            r.onnx = from.onnx(extra[i]);
            m_injected.push_back(to.upsert(r).id);
        }
        QCOMPARE(db::ModelRepository(*m_db).find(m_injected[3])->name, std::string("$(touch pwned)"));
    }

    void cleanupTestCase() { checkNoPwned(); }

    void agentLinksNoQtNoSqlite()
    {
        // The agent links OpenCV dnn only; LibTorch (whose Debian build pulls in Qt5 through
        // OpenCV's highgui, and SQLite through imgcodecs) comes from a plugin loaded at run time.
        QProcess ldd;
        ldd.start(QStringLiteral("ldd"), { QString::fromStdString(kAgent) });
        QVERIFY(ldd.waitForFinished(30000));
        QCOMPARE(ldd.exitCode(), 0);
        const QString libs = QString::fromUtf8(ldd.readAllStandardOutput());
        QVERIFY2(libs.contains(QStringLiteral("libopencv_dnn")), qPrintable(libs));
        QVERIFY2(!libs.contains(QStringLiteral("Qt"), Qt::CaseInsensitive), qPrintable(libs));
        QVERIFY2(!libs.contains(QStringLiteral("sqlite"), Qt::CaseInsensitive), qPrintable(libs));
        QVERIFY2(!libs.contains(QStringLiteral("libtorch"), Qt::CaseInsensitive), qPrintable(libs));
    }

    // Without the plugin the agent still runs its OpenCV platforms and names what is missing.
    void agentWithoutTorchPlugin()
    {
        QTemporaryDir dir;
        const auto runAgent = [&](const QString &plugin, const QStringList &args, QByteArray *err = nullptr) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("SNIPER_TORCH_PLUGIN"), plugin);
            p.setProcessEnvironment(env);
            p.start(QString::fromStdString(kAgent), args);
            p.waitForFinished(60000);
            if (err)
                *err = p.readAllStandardError();
            return p.readAllStandardOutput();
        };
        const QString missing = dir.filePath(QStringLiteral("missing.so"));
        QByteArray out = runAgent(missing, { QStringLiteral("platforms") });
        QVERIFY2(out.contains("\"opencv-cpu-1t\""), out.constData());
        QVERIFY2(!out.contains("\"torch-cpu-1t\""), out.constData());
        QFile protocol(dir.filePath(QStringLiteral("protocol.json")));
        QVERIFY(protocol.open(QIODevice::WriteOnly));
        protocol.write("{\"version\": 1}");
        protocol.close();
        QByteArray err;
        runAgent(missing, { QStringLiteral("run"), QStringLiteral("--models"), dir.path(), QStringLiteral("--platform"),
                              QStringLiteral("torch-cpu-1t"), QStringLiteral("--protocol"), protocol.fileName() },
            &err);
        QVERIFY2(err.contains("missing.so: not there"), err.constData());
        QFile bad(dir.filePath(QStringLiteral("libsniper-torch-runtime.so")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not an ELF file");
        bad.close();
        runAgent(bad.fileName(), { QStringLiteral("run"), QStringLiteral("--models"), dir.path(), QStringLiteral("--platform"),
                                     QStringLiteral("torch-cpu-2t"), QStringLiteral("--protocol"), protocol.fileName() },
            &err);
        QVERIFY2(err.contains("needs the LibTorch runtime plugin") && err.contains("libsniper-torch-runtime.so: "),
            err.constData());
        // The default search finds the plugin the build put beside the agent.
        out = runAgent(QString(), { QStringLiteral("platforms") });
        QVERIFY2(out.contains("\"torch-cpu-1t\""), out.constData());
    }

    void agentCommandLine()
    {
        QProcess p;
        p.start(QString::fromStdString(kAgent), { QStringLiteral("--version") });
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.readAllStandardOutput().startsWith("sniper-agent "));
        p.start(QString::fromStdString(kAgent), { QStringLiteral("platforms") });
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.readAllStandardOutput().contains("\"torch-cpu-1t\""));
        p.start(QString::fromStdString(kAgent), { QStringLiteral("run"), QStringLiteral("--models") });
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.exitCode() != 0);
    }

    void trustUnknownAndChangedHostKey()
    {
        auto t = target(m_b);
        t.knownHostsFile = qs(m_tmp.filePath(QStringLiteral("trust_known_hosts")));
        std::string fingerprint;
        try {
            devices::SshSession s(t);
            QFAIL("an unknown host key was accepted without confirmation");
        } catch (const devices::HostKeyUnknownError &e) {
            fingerprint = e.fingerprint();
            QVERIFY2(contains(e.what(), fingerprint) && contains(fingerprint, "SHA256:"), e.what());
        }
        // A wrong confirmation is not a confirmation.
        QVERIFY(contains(errorOf<devices::HostKeyUnknownError>([&] {
            devices::SshSession s(t, { "SHA256:nope", {} });
        }),
            "unknown host key"));
        {
            devices::SshSession s(t, { fingerprint, {} });
        }
        {
            devices::SshSession s(t);
        } // recorded now
        m_b.stop();
        QVERIFY(m_b.start(
            { m_tmp.filePath(QStringLiteral("user_key.pub")), m_tmp.filePath(QStringLiteral("pass_key.pub")) }, true));
        std::string presented;
        try {
            devices::SshSession s(t, { fingerprint, {} });
            QFAIL("a changed host key was accepted");
        } catch (const devices::HostKeyChangedError &e) {
            presented = e.presented();
            QVERIFY2(
                contains(e.what(), fingerprint) && contains(e.what(), presented) && presented != fingerprint, e.what());
        }
    }

    void authenticationErrors()
    {
        trust(m_a);
        {
            devices::SshSession ok(target(m_a));
        }
        QVERIFY(contains(errorOf<devices::AuthError>([&] {
            devices::SshSession s(target(m_a, qs(m_tmp.filePath(QStringLiteral("other_key")))));
        }),
            "refused the key"));
        QVERIFY(contains(errorOf<devices::AuthError>([&] {
            devices::SshSession s(target(m_a, qs(m_tmp.filePath(QStringLiteral("missing_key")))));
        }),
            "cannot read the private key"));
        // Passphrase: asked through the callback, right and wrong.
        auto pass = target(m_a, qs(m_tmp.filePath(QStringLiteral("pass_key"))));
        {
            devices::SshSession s(pass, { {}, [](const std::string &) { return std::string("s3cret phrase"); } });
        }
        QVERIFY(contains(errorOf<devices::AuthError>([&] {
            devices::SshSession s(pass, { {}, [](const std::string &) { return std::string("wrong"); } });
        }),
            "passphrase"));
        // Password: root's password is unknown here, so only the failure is tested.
        auto pw = target(m_a);
        pw.auth = devices::AuthKind::Password;
        int asked = 0;
        const std::string wrong = errorOf<devices::AuthError>([&] {
            devices::SshSession s(pw, { {}, [&](const std::string &) {
                                           ++asked;
                                           return std::string("not-the-password");
                                       } });
        });
        QVERIFY2(contains(wrong, "wrong password"), wrong.c_str());
        QCOMPARE(asked, 1);
        // Refused: nothing listens on the port.
        auto refused = target(m_a);
        refused.port = sshtest::freePort();
        QVERIFY(contains(errorOf<Error>([&] { devices::SshSession s(refused); }), "cannot connect"));
        // Unreachable: the port accepts TCP but never speaks SSH; the short timeout ends it.
        sshtest::Listener silent(true);
        auto hang = target(m_a);
        hang.port = silent.port();
        hang.timeoutSeconds = 1;
        QElapsedTimer timer;
        timer.start();
        const std::string timeout = errorOf<Error>([&] { devices::SshSession s(hang); });
        QVERIFY2(contains(timeout, "cannot connect") && contains(timeout, "127.0.0.1:"), timeout.c_str());
        QVERIFY(timer.elapsed() < 15000);
    }

    void agentAuthentication()
    {
        // A real ssh-agent on a socket of its own: empty, it offers no key the server accepts;
        // after ssh-add of the authorized key, the session logs in and runs a command.
        trust(m_a);
        const QString sock = m_tmp.filePath(QStringLiteral("agent.sock"));
        QProcess agent;
        agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        agent.start(QStringLiteral("/usr/bin/ssh-agent"), { QStringLiteral("-D"), QStringLiteral("-a"), sock });
        QVERIFY2(agent.waitForStarted(10000), "ssh-agent (openssh-client) did not start");
        for (int i = 0; i < 100 && !QFile::exists(sock); ++i)
            QThread::msleep(50);
        QVERIFY(QFile::exists(sock));
        const QByteArray previous = qgetenv("SSH_AUTH_SOCK");
        qputenv("SSH_AUTH_SOCK", sock.toLocal8Bit());
        auto t = target(m_a);
        t.auth = devices::AuthKind::Agent;
        const std::string empty = errorOf<devices::AuthError>([&] { devices::SshSession s(t); });
        QVERIFY2(contains(empty, "ssh-agent offered no key the server accepts"), empty.c_str());
        QProcess add;
        add.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        add.start(QStringLiteral("/usr/bin/ssh-add"), { m_tmp.filePath(QStringLiteral("user_key")) });
        QVERIFY(add.waitForFinished(10000));
        QCOMPARE(add.exitCode(), 0);
        {
            devices::SshSession s(t);
            const auto r = s.exec({ "echo", "logged in through the agent" });
            QCOMPARE(r.exitStatus, 0);
            QVERIFY2(contains(r.out, "logged in through the agent"), r.out.c_str());
        }
        if (previous.isNull())
            qunsetenv("SSH_AUTH_SOCK");
        else
            qputenv("SSH_AUTH_SOCK", previous);
        agent.terminate();
        QVERIFY(agent.waitForFinished(10000));
    }

    void execQuotesAndDrainsBothStreams()
    {
        devices::SshSession s(target(m_a));
        const std::vector<std::string> hostile
            = { "a b", "it's", "\"q\"", ";", "$(touch pwned)", "`touch pwned`", "-n", "x > pwned" };
        std::vector<std::string> args = { "printf", "%s\\n" };
        args.insert(args.end(), hostile.begin(), hostile.end());
        auto r = s.exec(args);
        QCOMPARE(r.exitStatus, 0);
        std::string expected;
        for (const auto &h : hostile)
            expected += h + "\n";
        QCOMPARE(r.out, expected);
        // 1 MB on stderr and on stdout at once: neither stream may block the other.
        r = s.exec({ "sh", "-c", "head -c 1000000 /dev/zero >&2; head -c 1000000 /dev/zero; exit 3" });
        QCOMPARE(r.exitStatus, 3);
        QCOMPARE(r.out.size(), size_t(1000000));
        QCOMPARE(r.err.size(), size_t(1000000));
        checkNoPwned();
    }

    void campaignOnTwoPlatforms()
    {
        trust(m_a);
        addDevice("board-a", m_a);
        const int64_t run
            = devices::createDeviceCampaign(*m_db, spec("board-a", m_models, { "torch-cpu-1t", "opencv-cpu-1t" }, 1));
        std::map<std::pair<int64_t, std::string>, double> reported;
        auto results
            = devices::runDeviceCampaigns(*m_db, { run }, options(), [&](const devices::DeviceCampaignEvent &e) {
                  if (e.kind == devices::DeviceCampaignEvent::Kind::Result)
                      reported[{ e.modelId, e.platform }] = e.measurement->stats.medianMs;
              });
        QCOMPARE(results.size(), size_t(1));
        QVERIFY2(results[0].error.empty(), results[0].error.c_str());
        QCOMPARE(results[0].uploaded, int64_t(22)); // the agent, its LibTorch runtime plugin and 20 models
        QCOMPARE(int64_t(reported.size()), int64_t(40));
        checkComplete(run, 40);
        db::MeasurementFilter f;
        f.runId = run;
        for (const auto &r : db::MeasurementRepository(*m_db).list(f)) {
            QCOMPARE(r.measurement.stats.medianMs, reported.at({ r.modelId, r.measurement.platform }));
            QVERIFY(r.measurement.stats.runs >= 3);
            QVERIFY(contains(r.measurement.platform, "ssh:board-a:"));
        }
        QCOMPARE(db::RunRepository(*m_db).find(run)->state, db::RunState::Finished);
        std::map<int64_t, double> slowest;
        for (const auto &[key, median] : reported)
            slowest[key.first] = std::max(slowest[key.first], median);
        std::vector<std::pair<double, int64_t>> bySpeed;
        for (const auto &[id, median] : slowest)
            bySpeed.push_back({ median, id });
        std::sort(bySpeed.begin(), bySpeed.end());
        for (size_t i = 0; i < 6; ++i)
            m_fast.push_back(bySpeed[i].second);
        // Deploying again sends nothing: every hash is already there.
        auto again = devices::deployToDevice(*m_db, "board-a", m_models, options());
        QCOMPARE(again.first, int64_t(0));
        QCOMPARE(again.second, int64_t(22));
        // A tampered agent on the board (one byte appended, as a patched binary would differ) is
        // detected by its hash and replaced by the workbench's own; the other files stay.
        const std::filesystem::path board = qs(m_tmp.filePath(QStringLiteral("board-board-a")));
        const auto remoteAgent = board / "bin" / "sniper-agent";
        QVERIFY(std::filesystem::exists(remoteAgent));
        std::ofstream(remoteAgent, std::ios::binary | std::ios::app) << '\x90';
        QVERIFY(std::filesystem::file_size(remoteAgent) == std::filesystem::file_size(kAgent) + 1);
        auto repaired = devices::deployToDevice(*m_db, "board-a", m_models, options());
        QCOMPARE(repaired.first, int64_t(1));
        QCOMPARE(repaired.second, int64_t(21));
        auto bytes = [](const std::filesystem::path &p) {
            std::ifstream in(p, std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        };
        QVERIFY(bytes(remoteAgent) == bytes(kAgent));
        QVERIFY((std::filesystem::status(remoteAgent).permissions() & std::filesystem::perms::owner_exec) !=
                std::filesystem::perms::none);
    }

    void hostileModelNames()
    {
        const int64_t run = devices::createDeviceCampaign(*m_db, spec("board-a", m_injected, { "torch-cpu-1t" }, 1));
        auto results = devices::runDeviceCampaigns(*m_db, { run }, options());
        QVERIFY2(results[0].error.empty(), results[0].error.c_str());
        checkComplete(run, 5);
        QCOMPARE(results[0].measured, int64_t(5));
        checkNoPwned();
    }

    // Fault and parallel tests use the six fastest networks of the first campaign (a few
    // generated networks take seconds per run here) to keep the test short.
    std::vector<int64_t> ten() const { return m_fast; }
    // 40 timed runs per measurement: the campaign is still going when the test cuts it.
    devices::DeviceCampaignSpec slowSpec(const std::string &device, int batch)
    {
        auto s = spec(device, ten(), { "torch-cpu-1t", "opencv-cpu-1t" }, batch);
        s.protocol.minRuns = s.protocol.maxRuns = 40;
        s.protocol.maxSeconds = 5;
        return s;
    }

    void resumeAfterDroppedConnection()
    {
        const int64_t run = devices::createDeviceCampaign(*m_db, slowSpec("board-a", 2));
        std::map<std::pair<int64_t, std::string>, int64_t> beforeCut;
        int results = 0, killed = 0;
        auto r = devices::runDeviceCampaigns(*m_db, { run }, options(), [&](const devices::DeviceCampaignEvent &e) {
            if (e.kind != devices::DeviceCampaignEvent::Kind::Result)
                return;
            if (killed == 0)
                beforeCut[{ e.modelId, e.platform }] = e.measurement->timestampMs;
            if (++results == 2)
                killed = m_a.killConnections();
        });
        QVERIFY(killed > 0);
        QVERIFY2(r[0].error.empty(), r[0].error.c_str());
        QVERIFY(r[0].reconnects >= 1);
        checkComplete(run, 12);
        db::MeasurementRepository m(*m_db);
        for (const auto &[key, stamp] : beforeCut) {
            auto stored = m.find(key.first, key.second, 2);
            QVERIFY(stored);
            QCOMPARE(stored->measurement.timestampMs, stamp); // kept, not re-measured
        }
    }

    void resumeAfterRunnerRestart()
    {
        const int64_t run = devices::createDeviceCampaign(*m_db, slowSpec("board-a", 3));
        std::atomic<bool> stopRunner { false };
        std::map<std::pair<int64_t, std::string>, int64_t> first;
        auto r = devices::runDeviceCampaigns(
            *m_db, { run }, options(),
            [&](const devices::DeviceCampaignEvent &e) {
                if (e.kind == devices::DeviceCampaignEvent::Kind::Result) {
                    first[{ e.modelId, e.platform }] = e.measurement->timestampMs;
                    if (first.size() == 3)
                        stopRunner = true;
                }
            },
            &stopRunner);
        QVERIFY(r[0].cancelled);
        auto progress = db::RunRepository(*m_db).progress(run);
        QVERIFY(progress.pending > 0);
        QCOMPARE(progress.done, int64_t(first.size()));
        QCOMPARE(devices::unfinishedDeviceCampaign(*m_db), std::optional<int64_t>(run));
        // A new runner: a fresh connection to the project, as after a restart of the workbench.
        m_db.reset();
        m_db.emplace(db::Database::open(qs(m_tmp.filePath(QStringLiteral("project.sniper")))));
        r = devices::runDeviceCampaigns(*m_db, { run }, options());
        QVERIFY2(r[0].error.empty(), r[0].error.c_str());
        QCOMPARE(r[0].measured, int64_t(12 - first.size()));
        checkComplete(run, 12);
        db::MeasurementRepository m(*m_db);
        for (const auto &[key, stamp] : first)
            QCOMPARE(m.find(key.first, key.second, 3)->measurement.timestampMs, stamp);
    }

    // The runner as its own process (sniper device profile), SIGKILLed after its third result as a
    // crash of the workbench would end it; a new process resumes with --resume.
    void resumeAfterRunnerProcessKilled()
    {
        const QString db = m_tmp.filePath(QStringLiteral("project.sniper"));
        QStringList ids;
        for (int64_t id : ten())
            ids << QString::number(id);
        const QStringList common = { QStringLiteral("--db"), db, QStringLiteral("--known-hosts"),
            QString::fromStdString(m_knownHosts), QStringLiteral("--agent"), QString::fromStdString(kAgent),
            QStringLiteral("--timeout"), QStringLiteral("5") };
        QProcess runner;
        runner.start(QStringLiteral(SNIPER_CLI),
            QStringList { QStringLiteral("device"), QStringLiteral("profile"), QStringLiteral("board-a"),
                QStringLiteral("--models"), ids.join(QLatin1Char(',')), QStringLiteral("--platforms"),
                QStringLiteral("torch-cpu-1t,opencv-cpu-1t"), QStringLiteral("--batch"), QStringLiteral("5"),
                QStringLiteral("--warmup"), QStringLiteral("1"), QStringLiteral("--min-runs"), QStringLiteral("30"),
                QStringLiteral("--max-runs"), QStringLiteral("30"), QStringLiteral("--max-seconds"), QStringLiteral("5"),
                QStringLiteral("--json-lines") }
                + common);
        QVERIFY(runner.waitForStarted());
        int results = 0;
        QElapsedTimer clock;
        clock.start();
        while (results < 3 && runner.state() != QProcess::NotRunning && clock.elapsed() < 240000) {
            runner.waitForReadyRead(1000);
            while (runner.canReadLine())
                results += runner.readLine().contains("\"event\":\"result\"");
        }
        QVERIFY2(results >= 3, runner.readAllStandardError().constData());
        QVERIFY(runner.state() == QProcess::Running); // cut mid-campaign
        ::kill(pid_t(runner.processId()), SIGKILL);
        QVERIFY(runner.waitForFinished(30000));

        const auto run = devices::unfinishedDeviceCampaign(*m_db);
        QVERIFY(run);
        db::MeasurementFilter f;
        f.runId = *run;
        std::map<std::pair<int64_t, std::string>, int64_t> beforeKill;
        for (const auto &r : db::MeasurementRepository(*m_db).list(f))
            beforeKill[{ r.modelId, r.measurement.platform }] = r.measurement.timestampMs;
        QVERIFY(beforeKill.size() >= 3);
        QVERIFY(beforeKill.size() < 12);

        QProcess resume;
        resume.start(QStringLiteral(SNIPER_CLI),
            QStringList { QStringLiteral("device"), QStringLiteral("profile"), QStringLiteral("--resume") } + common);
        QVERIFY(resume.waitForFinished(300000));
        QVERIFY2(resume.exitCode() == 0, resume.readAllStandardError().constData());
        checkComplete(*run, 12);
        db::MeasurementRepository m(*m_db);
        for (const auto &[key, stamp] : beforeKill)
            QCOMPARE(m.find(key.first, key.second, 5)->measurement.timestampMs, stamp); // kept, not re-measured
        QCOMPARE(db::RunRepository(*m_db).find(*run)->state, db::RunState::Finished);
    }

    void twoDevicesInParallel()
    {
        trust(m_b);
        addDevice("board-b", m_b);
        const int64_t runA = devices::createDeviceCampaign(*m_db, spec("board-a", ten(), { "opencv-cpu-1t" }, 4));
        const int64_t runB = devices::createDeviceCampaign(*m_db, spec("board-b", ten(), { "opencv-cpu-1t" }, 4));
        std::vector<std::string> order; // "<device> <event>"
        auto r
            = devices::runDeviceCampaigns(*m_db, { runA, runB }, options(), [&](const devices::DeviceCampaignEvent &e) {
                  using K = devices::DeviceCampaignEvent::Kind;
                  if (e.kind == K::Connected || e.kind == K::Finished)
                      order.push_back(e.device + (e.kind == K::Connected ? " connected" : " finished"));
              });
        QCOMPARE(r.size(), size_t(2));
        QVERIFY2(r[0].error.empty() && r[1].error.empty(), (r[0].error + r[1].error).c_str());
        checkComplete(runA, 6);
        checkComplete(runB, 6);
        // Both sessions were open at once: each device connected before the other finished.
        auto at = [&](const std::string &what) { return std::find(order.begin(), order.end(), what) - order.begin(); };
        QVERIFY(at("board-a connected") < at("board-b finished"));
        QVERIFY(at("board-b connected") < at("board-a finished"));
    }

    void unknownHostEndsTheRunResumably()
    {
        const int64_t run
            = devices::createDeviceCampaign(*m_db, spec("board-a", { m_models[0] }, { "torch-cpu-2t" }, 1));
        auto o = options();
        o.knownHostsFile = qs(m_tmp.filePath(QStringLiteral("empty_known_hosts")));
        auto r = devices::runDeviceCampaigns(*m_db, { run }, o);
        QVERIFY2(contains(r[0].error, "unknown host key"), r[0].error.c_str());
        QCOMPARE(db::RunRepository(*m_db).progress(run).pending, int64_t(1));
        QCOMPARE(db::RunRepository(*m_db).find(run)->state, db::RunState::Failed);
    }
};

QTEST_GUILESS_MAIN(TestSshDevice)
#include "tst_sshdevice.moc"
