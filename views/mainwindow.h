#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QTableView;

namespace sniper::features {
struct ModelReport;
}

namespace sniper::views {

class FeatureTableModel;
class GraphView;
class NodeTableModel;

// The first shell of the workbench: open an ONNX model (in the background) and show its
// nodes and NNS features. Later issues add the project explorer and the other views.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts importing `path` on a worker thread; the tables update when it finishes.
    void openModel(const QString &path);

Q_SIGNALS:
    void modelLoaded(const QString &path);
    void modelFailed(const QString &message);

private:
    void showReport(std::shared_ptr<const features::ModelReport> report);
    void showError(const QString &message);

    NodeTableModel *m_nodes;
    FeatureTableModel *m_features;
    GraphView *m_graph;
    QLabel *m_banner;
    QLabel *m_summary;
    int m_job = 0;
};

} // namespace sniper::views
