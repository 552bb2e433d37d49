// Enclosure, Auxiliary electrodes and Mesh sections (meshing::*Parameters).
#include "app/scenario.h"
#include "common/error.h"

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  void declare_mesh_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Enclosure");
    prm.declare_entry("Size x [m]", "200e-6", P::Double(0),
                      "Grounded box, lateral size along x, centred on the probe sphere.");
    prm.declare_entry("Size y [m]", "200e-6", P::Double(0), "Lateral size along y.");
    prm.declare_entry("Height [m]", "100e-6", P::Double(0),
                      "z of the top wall (the anode is z = 0).");
    prm.declare_entry("Floor without anode [m]", "-50e-6", P::Double(),
                      "z of the bottom wall when Geometry/Anode = false.");
    prm.leave_subsection();

    prm.enter_subsection("Auxiliary electrodes");
    prm.declare_entry("Enabled", "true", P::Bool(), "Auxiliary electrodes around the finite patch (Shape).");
    prm.declare_entry("Shape", "frames", P::Selection("frames|wall"),
                      "frames: one rectangular frame per layer around the patch, at the layer's height, "
                      "inside the grounded enclosure. wall: the enclosure's lateral sides, Gap outside "
                      "the patch from the anode to the top, are one electrode whose potential is piecewise "
                      "linear in z between nodes every 'Wall node spacing' up to the stream's top, then "
                      "falls linearly to the grounded top (Enclosure/Size x, Size y are not used).");
    prm.declare_entry("Wall node spacing [m]", "2.5e-6", P::Double(0),
                      "Shape = wall: distance between the wall's potential nodes (each one an electrode).");
    prm.declare_entry("Gap [m]", "2.5e-6", P::Double(0),
                      "Lateral distance from the patch's outermost sphere surfaces to a frame or the wall.");
    prm.declare_entry("Width [m]", "10e-6", P::Double(0), "Lateral width of a frame's bar.");
    prm.declare_entry("Thickness [m]", "1.5e-6", P::Double(0),
                      "Extent of a frame along z, centred on its layer; less than the layer spacing.");
    prm.leave_subsection();

    prm.enter_subsection("Mesh");
    prm.declare_entry("Elements per radius", "5", P::Double(1, 200),
                      "Element size on sphere surfaces = r / this.");
    prm.declare_entry("Size growth rate", "0.3", P::Double(0.01, 10),
                      "Element size grows by this much per unit distance from the spheres.");
    prm.declare_entry("Maximum element size [m]", "20e-6", P::Double(0), "Cap on the element size.");
    prm.declare_entry("Element order", "1", P::Integer(1, 2),
                      "1: linear tetrahedra (curvature comes from the solver's mapping); 2: Tet10.");
    prm.declare_entry("Threads", "1", P::Integer(1, 256),
                      "Gmsh threads (1D/2D meshing only; the volume mesher is serial). More than 1 "
                      "once produced boundary triangles without physical tag with Gmsh 4.8.");
    prm.declare_entry("Minimum gap fraction", "0.01", P::Double(0, 1),
                      "Refuse to mesh sphere-sphere or sphere-anode gaps below this fraction of r.");
    prm.leave_subsection();
  }

  void parse_mesh_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    prm.enter_subsection("Enclosure");
    scenario.enclosure.size_x = positive(prm, "Enclosure", "Size x [m]");
    scenario.enclosure.size_y = positive(prm, "Enclosure", "Size y [m]");
    scenario.enclosure.height = positive(prm, "Enclosure", "Height [m]");
    scenario.enclosure.floor  = prm.get_double("Floor without anode [m]");
    prm.leave_subsection();

    prm.enter_subsection("Auxiliary electrodes");
    scenario.electrodes.enabled = prm.get_bool("Enabled");
    scenario.electrodes.gap       = positive(prm, "Auxiliary electrodes", "Gap [m]");
    scenario.electrodes.width     = positive(prm, "Auxiliary electrodes", "Width [m]");
    scenario.electrodes.thickness = positive(prm, "Auxiliary electrodes", "Thickness [m]");
    scenario.electrodes.shape     = prm.get("Shape") == "wall" ? meshing::ElectrodeShape::wall
                                                               : meshing::ElectrodeShape::frames;
    scenario.electrodes.wall_node_spacing = positive(prm, "Auxiliary electrodes", "Wall node spacing [m]");
    prm.leave_subsection();

    prm.enter_subsection("Mesh");
    scenario.mesh.elements_per_radius  = prm.get_double("Elements per radius");
    scenario.mesh.growth_rate          = prm.get_double("Size growth rate");
    scenario.mesh.maximum_size         = positive(prm, "Mesh", "Maximum element size [m]");
    scenario.mesh.order                = static_cast<unsigned int>(prm.get_integer("Element order"));
    scenario.mesh.threads              = static_cast<unsigned int>(prm.get_integer("Threads"));
    scenario.mesh.minimum_gap_fraction = prm.get_double("Minimum gap fraction");
    prm.leave_subsection();
  }
} // namespace mpstream::app
