#pragma once

// Help > About: what the workbench is and the versions of the libraries it runs on, read from
// the libraries themselves (runtime calls or their version macros), not typed in by hand.

#include <QDialog>
#include <QList>
#include <QString>

namespace sniper::views {

struct LibraryVersion {
    QString name;    // "Qt", "LibTorch", ...
    QString version; // "6.4.2", "1.13.1 (ATen, ...)"
};

// Qt, LibTorch, OpenCV, ONNX, protobuf, SQLite, libssh, XGBoost, Eigen, nlohmann_json, BLAS — in that order.
QList<LibraryVersion> libraryVersions();

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);
};

} // namespace sniper::views
