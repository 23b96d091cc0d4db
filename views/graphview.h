#pragma once

// The model view's DAG (SPEC §12): layers as boxes colored by operator category, edges as
// polylines from the layered layout, the critical path highlighted, search, zoom/pan/fit and a
// node inspector. The layout is computed by the loading job off the GUI thread; this widget only
// builds scene items from it.

#include <QWidget>

#include <memory>

class QGraphicsScene;
class QGraphicsView;
class QLineEdit;
class QTextBrowser;
class QLabel;

namespace sniper::features {
struct ModelReport;
}
namespace sniper::graph {
struct GraphLayout;
}

namespace sniper::views {

class GraphView : public QWidget {
    Q_OBJECT
public:
    explicit GraphView(QWidget *parent = nullptr);
    ~GraphView() override;

    void setModel(std::shared_ptr<const features::ModelReport> report, std::shared_ptr<const graph::GraphLayout> layout);
    void clear();

    QGraphicsScene *scene() const { return m_scene; }
    // Selects and centres the first node whose name or operator contains `text`; false if none.
    bool find(const QString &text);
    void zoomBy(double factor);
    void fitAll();

    static constexpr int kNodeRole = 0;     // QGraphicsItem::data: IR node index
    static constexpr int kCriticalRole = 1; // QGraphicsItem::data: on the critical path

Q_SIGNALS:
    void nodeSelected(int node);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showInspector(int node);

    QGraphicsScene *m_scene;
    QGraphicsView *m_view;
    QLineEdit *m_search;
    QTextBrowser *m_inspector;
    QLabel *m_legend;
    std::shared_ptr<const features::ModelReport> m_report;
    int m_findFrom = 0;
};

} // namespace sniper::views
