// The Network Characteristic Database (SPEC §6) and its bad-input cases (SPEC §14): corrupt,
// truncated, newer, foreign and locked files are refused with a clear message and left untouched.

#include "collections.h"
#include "dbtestutil.h"

#include <sqlite3.h>

#include <QtTest>

#include <filesystem>
#include <random>

using namespace dbtest;
namespace fs = std::filesystem;

class TestDatabase : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void createsSchema_data();
    void createsSchema();
    void reopenIsIdempotent();
    void missingFile_data();
    void missingFile();
    void corruptFile_data();
    void corruptFile();
    void damagedPageIsReported();
    void newerSchemaRefused();
    void foreignSqliteFileRefused();
    void lockedForWriting();
    void lockedAtOpen();
    void foreignKeyViolations_data();
    void foreignKeyViolations();
    void transactionsRollBack();

private:
    QTemporaryDir m_dir;
    std::string m_path;
};

void TestDatabase::init()
{
    QVERIFY(m_dir.isValid());
    static int counter = 0;
    m_path = m_dir.filePath(QStringLiteral("project%1.sniperdb").arg(++counter)).toStdString();
}

void TestDatabase::createsSchema_data()
{
    QTest::addColumn<QString>("table");
    for (const char *t : {"models", "features", "platforms", "measurements", "datasets", "dataset_members",
                          "predictors", "experiments", "runs", "run_items"})
        QTest::addRow("%s", t) << QString::fromLatin1(t);
}

void TestDatabase::createsSchema()
{
    QFETCH(QString, table);
    Database db = Database::open(m_path);
    QCOMPARE(db.schemaVersion(), kSchemaVersion);
    QCOMPARE(db.journalMode(), std::string("wal"));
    QVERIFY(db.foreignKeysEnabled());
    const auto tables = db.tables();
    QVERIFY2(std::find(tables.begin(), tables.end(), table.toStdString()) != tables.end(), qPrintable(table));
    QVERIFY(db.integrityCheck().ok);
}

void TestDatabase::reopenIsIdempotent()
{
    makeProject(m_path);
    for (int i = 0; i < 2; ++i) {
        Database db = Database::open(m_path, OpenMode::ExistingOnly);
        QCOMPARE(db.schemaVersion(), kSchemaVersion);
        QCOMPARE(ModelRepository(db).count(), 1);
        QCOMPARE(MeasurementRepository(db).count(), 1);
    }
    Database ro = Database::open(m_path, OpenMode::ReadOnly);
    QVERIFY(ro.isReadOnly());
    QCOMPARE(MeasurementRepository(ro).count(), 1);
    QVERIFY(contains(messageOf([&] { PlatformRepository(ro).upsert({"x", {}, 0}); }), "read-only"));
}

void TestDatabase::missingFile_data()
{
    QTest::addColumn<int>("mode");
    QTest::addRow("existing only") << int(OpenMode::ExistingOnly);
    QTest::addRow("read only") << int(OpenMode::ReadOnly);
}

void TestDatabase::missingFile()
{
    QFETCH(int, mode);
    const std::string msg = messageOf([&] { Database::open(m_path, OpenMode(mode)); });
    QVERIFY2(contains(msg, m_path) && contains(msg, "does not exist"), msg.c_str());
    QVERIFY(!fs::exists(m_path));
}

void TestDatabase::corruptFile_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::addRow("random bytes") << QStringLiteral("random") << QStringLiteral("not an SQLite database");
    QTest::addRow("text file") << QStringLiteral("text") << QStringLiteral("not an SQLite database");
    QTest::addRow("truncated to half") << QStringLiteral("half") << QStringLiteral("truncated");
    QTest::addRow("truncated inside the header") << QStringLiteral("header") << QStringLiteral("truncated");
    QTest::addRow("SQLite magic, garbage after") << QStringLiteral("magic") << QStringLiteral("");
}

void TestDatabase::corruptFile()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    std::string bytes;
    std::mt19937 rng(42);
    if (kind == QLatin1String("random")) {
        for (int i = 0; i < 8192; ++i)
            bytes.push_back(char(rng()));
    } else if (kind == QLatin1String("text")) {
        bytes = "index,arch,latency\n0,|none~0|,1.0\n";
    } else {
        makeProject(m_path);
        // Enough rows that the file spans many pages.
        {
            Database db = Database::open(m_path);
            ModelRepository models(db);
            Transaction tx(db);
            for (int i = 0; i < 300; ++i) {
                ModelRecord m;
                m.name = "m" + std::to_string(i);
                m.contentHash = sourceHash(m.name);
                m.onnx.assign(200, uint8_t(i));
                models.upsert(m);
            }
            tx.commit();
        }
        bytes = readBytes(m_path);
        QVERIFY(bytes.size() > 16384);
        if (kind == QLatin1String("half"))
            bytes.resize(bytes.size() / 2);
        else if (kind == QLatin1String("header"))
            bytes.resize(50);
        else
            for (size_t i = 16; i < bytes.size(); ++i)
                bytes[i] = char(rng());
    }
    writeBytes(m_path, bytes);

    const std::string msg = messageOf([&] {
        Database db = Database::open(m_path);
        // Garbage after a valid magic may get past the header check; then reading must fail cleanly.
        ModelRepository(db).list();
        if (!db.integrityCheck().ok)
            throw Error("integrity check failed", db.path());
    });
    qInfo("%s", msg.c_str());
    QVERIFY2(contains(msg, m_path), msg.c_str());
    QVERIFY2(contains(msg, expected.toStdString()), msg.c_str());
    QVERIFY2(readBytes(m_path) == bytes, "a refused file must not be modified");
}

void TestDatabase::damagedPageIsReported()
{
    makeProject(m_path);
    {
        Database db = Database::open(m_path);
        ModelRepository models(db);
        Transaction tx(db);
        for (int i = 0; i < 200; ++i) {
            ModelRecord m;
            m.name = "m" + std::to_string(i);
            m.contentHash = sourceHash(m.name);
            models.upsert(m);
        }
        tx.commit();
    }
    std::string bytes = readBytes(m_path);
    const size_t pageSize = 4096;
    QVERIFY(bytes.size() >= 4 * pageSize);
    for (size_t i = 2 * pageSize; i < 3 * pageSize; ++i) // the third page: a table or index page
        bytes[i] = char(0xA5);
    writeBytes(m_path, bytes);

    std::string msg;
    try {
        Database db = Database::open(m_path);
        const IntegrityReport report = db.integrityCheck();
        QVERIFY(!report.ok);
        QVERIFY(!report.problems.empty());
        msg = "integrity check reported: " + report.problems.front();
    } catch (const Error &e) {
        msg = e.what();
        QVERIFY2(contains(msg, m_path) && contains(msg, "corrupt"), msg.c_str());
    }
    qInfo("%s", msg.c_str());
}

void TestDatabase::newerSchemaRefused()
{
    makeProject(m_path);
    sqlite3 *raw = nullptr;
    QCOMPARE(sqlite3_open(m_path.c_str(), &raw), SQLITE_OK);
    QCOMPARE(sqlite3_exec(raw, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
    const std::string before = readBytes(m_path);

    const std::string msg = messageOf([&] { Database::open(m_path); });
    QVERIFY2(contains(msg, m_path), msg.c_str());
    QVERIFY2(contains(msg, "version 7") && contains(msg, "(" + std::to_string(kSchemaVersion) + ")"), msg.c_str());
    QVERIFY2(contains(msg, "Nothing was changed"), msg.c_str());
    QVERIFY(readBytes(m_path) == before);
}

void TestDatabase::foreignSqliteFileRefused()
{
    sqlite3 *raw = nullptr;
    QCOMPARE(sqlite3_open(m_path.c_str(), &raw), SQLITE_OK);
    QCOMPARE(sqlite3_exec(raw, "CREATE TABLE contacts (name TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
    const std::string before = readBytes(m_path);
    const std::string msg = messageOf([&] { Database::open(m_path); });
    QVERIFY2(contains(msg, "not a Sniper Workbench database") && contains(msg, m_path), msg.c_str());
    QVERIFY(readBytes(m_path) == before);
}

void TestDatabase::lockedForWriting()
{
    makeProject(m_path);
    Database holder = Database::open(m_path);
    Transaction hold(holder); // BEGIN IMMEDIATE: the write lock
    PlatformRepository(holder).upsert({"held", {}, 0});

    Database other = Database::open(m_path, OpenMode::ExistingOnly, {100});
    QCOMPARE(MeasurementRepository(other).count(), 1); // WAL: readers still read
    QElapsedTimer timer;
    timer.start();
    const std::string msg = messageOf([&] { PlatformRepository(other).upsert({"blocked", {}, 0}); });
    const qint64 waited = timer.elapsed();
    QVERIFY2(contains(msg, "locked") && contains(msg, "100 ms") && contains(msg, m_path), msg.c_str());
    QVERIFY2(waited >= 80 && waited < 5000, QByteArray::number(waited).constData()); // gave up, did not hang

    hold.commit();
    PlatformRepository(other).upsert({"after", {}, 0});
    QVERIFY(PlatformRepository(other).find("after"));
    QVERIFY(PlatformRepository(other).find("held"));
}

void TestDatabase::lockedAtOpen()
{
    makeProject(m_path);
    // Another program holds an exclusive lock in rollback-journal mode: even reading must wait.
    sqlite3 *raw = nullptr;
    QCOMPARE(sqlite3_open(m_path.c_str(), &raw), SQLITE_OK);
    QCOMPARE(sqlite3_exec(raw, "PRAGMA journal_mode = DELETE; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                               "INSERT INTO platforms (id, created_ms) VALUES ('p', 0);",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);
    QElapsedTimer timer;
    timer.start();
    const std::string msg = messageOf([&] { Database::open(m_path, OpenMode::ExistingOnly, {100}); });
    const qint64 waited = timer.elapsed();
    sqlite3_exec(raw, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    QVERIFY2(contains(msg, "locked") && contains(msg, m_path), msg.c_str());
    QVERIFY2(waited < 5000, QByteArray::number(waited).constData());
    Database db = Database::open(m_path, OpenMode::ExistingOnly);
    QVERIFY(!PlatformRepository(db).find("p"));
}

void TestDatabase::foreignKeyViolations_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::addRow("measurement, unknown model") << QStringLiteral("model") << QStringLiteral("unknown model (id 999)");
    QTest::addRow("measurement, unknown platform") << QStringLiteral("platform") << QStringLiteral("unknown platform 'nope'");
    QTest::addRow("features, unknown model") << QStringLiteral("features") << QStringLiteral("no model with id 999");
    QTest::addRow("dataset member, unknown model") << QStringLiteral("member") << QStringLiteral("unknown model or dataset");
    QTest::addRow("run item, unknown platform") << QStringLiteral("runitem") << QStringLiteral("nothing was planned");
}

void TestDatabase::foreignKeyViolations()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    makeProject(m_path);
    Database db = Database::open(m_path);
    const int64_t model = ModelRepository(db).list().front().id;
    std::function<void()> write;
    if (what == QLatin1String("model"))
        write = [&] { MeasurementRepository(db).insert(999, measurementOn("torch-cpu-1t", 2.0, 4)); };
    else if (what == QLatin1String("platform"))
        write = [&] { MeasurementRepository(db).insert(model, measurementOn("nope", 2.0)); };
    else if (what == QLatin1String("features"))
        write = [&] { FeatureRepository(db).put(999, "v1", features::Features{}); };
    else if (what == QLatin1String("member"))
        write = [&] {
            DatasetRepository ds(db);
            ds.setMembers(ds.create({0, "set", "zoo", {}, 0}), {{model, "train"}, {999, "test"}});
        };
    else
        write = [&] { RunRepository(db).addItems(RunRepository(db).create("profile", {}), {item(model, "nope", 1)}); };
    const std::string msg = messageOf(write);
    QVERIFY2(contains(msg, expected.toStdString()) && contains(msg, m_path), msg.c_str());
    // Nothing half-written.
    QCOMPARE(MeasurementRepository(db).count(), 1);
    QCOMPARE(FeatureRepository(db).count(), 0);
    for (const auto &d : DatasetRepository(db).list())
        QCOMPARE(DatasetRepository(db).memberCount(d.id), 0);
    for (const auto &r : RunRepository(db).list())
        QCOMPARE(RunRepository(db).progress(r.id).total(), 0);
    QVERIFY(db.integrityCheck().ok);
}

void TestDatabase::transactionsRollBack()
{
    Database db = Database::open(m_path);
    PlatformRepository platforms(db);
    {
        Transaction tx(db);
        platforms.upsert({"dropped", {}, 0});
    } // no commit
    QVERIFY(!platforms.find("dropped"));
    {
        Transaction outer(db);
        platforms.upsert({"kept", {}, 0});
        {
            Transaction inner(db); // a savepoint
            platforms.upsert({"inner", {}, 0});
            inner.rollback();
        }
        outer.commit();
    }
    QVERIFY(platforms.find("kept"));
    QVERIFY(!platforms.find("inner"));
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
