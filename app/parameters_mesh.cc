// Enclosure, Auxiliary electrodes and Mesh sections (meshing::*Parameters).
#include "app/parameter_checks.h"
#include "app/parameter_defaults.h"
#include "app/scenario.h"

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  namespace
  {
    const Selection<meshing::ElectrodeShape> &electrode_shapes()
    {
      static const Selection<meshing::ElectrodeShape> names{
        {{"frames", meshing::ElectrodeShape::frames}, {"wall", meshing::ElectrodeShape::wall}}};
      return names;
    }

    const Selection<meshing::VolumeAlgorithm> &volume_algorithms()
    {
      static const Selection<meshing::VolumeAlgorithm> names{
        {{"delaunay", meshing::VolumeAlgorithm::delaunay}, {"hxt", meshing::VolumeAlgorithm::hxt}}};
      return names;
    }
  } // namespace

  void declare_mesh_parameters(ParameterHandler &prm)
  {
    const meshing::EnclosureParameters enclosure;
    const meshing::ElectrodeParameters electrodes;
    const meshing::MeshParameters mesh;
    prm.enter_subsection("Enclosure");
    prm.declare_entry("Size x [m]", prm_default(enclosure.size_x), P::Double(0),
                      "Grounded box, lateral size along x, centred on the probe sphere.");
    prm.declare_entry("Size y [m]", prm_default(enclosure.size_y), P::Double(0), "Lateral size along y.");
    prm.declare_entry("Height [m]", prm_default(enclosure.height), P::Double(0),
                      "z of the top wall (the anode is z = 0).");
    prm.declare_entry("Floor without anode [m]", prm_default(enclosure.floor), P::Double(),
                      "z of the bottom wall when Geometry/Anode = false.");
    prm.leave_subsection();

    prm.enter_subsection("Auxiliary electrodes");
    prm.declare_entry("Enabled", prm_default(electrodes.enabled), P::Bool(), "Auxiliary electrodes around the finite patch (Shape).");
    prm.declare_entry("Shape", electrode_shapes().name(electrodes.shape), electrode_shapes().pattern(),
                      "frames: one rectangular frame per layer around the patch, at the layer's height, "
                      "inside the grounded enclosure. wall: the enclosure's lateral sides, Gap outside "
                      "the patch from the anode to the top, are one electrode whose potential is piecewise "
                      "linear in z between nodes every 'Wall node spacing' up to the stream's top, then "
                      "falls linearly to the grounded top (Enclosure/Size x, Size y are not used).");
    prm.declare_entry("Wall node spacing [m]", prm_default(electrodes.wall_node_spacing), P::Double(0),
                      "Shape = wall: distance between the wall's potential nodes (each one an electrode).");
    prm.declare_entry("Gap [m]", prm_default(electrodes.gap), P::Double(0),
                      "Lateral distance from the patch's outermost sphere surfaces to a frame or the wall.");
    prm.declare_entry("Width [m]", prm_default(electrodes.width), P::Double(0), "Lateral width of a frame's bar.");
    prm.declare_entry("Thickness [m]", prm_default(electrodes.thickness), P::Double(0),
                      "Extent of a frame along z, centred on its layer; less than the layer spacing.");
    prm.leave_subsection();

    prm.enter_subsection("Mesh");
    prm.declare_entry("Elements per radius", prm_default(mesh.elements_per_radius), P::Double(1, 200),
                      "Element size on sphere surfaces = r / this.");
    prm.declare_entry("Size growth rate", prm_default(mesh.growth_rate), P::Double(0.01, 10),
                      "Element size grows by this much per unit distance from the spheres.");
    prm.declare_entry("Size growth exponent", prm_default(mesh.growth_exponent), P::Double(1, 3),
                      "1: the size grows linearly with the distance s from a sphere's surface, "
                      "h + g s (g: Size growth rate); a > 1: h (1 + g s / (a h))^a, the same "
                      "growth near the sphere and faster far away (fewer far-field cells).");
    prm.declare_entry("Maximum element size [m]", prm_default(mesh.maximum_size), P::Double(0), "Cap on the element size.");
    prm.declare_entry("Maximum element size above the stream [m]", prm_default(mesh.maximum_size_above_stream),
                      P::Double(0),
                      "Cap above the stream's top: there the size keeps growing by 'Size growth rate' with "
                      "height up to this (a far Enclosure/Height costs few cells); 0: Maximum element size.");
    prm.declare_entry("Element order", prm_default(mesh.order), P::Integer(1, 2),
                      "1: linear tetrahedra (curvature comes from the solver's mapping); 2: Tet10.");
    prm.declare_entry("Threads", prm_default(mesh.threads), P::Integer(1, 256),
                      "Gmsh threads (1D/2D meshing only; the volume mesher is serial). More than 1 "
                      "once produced boundary triangles without physical tag with Gmsh 4.8.");
    prm.declare_entry("Minimum gap fraction", prm_default(mesh.minimum_gap_fraction), P::Double(0, 1),
                      "Refuse to mesh sphere-sphere or sphere-anode gaps below this fraction of r.");
    prm.declare_entry("Volume algorithm", volume_algorithms().name(mesh.volume_algorithm),
                      volume_algorithms().pattern(),
                      "Gmsh's tetrahedral mesher. delaunay: Gmsh's Delaunay (Algorithm3D = 1). hxt: HXT "
                      "(Algorithm3D = 10), faster and with fewer cells on one sphere (doc/performance.md), "
                      "slower with more poor cells on the dense default stream, and NOT reproducible: "
                      "Gmsh 4.8.4's HXT gave 59420 and 59932 tetrahedra for the same input.");
    prm.leave_subsection();
  }

  void parse_mesh_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    prm.enter_subsection("Enclosure");
    scenario.enclosure.size_x = require_positive(prm, "Enclosure", "Size x [m]");
    scenario.enclosure.size_y = require_positive(prm, "Enclosure", "Size y [m]");
    scenario.enclosure.height = require_positive(prm, "Enclosure", "Height [m]");
    scenario.enclosure.floor  = prm.get_double("Floor without anode [m]");
    prm.leave_subsection();

    prm.enter_subsection("Auxiliary electrodes");
    scenario.electrodes.enabled = prm.get_bool("Enabled");
    scenario.electrodes.gap       = require_positive(prm, "Auxiliary electrodes", "Gap [m]");
    scenario.electrodes.width     = require_positive(prm, "Auxiliary electrodes", "Width [m]");
    scenario.electrodes.thickness = require_positive(prm, "Auxiliary electrodes", "Thickness [m]");
    scenario.electrodes.shape     = electrode_shapes().value(prm.get("Shape"));
    scenario.electrodes.wall_node_spacing = require_positive(prm, "Auxiliary electrodes", "Wall node spacing [m]");
    prm.leave_subsection();

    prm.enter_subsection("Mesh");
    scenario.mesh.elements_per_radius  = prm.get_double("Elements per radius");
    scenario.mesh.growth_rate          = prm.get_double("Size growth rate");
    scenario.mesh.growth_exponent      = prm.get_double("Size growth exponent");
    scenario.mesh.maximum_size         = require_positive(prm, "Mesh", "Maximum element size [m]");
    scenario.mesh.maximum_size_above_stream = prm.get_double("Maximum element size above the stream [m]");
    scenario.mesh.order                = static_cast<unsigned int>(prm.get_integer("Element order"));
    scenario.mesh.threads              = static_cast<unsigned int>(prm.get_integer("Threads"));
    scenario.mesh.minimum_gap_fraction = prm.get_double("Minimum gap fraction");
    scenario.mesh.volume_algorithm     = volume_algorithms().value(prm.get("Volume algorithm"));
    prm.leave_subsection();
  }
} // namespace mpstream::app
