// The torchvision zoo with real (random, seeded) weights: our LibTorch executor reproduces
// PyTorch's own output within 1e-4 relative; OpenCV dnn too where it supports the model, and the
// models it does not support are listed with its reason.

#include "common/error.h"
#include "onnx/onnximport.h"
#include "runtime/runtime.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <fstream>

using namespace sniper;

namespace {

std::string zoo(const std::string &file) { return std::string(SNIPER_ZOO_DIR) + "/" + file; }

std::vector<float> readFloats(const std::string &path)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    std::vector<float> v(size_t(in.tellg()) / 4);
    in.seekg(0);
    in.read(reinterpret_cast<char *>(v.data()), std::streamsize(v.size() * 4));
    return v;
}

// max |a - b| / max |b|: relative to the output's scale, so near-zero logits do not dominate.
double relativeError(const std::vector<float> &a, const std::vector<float> &b)
{
    double diff = 0, scale = 0;
    for (size_t i = 0; i < b.size(); ++i) {
        diff = std::max(diff, double(std::fabs(a[i] - b[i])));
        scale = std::max(scale, double(std::fabs(b[i])));
    }
    return diff / std::max(scale, 1e-30);
}

} // namespace

class TestZooExecution : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void model_data();
    void model();
};

void TestZooExecution::model_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QString>("name");
    std::ifstream in(zoo("manifest.json"));
    QVERIFY2(in, "no zoo manifest: the zoo_export CTest fixture must run first");
    const auto manifest = nlohmann::json::parse(in);
    for (const char *platform : {"torch-cpu-1t", "opencv-cpu-1t"})
        for (const auto &m : manifest["models"])
            QTest::addRow("%s %s", platform, m["name"].get<std::string>().c_str())
                << QString::fromLatin1(platform) << QString::fromStdString(m["name"]);
}

void TestZooExecution::model()
{
    QFETCH(QString, platform);
    QFETCH(QString, name);
    const std::string n = name.toStdString();
    graph::Graph g = onnx::importOnnxFile(zoo(n + "_op13.onnx"));
    std::vector<float> x = readFloats(zoo(n + "_input.bin"));
    std::vector<float> want = readFloats(zoo(n + "_output.bin"));
    auto rt = runtime::createRuntime(platform.toStdString());
    std::string why = rt->unsupportedReason(g);
    if (!why.empty()) {
        QVERIFY2(platform.startsWith(QStringLiteral("opencv")), why.c_str()); // torch-cpu runs the whole zoo
        qInfo("%s does not support %s: %s", qPrintable(platform), n.c_str(), why.substr(0, 240).c_str());
        return;
    }
    auto out = rt->prepare(g)->run({runtime::HostTensor::fromFloats(g.values[g.inputs[0]].shape, x)});
    std::vector<float> got = out[0].toFloats();
    QCOMPARE(got.size(), want.size());
    double rel = relativeError(got, want);
    qInfo("%s %s: max relative difference to PyTorch %.3g", qPrintable(platform), n.c_str(), rel);
    QVERIFY2(rel <= 1e-4, qPrintable(QStringLiteral("relative difference %1").arg(rel)));
}

QTEST_APPLESS_MAIN(TestZooExecution)
#include "tst_zooexecution.moc"
