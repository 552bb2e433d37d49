#pragma once
// What this binary is: mpstream's version, the git commit it was built from ("unknown" when
// built from a tarball) and the deal.II, PETSc and Gmsh it links, for --version, log.txt and summary.json.
#include "common/json.h"

#include <string>

namespace mpstream::app
{
  std::string mpstream_version();
  std::string git_commit();
  std::string dealii_version();
  std::string petsc_version(); // the PETSc deal.II was built with (headers at compile time)
  std::string gmsh_version();  // the Gmsh SDK's API version

  // {"mpstream": ..., "git_commit": ..., "deal.II": ..., "PETSc": ..., "Gmsh": ...}
  Json versions_json();
} // namespace mpstream::app
