#pragma once

// Key Feature Extraction panel: on a dataset and platform of the project, runs
// features::keyFeatureExtraction (Sniper Algorithm 1) on the stored NNS features and measured
// median latencies as a background job, and shows the picks, their coefficients and the
// residual trace.

#include "features/kfe.h"

#include <QAbstractTableModel>
#include <QWidget>

#include <memory>
#include <string>
#include <vector>

class QChart;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace sniper::views {

class JobsModel;

// The inputs and outcome of one KFE run, handed to the GUI thread as a value.
struct KfeRun {
    std::string dataset, platform;
    int networks = 0;                  // rows: networks with features and an ok latency
    std::vector<int> featureIds;       // featureTable() index of each matrix column
    features::KfeResult result;
};

// Reads features and ok batch-1 median latencies of a dataset's networks on a platform and runs
// KFE with at most k picks. Throws sniper::Error when fewer than two networks qualify.
KfeRun runKfeOnProject(const std::string &projectPath, const std::string &dataset, const std::string &platform, int k);

// One row per pick: step, feature, |r| at its step, coefficient, residual RMS after it.
class KfeResultModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Step, Feature, Pearson, Coefficient, Residual, ColumnCount };
    explicit KfeResultModel(QObject *parent = nullptr);

    void setRun(std::shared_ptr<const KfeRun> run);
    const KfeRun *run() const { return m_run.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const KfeRun> m_run;
};

class KfePanel : public QWidget {
    Q_OBJECT
public:
    explicit KfePanel(JobsModel *jobs, QWidget *parent = nullptr);

    void setProject(const QString &path);
    // Runs KFE on the chosen dataset and platform (a background job).
    void run();

    QComboBox *datasetBox() const { return m_dataset; }
    QComboBox *platformBox() const { return m_platform; }
    KfeResultModel *result() const { return m_model; }
    QChart *residualChart() const { return m_chart; }

Q_SIGNALS:
    void choicesLoaded();
    void finished(bool ok);

private:
    void showRun(std::shared_ptr<const KfeRun> run);

    JobsModel *m_jobs;
    QString m_path;
    QComboBox *m_dataset, *m_platform;
    QSpinBox *m_k;
    QPushButton *m_run;
    QLabel *m_status;
    KfeResultModel *m_model;
    QChart *m_chart;
    int m_job = 0;
};

} // namespace sniper::views
