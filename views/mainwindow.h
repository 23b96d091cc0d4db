#pragma once

#include <QMainWindow>

#include <functional>
#include <memory>

class QDragEnterEvent;
class QDropEvent;
class QLabel;
class QMenu;
class QTableView;

namespace sniper::features {
struct ModelReport;
}

namespace sniper::views {

class DatasetsView;
class DevicesView;
class FeaturesView;
class FeatureTableModel;
class GraphView;
class JobsModel;
class NodeTableModel;
class PartitionView;
class ProfilingView;
class ProjectTreeModel;
class SchedulingView;
class TrainingView;

// The main window only assembles views (STYLE.md): a project explorer dock over the open
// project database, a jobs dock, and the model, features, datasets, generator/profiling and
// partition, scheduling, training and devices views.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts importing `path` on a worker thread; the tables update when it finishes. A model
    // with symbolic input dimensions asks for `inputShape` ("1x3x224x224") through the prompt.
    void openModel(const QString &path, const QString &inputShape = {});
    // Drag-and-drop: opens the first .onnx file and adds every .onnx file to the open project
    // (dataset "imported"); anything else gets an inline message naming the file.
    void importFiles(const QStringList &paths);
    // Asks for the input shape of `file` (`reason`: the importer's message); empty = cancelled.
    // The default shows InputShapeDialog; tests replace it.
    using InputShapePrompt = std::function<QString(const QString &file, const QString &reason)>;
    void setInputShapePrompt(InputShapePrompt prompt) { m_prompt = std::move(prompt); }
    // Opens (or creates) a project database and shows it in the explorer and the views.
    void openProject(const QString &path);
    // Loads a model stored in the open project (its ONNX blob) into the model view.
    void openProjectModel(qint64 modelId);
    QString projectPath() const { return m_projectPath; }
    JobsModel *jobs() const { return m_jobs; }
    FeaturesView *featuresView() const { return m_featuresView; }
    PartitionView *partitionView() const { return m_partition; }
    SchedulingView *schedulingView() const { return m_scheduling; }
    TrainingView *trainingView() const { return m_training; }
    DevicesView *devicesView() const { return m_devices; }

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

Q_SIGNALS:
    void filesImported(int count);
    void modelLoaded(const QString &path);
    void modelFailed(const QString &message);
    void projectOpened(const QString &path);
    void projectFailed(const QString &message);

private:
    void showReport(std::shared_ptr<const features::ModelReport> report);
    void predictOpenModel(std::shared_ptr<const features::ModelReport> report);
    void showError(const QString &message);
    void refreshProject();
    void buildMenus();
    void showAbout();
    void buildLanguageMenu(QMenu *menu);

    JobsModel *m_jobs;
    ProjectTreeModel *m_project;
    DatasetsView *m_datasets;
    ProfilingView *m_profiling;
    FeaturesView *m_featuresView;
    PartitionView *m_partition;
    SchedulingView *m_scheduling;
    TrainingView *m_training;
    DevicesView *m_devices;
    InputShapePrompt m_prompt;
    QString m_projectPath;

    NodeTableModel *m_nodes;
    FeatureTableModel *m_features;
    GraphView *m_graph;
    QLabel *m_banner;
    QLabel *m_summary;
    QLabel *m_prediction; // the project's newest predictor on the open model, with its range check
    int m_job = 0;
};

} // namespace sniper::views
