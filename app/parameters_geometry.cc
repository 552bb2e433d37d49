// Geometry section: the stream layout (layout::LayoutParameters).
#include "app/parameter_checks.h"
#include "app/parameter_defaults.h"
#include "app/scenario.h"

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  namespace
  {
    const Selection<layout::LayoutKind> &layout_kinds()
    {
      static const Selection<layout::LayoutKind> names{{{"multilayer", layout::LayoutKind::multilayer},
                                                          {"monolayer", layout::LayoutKind::monolayer},
                                                          {"csv", layout::LayoutKind::csv}}};
      return names;
    }
    const Selection<bool> &lateral_boundaries() // periodic?
    {
      static const Selection<bool> names{{{"finite patch", false}, {"periodic cell", true}}};
      return names;
    }
  } // namespace

  void declare_geometry_parameters(ParameterHandler &prm)
  {
    const layout::LayoutParameters d;
    prm.enter_subsection("Geometry");
    prm.declare_entry("Layout", layout_kinds().name(d.kind), layout_kinds().pattern(),
                      "multilayer: hexagonal rows x columns drawn into layers (paper Fig. 5); "
                      "monolayer: one hexagonal layer; csv: centres and radii from 'Sphere file'.");
    prm.declare_entry("Sphere radius [m]", prm_default(d.sphere_radius), P::Double(0),
                      "Radius r of the tungsten microparticles (paper: 5 um diameter).");
    prm.declare_entry("Rows", prm_default(d.rows), P::Integer(1, 10000), "Rows of the hexagonal packing (along y).");
    prm.declare_entry("Spheres per row", prm_default(d.spheres_per_row), P::Integer(1, 10000),
                      "Spheres in each row (along x); alternate rows are offset by half a pitch.");
    prm.declare_entry("Number of layers", prm_default(d.n_layers), P::Integer(1, 1000),
                      "Layers the spheres are drawn into (multilayer only).");
    prm.declare_entry("Stream thickness [m]", prm_default(d.stream_thickness), P::Double(0),
                      "H: from the lowest to the highest sphere surface (multilayer).");
    prm.declare_entry("Anode gap [m]", prm_default(d.anode_gap), P::Double(0),
                      "d_gap: lowest sphere surface above the anode plane z = 0 (paper: r). "
                      "0 puts spheres on the anode (Monte Carlo only; cannot be meshed).");
    prm.declare_entry("Lateral clearance", prm_default(d.lateral_clearance), P::Double(0, 10),
                      "Lateral pitch = 2 r (1 + clearance); touching spheres cannot be meshed.");
    prm.declare_entry("Layer seed", prm_default(d.layer_seed), P::Integer(0),
                      "Seed of the random, balanced assignment of spheres to layers.");
    prm.declare_entry("Lateral boundary", lateral_boundaries().name(d.periodic), lateral_boundaries().pattern(),
                      "finite patch: the spheres alone, in a grounded enclosure with auxiliary "
                      "electrodes; periodic cell: the layout repeats laterally (Rows must be even).");
    prm.declare_entry("Anode", prm_default(d.anode_present), P::Bool(),
                      "false: free-standing stream (no anode; the enclosure closes below).");
    prm.declare_entry("Sphere file", prm_default(d.sphere_file), P::Anything(),
                      "CSV with header x,y,z,radius (metres), for Layout = csv. A relative path "
                      "is taken relative to the .prm file's folder.");
    prm.leave_subsection();
  }

  void parse_geometry_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    auto &p = scenario.layout;
    prm.enter_subsection("Geometry");
    p.kind              = layout_kinds().value(prm.get("Layout"));
    p.sphere_radius     = require_positive(prm, "Geometry", "Sphere radius [m]");
    p.rows              = static_cast<unsigned int>(prm.get_integer("Rows"));
    p.spheres_per_row   = static_cast<unsigned int>(prm.get_integer("Spheres per row"));
    p.n_layers          = static_cast<unsigned int>(prm.get_integer("Number of layers"));
    p.stream_thickness  = prm.get_double("Stream thickness [m]");
    p.anode_gap         = prm.get_double("Anode gap [m]");
    p.lateral_clearance = prm.get_double("Lateral clearance");
    p.layer_seed        = static_cast<unsigned int>(prm.get_integer("Layer seed"));
    p.periodic          = lateral_boundaries().value(prm.get("Lateral boundary"));
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
    if (p.kind == layout::LayoutKind::csv && p.sphere_file.empty())
      parameter_error("Geometry/Layout", "csv", "needs Geometry/Sphere file");
    if (p.kind == layout::LayoutKind::csv && p.periodic)
      parameter_error("Geometry/Lateral boundary", "periodic cell",
                      "needs a hexagonal Geometry/Layout (multilayer or monolayer), not csv");
  }
} // namespace mpstream::app
