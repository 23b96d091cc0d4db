#pragma once

// `sniper-workbench --screenshots DIR MODEL [MODEL2]`: drives the window through every view with
// real data (the open project, MODEL in the graph, MODEL2 pinned beside it in the features view,
// KFE on the project's first dataset with measurements) and saves one PNG per view into DIR.
// scripts/screenshots.sh runs it under Xvfb for docs/screenshots/.

#include <QStringList>

namespace sniper::views {

class MainWindow;

// Returns 0 when every PNG was written; messages go to stderr.
int runScreenshotTour(MainWindow &window, const QString &dir, const QStringList &models);

} // namespace sniper::views
