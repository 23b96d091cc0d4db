// Third-party latency tables (SPEC §6, §14): long tables naming models by cell, name or ONNX
// path, and the wide NAS-Bench-201 table of HELP (15,625 cells x 23 devices). Unknown models are
// reported per row with line numbers; the rest is imported.

#include "importexport.h"
#include "latencytable.h"
#include "measurements.h"
#include "models.h"

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

using namespace sniper;
using namespace sniper::db;
namespace fs = std::filesystem;

namespace {

const char *kCell0 = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
const char *kCell1 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";

bool contains(const std::string &haystack, const std::string &needle) { return haystack.find(needle) != std::string::npos; }

std::string messageOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.what();
    }
    return "(no sniper::Error thrown)";
}

ModelRecord named(const std::string &name)
{
    ModelRecord m;
    m.name = name;
    m.source = "test:" + name;
    m.contentHash = sourceHash(m.source);
    return m;
}

std::string nb201File() { return std::string(SNIPER_SOURCE_DIR) + "/../shared/datasets/nb201-help/nb201_latency_ms.csv.gz"; }

} // namespace

class TestLatencyTable : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void longLatencyTable();
    void unknownModelsInWideTable();
    void notALatencyTable();
    void nasBench201FeaturesHook();
    void nasBench201FullTable();

private:
    QTemporaryDir m_dir;
    std::string m_path;
};

void TestLatencyTable::init()
{
    QVERIFY(m_dir.isValid());
    static int counter = 0;
    m_path = m_dir.filePath(QStringLiteral("p%1.sniperdb").arg(++counter)).toStdString();
}

void TestLatencyTable::longLatencyTable()
{
    const fs::path dir = m_dir.filePath(QStringLiteral("table")).toStdString();
    fs::create_directories(dir / "models");
    fs::copy_file(fs::path(SNIPER_SOURCE_DIR) / "datasets/models/squeezenet1_1.onnx", dir / "models/sq.onnx",
                  fs::copy_options::overwrite_existing);
    std::ofstream(dir / "models/broken.onnx") << "not protobuf";
    const std::string table = (dir / "latency.csv").string();
    std::ofstream(table) << "model,device,batch,latency_ms\n"                                    // 1
                         << "\"" << kCell0 << "\",pixel4,1,3.5\n"                               // 2
                         << "resnet18,pixel4,1,40.0\n"                                         // 3
                         << "models/sq.onnx,pixel4,1,11\n"                                     // 4
                         << "models/sq.onnx,jetson-nano,4,9.5\n"                              // 5
                         << "mystery_net,pixel4,1,5\n"                                         // 6
                         << "models/broken.onnx,pixel4,1,5\n"                                  // 7
                         << "|nor_conv_3x3~1|+|none~0|none~1|+|none~0|none~1|none~2|,pixel4,1,5\n" // 8
                         << "resnet18,pixel4,2,-3\n"                                           // 9
                         << "resnet18,,1,4\n"                                                  // 10
                         << "resnet18,pixel4,4,nan\n"                                          // 11
                         << "resnet18,pixel4,8,inf\n";                                         // 12
    Database db = Database::open(m_path);
    ModelRepository(db).upsert(named("resnet18"));
    const ImportReport r = importLatencyTable(db, table);
    QCOMPARE(r.imported, 4);
    QCOMPARE(r.modelsCreated, 2); // the cell and the ONNX file
    QCOMPARE(r.platformsCreated, 2);
    std::vector<int> lines;
    for (const auto &e : r.errors)
        lines.push_back(e.line);
    QCOMPARE(lines, (std::vector<int>{6, 7, 8, 9, 10, 11, 12}));
    QVERIFY2(contains(r.errors[0].message, "unknown model 'mystery_net'"), r.errors[0].message.c_str());
    QVERIFY2(contains(r.errors[1].message, "broken.onnx"), r.errors[1].message.c_str());
    QVERIFY2(contains(r.errors[2].message, "malformed NAS-Bench-201 cell"), r.errors[2].message.c_str());
    QVERIFY2(contains(r.errors[3].message, "latency_ms '-3'"), r.errors[3].message.c_str());
    QVERIFY2(contains(r.errors[4].message, "empty device"), r.errors[4].message.c_str());
    QVERIFY2(contains(r.errors[5].message, "latency_ms 'nan' is not a positive number"), r.errors[5].message.c_str());
    QVERIFY2(contains(r.errors[6].message, "latency_ms 'inf' is not a positive number"), r.errors[6].message.c_str());

    ModelRepository models(db);
    const auto cell = models.list("nasbench201:");
    QCOMPARE(cell.size(), size_t(1));
    QCOMPARE(cell[0].onnxBytes, 0);
    const auto sq = models.findByName("sq");
    QCOMPARE(sq.size(), size_t(1));
    QVERIFY(sq[0].onnxBytes > 0);
    const auto m = MeasurementRepository(db).find(sq[0].id, "jetson-nano", 4);
    QVERIFY(m);
    QCOMPARE(m->measurement.stats.medianMs, 9.5);
    QCOMPARE(m->origin, std::string("import:latency.csv"));
    QVERIFY(std::isnan(m->measurement.stats.p90Ms)); // the table does not say
}

void TestLatencyTable::unknownModelsInWideTable()
{
    Database db = Database::open(m_path);
    const std::string text = std::string("index,arch,fpga,titan_rtx_32\n") + "0,\"" + kCell0 + "\",2.5,4.0\n"
        + "1,resnet_mystery,1.0,2.0\n" + "2,\"" + kCell1 + "\",3.25,\n" + "3,\"" + kCell1 + "\",x,1\n";
    const ImportReport r = importLatencyTableText(db, text, "wide.csv");
    QCOMPARE(r.imported, 4); // row 2: both; row 4: fpga; row 5: titan_rtx_32 only
    QCOMPARE(r.errors.size(), size_t(2));
    QCOMPARE(r.errors[0].line, 3);
    QVERIFY(contains(r.errors[0].message, "unknown model 'resnet_mystery'"));
    QCOMPARE(r.errors[1].line, 5);
    QVERIFY(contains(r.errors[1].message, "column fpga 'x'"));
    QCOMPARE(r.skipped, 3); // two cells of the unknown row, one bad cell
    const auto titan = PlatformRepository(db).find("nb201:titan_rtx_32");
    QVERIFY(titan);
    QCOMPARE(titan->description["batch"].get<int>(), 32);
    QCOMPARE(titan->description["hardware"].get<std::string>(), std::string("NVIDIA Titan RTX"));
    MeasurementFilter f;
    f.platform = "nb201:titan_rtx_32";
    QCOMPARE(MeasurementRepository(db).list(f).front().batch(), 32);
    QCOMPARE(ModelRepository(db).findByName("nb201-0").size(), size_t(1));
}

void TestLatencyTable::notALatencyTable()
{
    Database db = Database::open(m_path);
    const std::string msg = messageOf([&] { importLatencyTableText(db, "foo,bar\n1,2\n", "odd.csv"); });
    QVERIFY2(contains(msg, "odd.csv") && contains(msg, "not a latency table"), msg.c_str());
    const std::string missing = m_dir.filePath(QStringLiteral("nope.csv.gz")).toStdString();
    const std::string msg2 = messageOf([&] { importLatencyTable(db, missing); });
    QVERIFY2(contains(msg2, missing) && contains(msg2, "does not exist"), msg2.c_str());
}

void TestLatencyTable::nasBench201FeaturesHook()
{
    Database db = Database::open(m_path);
    LatencyTableOptions options;
    options.computeFeatures = nasBench201FeatureFunction();
    options.extractorVersion = "test-1";
    const std::string text = std::string("index,arch,eyeriss\n") + "0,\"" + kCell0 + "\",2.5\n1,\"" + kCell1 + "\",3\n";
    const ImportReport r = importLatencyTableText(db, text, "hook.csv", options);
    QCOMPARE(r.imported, 2);
    FeatureRepository features(db);
    QCOMPARE(features.count("test-1"), 2);
    const auto rows = features.list("test-1");
    const int layers = features::featureIndex("num_layers");
    QVERIFY(layers >= 0);
    QVERIFY(rows[0].features.values[size_t(layers)] > 10); // the CIFAR skeleton has dozens of layers
    QVERIFY(rows[0].features.values[size_t(layers)] != rows[1].features.values[size_t(layers)]);
}

void TestLatencyTable::nasBench201FullTable()
{
    const std::string path = nb201File();
    if (!fs::exists(path))
        QFAIL(qPrintable(QStringLiteral("the shared NAS-Bench-201 table is missing: %1 (it is part of the project's "
                                        "shared data, ../shared/datasets/nb201-help)")
                             .arg(QString::fromStdString(path))));
    Database db = Database::open(m_path);
    QElapsedTimer timer;
    timer.start();
    const ImportReport r = importLatencyTable(db, path);
    qInfo("imported %lld measurements of %lld models in %lld ms", qlonglong(r.imported), qlonglong(r.modelsCreated),
          qlonglong(timer.elapsed()));
    QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : r.errors[0].text().c_str());
    QCOMPARE(r.modelsCreated, 15625);
    QCOMPARE(r.platformsCreated, 23);
    QCOMPARE(r.imported, 15625 * 23);
    QCOMPARE(MeasurementRepository(db).count(), 15625 * 23);
    db.checkpoint();
    qInfo("database file: %.1f MB", double(db.stats().fileBytes) / 1e6);

    // Row 0 of the file: 1080ti_1 = 10.7544 ms, 1080ti_32 = 7.65848 ms at batch 32.
    const auto cell = ModelRepository(db).findByName("nb201-0");
    QCOMPARE(cell.size(), size_t(1));
    QCOMPARE(cell[0].source, std::string("nasbench201:") + kCell0);
    MeasurementRepository repo(db);
    QCOMPARE(repo.find(cell[0].id, "nb201:1080ti_1", 1)->measurement.stats.medianMs, 10.7544);
    QCOMPARE(repo.find(cell[0].id, "nb201:1080ti_32", 32)->measurement.stats.medianMs, 7.65848);
    QCOMPARE(PlatformRepository(db).find("nb201:essential_ph_1")->description["batch"].get<int>(), 1);

    timer.restart();
    const ImportReport again = importLatencyTable(db, path);
    qInfo("re-import (all present) in %lld ms", qlonglong(timer.elapsed()));
    QCOMPARE(again.imported, 0);
    QCOMPARE(again.alreadyPresent, 15625 * 23);
    QCOMPARE(again.modelsCreated, 0);
}

QTEST_GUILESS_MAIN(TestLatencyTable)
#include "tst_latencytable.moc"
