// The workbench views on a real project database, offscreen: the project explorer, a local
// profiling campaign started from the GUI (progress, results), the datasets view and the
// generator form's validation.

#include "datasetsview.h"
#include "jobs.h"
#include "mainwindow.h"
#include "profilingview.h"
#include "projectmodel.h"

#include "builders.h"
#include "database.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QComboBox>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace sniper;

class TestWorkbench : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void projectTreeModel();
    void profileFromTheGui();
    void invalidRangesAreReportedInline();
    void unreadableProjectShowsBanner();

private:
    QTemporaryDir m_dir;
    QString m_project;
};

void TestWorkbench::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("sniper-tests"));
    m_project = m_dir.filePath(QStringLiteral("p.sniper"));
    db::Database d = db::Database::open(m_project.toStdString());
    generator::GeneratorSpec spec;
    spec.maxMacs = 5'000'000;
    db::addGeneratedNetworks(d, spec, 21, 3, "tiny");
}

void TestWorkbench::projectTreeModel()
{
    views::ProjectTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(std::make_shared<const views::ProjectSnapshot>(views::readProjectSnapshot(m_project.toStdString())));
    QCOMPARE(model.rowCount(), int(views::ProjectTreeModel::CategoryCount));
    QCOMPARE(model.rowCount(model.index(views::ProjectTreeModel::Models, 0)), 3);
    QCOMPARE(model.rowCount(model.index(views::ProjectTreeModel::Datasets, 0)), 1);
}

void TestWorkbench::profileFromTheGui()
{
    views::MainWindow w;
    QSignalSpy opened(&w, &views::MainWindow::projectOpened);
    w.openProject(m_project);
    QVERIFY(opened.wait(10000));
    auto *profiling = w.findChild<views::ProfilingView *>();
    auto *datasets = w.findChild<views::DatasetsView *>();
    QVERIFY(profiling && datasets);
    QSignalSpy finished(profiling, &views::ProfilingView::campaignFinished);
    QSignalSpy reloaded(datasets, &views::DatasetsView::reloaded);
    profiling->profile(false); // the default selection: the two single-thread platforms
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.first().first().toBool(), false);
    // The datasets view reloads after the campaign and shows one row per measurement.
    QTRY_VERIFY_WITH_TIMEOUT(datasets->tableModel()->rowCount() == 6, 10000);
    QAbstractItemModelTester tester(datasets->tableModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *bar = w.findChild<QProgressBar *>(QStringLiteral("progress-torch-cpu-1t"));
    QVERIFY(bar);
    QCOMPARE(bar->value(), 3);
}

void TestWorkbench::invalidRangesAreReportedInline()
{
    views::JobsModel jobs;
    views::ProfilingView view(&jobs);
    // The realistic style is the default: its families and MACs range are checked.
    auto *style = view.findChild<QComboBox *>(QStringLiteral("style"));
    QVERIFY(style);
    QCOMPARE(style->currentData().toString(), QStringLiteral("realistic"));
    QVERIFY2(view.specError().isEmpty(), qPrintable(view.specError()));
    auto *families = view.findChild<QLineEdit *>(QStringLiteral("families"));
    families->setText(QStringLiteral("vit, lstm"));
    QVERIFY2(view.specError().contains(QStringLiteral("families")) && view.specError().contains(QStringLiteral("lstm")),
             qPrintable(view.specError()));
    families->setText(QStringLiteral("vit, dense"));
    QVERIFY(view.specError().isEmpty());
    view.findChild<QLineEdit *>(QStringLiteral("min_macs"))->setText(QStringLiteral("30000000000"));
    QVERIFY2(view.specError().contains(QStringLiteral("max_macs")), qPrintable(view.specError()));
    // Table IV's ranges.
    style->setCurrentIndex(style->findData(QStringLiteral("table4")));
    QVERIFY2(view.specError().isEmpty(), qPrintable(view.specError()));
    auto *kernels = view.findChild<QLineEdit *>(QStringLiteral("kernels"));
    QVERIFY(kernels);
    QVERIFY(kernels->isEnabled() && !families->isEnabled());
    kernels->setText(QStringLiteral("3, 4"));
    QVERIFY2(view.specError().contains(QStringLiteral("kernels")), qPrintable(view.specError()));
    kernels->setText(QStringLiteral("3, x"));
    QVERIFY(view.specError().contains(QStringLiteral("'x'")));
    kernels->setText(QStringLiteral("1, 3"));
    QVERIFY(view.specError().isEmpty());
    auto *macs = view.findChild<QLineEdit *>(QStringLiteral("max_macs"));
    macs->setText(QStringLiteral("-5"));
    QVERIFY(view.specError().contains(QStringLiteral("max_macs")));
}

void TestWorkbench::unreadableProjectShowsBanner()
{
    const QString bad = m_dir.filePath(QStringLiteral("bad.sniper"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4096, 'x'));
    f.close();
    views::MainWindow w;
    QSignalSpy failed(&w, &views::MainWindow::projectFailed);
    w.openProject(bad);
    QVERIFY(failed.wait(10000));
    auto *banner = w.findChild<QLabel *>(QStringLiteral("modelBanner"));
    QVERIFY(banner->isVisibleTo(&w));
    QVERIFY(banner->text().contains(QStringLiteral("bad.sniper")));
    // The file is left as it was.
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray(4096, 'x'));
}

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
