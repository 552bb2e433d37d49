#include "app/build_info.h"

#include "app/git_commit.h" // generated in the build tree (cmake/git_describe.cmake)

#include <deal.II/base/config.h>

#include <gmsh.h>
#include <petscversion.h>

#include <string>

namespace mpstream::app
{
  std::string mpstream_version() { return MPSTREAM_VERSION; }
  std::string git_commit() { return MPSTREAM_GIT_COMMIT; }
  std::string dealii_version() { return DEAL_II_PACKAGE_VERSION; }
  std::string petsc_version()
  {
    return std::to_string(PETSC_VERSION_MAJOR) + "." + std::to_string(PETSC_VERSION_MINOR) + "." +
           std::to_string(PETSC_VERSION_SUBMINOR);
  }
  std::string gmsh_version() { return GMSH_API_VERSION; }

  Json versions_json()
  {
    return Json(Json::Object{{"mpstream", mpstream_version()}, {"git_commit", git_commit()},
                             {"deal.II", dealii_version()}, {"PETSc", petsc_version()},
                             {"Gmsh", gmsh_version()}});
  }
} // namespace mpstream::app
