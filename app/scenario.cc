#include "app/scenario.h"

#include "app/parameter_defaults.h"
#include "app/parameter_errors.h"
#include "common/error.h"

#include <fstream>

namespace mpstream::app
{
  using dealii::ParameterHandler;

  void declare_parameters(ParameterHandler &prm)
  {
    declare_geometry_parameters(prm);
    declare_mesh_parameters(prm);
    declare_operating_point_parameters(prm);
    declare_thermal_parameters(prm);
    declare_mc_parameters(prm);
    declare_electrostatics_parameters(prm);
    declare_charging_parameters(prm);
    declare_emission_parameters(prm);
    declare_dynamics_parameters(prm);
    prm.enter_subsection("Output");
    const OutputParameters defaults;
    prm.declare_entry("Directory", prm_default(defaults.directory), dealii::Patterns::Anything(),
                      "Where results go; empty: results/<scenario file stem>. "
                      "--output-dir on the command line takes precedence.");
    prm.declare_entry("Write VTU", prm_default(defaults.write_vtu), dealii::Patterns::Bool(),
                      "Write meshes and fields as VTU for ParaView.");
    prm.declare_entry("Write mesh file", prm_default(defaults.write_mesh_file), dealii::Patterns::Bool(),
                      "Write the mesh as mesh.msh (MSH 2.2, for Gmsh or deal.II's GridIn). The solver "
                      "takes the mesh in memory, and the stage cache keeps it in binary, so this is "
                      "for you only: 0.1 s of text on a 48k-tetrahedron mesh.");
    prm.leave_subsection();
  }

  Scenario read_scenario(const std::filesystem::path &file, const std::vector<std::string> &overrides,
                         ParameterHandler &prm)
  {
    if (!std::filesystem::is_regular_file(file))
      throw InputError("scenario file '" + file.string() + "' does not exist");
    declare_parameters(prm);
    try
      {
        prm.parse_input(file.string(), "", false);
      }
    catch (const dealii::ExceptionBase &e)
      {
        throw InputError(file.string() + ": " + describe_parameter_error(e));
      }
    for (const auto &assignment : overrides)
      apply_override(prm, assignment);

    Scenario scenario;
    scenario.file      = file;
    scenario.name      = file.stem().string();
    scenario.overrides = overrides;
    parse_geometry_parameters(prm, scenario);
    parse_mesh_parameters(prm, scenario);
    parse_operating_point_parameters(prm, scenario);
    parse_thermal_parameters(prm, scenario);
    parse_mc_parameters(prm, scenario);
    parse_electrostatics_parameters(prm, scenario);
    parse_charging_parameters(prm, scenario);
    parse_emission_parameters(prm, scenario);
    parse_dynamics_parameters(prm, scenario);
    prm.enter_subsection("Output");
    scenario.output.directory = prm.get("Directory");
    scenario.output.write_vtu = prm.get_bool("Write VTU");
    scenario.output.write_mesh_file = prm.get_bool("Write mesh file");
    prm.leave_subsection();
    return scenario;
  }
} // namespace mpstream::app
