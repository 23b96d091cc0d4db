#pragma once

// Features view (SPEC §12, issue 9 point 4): the NNS features of the open model and of the
// models pinned for comparison, side by side in one table, with two charts — layer-type
// proportions and data-flow buckets — and the Key Feature Extraction panel below.

#include "features/features.h"

#include <QAbstractTableModel>
#include <QWidget>

#include <optional>
#include <vector>

class QChart;
class QChartView;
class QLabel;
class QPushButton;

namespace sniper::views {

class JobsModel;
class KfePanel;

// One named feature vector: a model of the comparison.
struct ComparedModel {
    QString name;
    features::Features features;
};

// Rows: every feature of featureTable(); columns: name, dimension, then one per model.
class FeatureComparisonModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Dimension, FirstModel };
    explicit FeatureComparisonModel(QObject *parent = nullptr);

    void setModels(std::vector<ComparedModel> models);
    const std::vector<ComparedModel> &models() const { return m_models; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ComparedModel> m_models;
};

class FeaturesView : public QWidget {
    Q_OBJECT
public:
    explicit FeaturesView(JobsModel *jobs, QWidget *parent = nullptr);

    // The model open in the model view; it is always the first column.
    void setCurrent(const QString &name, const features::Features &f);
    // Pins the current model so it stays in the comparison when another one opens.
    void pinCurrent();
    void clearPinned();
    void setProject(const QString &path);

    FeatureComparisonModel *comparison() const { return m_model; }
    QChart *layerChart() const;
    QChart *dataFlowChart() const;
    KfePanel *kfe() const { return m_kfe; }

    // Categories of the two charts: the r_* layer shares and the n_plane_* / n_ch_* buckets.
    static std::vector<int> layerShareFeatures();
    static std::vector<int> dataFlowFeatures();

private:
    void rebuild();
    // A fresh chart each time: Qt Charts leaves stale axis labels behind when axes are swapped.
    void fillChart(QChartView *view, const std::vector<int> &featureIds, const QString &axisTitle);

    FeatureComparisonModel *m_model;
    std::vector<ComparedModel> m_pinned;
    std::optional<ComparedModel> m_current;
    QChartView *m_layerChart;
    QChartView *m_flowChart;
    QPushButton *m_pin;
    KfePanel *m_kfe;
};

} // namespace sniper::views
