#pragma once
// Every locallab-cli command is added by one function, defined in its own command_<name>.cpp, so
// commands are written independently and main.cpp only lists them.

namespace CLI {
class App;
}

namespace locallab::cli {

void addInfoCommand(CLI::App& app);      // command_info.cpp: n, d and per-column statistics of a file
void addGenerateCommand(CLI::App& app);  // command_generate.cpp: a seeded synthetic data set as CSV
void addKdeCommand(CLI::App& app);       // command_kde.cpp
void addRegressCommand(CLI::App& app);   // command_regress.cpp
void addClassifyCommand(CLI::App& app);  // command_classify.cpp: class posteriors of a kernel classifier
void addBandwidthCommand(CLI::App& app); // command_bandwidth.cpp
void addLleCommand(CLI::App& app);       // command_lle.cpp: locally linear embedding coordinates
void addAttentionCommand(CLI::App& app); // command_attention.cpp: the attention matrix of the tokens

void addMeanShiftCommand(CLI::App& app); // command_meanshift.cpp: clustering, modes, trajectories

} // namespace locallab::cli
