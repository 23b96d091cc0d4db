#include "featuresview.h"

#include "kfepanel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalBarSeries>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace sniper::views {

namespace {
const features::FeatureDef &def(int i) { return features::featureTable()[size_t(i)]; }

bool startsWith(const char *s, const char *prefix) { return std::string_view(s).rfind(prefix, 0) == 0; }

// "r_conv" -> "conv", "n_plane_56" -> "plane 56", "n_ch_1024" -> "ch 1024".
QString category(int i)
{
    QString name = QString::fromLatin1(def(i).name);
    if (name.startsWith(QLatin1String("r_")))
        return name.mid(2);
    name = name.mid(2);
    name.replace(QLatin1Char('_'), QLatin1Char(' '));
    return name;
}
} // namespace

FeatureComparisonModel::FeatureComparisonModel(QObject *parent) : QAbstractTableModel(parent) {}

void FeatureComparisonModel::setModels(std::vector<ComparedModel> models)
{
    beginResetModel();
    m_models = std::move(models);
    endResetModel();
}

int FeatureComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || m_models.empty() ? 0 : int(features::featureTable().size());
}

int FeatureComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FirstModel + int(m_models.size());
}

QVariant FeatureComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &d = def(index.row());
    if (role == Qt::ToolTipRole)
        return QString::fromLatin1(d.definition);
    if (role == Qt::TextAlignmentRole && index.column() >= FirstModel)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    if (index.column() == Name)
        return QString::fromLatin1(d.name);
    if (index.column() == Dimension)
        return QString::fromLatin1(features::dimensionName(d.dimension));
    const auto &values = m_models[size_t(index.column() - FirstModel)].features.values;
    if (size_t(index.row()) >= values.size() || std::isnan(values[size_t(index.row())]))
        return tr("n/a");
    return values[size_t(index.row())];
}

QVariant FeatureComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (section == Name)
        return tr("Feature");
    if (section == Dimension)
        return tr("Dimension");
    if (section >= FirstModel && size_t(section - FirstModel) < m_models.size())
        return m_models[size_t(section - FirstModel)].name;
    return {};
}

std::vector<int> FeaturesView::layerShareFeatures()
{
    std::vector<int> ids;
    const auto &t = features::featureTable();
    for (size_t i = 0; i < t.size(); ++i)
        if (t[i].dimension == features::Dimension::LayerProportions && startsWith(t[i].name, "r_"))
            ids.push_back(int(i));
    return ids;
}

std::vector<int> FeaturesView::dataFlowFeatures()
{
    std::vector<int> ids;
    const auto &t = features::featureTable();
    for (size_t i = 0; i < t.size(); ++i)
        if (t[i].dimension == features::Dimension::DataFlow &&
            (startsWith(t[i].name, "n_plane_") || startsWith(t[i].name, "n_ch_")))
            ids.push_back(int(i));
    return ids;
}

FeaturesView::FeaturesView(JobsModel *jobs, QWidget *parent)
    : QWidget(parent), m_model(new FeatureComparisonModel(this)), m_layerChart(new QChartView), m_flowChart(new QChartView),
      m_pin(new QPushButton(tr("Add to comparison"))), m_kfe(new KfePanel(jobs))
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    auto *hint = new QLabel(tr("Features of the open model; pin models to compare them side by side."));
    hint->setWordWrap(true);
    bar->addWidget(hint, 1);
    m_pin->setObjectName(QStringLiteral("pinModel"));
    m_pin->setEnabled(false);
    auto *clear = new QPushButton(tr("Clear comparison"));
    bar->addWidget(m_pin);
    bar->addWidget(clear);
    layout->addLayout(bar);
    connect(m_pin, &QPushButton::clicked, this, &FeaturesView::pinCurrent);
    connect(clear, &QPushButton::clicked, this, &FeaturesView::clearPinned);

    auto *table = new QTableView;
    table->setObjectName(QStringLiteral("featureComparison"));
    table->setModel(m_model);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // One chart per tab, bars horizontal so that every category name stays readable.
    auto *charts = new QTabWidget;
    charts->setObjectName(QStringLiteral("featureCharts"));
    const QString titles[] = {tr("Layer-type proportions"), tr("Data-flow buckets (output plane and channels)")};
    int i = 0;
    for (QChartView *view : {m_layerChart, m_flowChart}) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(360, 300);
        charts->addTab(view, titles[i++]);
    }
    auto *top = new QSplitter(Qt::Horizontal);
    top->addWidget(table);
    top->addWidget(charts);
    top->setSizes({540, 560});
    auto *main = new QSplitter(Qt::Vertical);
    main->addWidget(top);
    main->addWidget(m_kfe);
    main->setSizes({560, 340});
    layout->addWidget(main, 1);
    rebuild();
}

void FeaturesView::setCurrent(const QString &name, const features::Features &f)
{
    m_current = ComparedModel{name, f};
    m_pin->setEnabled(true);
    rebuild();
}

void FeaturesView::pinCurrent()
{
    if (!m_current)
        return;
    const bool known = std::any_of(m_pinned.begin(), m_pinned.end(),
                                   [this](const ComparedModel &m) { return m.name == m_current->name; });
    if (!known)
        m_pinned.push_back(*m_current);
    rebuild();
}

void FeaturesView::clearPinned()
{
    m_pinned.clear();
    rebuild();
}

void FeaturesView::setProject(const QString &path) { m_kfe->setProject(path); }

void FeaturesView::rebuild()
{
    std::vector<ComparedModel> models;
    if (m_current)
        models.push_back(*m_current);
    for (const auto &m : m_pinned)
        if (!m_current || m.name != m_current->name)
            models.push_back(m);
    m_model->setModels(std::move(models));
    fillChart(m_layerChart, layerShareFeatures(), tr("share of layers"));
    fillChart(m_flowChart, dataFlowFeatures(), tr("layers"));
}

QChart *FeaturesView::layerChart() const { return m_layerChart->chart(); }
QChart *FeaturesView::dataFlowChart() const { return m_flowChart->chart(); }

void FeaturesView::fillChart(QChartView *view, const std::vector<int> &featureIds, const QString &axisTitle)
{
    auto *chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    QChart *old = view->chart();
    view->setChart(chart);
    delete old;
    // Only categories some model uses: the layer table has more kinds than most networks hold.
    std::vector<int> used;
    double top = 0;
    for (int id : featureIds) {
        double most = 0;
        for (const auto &m : m_model->models())
            if (size_t(id) < m.features.values.size() && std::isfinite(m.features.values[size_t(id)]))
                most = std::max(most, m.features.values[size_t(id)]);
        if (most > 0)
            used.push_back(id);
        top = std::max(top, most);
    }
    if (used.empty())
        return;
    std::reverse(used.begin(), used.end()); // horizontal bars stack upwards: first category on top
    auto *series = new QHorizontalBarSeries;
    for (const auto &m : m_model->models()) {
        auto *set = new QBarSet(m.name);
        for (int id : used)
            *set << (size_t(id) < m.features.values.size() ? m.features.values[size_t(id)] : 0.0);
        series->append(set);
    }
    chart->addSeries(series);
    QStringList categories;
    for (int id : used)
        categories << category(id);
    auto *names = new QBarCategoryAxis;
    names->append(categories);
    names->setTruncateLabels(false); // the category is the point of the chart
    auto *values = new QValueAxis;
    values->setRange(0, top * 1.05);
    values->setTitleText(axisTitle);
    values->setLabelFormat(top < 2 ? QStringLiteral("%.2f") : QStringLiteral("%.0f"));
    chart->addAxis(names, Qt::AlignLeft);
    chart->addAxis(values, Qt::AlignBottom);
    series->attachAxis(names);
    series->attachAxis(values);
    chart->legend()->setVisible(true);
    chart->legend()->setAlignment(Qt::AlignTop);
}

} // namespace sniper::views
