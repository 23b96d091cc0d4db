#include "aboutdialog.h"

#include "runtime/runtime.h"

#include <Eigen/Core>
#include <google/protobuf/stubs/common.h>
#include <libssh/libssh.h>
#include <nlohmann/json.hpp>
#include <onnx/common/version.h>
#include <sqlite3.h>
#include <xgboost/c_api.h>

#include <QApplication>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sniper::views {

namespace {
QString fromStd(const std::string &s) { return QString::fromStdString(s); }

// "LibTorch 1.13.1 (ATen, ...)" -> "1.13.1 (ATen, ...)": the runtimes report their framework.
QString framework(const char *platform, const char *prefix)
{
    try {
        std::string f = runtime::createRuntime(platform)->info().framework;
        if (f.rfind(prefix, 0) == 0)
            f = f.substr(std::string(prefix).size());
        return fromStd(f);
    } catch (const std::exception &e) {
        return AboutDialog::tr("unavailable (%1)").arg(QString::fromUtf8(e.what()));
    }
}
} // namespace

QList<LibraryVersion> libraryVersions()
{
    const auto v3 = [](int a, int b, int c) { return QStringLiteral("%1.%2.%3").arg(a).arg(b).arg(c); };
    return {
        {QStringLiteral("Qt"), QString::fromLatin1(qVersion())},
        {QStringLiteral("LibTorch"), framework("torch-cpu-1t", "LibTorch ")},
        {QStringLiteral("OpenCV"), framework("opencv-cpu-1t", "OpenCV ")},
        {QStringLiteral("ONNX"), QString::fromLatin1(ONNX_NAMESPACE::LAST_RELEASE_VERSION)},
        {QStringLiteral("Protocol Buffers"), fromStd(google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION))},
        {QStringLiteral("SQLite"), QString::fromLatin1(sqlite3_libversion())},
        {QStringLiteral("libssh"), QString::fromLatin1(ssh_version(0))},
        {QStringLiteral("XGBoost"), [&v3] {
             int major = 0, minor = 0, patch = 0;
             XGBoostVersion(&major, &minor, &patch);
             return v3(major, minor, patch);
         }()},
        {QStringLiteral("Eigen"), v3(EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION)},
        {QStringLiteral("nlohmann_json"),
         v3(NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH)},
        {QStringLiteral("BLAS"), fromStd(runtime::blasLibrary())},
    };
}

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Sniper Workbench"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("<h3>Sniper Workbench %1</h3><p>DNN inference latency research on heterogeneous edge "
                               "devices: Sniper, Ace-Sniper, JPS and the module-level MEDN framework in one "
                               "program.</p><p>Built with these libraries:</p>")
                                .arg(QApplication::applicationVersion()));
    text->setWordWrap(true);
    layout->addWidget(text);
    const QList<LibraryVersion> libs = libraryVersions();
    auto *table = new QTableWidget(int(libs.size()), 2, this);
    table->setObjectName(QStringLiteral("libraryVersions"));
    table->setHorizontalHeaderLabels({tr("Library"), tr("Version")});
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int i = 0; i < libs.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(libs[i].name));
        table->setItem(i, 1, new QTableWidgetItem(libs[i].version));
    }
    table->resizeColumnToContents(0);
    layout->addWidget(table);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, 460);
}

} // namespace sniper::views
