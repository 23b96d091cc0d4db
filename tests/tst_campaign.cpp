// Local profiling campaigns: results land in the database as they arrive, a cancelled or killed
// campaign resumes measuring exactly what is missing, and nothing is measured twice.

#include "agent/agentprotocol.h"
#include "builders.h"
#include "campaign.h"
#include "common/error.h"
#include "database.h"
#include "measurements.h"
#include "runs.h"
#include "generator/generatorspec.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <set>

using namespace sniper;

namespace {

// Small, fast networks: a campaign over them takes seconds.
generator::GeneratorSpec smallSpec()
{
    generator::GeneratorSpec spec;
    spec.maxMacs = 5'000'000;
    return spec;
}

devices::CampaignSpec fastCampaign(const std::vector<int64_t> &models, std::vector<std::string> platforms)
{
    devices::CampaignSpec c;
    c.modelIds = models;
    c.platforms = std::move(platforms);
    c.protocol.warmupRuns = 1;
    c.protocol.minRuns = 3;
    c.protocol.maxRuns = 5;
    c.protocol.maxSeconds = 1;
    return c;
}

} // namespace

class TestCampaign : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void measuresEveryPairOnce();
    void cancelThenResume();
    void unknownPlatformWritesNothing();
    void remeasureKeepsHistoryAndInterleaves();
    void sigkillThenResume();
    void malformedAgentOutput_data();
    void malformedAgentOutput();
};

void TestCampaign::measuresEveryPairOnce()
{
    QTemporaryDir dir;
    db::Database d = db::Database::open(dir.filePath(QStringLiteral("p.sniper")).toStdString());
    auto built = db::addGeneratedNetworks(d, smallSpec(), 11, 4, "tiny");
    int64_t run = devices::createCampaign(d, fastCampaign(built.modelIds, {"torch-cpu-1t", "opencv-cpu-1t"}));
    int events = 0;
    auto r = devices::runCampaign(d, run, [&](const devices::CampaignEvent &e) {
        if (e.kind == devices::CampaignEvent::Kind::Result)
            ++events;
    });
    QCOMPARE(r.measured + r.unsupported + r.failed, int64_t(8));
    QCOMPARE(events, 8);
    db::MeasurementRepository m(d);
    QCOMPARE(m.count(), int64_t(8));
    // A second campaign over the same pairs measures nothing new.
    int64_t again = devices::createCampaign(d, fastCampaign(built.modelIds, {"torch-cpu-1t", "opencv-cpu-1t"}));
    auto r2 = devices::runCampaign(d, again);
    QCOMPARE(r2.alreadyPresent, int64_t(8));
    QCOMPARE(m.count(), int64_t(8));
}

void TestCampaign::cancelThenResume()
{
    QTemporaryDir dir;
    db::Database d = db::Database::open(dir.filePath(QStringLiteral("p.sniper")).toStdString());
    auto built = db::addGeneratedNetworks(d, smallSpec(), 12, 6, "tiny");
    int64_t run = devices::createCampaign(d, fastCampaign(built.modelIds, {"torch-cpu-1t"}));
    std::atomic<bool> cancel{false};
    auto first = devices::runCampaign(d, run, [&](const devices::CampaignEvent &e) {
        if (e.kind == devices::CampaignEvent::Kind::Result && e.done >= 2)
            cancel = true;
    }, &cancel);
    QVERIFY(first.cancelled);
    QCOMPARE(first.measured, int64_t(2));
    QCOMPARE(devices::unfinishedCampaign(d).value_or(-1), run);
    auto second = devices::runCampaign(d, run);
    QVERIFY(!second.cancelled);
    QCOMPARE(second.measured + second.unsupported + second.failed, int64_t(4)); // exactly the missing ones
    QCOMPARE(db::MeasurementRepository(d).count(), int64_t(6));
    QVERIFY(!devices::unfinishedCampaign(d));
}

void TestCampaign::unknownPlatformWritesNothing()
{
    QTemporaryDir dir;
    db::Database d = db::Database::open(dir.filePath(QStringLiteral("p.sniper")).toStdString());
    auto built = db::addGeneratedNetworks(d, smallSpec(), 13, 1, "tiny");
    try {
        devices::createCampaign(d, fastCampaign(built.modelIds, {"gpu-9000"}));
        QFAIL("accepted an unknown platform");
    } catch (const Error &e) {
        QVERIFY(std::string(e.what()).find("unknown platform 'gpu-9000'") != std::string::npos);
    }
    QVERIFY(db::RunRepository(d).list().empty());
}

// Re-measuring keeps the earlier values in the history; platforms are interleaved per model.
void TestCampaign::remeasureKeepsHistoryAndInterleaves()
{
    QTemporaryDir dir;
    db::Database d = db::Database::open(dir.filePath(QStringLiteral("p.sniper")).toStdString());
    auto built = db::addGeneratedNetworks(d, smallSpec(), 15, 3, "tiny");
    const std::vector<std::string> platforms{"torch-cpu-1t", "opencv-cpu-1t"};
    auto spec = fastCampaign(built.modelIds, platforms);
    devices::runCampaign(d, devices::createCampaign(d, spec));
    db::MeasurementRepository repo(d);
    QCOMPARE(repo.count(), int64_t(6));
    QCOMPARE(repo.historyCount(), int64_t(0));

    spec.remeasure = true;
    std::vector<std::pair<int64_t, std::string>> order;
    auto result = devices::runCampaign(d, devices::createCampaign(d, spec), [&](const devices::CampaignEvent &e) {
        if (e.kind == devices::CampaignEvent::Kind::Result)
            order.push_back({e.modelId, e.platform});
    });
    QCOMPARE(result.measured, int64_t(6));
    QCOMPARE(result.alreadyPresent, int64_t(0));
    QCOMPARE(repo.count(), int64_t(6));
    QCOMPARE(repo.historyCount(), int64_t(6));
    for (int64_t id : built.modelIds)
        for (const auto &p : platforms) {
            const auto h = repo.history(id, p, 1);
            QCOMPARE(h.size(), size_t(2));
            QVERIFY(h.back().current);
            QVERIFY(h.front().measurement.timestampMs <= h.back().measurement.timestampMs);
        }
    // Model i starts with platform i mod 2.
    QCOMPARE(order.size(), size_t(6));
    for (size_t i = 0; i < 3; ++i) {
        QCOMPARE(order[2 * i].first, built.modelIds[i]);
        QCOMPARE(order[2 * i].second, platforms[i % 2]);
        QCOMPARE(order[2 * i + 1].second, platforms[(i + 1) % 2]);
    }
}

// guards SPEC §5/§6 crash safety: kill -9 mid-campaign loses nothing that was reported done.
void TestCampaign::sigkillThenResume()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.sniper"));
    int total = 0;
    {
        db::Database d = db::Database::open(path.toStdString());
        total = int(db::addGeneratedNetworks(d, smallSpec(), 14, 16, "tiny").modelIds.size());
    }
    const QStringList args{QStringLiteral("profile"), QStringLiteral("--db"), path, QStringLiteral("--platforms"),
                           QStringLiteral("torch-cpu-1t"), QStringLiteral("--warmup"), QStringLiteral("1"),
                           QStringLiteral("--min-runs"), QStringLiteral("5"), QStringLiteral("--max-runs"),
                           QStringLiteral("10"), QStringLiteral("--json-lines")};
    QProcess p;
    p.start(QStringLiteral(SNIPER_CLI), args);
    QVERIFY(p.waitForStarted());
    std::set<int64_t> reported; // models whose result line was printed (after its commit)
    QByteArray buffer;
    QElapsedTimer timer;
    timer.start();
    while (reported.size() < 4 && timer.elapsed() < 180000) { // generous: CI machines can be loaded
        p.waitForReadyRead(200);
        buffer += p.readAllStandardOutput();
        int nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
            auto j = nlohmann::json::parse(buffer.left(nl).toStdString(), nullptr, false);
            buffer.remove(0, nl + 1);
            if (j.is_object() && j.value("event", "") == "result")
                reported.insert(j["model"].get<int64_t>());
        }
        QVERIFY2(p.state() == QProcess::Running, "the campaign ended before it could be killed");
    }
    QVERIFY(reported.size() >= 4);
    ::kill(pid_t(p.processId()), SIGKILL);
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::CrashExit);

    int64_t before = 0;
    {
        db::Database d = db::Database::open(path.toStdString(), db::OpenMode::ExistingOnly);
        auto integrity = d.integrityCheck();
        QVERIFY2(integrity.ok, integrity.problems.empty() ? "" : integrity.problems[0].c_str());
        db::MeasurementRepository m(d);
        for (int64_t model : reported)
            QVERIFY2(m.exists(model, "torch-cpu-1t", 1), "a reported measurement was lost");
        before = m.count();
        QVERIFY(before >= int64_t(reported.size()) && before < total);
    }
    QProcess resume;
    resume.start(QStringLiteral(SNIPER_CLI), {QStringLiteral("profile"), QStringLiteral("--db"), path,
                                              QStringLiteral("--resume"), QStringLiteral("--json-lines")});
    QVERIFY(resume.waitForFinished(180000));
    QCOMPARE(resume.exitCode(), 0);
    int measuredOnResume = 0;
    for (const QByteArray &line : resume.readAllStandardOutput().split('\n')) {
        auto j = nlohmann::json::parse(line.toStdString(), nullptr, false);
        if (j.is_object() && j.value("event", "") == "result")
            ++measuredOnResume;
    }
    QCOMPARE(int64_t(measuredOnResume), total - before); // exactly the missing ones
    db::Database d = db::Database::open(path.toStdString(), db::OpenMode::ExistingOnly);
    QCOMPARE(db::MeasurementRepository(d).count(), int64_t(total));
    QVERIFY(d.integrityCheck().ok);
}

void TestCampaign::malformedAgentOutput_data()
{
    // Lines a broken, old or tampered sniper-agent could print; each is refused with a message that
    // names what is wrong and quotes the line (a board campaign stores nothing from it).
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("expected");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::addRow("empty") << s("") << s("not a JSON line");
    QTest::addRow("truncated") << s("{\"event\":\"result\",\"model\":\"a") << s("not a JSON line");
    QTest::addRow("a list") << s("[1,2]") << s("without \"event\"");
    QTest::addRow("no event") << s("{\"model\":\"a\"}") << s("without \"event\"");
    QTest::addRow("unknown event") << s("{\"event\":\"rebooted\"}") << s("unknown event 'rebooted'");
    QTest::addRow("event a number") << s("{\"event\":5}") << s("malformed event");
    QTest::addRow("model a number") << s("{\"event\":\"progress\",\"model\":7}") << s("malformed event");
    QTest::addRow("measurement a string") << s("{\"event\":\"result\",\"measurement\":\"12 ms\"}")
                                          << s("\"measurement\" is not an object");
    QTest::addRow("stats a list") << s("{\"event\":\"result\",\"measurement\":{\"status\":\"ok\",\"stats\":[1]}}")
                                  << s("malformed event");
    QTest::addRow("result without measurement") << s("{\"event\":\"result\",\"model\":\"a\"}") << s("a result without");
    QTest::addRow("zero latency")
        << s("{\"event\":\"result\",\"measurement\":{\"status\":\"ok\",\"stats\":{\"medianMs\":0}}}") << s("a result without");
    QTest::addRow("negative latency")
        << s("{\"event\":\"result\",\"measurement\":{\"status\":\"ok\",\"stats\":{\"medianMs\":-3}}}") << s("a result without");
    QTest::addRow("fastest above median")
        << s("{\"event\":\"result\",\"measurement\":{\"status\":\"ok\",\"stats\":{\"medianMs\":3,\"minMs\":4}}}")
        << s("a result without");
    QTest::addRow("error status as result")
        << s("{\"event\":\"result\",\"measurement\":{\"status\":\"error\",\"stats\":{\"medianMs\":3}}}") << s("a result without");
}

void TestCampaign::malformedAgentOutput()
{
    QFETCH(QString, line);
    QFETCH(QString, expected);
    try {
        agent::eventFromLine(line.toStdString());
        QFAIL("a malformed line was accepted");
    } catch (const Error &e) {
        const std::string what = e.what();
        QVERIFY2(what.find(expected.toStdString()) != std::string::npos, what.c_str());
        QVERIFY2(what.find("agent output '") != std::string::npos, what.c_str());
    }
    // The well-formed result a real agent prints reads back.
    runtime::Measurement m;
    m.platform = "torch-cpu-1t";
    m.stats.medianMs = 4.0;
    m.stats.minMs = 3.5;
    agent::AgentEvent good;
    good.kind = agent::AgentEvent::Kind::Result;
    good.model = "resnet18";
    good.measurement = m;
    const auto back = agent::eventFromLine(agent::eventToLine(good));
    QCOMPARE(back.measurement->stats.minMs, 3.5);
}

QTEST_APPLESS_MAIN(TestCampaign)
#include "tst_campaign.moc"
