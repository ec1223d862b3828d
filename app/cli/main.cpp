// locallab-cli: runs LocalLab's methods on a file and writes CSV, for scripts and for checking the
// numbers against other libraries. See cli_common.hpp for the exit codes.

#include "cli_common.hpp"
#include "commands.hpp"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    CLI::App app{"LocalLab batch front end: localization methods on data files, results as CSV",
                 "locallab-cli"};
    app.set_version_flag("--version", LOCALLAB_VERSION);
    app.require_subcommand(1);

    // One line per command. A new command goes here once its command_<name>.cpp exists.
    locallab::cli::addInfoCommand(app);
    locallab::cli::addGenerateCommand(app);
    locallab::cli::addMeanShiftCommand(app);
    locallab::cli::addKdeCommand(app);
    locallab::cli::addRegressCommand(app);
    locallab::cli::addClassifyCommand(app);
    locallab::cli::addBandwidthCommand(app);
    locallab::cli::addLleCommand(app);
    locallab::cli::addAttentionCommand(app);

    return locallab::cli::run(app, argc, argv);
}
