#pragma once

// Scheduling view (SPEC §10/§12, issue 10 item 3): the policies of core/sched on a cluster of the
// project's platforms. A background job reads the project's measured latencies
// (sched::clusterLatencyTable, as `sniper schedule run` does), draws one seeded workload and
// simulates every chosen policy on it; the GUI thread then replays one policy's compact event
// log with a QTimer, advancing simulated time in small steps: live TPS, AWT and node-load charts
// and a per-node Gantt chart fill as time advances; a bar chart compares the policies' AWT.

#include "experimentstore.h"

#include <QElapsedTimer>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTimer;

namespace sniper::views {

class JobContext;
class JobsModel;

// What the simulation job hands to the GUI thread (immutable there): the outcome of
// db::runScheduling, the spec that made it and, when it was reopened or saved, its experiment.
struct SchedulingRun : db::SchedulingOutcome {
    db::SchedulingSpec spec;
    qint64 experimentId = 0;
    QString experimentName;
};

class SchedulingView : public QWidget {
    Q_OBJECT
public:
    explicit SchedulingView(JobsModel *jobs, QWidget *parent = nullptr);
    ~SchedulingView() override;

    // The project whose measured latencies the simulation uses (default: the CLI's default project).
    void setProject(const QString &path);
    void setCluster(const QString &spec); // "torch-cpu-1t:3,opencv-cpu-1t:3"
    void setRate(const QString &tasksPerSecond);
    void setWorkload(double newProb, double durationSeconds, int seed);
    void setPolicies(const QStringList &names); // checks exactly these
    // Validates the inputs (inline error on failure) and starts the simulation job.
    bool run();
    // Stores the finished run in the project (db::saveSchedulingExperiment, as `sniper schedule
    // run --save`); emits saved with the experiment's id, or failed.
    bool saveToProject(const QString &name = {});
    // Reruns a stored experiment (db::reopenSchedulingExperiment: its event logs must hash as
    // stored), fills the form from it and replays it; emits finished, or failed.
    void openExperiment(qint64 id);
    // Opens the project's newest scheduling experiment, if it has one and nothing was run yet.
    void openNewestExperiment();
    // Replay of the chosen policy's event log.
    void play();
    void pause();
    void restartReplay();
    void setSpeed(double factor); // simulated seconds per wall-clock second; <= 0: maximum speed
    // Writes every figure as <dir>/scheduling_<name>.<suffix> (png, svg, pdf); empty on success.
    QString exportFigures(const QString &dir, const QString &suffix);

    static constexpr int kReplaySteps = 400; // steps over the whole simulated time
    static constexpr int kMaxStepsPerTick = 8; // maximum speed
    static constexpr int kTickMs = 15;
    static constexpr int kGanttMaxBars = 4000;

    // For tests and the screenshot tour.
    bool isRunning() const { return m_running; }
    bool hasResult() const { return m_run != nullptr; }
    const SchedulingRun *result() const { return m_run.get(); }
    QString replayPolicy() const;
    int replayStep() const { return m_step; }
    int replayStepCount() const { return m_run ? kReplaySteps : 0; }
    bool replayFinished() const { return m_run && m_step >= kReplaySteps; }
    bool isPlaying() const;
    QList<int> seriesLengths() const; // every line series of the TPS, AWT and load charts
    int ganttBarCount() const { return m_ganttBars; }
    QString errorText() const; // the inline banner's text, empty when hidden
    QChart *tpsChart() const;
    QChart *awtChart() const;
    QChart *loadChart() const;
    QChart *compareChart() const;
    QGraphicsScene *ganttScene() const { return m_gantt; }

Q_SIGNALS:
    void finished();
    void failed(const QString &message);
    void replayDone();
    void saved(qint64 id);

private:
    bool validate(sched::Cluster *cluster, double *rate);
    void showError(const QString &message);
    void showResult();
    void showSpec(const db::SchedulingSpec &spec);
    void startJob(const QString &jobName, const QString &status, std::function<SchedulingRun(JobContext &)> work);
    // schedulingreplay.cpp: the replay and its figures.
    void prepareReplay();
    void tick();
    void advance(int steps);
    void drawCompare();

    JobsModel *m_jobsModel;
    QLineEdit *m_cluster;
    QLineEdit *m_rate;
    QDoubleSpinBox *m_newProb;
    QDoubleSpinBox *m_duration;
    QSpinBox *m_seed;
    QLineEdit *m_trace;
    QListWidget *m_policies;
    QPushButton *m_runButton;
    QPushButton *m_saveButton;
    QComboBox *m_replayPolicy;
    QPushButton *m_playButton;
    QComboBox *m_speed;
    QLabel *m_banner;
    QLabel *m_summary;
    QChartView *m_tps;
    QChartView *m_awt;
    QChartView *m_load;
    QChartView *m_compare;
    QGraphicsScene *m_gantt;
    QGraphicsView *m_ganttView;
    QTimer *m_timer;

    QString m_project;
    std::shared_ptr<const SchedulingRun> m_run;
    int m_job = 0;
    bool m_running = false;

    // Replay state of the policy in m_replayPolicy (rebuilt by prepareReplay).
    struct NodeBusy {
        std::vector<double> start, finish, busyBefore; // the node's tasks by start; busy time before each
        double busyUntil(double t) const;
    };
    int m_step = 0;
    double m_horizon = 0; // s: last completion
    double m_speedFactor = 0; // <= 0: maximum
    double m_pendingSteps = 0;
    QElapsedTimer m_wall;
    std::vector<double> m_finishSorted;
    std::vector<double> m_startSorted, m_waitPrefix; // starts in order, prefix sums of their Tw
    std::vector<NodeBusy> m_nodes;
    std::vector<int> m_byStart; // task indices by start, for the Gantt chart
    size_t m_ganttNext = 0;
    int m_ganttBars = 0;
    double m_tpsTop = 1, m_awtTop = 1;
};

} // namespace sniper::views
