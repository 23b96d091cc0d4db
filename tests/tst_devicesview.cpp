// The Devices view (issue 10 item 2), offscreen, against a real OpenSSH server on 127.0.0.1
// (tests/sshtestserver.h, as tst_sshdevice) with its own known_hosts in a temporary folder: a
// board added through the form, Test connection asks to confirm the unknown host key (answered
// by the test hook) and then says "connected"; a rejected key stays untrusted; a changed key is
// refused naming both fingerprints; edit and remove;
// deploy and a short campaign (2 tiny networks on opencv-cpu-1t, 3 runs) with its progress bar
// and log; bad form values show an inline error naming the field.

#include "sshtestserver.h"

#include "devicesview.h"
#include "devicetablemodel.h"
#include "jobs.h"
#include "mainwindow.h"

#include "builders.h"
#include "database.h"
#include "generator/generatorspec.h"
#include "measurements.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <filesystem>
#include <map>

using namespace sniper;
using sniper::views::DevicesView;

class TestDevicesView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    sshtest::SshServer m_server;
    QString m_project, m_knownHosts, m_key;

    void configure(DevicesView &view, const QString &knownHosts)
    {
        view.setKnownHostsFile(knownHosts);
        view.setAgentBinary(QStringLiteral(SNIPER_AGENT_BINARY));
        QSignalSpy changed(&view, &DevicesView::devicesChanged);
        view.setProject(m_project);
        QVERIFY(changed.wait(20000));
    }
    void fillForm(DevicesView &view, const QString &name)
    {
        view.setForm(name, QStringLiteral("127.0.0.1"), QString::number(m_server.port()), QStringLiteral("root"),
                     QStringLiteral("key"), m_key, m_tmp.filePath(QStringLiteral("board-") + name),
                     QStringLiteral("opencv-cpu-1t"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!sshtest::sshdAvailable())
            QSKIP("needs Debian's openssh-server (/usr/sbin/sshd) and ssh-keygen");
        if (geteuid() != 0) // an sshd started by another user cannot authenticate root
            QSKIP("logs in to its own sshd as root: run as root (CI does)");
        m_key = m_tmp.filePath(QStringLiteral("user_key"));
        QVERIFY(sshtest::makeKey(m_key));
        QVERIFY(m_server.start({m_key + QStringLiteral(".pub")}));
        m_knownHosts = m_tmp.filePath(QStringLiteral("known_hosts"));
        m_project = m_tmp.filePath(QStringLiteral("project.sniper"));
        db::Database d = db::Database::open(m_project.toStdString());
        generator::GeneratorSpec g;
        g.maxMacs = 5'000'000; // as tst_sshdevice
        QCOMPARE(int(db::addGeneratedNetworks(d, g, 7, 2, "tiny").modelIds.size()), 2);
    }

    void formErrors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("auth");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("workDir");
        QTest::addColumn<QString>("field");
        const QString h = QStringLiteral("10.0.0.2"), u = QStringLiteral("pi"), k = QStringLiteral("key"),
                      f = QStringLiteral("/tmp/id"), w = QStringLiteral("work");
        QTest::addRow("empty name") << QString() << h << QStringLiteral("22") << u << k << f << w << QStringLiteral("Name");
        QTest::addRow("empty host") << QStringLiteral("b") << QString() << QStringLiteral("22") << u << k << f << w << QStringLiteral("Host");
        QTest::addRow("port 0") << QStringLiteral("b") << h << QStringLiteral("0") << u << k << f << w << QStringLiteral("Port");
        QTest::addRow("port 65536") << QStringLiteral("b") << h << QStringLiteral("65536") << u << k << f << w << QStringLiteral("Port");
        QTest::addRow("port text") << QStringLiteral("b") << h << QStringLiteral("ssh") << u << k << f << w << QStringLiteral("Port");
        QTest::addRow("empty user") << QStringLiteral("b") << h << QStringLiteral("22") << QString() << k << f << w << QStringLiteral("User");
        QTest::addRow("key without file") << QStringLiteral("b") << h << QStringLiteral("22") << u << k << QString() << w << QStringLiteral("Key file");
        QTest::addRow("empty work dir") << QStringLiteral("b") << h << QStringLiteral("22") << u << QStringLiteral("agent") << QString() << QString() << QStringLiteral("Work dir");
    }
    void formErrors()
    {
        QFETCH(QString, name);
        QFETCH(QString, host);
        QFETCH(QString, port);
        QFETCH(QString, user);
        QFETCH(QString, auth);
        QFETCH(QString, key);
        QFETCH(QString, workDir);
        QFETCH(QString, field);
        views::JobsModel jobs;
        DevicesView view(&jobs);
        view.setForm(name, host, port, user, auth, key, workDir, {});
        QVERIFY(!view.addDevice());
        QVERIFY2(view.formError().startsWith(field + QLatin1Char(':')), qPrintable(view.formError()));
        QCOMPARE(jobs.rowCount(), 0); // nothing was started
        // Corrected, the error goes away as you type.
        view.setForm(QStringLiteral("b"), QStringLiteral("h"), QStringLiteral("22"), QStringLiteral("u"),
                     QStringLiteral("agent"), {}, QStringLiteral("w"), {});
        QVERIFY(view.formError().isEmpty());
    }

    void addTestTrust()
    {
        views::JobsModel jobs;
        DevicesView view(&jobs);
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        int asked = 0;
        QString shownFingerprint;
        view.setFingerprintConfirm([&](const QString &device, const QString &, const QString &fingerprint) {
            ++asked;
            shownFingerprint = fingerprint;
            return device == QLatin1String("board");
        });
        configure(view, m_knownHosts);
        fillForm(view, QStringLiteral("board"));
        QSignalSpy changed(&view, &DevicesView::devicesChanged);
        QVERIFY(view.addDevice());
        QVERIFY(changed.wait(20000));
        QCOMPARE(view.deviceNames(), QStringList{QStringLiteral("board")});
        QCOMPARE(view.model()->data(view.model()->index(0, views::DeviceTableModel::Address)).toString(),
                 QStringLiteral("127.0.0.1:%1").arg(m_server.port()));

        // Unknown host key: the dialog shows its fingerprint; Accept records it, then "connected".
        QSignalSpy tested(&view, &DevicesView::tested);
        QVERIFY(view.testConnection(QStringLiteral("board")));
        QTRY_VERIFY_WITH_TIMEOUT(!tested.isEmpty(), 30000);
        QVERIFY(view.fingerprintDialogShown());
        QCOMPARE(asked, 1);
        QVERIFY(shownFingerprint.startsWith(QLatin1String("SHA256:")));
        QVERIFY2(tested.first().at(1).toBool(), qPrintable(view.statusText(QStringLiteral("board"))));
        QVERIFY2(view.statusText(QStringLiteral("board")).startsWith(QLatin1String("connected")),
                 qPrintable(view.statusText(QStringLiteral("board"))));
        QFile kh(m_knownHosts);
        QVERIFY(kh.open(QIODevice::ReadOnly));
        QVERIFY(kh.readAll().contains("127.0.0.1"));

        // Deploy the agent, then the test lists its platforms; the key is known now: no dialog.
        QSignalSpy deployed(&view, &DevicesView::deployed);
        QVERIFY(view.deploy(QStringLiteral("board")));
        QVERIFY2(deployed.wait(60000), qPrintable(view.errorText()));
        QVERIFY(view.statusText(QStringLiteral("board")).startsWith(QLatin1String("deployed")));
        tested.clear();
        QVERIFY(view.testConnection(QStringLiteral("board")));
        QTRY_VERIFY_WITH_TIMEOUT(!tested.isEmpty(), 30000);
        QCOMPARE(asked, 1);
        QVERIFY2(view.statusText(QStringLiteral("board")).startsWith(QLatin1String("connected: ")),
                 qPrintable(view.statusText(QStringLiteral("board"))));
        QVERIFY(view.statusText(QStringLiteral("board")).contains(QLatin1String("opencv-cpu-1t")));

        // Edit: a new port shows in the table.
        view.editDevice(QStringLiteral("board"));
        view.setForm(QStringLiteral("board"), QStringLiteral("127.0.0.1"), QStringLiteral("2222"), QStringLiteral("root"),
                     QStringLiteral("key"), m_key, m_tmp.filePath(QStringLiteral("board-board")), QStringLiteral("opencv-cpu-1t"));
        QVERIFY(view.saveDevice());
        QVERIFY(changed.wait(20000));
        QCOMPARE(view.model()->data(view.model()->index(0, views::DeviceTableModel::Address)).toString(),
                 QStringLiteral("127.0.0.1:2222"));
        fillForm(view, QStringLiteral("board"));
        QVERIFY(view.saveDevice());
        QVERIFY(changed.wait(20000));
    }

    void rejectedKeyStaysUntrusted()
    {
        views::JobsModel jobs;
        DevicesView view(&jobs);
        bool asked = false;
        view.setFingerprintConfirm([&](const QString &, const QString &, const QString &) {
            asked = true;
            return false;
        });
        const QString otherHosts = m_tmp.filePath(QStringLiteral("other_known_hosts"));
        configure(view, otherHosts);
        QSignalSpy tested(&view, &DevicesView::tested);
        QVERIFY(view.testConnection(QStringLiteral("board")));
        QTRY_VERIFY_WITH_TIMEOUT(!tested.isEmpty(), 30000);
        QVERIFY(asked && view.fingerprintDialogShown());
        QVERIFY(!tested.first().at(1).toBool());
        QVERIFY(view.statusText(QStringLiteral("board")).startsWith(QLatin1String("untrusted host key SHA256:")));
        QVERIFY(!QFile::exists(otherHosts) || QFileInfo(otherHosts).size() == 0);
    }

    void campaign()
    {
        views::JobsModel jobs;
        DevicesView view(&jobs);
        configure(view, m_knownHosts);
        view.setCampaign(QStringLiteral("tiny"), QStringLiteral("opencv-cpu-1t"), QStringLiteral("3"),
                         QStringLiteral("3"), QStringLiteral("5"));
        QSignalSpy finished(&view, &DevicesView::campaignFinished);
        QVERIFY(view.startCampaign({QStringLiteral("board")}));
        QVERIFY(view.isCampaignRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));
        QCOMPARE(view.progressMaximum(QStringLiteral("board")), 2);
        QCOMPARE(view.progressValue(QStringLiteral("board")), 2);
        QVERIFY(view.statusText(QStringLiteral("board")).startsWith(QLatin1String("campaign: 2 measured")));
        QVERIFY(view.logLines().filter(QStringLiteral("on ssh:board:opencv-cpu-1t")).size() == 2);
        db::Database d = db::Database::open(m_project.toStdString());
        QCOMPARE(db::MeasurementRepository(d).count(), int64_t(2));
    }

    // Cancel stops a campaign resumably after the results so far; Resume measures exactly what is
    // missing, and the results committed before the cancel keep their timestamps.
    void campaignCancelThenResume()
    {
        {
            db::Database d = db::Database::open(m_project.toStdString());
            generator::GeneratorSpec g;
            g.maxMacs = 5'000'000;
            QCOMPARE(int(db::addGeneratedNetworks(d, g, 11, 6, "six").modelIds.size()), 6);
        }
        views::JobsModel jobs;
        DevicesView view(&jobs);
        configure(view, m_knownHosts);
        view.setCampaign(QStringLiteral("six"), QStringLiteral("opencv-cpu-1t"), QStringLiteral("200"),
                         QStringLiteral("200"), QStringLiteral("30"));
        const QString platform = QStringLiteral("ssh:board:opencv-cpu-1t");
        const auto results = [&] { return view.logLines().filter(QStringLiteral("on ") + platform).size(); };
        const int64_t stored = [&] {
            db::Database d = db::Database::open(m_project.toStdString());
            return db::MeasurementRepository(d).count();
        }();
        QSignalSpy finished(&view, &DevicesView::campaignFinished);
        QVERIFY(view.startCampaign({QStringLiteral("board")}));
        QTRY_VERIFY_WITH_TIMEOUT(results() >= 1, 60000);
        view.cancelCampaign();
        QVERIFY(finished.wait(60000));
        const int before = results();
        QVERIFY2(before >= 1 && before < 6, qPrintable(QString::number(before)));
        qInfo("cancelled after %d of 6 results", before);
        QVERIFY2(view.statusText(QStringLiteral("board")).contains(QLatin1String("cancelled (resumable)")),
                 qPrintable(view.statusText(QStringLiteral("board"))));
        std::map<int64_t, int64_t> stamps; // model -> timestamp of the results before the cancel
        {
            db::Database d = db::Database::open(m_project.toStdString());
            db::MeasurementFilter f;
            f.platform = platform.toStdString();
            const int64_t tiny = db::MeasurementRepository(d).count(f) - before;
            for (const auto &r : db::MeasurementRepository(d).list(f))
                stamps[r.modelId] = r.measurement.timestampMs;
            QCOMPARE(int64_t(stamps.size()), tiny + before); // each shown result is committed
        }
        finished.clear();
        QVERIFY(view.resumeCampaign());
        QVERIFY(finished.wait(120000));
        QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));
        QCOMPARE(results(), 6); // the rest, each once
        db::Database d = db::Database::open(m_project.toStdString());
        QCOMPARE(db::MeasurementRepository(d).count(), stored + 6);
        db::MeasurementFilter f;
        f.platform = platform.toStdString();
        for (const auto &r : db::MeasurementRepository(d).list(f))
            if (stamps.count(r.modelId))
                QCOMPARE(r.measurement.timestampMs, stamps[r.modelId]);
    }

    // A board whose host key changed (sshd restarted with a new key) is refused, naming both keys.
    void changedHostKeyIsRefused()
    {
        views::JobsModel jobs;
        DevicesView view(&jobs);
        int asked = 0;
        view.setFingerprintConfirm([&](const QString &, const QString &, const QString &) {
            ++asked;
            return true;
        });
        configure(view, m_knownHosts);
        m_server.stop();
        QVERIFY(m_server.start({m_key + QStringLiteral(".pub")}, true));
        QSignalSpy tested(&view, &DevicesView::tested);
        QVERIFY(view.testConnection(QStringLiteral("board")));
        QTRY_VERIFY_WITH_TIMEOUT(!tested.isEmpty(), 30000);
        QVERIFY(!tested.first().at(1).toBool());
        QCOMPARE(asked, 0); // a changed key is never offered for confirmation
        const QString status = view.statusText(QStringLiteral("board"));
        QVERIFY2(status.startsWith(QLatin1String("failed: ")) && status.contains(QLatin1String("HOST KEY CHANGED")), qPrintable(status));
        QCOMPARE(status.count(QLatin1String("SHA256:")), 2);
        QVERIFY(view.errorText().contains(QLatin1String("HOST KEY CHANGED")));
    }

    void removeDevice()
    {
        views::JobsModel jobs;
        DevicesView view(&jobs);
        configure(view, m_knownHosts);
        QSignalSpy changed(&view, &DevicesView::devicesChanged);
        QVERIFY(view.removeDevice(QStringLiteral("board")));
        QVERIFY(changed.wait(20000));
        QVERIFY(view.deviceNames().isEmpty());
    }

    void tabInMainWindow()
    {
        views::MainWindow w;
        auto *tabs = w.findChild<QTabWidget *>(QStringLiteral("views"));
        QVERIFY(tabs);
        QCOMPARE(tabs->indexOf(w.devicesView()) >= 0, true);
        QCOMPARE(tabs->tabText(tabs->indexOf(w.devicesView())), QStringLiteral("Devices"));
    }
};

QTEST_MAIN(TestDevicesView)
#include "tst_devicesview.moc"
