// Bayesian ridge regression against scikit-learn's BayesianRidge on seeded synthetic data.

#include <QtTest>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <random>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "predict/bayesridge.h"

using namespace sniper;
using namespace sniper::predict;
using features::Matrix;

namespace {

constexpr const char *kPython = "/usr/bin/python3"; // Debian's python3-sklearn, not a venv
constexpr double kRelTol = 1e-6;

struct Case {
    const char *name;
    int rows, cols;
    bool collinear;
    bool fitIntercept;
    unsigned seed;
    // With n <= p and centering, X has a zero singular value whose right singular vector is any
    // unit vector outside the row space: sigma_ (hence std) depends on LAPACK's arbitrary pick.
    bool stdDefined = true;
};

const Case kCases[] = {
    { "tall_50x5", 50, 5, false, true, 1 },
    { "wide_20x30", 20, 30, false, true, 2, false },
    { "square_30x30", 30, 30, false, true, 3 },
    { "collinear_200x8", 200, 8, true, true, 4 },
    { "no_intercept_80x6", 80, 6, false, false, 5 },
    { "large_10000x40", 10000, 40, false, true, 6 },
};

// Columns with different scales and offsets; y = x.w + 3 + N(0, 0.5). Collinear cases copy
// column 0 into column 5 and make column 3 = 2*col1 - col2.
void makeData(const Case &c, Matrix &x, std::vector<double> &y, Matrix &test)
{
    std::mt19937_64 rng(c.seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> w(size_t(c.cols)), scale(size_t(c.cols)), offset(size_t(c.cols));
    for (int j = 0; j < c.cols; ++j) {
        w[size_t(j)] = normal(rng) * (j % 3 == 0 ? 0.1 : 2.0);
        scale[size_t(j)] = 0.5 + (j % 5);
        offset[size_t(j)] = 10.0 * normal(rng);
    }
    const auto fill = [&](Matrix &m, int rows) {
        m.rows = rows;
        m.cols = c.cols;
        m.data.resize(size_t(rows) * size_t(c.cols));
        for (int r = 0; r < rows; ++r) {
            double *row = m.data.data() + size_t(r) * size_t(c.cols);
            for (int j = 0; j < c.cols; ++j)
                row[j] = offset[size_t(j)] + scale[size_t(j)] * normal(rng);
            if (c.collinear) {
                row[5] = row[0];
                row[3] = 2 * row[1] - row[2];
            }
        }
    };
    fill(x, c.rows);
    y.resize(size_t(c.rows));
    for (int r = 0; r < c.rows; ++r) {
        double sum = 3.0;
        for (int j = 0; j < c.cols; ++j)
            sum += w[size_t(j)] * x.at(r, j);
        y[size_t(r)] = sum + 0.5 * normal(rng);
    }
    fill(test, 50);
}

void writeCsv(const QString &path, const Matrix &x, const std::vector<double> *y)
{
    std::ofstream out(path.toStdString());
    for (int j = 0; j < x.cols; ++j)
        out << (j ? "," : "") << 'x' << j;
    out << (y ? ",y\n" : "\n");
    char buf[32];
    for (int r = 0; r < x.rows; ++r) {
        for (int j = 0; j < x.cols; ++j) {
            std::snprintf(buf, sizeof buf, "%.17g", x.at(r, j));
            out << (j ? "," : "") << buf;
        }
        if (y) {
            std::snprintf(buf, sizeof buf, "%.17g", (*y)[size_t(r)]);
            out << ',' << buf;
        }
        out << '\n';
    }
}

double maxAbs(const std::vector<double> &v)
{
    double m = 0;
    for (double e : v)
        m = std::max(m, std::abs(e));
    return m;
}

// |a - b| <= tol * max(|b|, scale): relative, with a floor for entries near zero.
bool close(double a, double b, double scale = 0)
{
    return std::abs(a - b) <= kRelTol * std::max(std::abs(b), scale);
}

QByteArray mismatch(const char *what, size_t i, double ours, double theirs)
{
    return QByteArray(what) + '[' + QByteArray::number(qulonglong(i)) + "]: ours "
        + QByteArray::number(ours, 'g', 17) + ", sklearn " + QByteArray::number(theirs, 'g', 17);
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

Matrix small(int rows, int cols)
{
    Matrix m{ rows, cols, std::vector<double>(size_t(rows) * size_t(cols)) };
    for (size_t i = 0; i < m.data.size(); ++i)
        m.data[i] = std::sin(double(i) * 0.7) + double(i % 7);
    return m;
}

} // namespace

class TestBayesRidge : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_skip; // why the sklearn comparison cannot run, empty when it can

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QProcess probe;
        probe.start(QString::fromLatin1(kPython), { QStringLiteral("-c"), QStringLiteral("import sklearn") });
        if (!probe.waitForFinished(60000) || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0) {
            m_skip = QStringLiteral("/usr/bin/python3 cannot import sklearn (install python3-sklearn)");
            return;
        }
        nlohmann::json manifest = nlohmann::json::array();
        for (const Case &c : kCases) {
            Matrix x, test;
            std::vector<double> y;
            makeData(c, x, y, test);
            writeCsv(m_dir.filePath(QString::fromLatin1(c.name) + QStringLiteral("_train.csv")), x, &y);
            writeCsv(m_dir.filePath(QString::fromLatin1(c.name) + QStringLiteral("_test.csv")), test, nullptr);
            manifest.push_back({ { "name", c.name }, { "fit_intercept", c.fitIntercept } });
        }
        std::ofstream(m_dir.filePath(QStringLiteral("manifest.json")).toStdString()) << manifest.dump();
        QProcess python;
        python.setProcessChannelMode(QProcess::MergedChannels);
        python.start(QString::fromLatin1(kPython),
                     { QStringLiteral(SNIPER_SOURCE_DIR "/tests/tools/sklearn_bayesridge.py"), m_dir.path() });
        QVERIFY2(python.waitForFinished(300000), "sklearn_bayesridge.py did not finish in 5 minutes");
        QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
                 python.readAll().constData());
    }

    void matchesSklearn_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < int(std::size(kCases)); ++i)
            QTest::addRow("%s", kCases[i].name) << i;
    }

    void matchesSklearn()
    {
        QFETCH(int, index);
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const Case &c = kCases[index];
        Matrix x, test;
        std::vector<double> y;
        makeData(c, x, y, test);
        BayesianRidgeOptions o;
        o.fitIntercept = c.fitIntercept;
        BayesianRidge model;
        model.fit(x, y, o);
        QVERIFY(model.fitted());
        QCOMPARE(model.cols(), c.cols);

        std::ifstream in(m_dir.filePath(QString::fromLatin1(c.name) + QStringLiteral("_sklearn.json")).toStdString());
        QVERIFY(in.good());
        const nlohmann::json ref = nlohmann::json::parse(in);
        const auto coef = ref.at("coef").get<std::vector<double>>();
        const auto pred = ref.at("predictions").get<std::vector<double>>();
        const auto refStd = ref.at("std").get<std::vector<double>>();

        QVERIFY2(close(model.alpha(), ref.at("alpha").get<double>()),
                 mismatch("alpha", 0, model.alpha(), ref.at("alpha").get<double>()).constData());
        QVERIFY2(close(model.lambda(), ref.at("lambda").get<double>()),
                 mismatch("lambda", 0, model.lambda(), ref.at("lambda").get<double>()).constData());
        QCOMPARE(model.iterations(), ref.at("n_iter").get<int>());
        QCOMPARE(model.coefficients().size(), coef.size());
        const double coefScale = maxAbs(coef);
        for (size_t j = 0; j < coef.size(); ++j)
            QVERIFY2(close(model.coefficients()[j], coef[j], coefScale),
                     mismatch("coef", j, model.coefficients()[j], coef[j]).constData());
        const double predScale = maxAbs(pred);
        QVERIFY2(close(model.intercept(), ref.at("intercept").get<double>(), predScale),
                 mismatch("intercept", 0, model.intercept(), ref.at("intercept").get<double>()).constData());
        const std::vector<double> ours = model.predict(test);
        const std::vector<double> oursStd = model.predictStd(test);
        QCOMPARE(ours.size(), pred.size());
        for (size_t i = 0; i < pred.size(); ++i) {
            QVERIFY2(close(ours[i], pred[i], predScale), mismatch("prediction", i, ours[i], pred[i]).constData());
            QVERIFY2(!c.stdDefined || close(oursStd[i], refStd[i]), mismatch("std", i, oursStd[i], refStd[i]).constData());
            QCOMPARE(model.predictRow(test.data.data() + size_t(i) * size_t(test.cols)), ours[i]);
        }
    }

    // Independent of sklearn: plenty of low-noise data recovers the planted weights.
    void recoversPlantedWeights()
    {
        std::mt19937_64 rng(11);
        std::normal_distribution<double> normal(0.0, 1.0);
        Matrix x{ 2000, 3, {} };
        std::vector<double> y;
        for (int r = 0; r < x.rows; ++r) {
            const double a = normal(rng), b = normal(rng), c = normal(rng);
            x.data.insert(x.data.end(), { a, b, c });
            y.push_back(1.5 * a - 2.0 * b + 0.0 * c + 7.0 + 0.01 * normal(rng));
        }
        BayesianRidge model;
        model.fit(x, y);
        QVERIFY(std::abs(model.coefficients()[0] - 1.5) < 1e-3);
        QVERIFY(std::abs(model.coefficients()[1] + 2.0) < 1e-3);
        QVERIFY(std::abs(model.coefficients()[2]) < 1e-3);
        QVERIFY(std::abs(model.intercept() - 7.0) < 1e-3);
        QVERIFY(std::abs(1.0 / std::sqrt(model.alpha()) - 0.01) < 1e-3); // noise standard deviation
    }

    void jsonRoundTrip()
    {
        Matrix x = small(40, 4);
        std::vector<double> y;
        for (int r = 0; r < x.rows; ++r)
            y.push_back(x.at(r, 0) - 3 * x.at(r, 2) + std::cos(r));
        BayesianRidge model;
        model.fit(x, y);
        const nlohmann::json j = nlohmann::json::parse(model.toJson().dump());
        const BayesianRidge back = BayesianRidge::fromJson(j);
        QCOMPARE(back.coefficients(), model.coefficients());
        QCOMPARE(back.intercept(), model.intercept());
        QCOMPARE(back.alpha(), model.alpha());
        QCOMPARE(back.lambda(), model.lambda());
        QCOMPARE(back.iterations(), model.iterations());
        QCOMPARE(back.predict(x), model.predict(x));
        QCOMPARE(back.predictStd(x), model.predictStd(x));
    }

    void brokenInput_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::addRow("empty matrix") << 0 << QStringLiteral("empty");
        QTest::addRow("declared size mismatch") << 1 << QStringLiteral("holds 11 values");
        QTest::addRow("target size mismatch") << 2 << QStringLiteral("target has 9 values");
        QTest::addRow("NaN feature") << 3 << QStringLiteral("non-finite value at row 2, column 1");
        QTest::addRow("infinite target") << 4 << QStringLiteral("target has a non-finite value at row 4");
        QTest::addRow("predict before fit") << 5 << QStringLiteral("not fitted");
        QTest::addRow("wrong column count") << 6 << QStringLiteral("fitted on 2 columns, got 3");
        QTest::addRow("predictStd wrong column count") << 7 << QStringLiteral("fitted on 2 columns, got 3");
        QTest::addRow("json missing alpha") << 8 << QStringLiteral("missing field \"alpha\"");
        QTest::addRow("json not an object") << 9 << QStringLiteral("expected a JSON object");
        QTest::addRow("json sigma size") << 10 << QStringLiteral("field \"sigma\" has 3 values");
        QTest::addRow("json coef not numbers") << 11 << QStringLiteral("field \"coef\" holds a value");
    }

    void brokenInput()
    {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        const Matrix x = small(10, 2);
        const std::vector<double> y(10, 1.0);
        BayesianRidge fitted;
        fitted.fit(x, std::vector<double>{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 11 });
        nlohmann::json j = fitted.toJson();
        const std::string message = messageOf([&] {
            BayesianRidge m;
            switch (kind) {
            case 0: m.fit(Matrix{}, {}); break;
            case 1: m.fit(Matrix{ 5, 2, std::vector<double>(11) }, std::vector<double>(5)); break;
            case 2: m.fit(x, std::vector<double>(9)); break;
            case 3: {
                Matrix bad = x;
                bad.data[2 * 2 + 1] = std::numeric_limits<double>::quiet_NaN();
                m.fit(bad, y);
                break;
            }
            case 4: {
                std::vector<double> bad = y;
                bad[4] = std::numeric_limits<double>::infinity();
                m.fit(x, bad);
                break;
            }
            case 5: m.predict(x); break;
            case 6: fitted.predict(small(4, 3)); break;
            case 7: fitted.predictStd(small(4, 3)); break;
            case 8: j.erase("alpha"); BayesianRidge::fromJson(j); break;
            case 9: BayesianRidge::fromJson(nlohmann::json::array({ 1, 2 })); break;
            case 10: j["sigma"] = { 1, 2, 3 }; BayesianRidge::fromJson(j); break;
            case 11: j["coef"] = { 1, "two" }; BayesianRidge::fromJson(j); break;
            }
        });
        QVERIFY2(QString::fromStdString(message).contains(expected), message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestBayesRidge)
#include "tst_bayesridge.moc"
