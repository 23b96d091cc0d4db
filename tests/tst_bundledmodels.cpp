// The structure-only models bundled in datasets/models (torchvision architectures, opset 13):
// each imports, its parameters equal PyTorch's count exactly, its MACs are within 1% of the
// count PyTorch hooks took, and a few features have their known values.

#include "features/inspect.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <fstream>

using namespace sniper;

class TestBundledModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void model_data();
    void model();
    void knownFeatures_data();
    void knownFeatures();
};

static std::string modelsDir() { return std::string(SNIPER_SOURCE_DIR) + "/datasets/models/"; }

void TestBundledModels::model_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<qlonglong>("params");
    QTest::addColumn<double>("macs");
    std::ifstream in(modelsDir() + "models.json");
    const auto manifest = nlohmann::json::parse(in);
    QVERIFY(manifest["models"].size() >= 20);
    for (const auto &m : manifest["models"])
        QTest::addRow("%s", m["name"].get<std::string>().c_str())
            << QString::fromStdString(m["file"]) << qlonglong(m["params"].get<int64_t>()) << m["macs"].get<double>();
}

void TestBundledModels::model()
{
    QFETCH(QString, file);
    QFETCH(qlonglong, params);
    QFETCH(double, macs);
    features::ModelReport r = features::inspectModel(modelsDir() + file.toStdString());
    QCOMPARE(qlonglong(r.cost.params), params);
    QVERIFY2(std::abs(double(r.cost.macs) - macs) <= 0.01 * macs,
             qPrintable(QStringLiteral("MACs %1 vs %2").arg(r.cost.macs).arg(macs, 0, 'f', 0)));
    QVERIFY(!r.criticalPath.nodes.empty());
    for (double v : r.features.values)
        QVERIFY(std::isfinite(v));
}

void TestBundledModels::knownFeatures_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("feature");
    QTest::addColumn<double>("value");
    // Counted from the torchvision source of each architecture.
    QTest::addRow("resnet50 adds") << "resnet50" << "n_add" << 16.0;
    QTest::addRow("resnet50 norms") << "resnet50" << "n_norm" << 53.0;
    QTest::addRow("resnet50 conv1x1") << "resnet50" << "n_conv1x1" << 36.0;
    QTest::addRow("resnet50 conv3x3") << "resnet50" << "n_conv3x3" << 16.0;
    QTest::addRow("resnet50 conv7x7") << "resnet50" << "n_conv7x7" << 1.0;
    QTest::addRow("resnet50 branches") << "resnet50" << "max_branches" << 2.0;
    QTest::addRow("mobilenet_v2 depthwise") << "mobilenet_v2" << "n_conv_depthwise" << 17.0;
    QTest::addRow("vgg16 fc") << "vgg16" << "n_fc" << 3.0;
    QTest::addRow("vgg16 line") << "vgg16" << "max_branches" << 1.0;
    QTest::addRow("googlenet branches") << "googlenet" << "max_branches" << 4.0;
    QTest::addRow("vit attention") << "vit_b_16" << "n_attention_matmul" << 24.0;
    QTest::addRow("vit softmax") << "vit_b_16" << "n_softmax" << 12.0;
}

void TestBundledModels::knownFeatures()
{
    QFETCH(QString, model);
    QFETCH(QString, feature);
    QFETCH(double, value);
    features::ModelReport r = features::inspectModel(modelsDir() + model.toStdString() + ".onnx");
    QCOMPARE(r.features.value(feature.toStdString()), value);
}

QTEST_APPLESS_MAIN(TestBundledModels)
#include "tst_bundledmodels.moc"
