#include "kfepanel.h"

#include "jobs.h"

#include "builders.h"
#include "collections.h"
#include "common/error.h"
#include "database.h"
#include "features/features.h"
#include "measurements.h"
#include "models.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <map>

namespace sniper::views {

KfeRun runKfeOnProject(const std::string &projectPath, const std::string &dataset, const std::string &platform, int k)
{
    db::Database d = db::Database::open(projectPath, db::OpenMode::ReadOnly);
    const auto ds = db::DatasetRepository(d).findByName(dataset);
    if (!ds)
        throw Error("no dataset named '" + dataset + "' in the project", projectPath);
    std::map<int64_t, double> latency;
    db::MeasurementFilter filter;
    filter.platform = platform;
    filter.batch = 1;
    filter.status = runtime::MeasurementStatus::Ok;
    for (const auto &m : db::MeasurementRepository(d).list(filter))
        latency[m.modelId] = m.measurement.stats.medianMs;
    db::FeatureRepository features(d);
    const size_t cols = features::featureTable().size();
    std::vector<std::vector<double>> rows;
    KfeRun run{dataset, platform, 0, {}, {}};
    std::vector<double> y;
    for (const auto &member : db::DatasetRepository(d).members(ds->id)) {
        const auto it = latency.find(member.modelId);
        if (it == latency.end())
            continue;
        const auto f = features.get(member.modelId, db::featureExtractorVersion());
        if (!f || f->values.size() < cols)
            continue;
        rows.push_back(f->values);
        y.push_back(it->second);
    }
    if (rows.size() < 2)
        throw Error("dataset '" + dataset + "' has " + std::to_string(rows.size()) +
                        " network(s) with features and an ok latency on '" + platform + "'; KFE needs at least 2",
                    projectPath);
    // Columns with a missing value in any network cannot enter the least-squares fits.
    for (size_t c = 0; c < cols; ++c) {
        bool finite = true;
        for (const auto &r : rows)
            finite = finite && std::isfinite(r[c]);
        if (finite)
            run.featureIds.push_back(int(c));
    }
    features::Matrix x;
    x.rows = int(rows.size());
    x.cols = int(run.featureIds.size());
    for (const auto &r : rows)
        for (int c : run.featureIds)
            x.data.push_back(r[size_t(c)]);
    run.networks = x.rows;
    run.result = features::keyFeatureExtraction(x, y, k);
    return run;
}

KfeResultModel::KfeResultModel(QObject *parent) : QAbstractTableModel(parent) {}

void KfeResultModel::setRun(std::shared_ptr<const KfeRun> run)
{
    beginResetModel();
    m_run = std::move(run);
    endResetModel();
}

int KfeResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_run ? 0 : int(m_run->result.selected.size());
}

int KfeResultModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant KfeResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &r = m_run->result;
    const size_t i = size_t(index.row());
    const int feature = m_run->featureIds[size_t(r.selected[i])];
    if (role == Qt::ToolTipRole)
        return QString::fromLatin1(features::featureTable()[size_t(feature)].definition);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Step: return index.row() + 1;
    case Feature: return QString::fromLatin1(features::featureTable()[size_t(feature)].name);
    case Pearson: return i < r.pearson.size() ? QVariant(r.pearson[i]) : QVariant();
    case Coefficient: return i < r.coefficients.size() ? QVariant(r.coefficients[i]) : QVariant();
    case Residual: return i < r.residualTrace.size() ? QVariant(r.residualTrace[i]) : QVariant();
    }
    return {};
}

QVariant KfeResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case Step: return tr("Pick");
    case Feature: return tr("Feature");
    case Pearson: return tr("|r| at pick");
    case Coefficient: return tr("Coefficient (ms per unit)");
    case Residual: return tr("Residual RMS (ms)");
    }
    return {};
}

namespace {
struct KfeChoices {
    QStringList datasets, platforms;
};
} // namespace

KfePanel::KfePanel(JobsModel *jobs, QWidget *parent)
    : QWidget(parent), m_jobs(jobs), m_dataset(new QComboBox), m_platform(new QComboBox), m_k(new QSpinBox),
      m_run(new QPushButton(tr("Run KFE"))), m_status(new QLabel), m_model(new KfeResultModel(this)),
      m_chart(new QChart)
{
    setObjectName(QStringLiteral("kfePanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Key Feature Extraction on dataset")));
    bar->addWidget(m_dataset, 1);
    bar->addWidget(new QLabel(tr("platform")));
    bar->addWidget(m_platform, 1);
    bar->addWidget(new QLabel(tr("picks")));
    m_k->setRange(1, int(features::featureTable().size()));
    m_k->setValue(10);
    bar->addWidget(m_k);
    m_run->setEnabled(false);
    bar->addWidget(m_run);
    layout->addLayout(bar);
    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("kfeStatus"));
    m_status->setText(tr("Choose a dataset with measured latencies and a platform, then run KFE."));
    layout->addWidget(m_status);
    auto *split = new QSplitter(Qt::Horizontal);
    auto *table = new QTableView;
    table->setObjectName(QStringLiteral("kfeTable"));
    table->setModel(m_model);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    split->addWidget(table);
    m_chart->setTitle(tr("Residual trace"));
    m_chart->legend()->hide();
    auto *chartView = new QChartView(m_chart);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumSize(360, 220);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    split->addWidget(chartView);
    split->setSizes({620, 480});
    layout->addWidget(split, 1);
    connect(m_run, &QPushButton::clicked, this, &KfePanel::run);
}

void KfePanel::setProject(const QString &path)
{
    m_path = path;
    m_jobs->start<KfeChoices>(
        tr("Read KFE choices"),
        [p = path.toStdString()](JobContext &) {
            db::Database d = db::Database::open(p, db::OpenMode::ReadOnly);
            KfeChoices c;
            for (const auto &ds : db::DatasetRepository(d).list())
                c.datasets << QString::fromStdString(ds.name);
            for (const auto &pl : db::PlatformRepository(d).list())
                c.platforms << QString::fromStdString(pl.id);
            return c;
        },
        this,
        [this](KfeChoices c) {
            const QString ds = m_dataset->currentText(), pl = m_platform->currentText();
            m_dataset->clear();
            m_dataset->addItems(c.datasets);
            m_platform->clear();
            m_platform->addItems(c.platforms);
            if (c.datasets.contains(ds))
                m_dataset->setCurrentText(ds);
            if (c.platforms.contains(pl))
                m_platform->setCurrentText(pl);
            m_run->setEnabled(!c.datasets.isEmpty() && !c.platforms.isEmpty());
            Q_EMIT choicesLoaded();
        },
        [this](QString e) { m_status->setText(tr("Could not read the project: %1").arg(e)); });
}

void KfePanel::run()
{
    if (m_path.isEmpty() || m_dataset->currentText().isEmpty() || m_platform->currentText().isEmpty())
        return;
    const int job = ++m_job;
    m_status->setText(tr("Running KFE..."));
    m_jobs->start<KfeRun>(
        tr("KFE on %1 / %2").arg(m_dataset->currentText(), m_platform->currentText()),
        [p = m_path.toStdString(), ds = m_dataset->currentText().toStdString(),
         pl = m_platform->currentText().toStdString(), k = m_k->value()](JobContext &) {
            return runKfeOnProject(p, ds, pl, k);
        },
        this,
        [this, job](KfeRun r) {
            if (job != m_job)
                return;
            showRun(std::make_shared<const KfeRun>(std::move(r)));
            Q_EMIT finished(true);
        },
        [this, job](QString e) {
            if (job != m_job)
                return;
            m_status->setText(tr("KFE failed: %1").arg(e));
            Q_EMIT finished(false);
        });
}

void KfePanel::showRun(std::shared_ptr<const KfeRun> run)
{
    m_status->setText(tr("%1 features picked from %2 networks of '%3' on %4.")
                          .arg(run->result.selected.size())
                          .arg(run->networks)
                          .arg(QString::fromStdString(run->dataset), QString::fromStdString(run->platform)));
    m_model->setRun(run);
    m_chart->removeAllSeries();
    for (QAbstractAxis *a : m_chart->axes()) {
        m_chart->removeAxis(a);
        delete a;
    }
    auto *line = new QLineSeries;
    auto *points = new QScatterSeries;
    points->setMarkerSize(8);
    double top = 0;
    for (size_t i = 0; i < run->result.residualTrace.size(); ++i) {
        line->append(double(i + 1), run->result.residualTrace[i]);
        points->append(double(i + 1), run->result.residualTrace[i]);
        top = std::max(top, run->result.residualTrace[i]);
    }
    m_chart->addSeries(line);
    m_chart->addSeries(points);
    auto *x = new QValueAxis;
    x->setRange(0.5, double(run->result.residualTrace.size()) + 0.5);
    x->setLabelFormat(QStringLiteral("%d"));
    x->setTickType(QValueAxis::TicksDynamic); // one tick per pick
    x->setTickAnchor(1);
    x->setTickInterval(1);
    x->setTitleText(tr("features picked"));
    auto *y = new QValueAxis;
    y->setRange(0, top > 0 ? top * 1.1 : 1);
    y->setTitleText(tr("residual RMS (ms)"));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    for (auto *s : {static_cast<QAbstractSeries *>(line), static_cast<QAbstractSeries *>(points)}) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

} // namespace sniper::views
