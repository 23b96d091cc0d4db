// CSV/JSON import and export of the Network Characteristic Database (SPEC §6, §14): RFC 4180
// parsing, malformed rows reported with line numbers while good rows are kept, round trips.

#include "csv.h"
#include "importexport.h"
#include "measurements.h"
#include "models.h"

#include <QtTest>

#include <cmath>
#include <functional>
#include <sstream>

using namespace sniper;
using namespace sniper::db;

namespace {

bool contains(const std::string &haystack, const std::string &needle) { return haystack.find(needle) != std::string::npos; }

ModelRecord named(const std::string &name)
{
    ModelRecord m;
    m.name = name;
    m.source = "test:" + name;
    m.contentHash = sourceHash(m.source);
    return m;
}

// Two models and measurements covering unknown statistics, an unsupported row and odd text.
void fill(Database &db)
{
    ModelRepository models(db);
    const int64_t a = models.upsert(named("resnet18")).id;
    const int64_t b = models.upsert(named("vgg16")).id;
    PlatformRepository(db).upsert({"torch-cpu-1t", {{"blas", "openblas"}, {"threads", 1}}, 0});
    PlatformRepository(db).upsert({"opencv-cpu-1t", {{"runtime", "opencv 4.6"}}, 0});
    MeasurementRepository repo(db);
    runtime::Measurement m;
    m.platform = "torch-cpu-1t";
    m.stats = {12.5, 12.7, 0.3, 12.1, 13.0, 0.05, 31, true};
    m.environment.availableMemoryMb = 1500;
    m.timestampMs = 1'700'000'000'123;
    repo.insert(a, m);
    m.protocol.batch = 8;
    m.stats.medianMs = 90.25;
    repo.insert(b, m);
    runtime::Measurement u;
    u.platform = "opencv-cpu-1t";
    u.status = runtime::MeasurementStatus::Unsupported;
    u.message = "Identity, \"quoted\"\nsecond line";
    u.stats.medianMs = runtime::MeasurableParams::kUnknown;
    u.timestampMs = 5;
    repo.insert(b, u);
}

std::string render(const CsvRecord &r)
{
    if (!r.error.empty())
        return std::to_string(r.line) + ":!" + r.error;
    std::string s = std::to_string(r.line) + ":";
    for (size_t i = 0; i < r.fields.size(); ++i)
        s += (i ? "|" : "") + r.fields[i];
    return s;
}

} // namespace

class TestCsvImport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void csvReader_data();
    void csvReader();
    void csvWriterQuotes();
    void malformedMeasurementRow_data();
    void malformedMeasurementRow();
    void lineNumbersAcrossQuotedNewlines();
    void malformedJson_data();
    void malformedJson();
    void measurementsRoundTrip_data();
    void measurementsRoundTrip();
    void featuresRoundTrip_data();
    void featuresRoundTrip();

private:
    QTemporaryDir m_dir;
    std::string m_path;
};

void TestCsvImport::init()
{
    QVERIFY(m_dir.isValid());
    static int counter = 0;
    m_path = m_dir.filePath(QStringLiteral("p%1.sniperdb").arg(++counter)).toStdString();
}

void TestCsvImport::csvReader_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected"); // "line:a|b" or "line:!error prefix"
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::addRow("plain") << s("a,b,c\n1,2,3\n") << QStringList{s("1:a|b|c"), s("2:1|2|3")};
    QTest::addRow("CRLF, no final newline") << s("a,b\r\n1,2") << QStringList{s("1:a|b"), s("2:1|2")};
    QTest::addRow("quoted comma, quote, newline")
        << s("x,y\n\"a,b\",\"say \"\"hi\"\"\"\n\"multi\nline\",z\nlast,row\n")
        << QStringList{s("1:x|y"), s("2:a,b|say \"hi\""), s("3:multi\nline|z"), s("5:last|row")};
    QTest::addRow("BOM and blank lines") << s("\xEF\xBB\xBF" "a\n\n\nb\n") << QStringList{s("1:a"), s("4:b")};
    QTest::addRow("empty fields") << s(",,\n\"\",x\n") << QStringList{s("1:||"), s("2:|x")};
    QTest::addRow("quote inside unquoted field")
        << s("a,b\"c,d\nok,1\n") << QStringList{s("1:!quote inside unquoted field 2"), s("2:ok|1")};
    QTest::addRow("junk after closing quote")
        << s("\"a\"x,b\nok,1\n") << QStringList{s("1:!unexpected 'x' after the closing quote of field 1"), s("2:ok|1")};
    QTest::addRow("unterminated quote")
        << s("a,b\n\"open,1\nmore\n") << QStringList{s("1:a|b"), s("2:!unterminated quoted field 1 (opened on line 2)")};
}

void TestCsvImport::csvReader()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    const std::string utf8 = text.toStdString();
    CsvReader reader(utf8);
    CsvRecord r;
    QStringList got;
    while (reader.next(r))
        got << QString::fromStdString(render(r));
    QCOMPARE(got.size(), expected.size());
    for (int i = 0; i < got.size(); ++i)
        QVERIFY2(got[i].startsWith(expected[i]), qPrintable(got[i] + QStringLiteral(" vs ") + expected[i]));
}

void TestCsvImport::csvWriterQuotes()
{
    std::ostringstream out;
    writeCsvRow(out, {"plain", "a,b", "say \"hi\"", "two\nlines", ""});
    QCOMPARE(out.str(), std::string("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"));
    const std::string text = out.str();
    CsvReader reader(text);
    CsvRecord r;
    QVERIFY(reader.next(r));
    QCOMPARE(r.fields, (std::vector<std::string>{"plain", "a,b", "say \"hi\"", "two\nlines", ""}));
}

void TestCsvImport::malformedMeasurementRow_data()
{
    QTest::addColumn<QString>("row");
    QTest::addColumn<QString>("expected");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::addRow("not a number") << s("vgg16,torch-cpu-1t,1,ok,abc,30") << s("median_ms 'abc' is not a non-negative number");
    QTest::addRow("missing field") << s("vgg16,torch-cpu-1t,1,ok,13.0") << s("expected 6 fields, found 5");
    QTest::addRow("extra field") << s("vgg16,torch-cpu-1t,1,ok,13.0,3,9") << s("expected 6 fields, found 7");
    QTest::addRow("unknown model") << s("mystery_net,torch-cpu-1t,1,ok,5,10") << s("unknown model 'mystery_net'");
    QTest::addRow("batch zero") << s("vgg16,torch-cpu-1t,0,ok,5,10") << s("batch '0' is not a whole number >= 1");
    QTest::addRow("bad status") << s("vgg16,torch-cpu-1t,1,fast,5,10") << s("status 'fast' is not ok");
    QTest::addRow("ok without latency") << s("vgg16,torch-cpu-1t,1,ok,,10") << s("needs a positive median_ms");
    QTest::addRow("negative latency") << s("vgg16,torch-cpu-1t,1,ok,-2,10") << s("median_ms '-2'");
    QTest::addRow("nan latency") << s("vgg16,torch-cpu-1t,1,ok,nan,10") << s("median_ms 'nan' is not a non-negative number");
    QTest::addRow("infinite latency") << s("vgg16,torch-cpu-1t,1,ok,inf,10") << s("median_ms 'inf' is not a non-negative number");
    QTest::addRow("infinite runs") << s("vgg16,torch-cpu-1t,1,ok,5,inf") << s("runs 'inf' is not a whole number");
    QTest::addRow("junk after quote") << s("vgg16,\"torch-cpu-1t\"x,1,ok,5,10") << s("unexpected 'x'");
    QTest::addRow("empty platform") << s("vgg16,,1,ok,5,10") << s("empty platform");
}

void TestCsvImport::malformedMeasurementRow()
{
    QFETCH(QString, row);
    QFETCH(QString, expected);
    Database db = Database::open(m_path);
    ModelRepository(db).upsert(named("resnet18"));
    ModelRepository(db).upsert(named("vgg16"));
    const std::string text = "model,platform,batch,status,median_ms,runs\n"
                             "resnet18,torch-cpu-1t,1,ok,12.5,30\n"
        + row.toStdString() + "\n" + "\"resnet18\",opencv-cpu-1t,1,unsupported,,0\n";
    const ImportReport report = importMeasurementsCsvText(db, text, "table.csv");
    QCOMPARE(report.imported, 2); // the good rows around the bad one
    QCOMPARE(report.skipped, 1);
    QCOMPARE(report.errors.size(), size_t(1));
    QCOMPARE(report.errors[0].line, 3);
    QVERIFY2(contains(report.errors[0].message, expected.toStdString()), report.errors[0].text().c_str());
    QVERIFY(contains(report.summary(), "1 error"));
    QCOMPARE(MeasurementRepository(db).count(), 2);

    // Importing again changes nothing.
    const ImportReport again = importMeasurementsCsvText(db, text, "table.csv");
    QCOMPARE(again.imported, 0);
    QCOMPARE(again.alreadyPresent, 2);
}

void TestCsvImport::lineNumbersAcrossQuotedNewlines()
{
    Database db = Database::open(m_path);
    fill(db);
    const std::string text = "model,platform,batch,status,message,median_ms\n"      // 1
                             "resnet18,new-board,1,error,\"line one\nline two\",\n" // 2-3
                             "vgg16,new-board,1,ok,,oops\n"                         // 4
                             "resnet18,new-board,2,ok,,7\n"                         // 5
                             "unknown,new-board,1,ok,,7\n";                         // 6
    const ImportReport r = importMeasurementsCsvText(db, text, "t.csv");
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.errors.size(), size_t(2));
    QCOMPARE(r.errors[0].line, 4);
    QCOMPARE(r.errors[1].line, 6);
    QCOMPARE(r.platformsCreated, 1);
    QCOMPARE(r.errors[1].text().substr(0, 8), std::string("line 6: "));

    // Refusing to overwrite: each existing row is an error of its own, the new one goes in.
    ImportOptions failOptions;
    failOptions.onConflict = OnConflict::Fail;
    const ImportReport again = importMeasurementsCsvText(db, text + "vgg16,new-board,3,ok,,8\n", "t.csv", failOptions);
    QCOMPARE(again.imported, 1);
    QCOMPARE(again.errors.size(), size_t(4));
    QCOMPARE(again.errors[0].line, 2);
    QVERIFY2(contains(again.errors[0].message, "already measured"), again.errors[0].text().c_str());
}

void TestCsvImport::malformedJson_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("imported");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("expected");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::addRow("does not parse") << s("{\n \"measurements\": [\n  {\"model\": }\n]}") << 0 << 3
                                    << s("JSON does not parse");
    QTest::addRow("wrong shape") << s("[1, 2]") << 0 << 0 << s("expected an object with a \"measurements\" array");
    QTest::addRow("bad entry kept apart")
        << s("{\"measurements\": [{\"model\": \"resnet18\", \"platform\": \"p\", \"median_ms\": \"abc\"},"
             " {\"model\": \"resnet18\", \"platform\": \"p\", \"median_ms\": 4.5}, 7]}")
        << 1 << 0 << s("measurements[0]: median_ms 'abc'");
    QTest::addRow("wrong types") << s("{\"platforms\": [{\"id\": 5}], \"models\": [{\"name\": 1}], \"measurements\": "
                                      "[{\"model\": [1], \"platform\": \"p\", \"median_ms\": 1}]}")
                                 << 0 << 0 << s("measurements[0]: unknown model '[1]'");
}

void TestCsvImport::malformedJson()
{
    QFETCH(QString, text);
    QFETCH(int, imported);
    QFETCH(int, line);
    QFETCH(QString, expected);
    Database db = Database::open(m_path);
    ModelRepository(db).upsert(named("resnet18"));
    const ImportReport r = importMeasurementsJsonText(db, text.toStdString(), "m.json");
    QCOMPARE(r.imported, imported);
    QVERIFY(!r.errors.empty());
    QCOMPARE(r.errors[0].line, line);
    QVERIFY2(contains(r.errors[0].message, expected.toStdString()), r.errors[0].text().c_str());
    QCOMPARE(MeasurementRepository(db).count(), imported);
}

void TestCsvImport::measurementsRoundTrip_data()
{
    QTest::addColumn<bool>("json");
    QTest::addRow("csv") << false;
    QTest::addRow("json") << true;
}

void TestCsvImport::measurementsRoundTrip()
{
    QFETCH(bool, json);
    std::ostringstream out;
    std::vector<MeasurementRecord> original;
    {
        Database db = Database::open(m_path);
        fill(db);
        json ? exportMeasurementsJson(db, out) : exportMeasurementsCsv(db, out);
        original = MeasurementRepository(db).list();
    }
    const std::string target = m_path + ".copy";
    Database copy = Database::open(target);
    if (!json) { // CSV carries names and hashes only: the models must exist
        ModelRepository(copy).upsert(named("resnet18"));
        ModelRepository(copy).upsert(named("vgg16"));
    }
    const ImportReport r = json ? importMeasurementsJsonText(copy, out.str(), "m.json")
                                : importMeasurementsCsvText(copy, out.str(), "m.csv");
    QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : r.errors[0].text().c_str());
    QCOMPARE(r.imported, int64_t(original.size()));
    QCOMPARE(r.modelsCreated, json ? 2 : 0);
    if (json) // platform descriptions travel in JSON
        QCOMPARE(PlatformRepository(copy).find("torch-cpu-1t")->description["blas"].get<std::string>(),
                 std::string("openblas"));
    const auto copied = MeasurementRepository(copy).list();
    QCOMPARE(copied.size(), original.size());
    for (size_t i = 0; i < copied.size(); ++i) {
        const auto &a = original[i].measurement, &b = copied[i].measurement;
        QCOMPARE(copied[i].modelName, original[i].modelName);
        QCOMPARE(b.platform, a.platform);
        QCOMPARE(b.protocol.batch, a.protocol.batch);
        QCOMPARE(b.protocol.maxRuns, a.protocol.maxRuns);
        QCOMPARE(b.status, a.status);
        QCOMPARE(b.message, a.message);
        QCOMPARE(std::isnan(b.stats.medianMs), std::isnan(a.stats.medianMs));
        if (!std::isnan(a.stats.medianMs))
            QCOMPARE(b.stats.medianMs, a.stats.medianMs); // shortest round-trip text is exact
        QCOMPARE(b.stats.p90Ms, a.stats.p90Ms);
        QCOMPARE(b.stats.runs, a.stats.runs);
        QCOMPARE(b.stats.converged, a.stats.converged);
        QCOMPARE(b.environment.availableMemoryMb, a.environment.availableMemoryMb);
        QVERIFY(std::isnan(b.environment.cpuFrequencyMhz));
        QCOMPARE(b.timestampMs, a.timestampMs);
    }
}

void TestCsvImport::featuresRoundTrip_data()
{
    QTest::addColumn<bool>("json");
    QTest::addRow("csv") << false;
    QTest::addRow("json") << true;
}

void TestCsvImport::featuresRoundTrip()
{
    QFETCH(bool, json);
    const auto &table = features::featureTable();
    features::Features f;
    for (size_t i = 0; i < table.size(); ++i)
        f.values.push_back(0.1 * double(i) + 1e-9);
    f.values[3] = std::nan("");
    f.structureClass = 2;
    f.requiredOperators = {"Add", "Conv", "Gemm"};
    std::ostringstream out;
    {
        Database db = Database::open(m_path);
        const int64_t id = ModelRepository(db).upsert(named("resnet18")).id;
        FeatureRepository(db).put(id, "sniper-1", f);
        json ? exportFeaturesJson(db, out) : exportFeaturesCsv(db, out);
    }
    Database copy = Database::open(m_path + ".copy");
    const int64_t id = ModelRepository(copy).upsert(named("resnet18")).id;
    const ImportReport r = json ? importFeaturesJsonText(copy, out.str(), "f.json") : importFeaturesCsvText(copy, out.str(), "f.csv");
    QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : r.errors[0].text().c_str());
    QCOMPARE(r.imported, 1);
    const auto got = FeatureRepository(copy).get(id, "sniper-1");
    QVERIFY(got);
    QCOMPARE(got->structureClass, 2);
    QCOMPARE(got->requiredOperators, f.requiredOperators);
    for (size_t i = 0; i < table.size(); ++i)
        QVERIFY(got->values[i] == f.values[i] || (std::isnan(got->values[i]) && std::isnan(f.values[i])));

    if (!json) { // a misspelt feature column is a warning, a bad number a row error
        const std::string text = std::string("model,extractor_version,num_layerz,") + table[0].name + "\n"
            + "resnet18,v2,1,3\nresnet18,v3,1,x\n";
        const ImportReport bad = importFeaturesCsvText(copy, text, "bad.csv");
        QCOMPARE(bad.imported, 1);
        QCOMPARE(bad.warnings.size(), size_t(1));
        QVERIFY(contains(bad.warnings[0].message, "num_layerz"));
        QCOMPARE(bad.errors.size(), size_t(1));
        QCOMPARE(bad.errors[0].line, 3);
    }
}

QTEST_GUILESS_MAIN(TestCsvImport)
#include "tst_csvimport.moc"
