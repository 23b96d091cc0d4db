#pragma once

// Partition view (SPEC §11/§12, issue 10 item 4): JPS for n jobs of one model. The per-layer
// device times are measured once in a background job (partition::measureProfile); every change
// of bandwidth or job count re-plans on the GUI thread (partition::comparePlans, microseconds)
// and redraws the f/g curves with the cuts, the Johnson schedule's two-resource Gantt chart, the
// makespans of JPS, LO, CO, PO (and BF for small n) and the cut on the model's DAG.

#include "partition/partition.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QChart;
class QChartView;
class QComboBox;
class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTabWidget;

namespace sniper::features {
struct ModelReport;
}
namespace sniper::graph {
struct GraphLayout;
}

namespace sniper::views {

class GraphView;
class JobContext;
class JobsModel;

// What the measuring job hands to the GUI thread (immutable there).
struct PartitionProfile {
    QString model; // file path
    QString platform, cloud;
    partition::MeasuredProfile profile;
    std::vector<int> cutNode; // per merged cut: first graph node after the cut (node count: none)
    std::shared_ptr<const features::ModelReport> report;
    std::shared_ptr<const graph::GraphLayout> layout;
    // Opened from the project (openExperiment): the experiment and the bandwidth and job count
    // it was saved with.
    qint64 experimentId = 0;
    QString experimentName;
    double bandwidthBps = 0;
    int jobs = 0;
};

class PartitionView : public QWidget {
    Q_OBJECT
public:
    explicit PartitionView(JobsModel *jobs, QWidget *parent = nullptr);
    ~PartitionView() override;

    // The model open in the model view joins the model list (first entry) and is selected.
    void setCurrentModel(const QString &path);
    // Selects a model by file path (added to the list when it is not there yet).
    void setModelPath(const QString &path);
    void setPlatform(const QString &localPlatform, const QString &cloudPlatform = {});
    // The project that Save to project writes to and stored examples come from (default: the
    // CLI's default project).
    void setProject(const QString &path);
    // Measures the chosen model's per-layer times on the chosen platform(s) in a background job.
    void measure();
    // Stores the measured profile with the bandwidth and job count (db::savePartitionExperiment,
    // as `sniper partition --save`); emits saved.
    bool saveToProject(const QString &name = {});
    // Shows a stored example: its profile as measured then (nothing is timed), its model, platform,
    // bandwidth and job count; emits measured, or measureFailed.
    void openExperiment(qint64 id);
    // Opens the project's newest partition example, if it has one and nothing was measured yet.
    void openNewestExperiment();
    void setBandwidth(double bitsPerSecond); // also from the presets, the slider and the text field
    void setJobCount(int n);

    // Bandwidth presets of the JPS paper (bit/s).
    static constexpr double k3G = 1.1e6, k4G = 5.85e6, kWifi = 18.88e6;
    // The slider's log scale: 0.1 to 100 Mbps over kSliderSteps steps.
    static constexpr int kSliderSteps = 1000;
    static int sliderPosition(double bitsPerSecond);
    static double sliderBandwidth(int position);
    static constexpr int kCloudRole = 2; // QGraphicsItem::data of the DAG's boxes: runs after the cut

    // For tests and the screenshot tour.
    bool isMeasured() const { return m_profile != nullptr; }
    bool isMeasuring() const { return m_measuring; }
    double bandwidth() const { return m_bps; }
    int cutIndex() const; // JPS l* in the merged profile, -1 without a plan
    int cutLeftIndex() const; // JPS l*-1 (= l* when l* is 0)
    QString cutName() const; // the last local layer at l*
    double makespan(const QString &method) const; // ms; NaN when the method did not run
    const partition::PlanComparison *comparison() const { return m_plan ? &*m_plan : nullptr; }
    QString errorText() const; // the inline banner's text, empty when hidden
    QLabel *banner() const { return m_banner; }
    QSlider *slider() const { return m_slider; }
    QSpinBox *jobCount() const { return m_jobs; }
    QComboBox *modelChoice() const { return m_model; }
    QChart *curvesChart() const;
    QChart *makespanChart() const;
    QGraphicsScene *ganttScene() const { return m_gantt; }
    GraphView *graphView() const { return m_graph; } // nullptr until a model was measured

Q_SIGNALS:
    void measured();
    void measureFailed(const QString &message);
    void planned();
    void saved(qint64 id);

private:
    void startJob(const QString &jobName, const QString &status, const QString &failure,
                  std::function<PartitionProfile(JobContext &)> work);
    void replan();
    void clearPlan();
    void showError(const QString &message);
    void updateBandwidthLabel();
    // partitioncharts.cpp: the charts and the cut on the DAG.
    void drawCurves();
    void drawMakespans();
    void drawGantt();
    void markCutOnGraph();

    JobsModel *m_jobsModel;
    QComboBox *m_model;
    QComboBox *m_local;
    QComboBox *m_cloud;
    QSpinBox *m_jobs;
    QPushButton *m_measure;
    QPushButton *m_saveButton;
    QSlider *m_slider;
    QLineEdit *m_bandwidthEdit;
    QLabel *m_bandwidthLabel;
    QLabel *m_banner;
    QLabel *m_summary;
    QChartView *m_curves;
    QChartView *m_makespans;
    QGraphicsScene *m_gantt;
    QGraphicsView *m_ganttView;
    QTabWidget *m_tabs;
    GraphView *m_graph = nullptr; // made with the first profile; a placeholder page until then

    QString m_project;
    double m_bps = k4G;
    std::shared_ptr<const PartitionProfile> m_profile;
    std::optional<partition::PlanComparison> m_plan;
    int m_job = 0;
    bool m_measuring = false;
};

} // namespace sniper::views
