// Workbench building blocks: the job runner (progress, cancel, results on the GUI thread,
// failures) and the figure module (valid PNG, SVG and PDF files at paper sizes).

#include "figureexport.h"
#include "jobs.h"
#include "settings.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QXmlStreamReader>
#include <QtTest>

#include <thread>

using namespace sniper::views;

class TestViews : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void jobDeliversResultOnGuiThread();
    void jobCanBeCancelled();
    void jobFailureIsReported();
    void figureFormats();
    void unknownFigureFormat();
    void svgFiguresConvert();
    void settingsRoundTrip();
};

void TestViews::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("sniper-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_views"));
}

void TestViews::jobDeliversResultOnGuiThread()
{
    JobsModel jobs;
    QAbstractItemModelTester tester(&jobs, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QObject context;
    int result = 0;
    bool onGuiThread = false;
    QSignalSpy finished(&jobs, &JobsModel::jobFinished);
    int id = jobs.start<int>(
        QStringLiteral("sum"),
        [](JobContext &ctx) {
            int sum = 0;
            for (int i = 1; i <= 100; ++i) {
                sum += i;
                ctx.setProgress(i, 100);
            }
            ctx.log(QStringLiteral("summed"));
            return sum;
        },
        &context, [&](int r) {
            result = r;
            onGuiThread = QThread::currentThread() == qApp->thread();
        });
    QVERIFY(finished.wait(5000));
    QCOMPARE(result, 5050);
    QVERIFY(onGuiThread);
    QCOMPARE(int(jobs.state(id)), int(JobsModel::JobState::Finished));
    QCOMPARE(jobs.data(jobs.index(0, JobsModel::Progress)).toInt(), 100);
}

void TestViews::jobCanBeCancelled()
{
    JobsModel jobs;
    QObject context;
    QSignalSpy finished(&jobs, &JobsModel::jobFinished);
    int id = jobs.start<int>(
        QStringLiteral("forever"),
        [](JobContext &ctx) {
            int n = 0;
            while (!ctx.isCancelled() && n < 10000) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                ++n;
            }
            return n;
        },
        &context, [](int) {});
    QTest::qWait(50);
    jobs.cancel(id);
    QVERIFY(finished.wait(5000));
    QCOMPARE(int(jobs.state(id)), int(JobsModel::JobState::Cancelled));
}

void TestViews::jobFailureIsReported()
{
    JobsModel jobs;
    QObject context;
    QString error;
    QSignalSpy finished(&jobs, &JobsModel::jobFinished);
    int id = jobs.start<int>(
        QStringLiteral("broken"), [](JobContext &) -> int { throw std::runtime_error("the file is empty"); }, &context,
        [](int) {}, [&](QString e) { error = e; });
    QVERIFY(finished.wait(5000));
    QCOMPARE(int(jobs.state(id)), int(JobsModel::JobState::Failed));
    QCOMPARE(error, QStringLiteral("the file is empty"));
}

void TestViews::figureFormats()
{
    auto *chart = new QChart;
    auto *a = new QLineSeries;
    auto *b = new QScatterSeries;
    for (int i = 0; i < 20; ++i) {
        a->append(i, i * i);
        b->append(i, 300 - i * i);
    }
    chart->addSeries(a);
    chart->addSeries(b);
    chart->createDefaultAxes();
    QChartView view(chart);
    view.resize(640, 480);
    QTemporaryDir dir;
    FigureStyle style;
    style.dpi = 300;
    for (const char *ext : {"png", "svg", "pdf"}) {
        const QString path = dir.filePath(QStringLiteral("figure.") + QLatin1String(ext));
        QCOMPARE(exportChart(&view, path, style), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        if (QLatin1String(ext) == QLatin1String("png")) {
            QImage image(path);
            QVERIFY(!image.isNull());
            QCOMPARE(image.width(), int(84 / 25.4 * 300 + 0.5)); // single column at 300 dpi
            QCOMPARE(image.height(), int(84 * 0.62 / 25.4 * 300 + 0.5));
        } else if (QLatin1String(ext) == QLatin1String("svg")) {
            QXmlStreamReader xml(bytes);
            while (!xml.atEnd() && !xml.isStartElement())
                xml.readNext();
            QCOMPARE(xml.name().toString(), QStringLiteral("svg"));
        } else {
            QVERIFY(bytes.startsWith("%PDF-"));
            QCOMPARE(bytes.count("/Type /Page\n") + bytes.count("/Type /Page\r") + bytes.count("/Type /Page/") +
                         bytes.count("/Type /Page "),
                     qsizetype(1));
        }
    }
}

void TestViews::unknownFigureFormat()
{
    auto *chart = new QChart;
    QChartView view(chart);
    QTemporaryDir dir;
    QVERIFY(exportChart(&view, dir.filePath(QStringLiteral("figure.bmpx")), {}).contains(QStringLiteral("bmpx")));
}

// The libraries write SVG (scheduling sweeps, JPS Gantt charts); the figure module makes PNG/PDF.
void TestViews::svgFiguresConvert()
{
    QTemporaryDir dir;
    const QString svg = dir.filePath(QStringLiteral("in.svg"));
    QFile f(svg);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 400 200' width='400' height='200'>"
            "<polyline points='10,190 200,10 390,150' fill='none' stroke='black'/>"
            "<text x='20' y='20' font-family='serif'>T (tasks/s)</text></svg>");
    f.close();
    FigureStyle style;
    style.dpi = 200;
    QCOMPARE(convertSvgFigure(svg, dir.filePath(QStringLiteral("out.png")), style), QString());
    QImage png(dir.filePath(QStringLiteral("out.png")));
    QCOMPARE(png.width(), int(84 / 25.4 * 200 + 0.5));
    QCOMPARE(png.height(), int(84 * 0.5 / 25.4 * 200 + 0.5)); // the SVG's aspect ratio
    QCOMPARE(convertSvgFigure(svg, dir.filePath(QStringLiteral("out.pdf")), style), QString());
    QFile pdf(dir.filePath(QStringLiteral("out.pdf")));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.readAll().startsWith("%PDF-"));
    QVERIFY(convertSvgFigure(dir.filePath(QStringLiteral("missing.svg")), dir.filePath(QStringLiteral("x.png")), style)
                .contains(QStringLiteral("missing.svg")));
}

void TestViews::settingsRoundTrip()
{
    Settings::addRecentProject(QStringLiteral("/tmp/a.sniper"));
    Settings::addRecentProject(QStringLiteral("/tmp/b.sniper"));
    Settings::addRecentProject(QStringLiteral("/tmp/a.sniper"));
    QCOMPARE(Settings::recentProjects().value(0), QStringLiteral("/tmp/a.sniper"));
    QCOMPARE(Settings::recentProjects().count(QStringLiteral("/tmp/a.sniper")), qsizetype(1));
}

QTEST_MAIN(TestViews)
#include "tst_views.moc"
