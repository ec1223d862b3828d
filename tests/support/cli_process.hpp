#pragma once
// Runs the locallab-cli executable the way a script would, for the end-to-end tests in tests/cli/.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace locallab::test {

struct CliRun {
    int exitCode = -1; // -1: did not start, crashed or timed out
    QString output;
    QString errors;
};

inline CliRun runCli(const QStringList& arguments, int timeoutMilliseconds = 120'000) {
    QProcess process;
    process.start(QStringLiteral(LOCALLAB_CLI_PATH), arguments);
    if (!process.waitForFinished(timeoutMilliseconds) || process.exitStatus() != QProcess::NormalExit) {
        process.kill();
        return {};
    }
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace locallab::test
