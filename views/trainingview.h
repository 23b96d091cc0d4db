#pragma once

// Training view (SPEC §7/§12, issue 10 item 1): trains a network-level latency predictor of
// Ace-Sniper Fig. 9 (network input FLOPs / FLOPs&AMC / NNS x platform input HELP / HRM x PCN, or
// the gradient-boosted-trees baseline) on the project's datasets in a background job, draws the
// train and validation loss per epoch as it goes (cancel stops within one epoch), then shows the
// held-out metrics (predict::summarize), predicted vs measured per platform and the error CDF;
// the predictor can be stored in the project (as `sniper train` does) or exported (ONNX + card).

#include <QWidget>

#include <functional>
#include <memory>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTimer;

namespace sniper::views {

class JobContext;
class JobsModel;
class ModuleSelectionModel;
class ModuleStudyModel;
class TrainingMetricsModel;
struct TrainingRun;
struct EpochFeed;
struct TrainInput;

class TrainingView : public QWidget {
    Q_OBJECT
public:
    explicit TrainingView(JobsModel *jobs, QWidget *parent = nullptr);
    ~TrainingView() override;

    // The project whose datasets train the predictor (default: the CLI's default project).
    void setProject(const QString &path);
    // Index into predictorNames() (Fig. 9 order: HELP then HRM x FLOPs, FLOPs&AMC, NNS; GBT; then
    // the module-level study of the MEDN framework, moduleStudyIndex()).
    void setPredictor(int index);
    QStringList predictorNames() const;
    int moduleStudyIndex() const;
    void setModuleSet(const QString &name); // module-level study: the sample set ("modules")
    void setDatasets(const QString &commaSeparated); // e.g. "generated-300"
    void setPlatforms(const QString &commaSeparated); // empty: every measured platform
    // Hyper-parameters as typed in the form (validated on change and on Train).
    void setHyperParameters(const QString &epochs, const QString &learningRate, const QString &batch,
                            const QString &patience, const QString &references, const QString &seed);
    void setSplit(const QString &splitSeed, const QString &testFraction);

    // Validates the form (inline error on failure) and starts the training job.
    bool train();
    // Stops the running training at the end of the current epoch.
    void cancel();
    // Shows a stored network predictor: its loss curves as stored and its metrics, scatter and
    // CDF evaluated again on the held-out split it was trained with; emits finished, or failed.
    void openPredictor(qint64 id);
    // Opens the project's newest network predictor, if it has one and nothing was trained yet.
    void openNewestPredictor();
    // Stores the trained predictor (module level: the study, as `sniper modules train`) in the
    // project (a background job; emits saved with the record's id, or failed).
    bool saveToProject(const QString &name = {});
    // Writes <path>.onnx and <path>.json (core/predict/export.h); empty on success, else the error.
    QString exportTo(const QString &pathWithoutExtension);

    // For tests.
    bool isTraining() const { return m_training; }
    bool isFinished() const; // a training ended and was not cancelled
    bool wasCancelled() const;
    int trainPointCount() const;
    int validationPointCount() const;
    int reportedEpochs() const; // epochs the running job has reported (worker side)
    int cancelEpoch() const { return m_cancelEpoch; } // reportedEpochs() when cancel() was called
    int metricsRowCount() const;
    TrainingMetricsModel *metricsModel() const { return m_metrics; }
    ModuleStudyModel *studyModel() const { return m_studyModel; }
    ModuleSelectionModel *selectionModel() const { return m_selectionModel; }
    bool isModuleStudy() const;
    QString statusText() const;
    QString errorText() const; // the inline banner's text, empty when hidden
    QChart *lossChart() const;
    QChart *scatterChart() const;
    QChart *cdfChart() const;

Q_SIGNALS:
    void finished(); // also after a cancelled training
    void failed(const QString &message);
    void saved(qint64 id);

private:
    bool validate(TrainInput *in);
    void startJob(const QString &jobName, const QString &status, bool cancellable,
                  std::function<TrainingRun(const std::shared_ptr<EpochFeed> &, JobContext &)> work);
    void showError(const QString &message);
    void drainFeed();
    void showResult();
    void drawScatter();
    void drawCdf();
    void updateFields();

    JobsModel *m_jobsModel;
    QComboBox *m_predictor;
    QLineEdit *m_datasets, *m_platforms, *m_moduleSet, *m_splitSeed, *m_testFraction;
    QLineEdit *m_epochs, *m_lr, *m_batch, *m_patience, *m_references, *m_seed;
    QPushButton *m_trainButton, *m_cancelButton, *m_saveButton, *m_exportButton;
    QLabel *m_banner, *m_status;
    QChartView *m_loss, *m_scatter, *m_cdf;
    QTableView *m_table;
    TrainingMetricsModel *m_metrics;
    ModuleStudyModel *m_studyModel;
    ModuleSelectionModel *m_selectionModel;
    QTabWidget *m_results;
    QTimer *m_poll;

    QString m_project;
    std::shared_ptr<EpochFeed> m_feed;
    std::shared_ptr<const TrainingRun> m_run;
    int m_job = 0, m_jobId = 0;
    int m_cancelEpoch = -1;
    bool m_training = false;
    double m_lossTop = 0;
};

} // namespace sniper::views
