#include "datasetsview.h"

#include "figureexport.h"
#include "jobs.h"
#include "settings.h"

#include "builders.h"
#include "database.h"
#include "importexport.h"
#include "latencytable.h"
#include "measurements.h"
#include "models.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLogValueAxis>
#include <QPushButton>
#include <QScatterSeries>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>
#include <fstream>
#include <set>

namespace sniper::views {

DatasetSnapshot readDatasetSnapshot(const std::string &path)
{
    db::Database d = db::Database::open(path, db::OpenMode::ExistingOnly);
    std::map<int64_t, double> macs;
    for (const auto &f : db::FeatureRepository(d).list(db::featureExtractorVersion()))
        macs[f.modelId] = f.features.value("total_macs");
    DatasetSnapshot s;
    std::set<std::string> platforms;
    for (const auto &r : db::MeasurementRepository(d).list()) {
        const auto &m = r.measurement;
        MeasurementRow row;
        row.model = r.modelName;
        row.modelId = r.modelId;
        row.platform = m.platform;
        row.status = db::statusName(m.status);
        row.message = m.message;
        row.batch = r.batch();
        row.median = m.stats.medianMs;
        row.mean = m.stats.meanMs;
        row.stdev = m.stats.stdMs;
        row.min = m.stats.minMs;
        row.p90 = m.stats.p90Ms;
        row.runs = m.stats.runs;
        row.probeRatio = m.evidence.probeRatio;
        row.discarded = m.evidence.runsDiscarded;
        row.contended = m.evidence.contended;
        auto it = macs.find(r.modelId);
        row.macs = it == macs.end() ? NAN : it->second;
        platforms.insert(m.platform);
        s.rows.push_back(std::move(row));
    }
    s.platforms.assign(platforms.begin(), platforms.end());
    return s;
}

MeasurementTableModel::MeasurementTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void MeasurementTableModel::setSnapshot(std::shared_ptr<const DatasetSnapshot> snapshot)
{
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

int MeasurementTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_snapshot ? 0 : int(m_snapshot->rows.size());
}

int MeasurementTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MeasurementTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_snapshot || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MeasurementRow &r = m_snapshot->rows[size_t(index.row())];
    auto number = [&](double v) -> QVariant { return std::isfinite(v) ? QVariant(v) : QVariant(); };
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case Model: return QString::fromStdString(r.model);
        case Platform: return QString::fromStdString(r.platform);
        case Batch: return r.batch;
        case Status: return r.contended ? tr("%1, contended").arg(QString::fromStdString(r.status))
                                        : QString::fromStdString(r.status);
        case Median: return number(r.median);
        case Mean: return number(r.mean);
        case Std: return number(r.stdev);
        case Min: return number(r.min);
        case P90: return number(r.p90);
        case Runs: return r.runs;
        case Discarded: return r.discarded;
        case Probe: return number(r.probeRatio);
        case Macs: return number(r.macs);
        }
    }
    if (role == Qt::ToolTipRole && r.contended)
        return tr("No clean window: the contention probe read the platform slower than calibrated for the whole "
                  "measurement and its retries. Kept and shown; predictors do not learn from it.");
    if (role == Qt::ToolTipRole && !r.message.empty())
        return QString::fromStdString(r.message);
    return {};
}

QVariant MeasurementTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Model: return tr("Model");
    case Platform: return tr("Platform");
    case Batch: return tr("Batch");
    case Status: return tr("Status");
    case Median: return tr("Median (ms)");
    case Mean: return tr("Mean (ms)");
    case Std: return tr("Std (ms)");
    case Min: return tr("Min (ms)");
    case P90: return tr("P90 (ms)");
    case Runs: return tr("Runs");
    case Discarded: return tr("Discarded");
    case Probe: return tr("Probe ratio");
    case Macs: return tr("MACs");
    }
    return {};
}

DatasetsView::DatasetsView(JobsModel *jobs, QWidget *parent)
    : QWidget(parent), m_jobs(jobs), m_model(new MeasurementTableModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_table(new QTableView), m_chart(new QChartView), m_xAxis(new QComboBox), m_yPlatform(new QComboBox),
      m_filter(new QLineEdit), m_banner(new QLabel), m_summary(new QLabel)
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(Qt::EditRole);
    m_table->setObjectName(QStringLiteral("measurementTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_chart->setObjectName(QStringLiteral("datasetChart"));
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumWidth(360);
    m_filter->setPlaceholderText(tr("Filter rows (model, platform, status)"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_banner->setObjectName(QStringLiteral("errorBanner"));
    m_banner->setVisible(false);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 6px; }"));

    auto *importCsv = new QPushButton(tr("Import measurements..."));
    auto *importTable = new QPushButton(tr("Import latency table..."));
    auto *exportData = new QPushButton(tr("Export..."));
    auto *exportFig = new QPushButton(tr("Export figure..."));
    connect(importCsv, &QPushButton::clicked, this, [this] { importFile(QStringLiteral("measurements")); });
    connect(importTable, &QPushButton::clicked, this, [this] { importFile(QStringLiteral("latency-table")); });
    connect(exportData, &QPushButton::clicked, this, &DatasetsView::exportFile);
    connect(exportFig, &QPushButton::clicked, this, &DatasetsView::exportFigure);
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, &DatasetsView::updateChart);
    connect(m_yPlatform, &QComboBox::currentIndexChanged, this, &DatasetsView::updateChart);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(new QLabel(tr("x:")));
    bar->addWidget(m_xAxis);
    bar->addWidget(new QLabel(tr("y:")));
    bar->addWidget(m_yPlatform);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(importCsv);
    buttons->addWidget(importTable);
    buttons->addWidget(exportData);
    buttons->addWidget(exportFig);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_table);
    split->addWidget(m_chart);
    split->setSizes({700, 500});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
}

void DatasetsView::setProject(const QString &path)
{
    m_path = path;
    reload();
}

void DatasetsView::reload()
{
    if (m_path.isEmpty())
        return;
    m_jobs->start<DatasetSnapshot>(
        tr("Load measurements"), [p = m_path.toStdString()](JobContext &) { return readDatasetSnapshot(p); }, this,
        [this](DatasetSnapshot s) {
            m_banner->setVisible(false);
            m_snapshot = std::make_shared<const DatasetSnapshot>(std::move(s));
            m_model->setSnapshot(m_snapshot);
            QSignalBlocker bx(m_xAxis), by(m_yPlatform);
            m_xAxis->clear();
            m_yPlatform->clear();
            m_xAxis->addItem(tr("MACs"));
            for (const auto &p : m_snapshot->platforms) {
                m_xAxis->addItem(QString::fromStdString(p));
                m_yPlatform->addItem(QString::fromStdString(p));
            }
            m_summary->setText(tr("%1 measurements on %2 platforms").arg(m_snapshot->rows.size()).arg(m_snapshot->platforms.size()));
            updateChart();
            Q_EMIT reloaded();
        },
        [this](QString e) { showError(tr("Could not read the measurements: %1").arg(e)); });
}

void DatasetsView::updateChart()
{
    auto *chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    if (m_snapshot && !m_snapshot->platforms.empty()) {
        const QString xName = m_xAxis->currentText();
        const bool byMacs = m_xAxis->currentIndex() <= 0;
        std::map<int64_t, double> xLatency; // platform-vs-platform: the x platform's median per model
        if (!byMacs)
            for (const auto &r : m_snapshot->rows)
                if (r.platform == xName.toStdString() && r.status == "ok")
                    xLatency[r.modelId] = r.median;
        std::vector<std::string> ys;
        if (byMacs)
            ys = m_snapshot->platforms;
        else
            ys.push_back(m_yPlatform->currentText().toStdString());
        for (const auto &platform : ys) {
            auto *series = new QScatterSeries;
            series->setName(QString::fromStdString(platform));
            series->setMarkerSize(6);
            for (const auto &r : m_snapshot->rows) {
                if (r.platform != platform || r.status != "ok" || !(r.median > 0))
                    continue;
                double x = byMacs ? r.macs : (xLatency.count(r.modelId) ? xLatency[r.modelId] : NAN);
                if (std::isfinite(x) && x > 0)
                    series->append(x, r.median);
            }
            chart->addSeries(series);
        }
        auto *ax = new QLogValueAxis;
        ax->setTitleText(byMacs ? tr("MACs") : tr("%1 latency (ms)").arg(xName));
        ax->setLabelFormat(QStringLiteral("%.0g"));
        auto *ay = new QLogValueAxis;
        ay->setTitleText(byMacs ? tr("latency (ms)") : tr("%1 latency (ms)").arg(m_yPlatform->currentText()));
        ay->setLabelFormat(QStringLiteral("%.3g"));
        chart->addAxis(ax, Qt::AlignBottom);
        chart->addAxis(ay, Qt::AlignLeft);
        for (auto *s : chart->series()) {
            s->attachAxis(ax);
            s->attachAxis(ay);
        }
    }
    QChart *old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

void DatasetsView::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->setVisible(true);
}

void DatasetsView::importFile(const QString &kind)
{
    if (m_path.isEmpty())
        return showError(tr("Open a project first (File > Open Project)."));
    const QString file = QFileDialog::getOpenFileName(this, tr("Import"), QString(),
                                                      tr("Tables (*.csv *.json *.csv.gz);;All files (*)"));
    if (file.isEmpty())
        return;
    m_jobs->start<db::ImportReport>(
        tr("Import %1").arg(file),
        [p = m_path.toStdString(), f = file.toStdString(), kind](JobContext &) {
            db::Database d = db::Database::open(p, db::OpenMode::ExistingOnly);
            if (kind == QLatin1String("latency-table"))
                return db::importLatencyTable(d, f);
            return f.size() > 5 && f.substr(f.size() - 5) == ".json" ? db::importMeasurementsJson(d, f)
                                                                      : db::importMeasurementsCsv(d, f);
        },
        this,
        [this](db::ImportReport r) {
            if (!r.errors.empty()) {
                QString first = QString::fromStdString(r.errors.front().text());
                showError(tr("%1 — first problem: %2").arg(QString::fromStdString(r.summary()), first));
            }
            reload();
            Q_EMIT projectChanged();
        },
        [this](QString e) { showError(tr("Import failed: %1").arg(e)); });
}

void DatasetsView::exportFile()
{
    if (m_path.isEmpty())
        return showError(tr("Open a project first (File > Open Project)."));
    const QString file = QFileDialog::getSaveFileName(this, tr("Export measurements"), QStringLiteral("measurements.csv"),
                                                      tr("CSV (*.csv);;JSON (*.json)"));
    if (file.isEmpty())
        return;
    m_jobs->start<bool>(
        tr("Export %1").arg(file),
        [p = m_path.toStdString(), f = file.toStdString()](JobContext &) {
            db::Database d = db::Database::open(p, db::OpenMode::ReadOnly);
            std::ofstream out(f);
            if (!out)
                throw std::runtime_error("cannot write " + f);
            if (f.size() > 5 && f.substr(f.size() - 5) == ".json")
                db::exportMeasurementsJson(d, out);
            else
                db::exportMeasurementsCsv(d, out);
            return true;
        },
        this, [](bool) {}, [this](QString e) { showError(tr("Export failed: %1").arg(e)); });
}

void DatasetsView::exportFigure()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export figure"), QStringLiteral("latency.pdf"),
                                                      tr("PDF (*.pdf);;SVG (*.svg);;PNG (*.png)"));
    if (file.isEmpty())
        return;
    FigureStyle style;
    style.dpi = Settings::figureDpi();
    style.doubleColumn = Settings::figureDoubleColumn();
    QString error = views::exportChart(m_chart, file, style);
    if (!error.isEmpty())
        showError(error);
    updateChart(); // the export restyled the chart for print; rebuild the on-screen one
}

} // namespace sniper::views
