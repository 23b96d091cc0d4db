#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QTableView;

namespace sniper::features {
struct ModelReport;
}

namespace sniper::views {

class DatasetsView;
class FeatureTableModel;
class GraphView;
class JobsModel;
class NodeTableModel;
class ProfilingView;
class ProjectTreeModel;

// The main window only assembles views (STYLE.md): a project explorer dock over the open
// project database, a jobs dock, and the model, datasets and generator/profiling views.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts importing `path` on a worker thread; the tables update when it finishes.
    void openModel(const QString &path);
    // Opens (or creates) a project database and shows it in the explorer and the views.
    void openProject(const QString &path);
    // Loads a model stored in the open project (its ONNX blob) into the model view.
    void openProjectModel(qint64 modelId);
    QString projectPath() const { return m_projectPath; }
    JobsModel *jobs() const { return m_jobs; }

Q_SIGNALS:
    void modelLoaded(const QString &path);
    void modelFailed(const QString &message);
    void projectOpened(const QString &path);
    void projectFailed(const QString &message);

private:
    void showReport(std::shared_ptr<const features::ModelReport> report);
    void showError(const QString &message);
    void refreshProject();
    void buildMenus();
    void showAbout();

    JobsModel *m_jobs;
    ProjectTreeModel *m_project;
    DatasetsView *m_datasets;
    ProfilingView *m_profiling;
    QString m_projectPath;

    NodeTableModel *m_nodes;
    FeatureTableModel *m_features;
    GraphView *m_graph;
    QLabel *m_banner;
    QLabel *m_summary;
    int m_job = 0;
};

} // namespace sniper::views
