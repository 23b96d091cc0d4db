// Gradient-boosted trees through XGBoost's C API: accuracy, determinism, save/load, bad input.

#include <QtTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

#include "common/error.h"
#include "predict/gbt.h"

using namespace sniper;
using namespace sniper::predict;
using features::Matrix;

namespace {

struct Data {
    Matrix x;
    std::vector<double> y;
};

// y = 3 sin(x0) + x1^2 + 2 [x2 > 0.5] + x3 x4 + N(0, 0.1), x uniform in [-2, 2]^6 (x5 is noise).
Data nonlinear(unsigned seed, int rows)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(-2.0, 2.0);
    std::normal_distribution<double> noise(0.0, 0.1);
    Data d;
    d.x = Matrix{ rows, 6, {} };
    for (int r = 0; r < rows; ++r) {
        double v[6];
        for (double &e : v)
            e = uniform(rng);
        d.x.data.insert(d.x.data.end(), v, v + 6);
        d.y.push_back(3 * std::sin(v[0]) + v[1] * v[1] + (v[2] > 0.5 ? 2.0 : 0.0) + v[3] * v[4] + noise(rng));
    }
    return d;
}

double rSquared(const std::vector<double> &pred, const std::vector<double> &truth)
{
    double mean = 0;
    for (double t : truth)
        mean += t / double(truth.size());
    double ssRes = 0, ssTot = 0;
    for (size_t i = 0; i < truth.size(); ++i) {
        ssRes += (pred[i] - truth[i]) * (pred[i] - truth[i]);
        ssTot += (truth[i] - mean) * (truth[i] - mean);
    }
    return 1 - ssRes / ssTot;
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

std::vector<uint8_t> bytesOf(const char *s)
{
    return std::vector<uint8_t>(s, s + std::strlen(s));
}

} // namespace

class TestGbt : public QObject {
    Q_OBJECT

private:
    Data m_train = nonlinear(1, 2000);
    Data m_valid = nonlinear(2, 500);
    Data m_test = nonlinear(3, 1000);

private Q_SLOTS:
    void learnsNonlinearFunction()
    {
        GradientBoostedTrees gbt;
        QVERIFY(!gbt.fitted());
        gbt.fit(m_train.x, m_train.y, {}, &m_valid.x, &m_valid.y);
        QVERIFY(gbt.fitted());
        QCOMPARE(gbt.cols(), 6);
        QVERIFY(gbt.bestIteration() >= 0 && gbt.bestIteration() < 400);
        const double r2 = rSquared(gbt.predict(m_test.x), m_test.y);
        QVERIFY2(r2 > 0.9, qPrintable(QStringLiteral("held-out R^2 = %1").arg(r2)));
    }

    void deterministicWithSeed()
    {
        GbtOptions o;
        o.rounds = 100;
        o.seed = 42;
        GradientBoostedTrees a, b;
        a.fit(m_train.x, m_train.y, o);
        b.fit(m_train.x, m_train.y, o);
        QCOMPARE(a.predict(m_test.x), b.predict(m_test.x));
        QCOMPARE(a.save(), b.save());
    }

    // Without improvement for earlyStoppingRounds rounds the fit stops and keeps the best round.
    void earlyStoppingKeepsBestRound()
    {
        GbtOptions o;
        o.rounds = 3000;
        o.eta = 0.5;
        o.earlyStoppingRounds = 10;
        GradientBoostedTrees gbt;
        gbt.fit(m_train.x, m_train.y, o, &m_valid.x, &m_valid.y);
        QVERIFY2(gbt.bestIteration() < 2999, qPrintable(QString::number(gbt.bestIteration())));
        const GradientBoostedTrees back = GradientBoostedTrees::load(gbt.save());
        QCOMPARE(back.bestIteration(), gbt.bestIteration());

        GradientBoostedTrees noValidation;
        o.rounds = 50;
        noValidation.fit(m_train.x, m_train.y, o);
        QCOMPARE(noValidation.bestIteration(), 49);
    }

    void saveLoadRoundTrip()
    {
        GbtOptions o;
        o.rounds = 80;
        GradientBoostedTrees gbt;
        gbt.fit(m_train.x, m_train.y, o);
        const std::vector<uint8_t> bytes = gbt.save();
        QVERIFY(!bytes.empty());
        QCOMPARE(bytes.front(), uint8_t('{'));
        QCOMPARE(gbt.modelSizeBytes(), bytes.size());
        const GradientBoostedTrees back = GradientBoostedTrees::load(bytes);
        QVERIFY(back.fitted());
        QCOMPARE(back.cols(), 6);
        QCOMPARE(back.predict(m_test.x), gbt.predict(m_test.x));

        GradientBoostedTrees moved = GradientBoostedTrees::load(bytes);
        GradientBoostedTrees target;
        target = std::move(moved);
        QVERIFY(!moved.fitted());
        QCOMPARE(target.predict(m_test.x), gbt.predict(m_test.x));
    }

    void randomForestMode()
    {
        GbtOptions o;
        o.randomForest = true;
        o.forestTrees = 50;
        o.maxDepth = 10;
        GradientBoostedTrees rf;
        rf.fit(m_train.x, m_train.y, o, &m_valid.x, &m_valid.y);
        QCOMPARE(rf.bestIteration(), 0);
        const double r2 = rSquared(rf.predict(m_test.x), m_test.y);
        QVERIFY2(r2 > 0.8, qPrintable(QStringLiteral("random forest held-out R^2 = %1").arg(r2)));
        const GradientBoostedTrees back = GradientBoostedTrees::load(rf.save());
        QCOMPARE(back.predict(m_test.x), rf.predict(m_test.x));
    }

    void brokenInput_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::addRow("empty bytes") << 0 << QStringLiteral("model bytes are empty");
        QTest::addRow("garbage bytes") << 1 << QStringLiteral("not an XGBoost JSON model");
        QTest::addRow("truncated model") << 2 << QStringLiteral("not an XGBoost JSON model");
        QTest::addRow("JSON but no model") << 3 << QStringLiteral("GradientBoostedTrees");
        QTest::addRow("corrupted model") << 4 << QStringLiteral("GradientBoostedTrees");
        QTest::addRow("column count mismatch") << 5 << QStringLiteral("fitted on 6 columns, got 5");
        QTest::addRow("predict before fit") << 6 << QStringLiteral("not fitted");
        QTest::addRow("empty training matrix") << 7 << QStringLiteral("training matrix is empty");
        QTest::addRow("NaN target") << 8 << QStringLiteral("training target has a non-finite value at row 3");
        QTest::addRow("validation column mismatch") << 9 << QStringLiteral("validation matrix has 5 columns");
        QTest::addRow("validation without targets") << 10 << QStringLiteral("must be given together");
    }

    void brokenInput()
    {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        const Data small = nonlinear(4, 60);
        GbtOptions o;
        o.rounds = 5;
        GradientBoostedTrees fitted;
        fitted.fit(small.x, small.y, o);
        const std::vector<uint8_t> good = fitted.save();
        const std::string message = messageOf([&] {
            GradientBoostedTrees m;
            switch (kind) {
            case 0: GradientBoostedTrees::load({}); break;
            case 1: GradientBoostedTrees::load({ 0x00, 0xff, 0x13, 0x37, 'b', 'i', 'n', 'f' }); break;
            case 2: GradientBoostedTrees::load(std::vector<uint8_t>(good.begin(), good.begin() + good.size() / 2)); break;
            case 3: GradientBoostedTrees::load(bytesOf(R"({"learner": 5})")); break;
            case 4: {
                std::string text(good.begin(), good.end());
                const auto at = text.find("\"split_conditions\"");
                QVERIFY(at != std::string::npos);
                text.replace(at, 18, "\"split_cond1tions\"");
                GradientBoostedTrees::load(std::vector<uint8_t>(text.begin(), text.end()));
                break;
            }
            case 5: {
                Matrix five{ 2, 5, std::vector<double>(10, 0.5) };
                fitted.predict(five);
                break;
            }
            case 6: m.predict(small.x); break;
            case 7: m.fit(Matrix{}, {}); break;
            case 8: {
                std::vector<double> bad = small.y;
                bad[3] = std::numeric_limits<double>::quiet_NaN();
                m.fit(small.x, bad);
                break;
            }
            case 9: {
                Matrix five{ 2, 5, std::vector<double>(10, 0.5) };
                const std::vector<double> y2{ 1, 2 };
                m.fit(small.x, small.y, o, &five, &y2);
                break;
            }
            case 10: m.fit(small.x, small.y, o, &small.x, nullptr); break;
            }
        });
        QVERIFY2(QString::fromStdString(message).contains(expected), message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestGbt)
#include "tst_gbt.moc"
