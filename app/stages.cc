#include "app/stages.h"

namespace mpstream::app
{
  const std::vector<Stage> &stages()
  {
    static const std::vector<Stage> all = {
      {"mesh", "stream layout and Gmsh mesh with quality report", &run_mesh_stage, true},
    };
    return all;
  }
} // namespace mpstream::app
