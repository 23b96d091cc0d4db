#pragma once

// The datasets view (SPEC §12): the project's measurements as a sortable, filterable table, a
// scatter plot (latency vs MACs per platform, or one platform against another), import of
// measurements and third-party latency tables, export, and figure export.

#include <QAbstractTableModel>
#include <QWidget>

#include <map>
#include <memory>
#include <string>
#include <vector>

class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace sniper::views {

class JobsModel;

struct MeasurementRow {
    std::string model, platform, status, message;
    int64_t modelId = 0;
    int batch = 1;
    double median = 0, mean = 0, stdev = 0, min = 0, p90 = 0;
    int runs = 0;
    double macs = 0; // NaN when the model has no features
    double probeRatio = 0; // contention probe / calibrated (NaN: measured without the gate)
    int discarded = 0;     // runs the contention gate discarded
    bool contended = false; // no clean window: shown, not learned from
};

struct DatasetSnapshot {
    std::vector<MeasurementRow> rows;
    std::vector<std::string> platforms;
};

// Reads every measurement with its model's MACs, with its own connection (worker-safe).
DatasetSnapshot readDatasetSnapshot(const std::string &path);

class MeasurementTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Model, Platform, Batch, Status, Median, Mean, Std, Min, P90, Runs, Discarded, Probe, Macs, ColumnCount };
    explicit MeasurementTableModel(QObject *parent = nullptr);
    void setSnapshot(std::shared_ptr<const DatasetSnapshot> snapshot);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const DatasetSnapshot> m_snapshot;
};

class DatasetsView : public QWidget {
    Q_OBJECT
public:
    DatasetsView(JobsModel *jobs, QWidget *parent = nullptr);

    void setProject(const QString &path); // reloads in the background
    void reload();
    QChartView *chartView() const { return m_chart; }
    MeasurementTableModel *tableModel() const { return m_model; }

Q_SIGNALS:
    void reloaded();
    void projectChanged(); // after an import wrote to the database

private:
    void updateChart();
    void showError(const QString &message);
    void importFile(const QString &kind);
    void exportFile();
    void exportFigure();

    JobsModel *m_jobs;
    QString m_path;
    std::shared_ptr<const DatasetSnapshot> m_snapshot;
    MeasurementTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QChartView *m_chart;
    QComboBox *m_xAxis;
    QComboBox *m_yPlatform;
    QLineEdit *m_filter;
    QLabel *m_banner;
    QLabel *m_summary;
};

} // namespace sniper::views
