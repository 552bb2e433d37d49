#include "app/validate_scenario.h"

#include "app/stages.h"
#include "common/error.h"
#include "layout/stream_layout.h"

#include <unistd.h>

#include <string>

namespace mpstream::app
{
  namespace
  {
    // The folder, or the nearest of its parents that exists, must be writable: a run creates
    // the rest.
    void check_writable(const std::filesystem::path &output_dir)
    {
      std::filesystem::path existing = std::filesystem::absolute(output_dir);
      while (!std::filesystem::exists(existing) && existing.has_parent_path() && existing != existing.parent_path())
        existing = existing.parent_path();
      if (!std::filesystem::is_directory(existing) || access(existing.c_str(), W_OK | X_OK) != 0)
        throw InputError("results folder '" + output_dir.string() + "': cannot be written ('" + existing.string() +
                         "' is not a writable folder)");
    }
  } // namespace

  std::string validate_scenario(const Scenario &scenario, const std::filesystem::path &output_dir,
                                const std::string &command)
  {
    const auto layout = layout::make_stream_layout(scenario.layout);
    std::string checked;
    for (const Stage *stage : stages_for(command))
      {
        if (stage->check_inputs)
          stage->check_inputs(scenario, layout);
        checked += (checked.empty() ? "" : ", ") + stage->command;
      }
    check_writable(output_dir);
    return std::to_string(layout.spheres.size()) + " spheres in " + std::to_string(layout.layer_heights.size()) +
           " layer(s); stages checked: " + checked + "; results to " + output_dir.string();
  }
} // namespace mpstream::app
