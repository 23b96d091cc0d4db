// The torchvision zoo, exported at test time by tools/export_zoo.py (random weights, opsets 13
// and 17): exact parameter counts, MACs against the references, structure-only equality, and
// export -> import identity with onnx::checker (SPEC §2, issue "Foundation" acceptance).

#include "common/error.h"
#include "features/features.h"
#include "features/inspect.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>

using namespace sniper;

namespace {

// MACs published with torchvision's models (SPEC §2), at 224x224 unless noted.
const std::map<std::string, double> kReferenceMacs = {
    {"resnet18", 1.814e9}, {"resnet50", 4.089e9}, {"vgg16", 15.470e9}, {"mobilenet_v2", 0.301e9},
    {"densenet121", 2.834e9}, {"googlenet", 1.498e9}, {"inception_v3", 5.713e9}, {"efficientnet_b0", 0.386e9},
    {"squeezenet1_1", 0.349e9}, {"shufflenet_v2_x1_0", 0.145e9},
};

nlohmann::json manifest()
{
    std::ifstream in(std::string(SNIPER_ZOO_DIR) + "/manifest.json");
    if (!in)
        return {};
    return nlohmann::json::parse(in, nullptr, false);
}

std::string zooPath(const std::string &file) { return std::string(SNIPER_ZOO_DIR) + "/" + file; }

features::ModelReport analyze(const std::string &path, bool weights)
{
    onnx::ImportOptions o;
    o.loadWeights = weights;
    return features::analyzeGraph(onnx::importOnnxFile(path, o), path);
}

void compareFeatures(const features::Features &a, const features::Features &b, const char *what)
{
    const auto &table = features::featureTable();
    QCOMPARE(a.values.size(), table.size());
    QCOMPARE(b.values.size(), table.size());
    for (size_t i = 0; i < table.size(); ++i)
        QVERIFY2(a.values[i] == b.values[i],
                 qPrintable(QStringLiteral("%1: feature %2 differs: %3 vs %4")
                                .arg(QLatin1String(what), QLatin1String(table[i].name))
                                .arg(a.values[i], 0, 'g', 17)
                                .arg(b.values[i], 0, 'g', 17)));
    QCOMPARE(a.requiredOperators, b.requiredOperators);
    QCOMPARE(a.structureClass, b.structureClass);
}

} // namespace

class TestZoo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void zooModel_data();
    void zooModel();
    void missingExternalDataImports();

private:
    nlohmann::json m_manifest;
};

void TestZoo::initTestCase()
{
    m_manifest = manifest();
    QVERIFY2(m_manifest.is_object() && m_manifest.contains("models"),
             "no zoo manifest: the zoo_export CTest fixture (tests/tools/export_zoo.py) must run first");
    QVERIFY(m_manifest["models"].size() >= 12);
    QDir().mkpath(QString::fromStdString(zooPath("roundtrip")));
}

void TestZoo::zooModel_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("opset");
    const nlohmann::json all = manifest();
    for (const auto &m : all["models"])
        for (const auto &[opset, file] : m["files"].items())
            QTest::addRow("%s op%s", m["name"].get<std::string>().c_str(), opset.c_str())
                << QString::fromStdString(m["name"].get<std::string>()) << QString::fromStdString(opset);
}

void TestZoo::zooModel()
{
    QFETCH(QString, name);
    QFETCH(QString, opset);
    nlohmann::json entry;
    for (const auto &m : m_manifest["models"])
        if (m["name"] == name.toStdString())
            entry = m;
    const std::string file = entry["files"][opset.toStdString()];
    const std::string structureFile = entry["structure_files"][opset.toStdString()];

    features::ModelReport full;
    try {
        full = analyze(zooPath(file), true);
    } catch (const Error &e) {
        QFAIL(e.what());
    }

    // Parameters: exactly PyTorch's sum(p.numel()).
    QCOMPARE(full.cost.params, entry["params"].get<int64_t>());

    // MACs: within 1% of the published figure, and of the count taken with PyTorch hooks.
    const double hooks = entry["macs_hooks"].get<double>();
    QVERIFY2(std::abs(double(full.cost.macs) - hooks) <= 0.01 * hooks,
             qPrintable(QStringLiteral("MACs %1 vs hooks %2").arg(full.cost.macs).arg(hooks, 0, 'f', 0)));
    auto ref = kReferenceMacs.find(name.toStdString());
    if (ref != kReferenceMacs.end())
        QVERIFY2(std::abs(double(full.cost.macs) - ref->second) <= 0.01 * ref->second,
                 qPrintable(QStringLiteral("MACs %1 vs reference %2").arg(full.cost.macs).arg(ref->second, 0, 'g', 6)));

    // Structure-only export: identical features.
    features::ModelReport structure = analyze(zooPath(structureFile), false);
    compareFeatures(full.features, structure.features, "structure-only");
    QCOMPARE(structure.cost.params, full.cost.params);

    // Export -> import is the identity on every feature, and the file passes onnx::checker.
    const std::string out = zooPath("roundtrip/" + file);
    onnx::exportOnnxFile(full.graph, out);
    try {
        onnx::checkOnnxFile(out);
    } catch (const Error &e) {
        QFAIL(e.what());
    }
    features::ModelReport again = analyze(out, true);
    compareFeatures(full.features, again.features, "export->import");
    QCOMPARE(again.cost.params, full.cost.params);
    QCOMPARE(again.cost.macs, full.cost.macs);
    QCOMPARE(again.graph.nodes.size(), full.graph.nodes.size());
}

void TestZoo::missingExternalDataImports()
{
    std::string ext;
    for (const auto &m : m_manifest["models"])
        if (m.contains("extmissing_file"))
            ext = m["extmissing_file"];
    QVERIFY(!ext.empty());
    features::ModelReport missing = analyze(zooPath(ext), true);
    features::ModelReport full = analyze(zooPath("resnet18_op13.onnx"), true);
    compareFeatures(full.features, missing.features, "missing external data");
    for (const auto &v : missing.graph.values)
        if (v.isParameter)
            QVERIFY2(!v.hasData(), v.name.c_str());
}

QTEST_APPLESS_MAIN(TestZoo)
#include "tst_zoo.moc"
