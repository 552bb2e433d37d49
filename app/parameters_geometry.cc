// Geometry section: the stream layout (meshing::LayoutParameters).
#include "app/scenario.h"
#include "common/error.h"

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  void declare_geometry_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Geometry");
    prm.declare_entry("Layout", "multilayer", P::Selection("multilayer|monolayer|csv"),
                      "multilayer: hexagonal rows x columns drawn into layers (paper Fig. 5); "
                      "monolayer: one hexagonal layer; csv: centres and radii from 'Sphere file'.");
    prm.declare_entry("Sphere radius [m]", "2.5e-6", P::Double(0),
                      "Radius r of the tungsten microparticles (paper: 5 um diameter).");
    prm.declare_entry("Rows", "7", P::Integer(1, 10000), "Rows of the hexagonal packing (along y).");
    prm.declare_entry("Spheres per row", "11", P::Integer(1, 10000),
                      "Spheres in each row (along x); alternate rows are offset by half a pitch.");
    prm.declare_entry("Number of layers", "5", P::Integer(1, 1000),
                      "Layers the spheres are drawn into (multilayer only).");
    prm.declare_entry("Stream thickness [m]", "20e-6", P::Double(0),
                      "H: from the lowest to the highest sphere surface (multilayer).");
    prm.declare_entry("Anode gap [m]", "2.5e-6", P::Double(0),
                      "d_gap: lowest sphere surface above the anode plane z = 0 (paper: r). "
                      "0 puts spheres on the anode (Monte Carlo only; cannot be meshed).");
    prm.declare_entry("Lateral clearance", "0.02", P::Double(0, 10),
                      "Lateral pitch = 2 r (1 + clearance); touching spheres cannot be meshed.");
    prm.declare_entry("Layer seed", "1", P::Integer(0),
                      "Seed of the random, balanced assignment of spheres to layers.");
    prm.declare_entry("Lateral boundary", "finite patch", P::Selection("finite patch|periodic cell"),
                      "finite patch: the spheres alone, in a grounded enclosure with auxiliary "
                      "electrodes; periodic cell: the layout repeats laterally (Rows must be even).");
    prm.declare_entry("Anode", "true", P::Bool(),
                      "false: free-standing stream (no anode; the enclosure closes below).");
    prm.declare_entry("Sphere file", "", P::Anything(),
                      "CSV with header x,y,z,radius (metres), for Layout = csv. A relative path "
                      "is taken relative to the .prm file's folder.");
    prm.leave_subsection();
  }

  void parse_geometry_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    auto &p = scenario.layout;
    prm.enter_subsection("Geometry");
    const std::string layout = prm.get("Layout");
    p.kind = layout == "multilayer" ? meshing::LayoutKind::multilayer :
             layout == "monolayer"  ? meshing::LayoutKind::monolayer :
                                      meshing::LayoutKind::csv;
    p.sphere_radius     = positive(prm, "Geometry", "Sphere radius [m]");
    p.rows              = static_cast<unsigned int>(prm.get_integer("Rows"));
    p.spheres_per_row   = static_cast<unsigned int>(prm.get_integer("Spheres per row"));
    p.n_layers          = static_cast<unsigned int>(prm.get_integer("Number of layers"));
    p.stream_thickness  = prm.get_double("Stream thickness [m]");
    p.anode_gap         = prm.get_double("Anode gap [m]");
    p.lateral_clearance = prm.get_double("Lateral clearance");
    p.layer_seed        = static_cast<unsigned int>(prm.get_integer("Layer seed"));
    p.periodic          = prm.get("Lateral boundary") == "periodic cell";
    p.anode_present     = prm.get_bool("Anode");
    const std::string file = prm.get("Sphere file");
    if (!file.empty())
      {
        std::filesystem::path path(file);
        if (path.is_relative())
          path = scenario.file.parent_path() / path;
        p.sphere_file = path.string();
      }
    prm.leave_subsection();
    if (p.kind == meshing::LayoutKind::csv && p.sphere_file.empty())
      throw InputError("Geometry/Layout = csv needs Geometry/Sphere file");
    if (p.kind == meshing::LayoutKind::csv && p.periodic)
      throw InputError("Geometry/Lateral boundary = periodic cell is available for hexagonal "
                       "layouts only, not for Layout = csv");
  }
} // namespace mpstream::app
