// Key Feature Extraction (Algorithm 1 of Sniper and Ace-Sniper) on seeded synthetic data.

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>
#include <set>

#include "common/error.h"
#include "features/kfe.h"

using namespace sniper;
using namespace sniper::features;

namespace {

struct Synthetic {
    Matrix x;
    std::vector<double> latency;
};

// rows x 20 standard-normal features with some correlated pairs and a constant column;
// latency = 3*f2 + 0.5*f7 + 10*f13 + N(0, noise).
Synthetic planted(unsigned seed, int rows, double noise)
{
    const int cols = 20;
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    Synthetic s;
    s.x.rows = rows;
    s.x.cols = cols;
    s.x.data.resize(size_t(rows) * cols);
    for (int r = 0; r < rows; ++r) {
        double *row = s.x.data.data() + size_t(r) * cols;
        for (int c = 0; c < cols; ++c)
            row[c] = normal(rng);
        row[1] = 0.8 * row[0] + 0.6 * row[1];  // f1 ~ f0
        row[9] = 0.6 * row[7] + 0.8 * row[9];  // f9 correlates with the weak planted f7
        row[14] = 0.5 * row[13] + row[14];     // f14 correlates with the strong planted f13
        row[19] = 42.0;                        // constant: no Pearson coefficient
        s.latency.push_back(3 * row[2] + 0.5 * row[7] + 10 * row[13] + noise * normal(rng));
    }
    return s;
}

std::string messageOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.what();
    }
    return "(no sniper::Error thrown)";
}

} // namespace

class TestKfe : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void selectsPlantedFeatures_data();
    void selectsPlantedFeatures();
    void deterministic();
    void constantColumnsSkipped();
    void tiesGoToLowerIndex();
    void stopsWhenExplained();
    void badInput_data();
    void badInput();
};

void TestKfe::selectsPlantedFeatures_data()
{
    QTest::addColumn<unsigned>("seed");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("k");
    QTest::addRow("seed 1, 500 rows, K=3") << 1u << 500 << 3;
    QTest::addRow("seed 7, 500 rows, K=7") << 7u << 500 << 7;
    QTest::addRow("seed 2023, 200 rows, K=5") << 2023u << 200 << 5;
}

void TestKfe::selectsPlantedFeatures()
{
    QFETCH(unsigned, seed);
    QFETCH(int, rows);
    QFETCH(int, k);
    const double noise = 0.1;
    const Synthetic s = planted(seed, rows, noise);
    const KfeResult r = keyFeatureExtraction(s.x, s.latency, k);

    QCOMPARE(int(r.selected.size()), k);
    QCOMPARE(r.coefficients.size(), r.selected.size());
    QCOMPARE(r.residualTrace.size(), r.selected.size());
    QCOMPARE(r.pearson.size(), r.selected.size());
    // The strongest term first, then by decreasing weight.
    QCOMPARE(r.selected[0], 13);
    QCOMPARE(r.selected[1], 2);
    QCOMPARE(r.selected[2], 7);
    QCOMPARE(std::set<int>(r.selected.begin(), r.selected.end()).size(), r.selected.size());
    QVERIFY(std::find(r.selected.begin(), r.selected.end(), 19) == r.selected.end());

    // The final fit recovers the planted coefficients; extra picks get about zero.
    QVERIFY2(std::abs(r.coefficients[0] - 10) < 0.05, QByteArray::number(r.coefficients[0]).constData());
    QVERIFY2(std::abs(r.coefficients[1] - 3) < 0.05, QByteArray::number(r.coefficients[1]).constData());
    QVERIFY2(std::abs(r.coefficients[2] - 0.5) < 0.05, QByteArray::number(r.coefficients[2]).constData());
    for (size_t i = 3; i < r.coefficients.size(); ++i)
        QVERIFY(std::abs(r.coefficients[i]) < 0.05);
    QVERIFY(std::abs(r.intercept) < 0.05);

    // Residual RMS never grows and ends at the noise level; |r| lies in (0, 1].
    for (size_t i = 1; i < r.residualTrace.size(); ++i)
        QVERIFY(r.residualTrace[i] <= r.residualTrace[i - 1] + 1e-12);
    QVERIFY(r.residualTrace[0] > 2.0); // 3*f2 + 0.5*f7 still unexplained
    QVERIFY(std::abs(r.residualTrace[2] - noise) < 0.02);
    for (double p : r.pearson)
        QVERIFY(p > 0 && p <= 1);
    QVERIFY(r.pearson[0] > 0.9);
}

void TestKfe::deterministic()
{
    const Synthetic s = planted(99, 300, 0.5);
    const KfeResult a = keyFeatureExtraction(s.x, s.latency, 10);
    const KfeResult b = keyFeatureExtraction(s.x, s.latency, 10);
    QCOMPARE(a.selected, b.selected);
    QCOMPARE(a.coefficients, b.coefficients);
    QCOMPARE(a.intercept, b.intercept);
    QCOMPARE(a.residualTrace, b.residualTrace);
    QCOMPARE(a.pearson, b.pearson);
}

void TestKfe::constantColumnsSkipped()
{
    // K larger than the usable columns: every non-constant column, never the constant one.
    const Synthetic s = planted(5, 100, 1.0);
    const KfeResult r = keyFeatureExtraction(s.x, s.latency, 100);
    QVERIFY(r.selected.size() <= 19);
    QVERIFY(r.selected.size() >= 3);
    QVERIFY(std::find(r.selected.begin(), r.selected.end(), 19) == r.selected.end());
}

void TestKfe::tiesGoToLowerIndex()
{
    // Columns 1 and 3 are identical and explain the latency exactly.
    Matrix m{6, 4, {}};
    const double col[] = {1, 4, 2, 8, 5, 7};
    for (int r = 0; r < 6; ++r)
        m.data.insert(m.data.end(), {double(r % 2), col[r], 3.0, col[r]});
    std::vector<double> latency;
    for (double v : col)
        latency.push_back(2 * v + 1);
    const KfeResult r = keyFeatureExtraction(m, latency, 3);
    QCOMPARE(r.selected, std::vector<int>{1}); // the twin and the rest explain nothing more
    QVERIFY(std::abs(r.coefficients[0] - 2) < 1e-9);
    QVERIFY(std::abs(r.intercept - 1) < 1e-9);
    QVERIFY(r.residualTrace[0] < 1e-9);
    QVERIFY(std::abs(r.pearson[0] - 1) < 1e-12);
}

void TestKfe::stopsWhenExplained()
{
    // Latency = f0 + f1 exactly: two picks, then the residual is zero and the loop stops.
    Matrix m{5, 3, {1, 0, 3, 2, 1, 1, 3, 5, 4, 4, 2, 1, 5, 9, 5}};
    std::vector<double> latency;
    for (int r = 0; r < 5; ++r)
        latency.push_back(m.at(r, 0) + m.at(r, 1));
    const KfeResult r = keyFeatureExtraction(m, latency, 3);
    QCOMPARE(r.selected.size(), size_t(2));
    QCOMPARE(std::set<int>(r.selected.begin(), r.selected.end()), (std::set<int>{0, 1}));
    QVERIFY(r.residualTrace.back() < 1e-9);
}

void TestKfe::badInput_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<QByteArray>("message");
    QTest::addRow("K = 0") << 0 << QByteArray("K (number of key features) must be at least 1");
    QTest::addRow("empty") << 1 << QByteArray("feature matrix is empty");
    QTest::addRow("size mismatch") << 2 << QByteArray("holds 5 values but is declared 2 x 3");
    QTest::addRow("rows mismatch") << 3 << QByteArray("latency has 3 values but the feature matrix has 2 rows");
    QTest::addRow("NaN feature") << 4 << QByteArray("non-finite value at row 1, column 2");
    QTest::addRow("infinite latency") << 5 << QByteArray("latency has a non-finite value at row 0");
    QTest::addRow("one row") << 6 << QByteArray("at least 2 networks");
    QTest::addRow("constant latency") << 7 << QByteArray("latency is constant");
}

void TestKfe::badInput()
{
    QFETCH(int, which);
    QFETCH(QByteArray, message);
    Matrix m{2, 3, {1, 2, 3, 4, 5, 6}};
    std::vector<double> latency{1, 2};
    int k = 2;
    switch (which) {
    case 0: k = 0; break;
    case 1: m = Matrix{}; latency.clear(); break;
    case 2: m.data.pop_back(); break;
    case 3: latency.push_back(3); break;
    case 4: m.data[5] = std::numeric_limits<double>::quiet_NaN(); break;
    case 5: latency[0] = std::numeric_limits<double>::infinity(); break;
    case 6: m = Matrix{1, 3, {1, 2, 3}}; latency = {1}; break;
    case 7: latency = {4, 4}; break;
    }
    const std::string what = messageOf([&] { keyFeatureExtraction(m, latency, k); });
    QVERIFY2(what.find(message.toStdString()) != std::string::npos, what.c_str());
    QVERIFY2(what.find("keyFeatureExtraction") != std::string::npos, what.c_str()); // says where
}

QTEST_APPLESS_MAIN(TestKfe)
#include "tst_kfe.moc"
