#pragma once
// Gmsh (OpenCASCADE) mesh of the vacuum around a sphere stream: enclosure box minus spheres
// minus auxiliary electrodes, with physical groups from physical_tags.h. Spheres are holes:
// the electrostatics treats them as floating conductors through their surfaces only.
#include "layout/stream_layout.h"
#include "meshing/volume_mesh.h"

#include <string>
#include <vector>

namespace mpstream::meshing
{
  // The mesher meshes a stream layout (layout/): its spheres and points, by their own names here.
  using layout::Point3;
  using layout::Sphere;
  using layout::StreamLayout;

  // Grounded box around the stream, centred laterally on x = y = 0. With an anode its floor is
  // the anode plane z = 0; without one the floor is part of the enclosure at z = floor.
  struct EnclosureParameters
  {
    double size_x = 200e-6; // m
    double size_y = 200e-6; // m
    double height = 100e-6; // m, top wall z (with an anode, the anode-to-top distance)
    double floor  = -50e-6; // m, bottom wall z when there is no anode
  };

  // One rectangular frame per layer, around the patch, at the layer's height.
  // Auxiliary electrodes: one rectangular frame per layer, around the patch, at the layer's
  // height. Or (shape = wall) the enclosure's four lateral sides close around the patch, one Dirichlet
  // surface whose potential is piecewise linear in z between wall nodes (wall_node_heights).
  enum class ElectrodeShape
  {
    frames,
    wall
  };

  struct ElectrodeParameters
  {
    bool enabled     = true;
    double gap       = 2.5e-6;  // m, lateral distance from the patch (sphere surfaces) to the frame / wall
    double width     = 10e-6;   // m, lateral width of the frame's bar
    double thickness = 1.5e-6;  // m, extent along z, centred on the layer height
    ElectrodeShape shape     = ElectrodeShape::frames;
    double wall_node_spacing = 2.5e-6; // m, between the wall's potential nodes (shape = wall)
  };

  // True if the enclosure's lateral sides are the electrode wall.
  bool has_electrode_wall(const StreamLayout &layout, const ElectrodeParameters &parameters);

  // Heights (m, ascending) of the wall's potential nodes: every wall_node_spacing above the
  // floor up to the first node at or above the stream's top; above it the wall potential falls
  // linearly to the grounded top (exact for a laterally infinite stream, which has no charge
  // there). Empty without a wall.
  std::vector<double> wall_node_heights(const StreamLayout &layout, const ElectrodeParameters &parameters,
                                        const EnclosureParameters &enclosure);

  // Gmsh's volume mesher: Delaunay (Mesh.Algorithm3D = 1), or HXT (10), the parallel Delaunay
  // of Marot et al. (2019), faster on the one-sphere benchmark (doc/performance.md).
  enum class VolumeAlgorithm
  {
    delaunay,
    hxt
  };

  struct MeshParameters
  {
    double elements_per_radius = 5;     // sphere surface element size = r / this
    double growth_rate         = 0.3;   // size grows by this many metres per metre of distance
    // 1: linear growth h_s + g s with the distance s from a sphere's surface; a > 1:
    // h_s (1 + g s / (a h_s))^a (the same slope g at the surface, faster far away).
    double growth_exponent     = 1;
    double maximum_size        = 20e-6; // m, cap far from the spheres
    // m, cap above the stream's top (the size keeps growing by growth_rate with height up to it,
    // so that a far lid costs few cells); 0: maximum_size there too.
    double maximum_size_above_stream = 0;
    unsigned int order         = 1;     // 1: linear tets (curvature from the FE mapping); 2: Tet10
    unsigned int threads       = 1;   // Gmsh 4.8 once lost physical tags with 2 threads
    double minimum_gap_fraction = 0.01; // refuse sphere gaps below this fraction of the radius
    VolumeAlgorithm volume_algorithm = VolumeAlgorithm::delaunay;
  };

  struct Frame
  {
    unsigned int layer = 0;
    Point3 outer_lower{}, outer_upper{}; // the frame's outer box
    Point3 inner_lower{}, inner_upper{}; // the hole it frames (no z extent of its own)
    double volume() const;
  };

  // The electrode frames the parameters give for this layout (empty if disabled or periodic).
  std::vector<Frame> auxiliary_electrodes(const StreamLayout &layout,
                                          const ElectrodeParameters &parameters);

  // Lower and upper corner of the enclosure (or, with a periodic cell, of the cell).
  // (With the electrode wall, its lateral sides are the wall: Gap outside the patch.)
  std::array<Point3, 2> enclosure_box(const StreamLayout &layout, const EnclosureParameters &p,
                                      const ElectrodeParameters &electrodes);

  // Checks that the geometry can be meshed as floating conductors in this enclosure; throws
  // InputError with the cause (sphere touching the anode or another sphere, sphere or
  // electrode outside the enclosure, electrode cutting a sphere).
  void check_meshable(const StreamLayout &layout, const EnclosureParameters &enclosure,
                      const ElectrodeParameters &electrodes, const MeshParameters &mesh);

  struct MeshReport
  {
    std::size_t n_nodes               = 0;
    std::size_t n_elements            = 0; // tetrahedra
    std::size_t n_boundary_triangles  = 0;
    std::size_t n_physical_surfaces   = 0;
    double min_quality                = 0; // normalised radius ratio 3 r_in / r_circ in (0, 1]
    double mean_quality               = 0;
    double min_dihedral_angle_deg     = 0;
    std::size_t n_poor_elements       = 0; // radius ratio below poor_quality
    static constexpr double poor_quality = 0.1;
    // Below this quality a tetrahedron counts as flat (nearly four nodes in a plane). One-sphere
    // meshes whose worst tetrahedron was at 7e-4 or below took 11-23 CG iterations and erred by
    // 4e-4 to 4e-3 (against 9 and 9e-5); at 1e-3 and above the worst one did no harm by itself
    // (doc/performance.md, "Round 4").
    static constexpr double flat_quality = 1e-3;
    double vacuum_volume              = 0; // m^3, sum of tetrahedron volumes
    double expected_vacuum_volume     = 0; // m^3, box - spheres - electrodes, analytic
    unsigned int n_periodic_pairs     = 0;
    double seconds                    = 0;
  };

  // Builds the mesh and writes it as MSH 2.2 (what deal.II's GridIn reads) to msh_file (if not
  // empty), as VTU with region ids to vtu_file (if not empty), and into in_memory (if given: the
  // same linear mesh for the solver without the file). Throws RuntimeFailure if Gmsh fails.
  MeshReport build_stream_mesh(const StreamLayout &layout, const EnclosureParameters &enclosure,
                               const ElectrodeParameters &electrodes, const MeshParameters &mesh,
                               const std::string &msh_file, const std::string &vtu_file,
                               VolumeMesh *in_memory = nullptr);
} // namespace mpstream::meshing
