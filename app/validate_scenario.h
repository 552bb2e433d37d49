#pragma once
// `mpstream validate FILE.prm [--for COMMAND]`: everything `mpstream run` (or COMMAND) would
// check before computing, and
// nothing else: the parameters (read_scenario), the stream layout (its CSV file, overlaps), each
// stage's up-front checks (Stage::check_inputs: meshability, charge files, charge sources,
// the patch-centre disc) and that the results folder can be written. Meant for a login node,
// before a batch job waits in the queue for a scenario that would stop at its first line.
#include "app/scenario.h"

#include <filesystem>
#include <string>

namespace mpstream::app
{
  // Throws InputError (or QuantityError) for the first problem; returns what was checked, for
  // the one-line OK.
  std::string validate_scenario(const Scenario &scenario, const std::filesystem::path &output_dir,
                                const std::string &command);
} // namespace mpstream::app
